using System.Text.Json.Nodes;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Reliability;

/// <summary>
/// A retraction chain (tenth trial): "retract X, retract that retraction, retract X again" is accepted one request at a
/// time, so it must be accepted as one batch and as an import of the record's own export — the validator decides
/// "already retracted" by the record's rule over the whole chain (stored and in the batch), not by the first retraction.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class RetractionChainTrialTests(AppFixture app)
{
    async Task<int> VersionOf(string id) => (await app.GetJson($"/api/negotiations/{id}")).Body!["version"]!.GetValue<int>();

    async Task<Guid> Retract(string id, Guid target, string reason, string on)
    {
        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events/{target}/retract", new { reason, occurredOn = on });
        status.ShouldBe(201, body?.ToJsonString());
        return Guid.Parse(body!["retractionEventId"]!.GetValue<string>());
    }

    /// <summary>Talks, a release, then the release retracted, the retraction retracted, and the release retracted again — one request each.</summary>
    async Task<(string Id, Guid Release, Guid First, Guid Undo)> GivenARetractionChain()
    {
        var id = await app.GivenNegotiation("chain");
        var release = Guid.NewGuid();
        await app.GivenEvents(id, Talks(Day(40)), Release(Day(30), "TB", "US", release));
        var first = await Retract(id, release, "unconfirmed", Day(20));
        var undo = await Retract(id, first, "confirmed after all", Day(15));
        return (id, release, first, undo);
    }


    static JsonNode? Comparable(JsonNode? state)
    {
        var copy = state!.DeepClone().AsObject();
        copy.Remove("negotiationId");
        copy.Remove("id");
        copy.Remove("title");
        copy.Remove("version");
        copy.Remove("knownAt");
        return copy;
    }

    [Fact]
    public async Task Given_a_release_retracted_restored_and_retracted_again_When_its_export_is_imported_into_a_new_negotiation_Then_200_and_the_same_state()
    {
        // Given the chain, one request at a time, ending with the release retracted again
        var (id, release, _, _) = await GivenARetractionChain();
        await Retract(id, release, "retracted again", Day(10));
        var (_, export, _) = await app.GetText($"/api/negotiations/{id}/export", "*/*");

        // When the export is imported into a new negotiation
        var copy = await app.GivenNegotiation("chaincopy");
        var (status, body) = await app.PostImport(copy, export);

        // Then it is stored whole, and both records answer the same state
        status.ShouldBe(200, body?.ToJsonString());
        var (_, original) = await app.GetJson($"/api/negotiations/{id}/state?asOf={Day(1)}");
        var (_, imported) = await app.GetJson($"/api/negotiations/{copy}/state?asOf={Day(1)}");
        Comparable(imported)!.ToJsonString().ShouldBe(Comparable(original)!.ToJsonString());
        original!["stage"]!.GetValue<string>().ShouldBe("Exploratory"); // the release is out of the record again
    }

    [Fact]
    public async Task Given_a_stored_retraction_that_was_itself_retracted_When_one_batch_retracts_the_event_again_Then_201()
    {
        // Given the release retracted and restored (stored, one request each)
        var (id, release, _, _) = await GivenARetractionChain();

        // When one batch retracts the release again
        var again = new JsonObject
        {
            ["eventId"] = Guid.NewGuid().ToString(), ["type"] = "EventRetracted", ["occurredOn"] = Day(10), ["actor"] = "US",
            ["targetEventId"] = release.ToString(), ["reason"] = "retracted again",
        };
        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events", new { events = new[] { again } });

        // Then it stands: the release was back in the record
        status.ShouldBe(201, body?.ToJsonString());
        (await app.GetJson($"/api/negotiations/{id}")).Body!["stage"]!.GetValue<string>().ShouldBe("Exploratory");
    }

    [Fact]
    public async Task Given_a_stored_restoring_retraction_When_one_batch_retracts_it_and_then_the_event_Then_422_already_retracted_on_the_second_and_nothing_is_written()
    {
        // Given the release retracted (first) and restored (undo)
        var (id, release, _, undo) = await GivenARetractionChain();
        var version = await VersionOf(id);

        // When one batch retracts the restoring retraction — which puts the first back in force — and then the release
        JsonObject Retraction(Guid target, string on) => new()
        {
            ["eventId"] = Guid.NewGuid().ToString(), ["type"] = "EventRetracted", ["occurredOn"] = on, ["actor"] = "US",
            ["targetEventId"] = target.ToString(), ["reason"] = "r",
        };
        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events",
            new { events = new[] { Retraction(undo, Day(10)), Retraction(release, Day(9)) } });

        // Then the second is refused (the release is retracted by then), naming it, and nothing is stored
        status.ShouldBe(422, body?.ToJsonString());
        body.ShouldHaveError("events[1].targetEventId", "already_retracted");
        (await VersionOf(id)).ShouldBe(version);
    }
}
