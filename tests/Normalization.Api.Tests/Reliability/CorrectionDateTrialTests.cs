using System.Text.Json.Nodes;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Reliability;

/// <summary>
/// A correction dated before the event it corrects (eighth trial, an analyst's US–Iran record: the January 2016 prisoner
/// swap "corrected in 2010" was stored, and, being the earliest-dated correction, silently lost to any other). Like a
/// retraction's (DateOrderTrialTests), its date may not end before the first day of every version of the event: 422
/// before_target at its occurredOn, on every write path — a post, an import, a what-if — and nothing is written.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class CorrectionDateTrialTests(AppFixture app)
{
    async Task<int> VersionOf(string id) => (await app.GetJson($"/api/negotiations/{id}")).Body!["version"]!.GetValue<int>();

    static JsonObject Correction(Guid target, string correctedOn, JsonObject version) => new()
    {
        ["eventId"] = Guid.NewGuid().ToString(), ["type"] = "EventCorrected", ["occurredOn"] = correctedOn, ["actor"] = "US",
        ["confidence"] = "Confirmed", ["targetEventId"] = target.ToString(), ["correction"] = version.DeepClone(),
    };

    [Fact]
    public async Task Given_a_release_When_corrected_with_a_date_before_it_Then_422_before_target_on_post_import_and_what_if()
    {
        // Given a release recorded ten days ago
        var id = await app.GivenNegotiation("corrbefore");
        var release = Guid.NewGuid();
        await app.GivenEvents(id, Talks(Day(30)), Release(Day(10), "TB", "US", release));
        var version = await VersionOf(id);
        var oneDayEarlier = Release(Day(11), "TB", "US", release);

        // When a correction moving it one day earlier is dated twelve days ago: posted, imported and added in a what-if
        var early = Correction(release, Day(12), oneDayEarlier);
        var (post, postBody) = await app.PostJson($"/api/negotiations/{id}/events", new { events = new[] { early } });
        var (import, importBody) = await app.PostImport(id, early.ToJsonString() + "\n");
        var (whatIf, whatIfBody) = await app.PostJson($"/api/negotiations/{id}/what-if", new JsonObject { ["add"] = new JsonArray(early.DeepClone()) });

        // Then each is 422 before_target at the correction's own date, and nothing is written
        post.ShouldBe(422, postBody?.ToJsonString());
        postBody.ShouldHaveError("events[0].occurredOn", "before_target");
        import.ShouldBe(422, importBody?.ToJsonString());
        importBody.ShouldHaveError("lines[1].occurredOn", "before_target");
        whatIf.ShouldBe(422, whatIfBody?.ToJsonString());
        whatIfBody.ShouldHaveError("add[0].occurredOn", "before_target");
        (await VersionOf(id)).ShouldBe(version);

        // And one dated on the day of the version it puts in force stands
        var (onTheDay, onTheDayBody) = await app.PostJson($"/api/negotiations/{id}/events", new { events = new[] { Correction(release, Day(11), oneDayEarlier) } });
        onTheDay.ShouldBe(201, onTheDayBody?.ToJsonString());
    }

    [Fact]
    public async Task Given_a_batch_holding_a_correction_listed_before_its_event_When_posted_Then_judged_on_the_whole_batch()
    {
        // Given a negotiation
        var id = await app.GivenNegotiation("corrbatch");
        var version = await VersionOf(id);
        var talksId = Guid.NewGuid();

        // When one batch lists a correction of talks first (dated the day before the talks and their version), then the talks
        var late = Correction(talksId, Day(5), Talks(Day(4), eventId: talksId));
        var early = Correction(talksId, Day(6), Talks(Day(5), eventId: talksId));
        var (refused, refusedBody) = await app.PostJson($"/api/negotiations/{id}/events", new { events = new JsonNode[] { early, Talks(Day(5), eventId: talksId) } });

        // Then the early one is refused at its date and nothing is written; the one dated on the talks' day stands
        refused.ShouldBe(422, refusedBody?.ToJsonString());
        refusedBody.ShouldHaveError("events[0].occurredOn", "before_target");
        (await VersionOf(id)).ShouldBe(version);
        var (accepted, acceptedBody) = await app.PostJson($"/api/negotiations/{id}/events", new { events = new JsonNode[] { late, Talks(Day(5), eventId: talksId) } });
        accepted.ShouldBe(201, acceptedBody?.ToJsonString());
    }
}
