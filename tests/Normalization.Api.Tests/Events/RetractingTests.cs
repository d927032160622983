using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Events;

/// <summary>POST /api/negotiations/{id}/events/{eventId}/retract.</summary>
[Collection(ApiCollection.Name)]
public sealed class RetractingTests(AppFixture app)
{
    async Task<(string Id, Guid Release)> GivenConfidenceBuilding()
    {
        var id = await app.GivenNegotiation("retract");
        var release = Guid.NewGuid();
        await app.GivenEvents(id, Talks(Day(30)), Release(Day(20), "US", "TB"), Release(Day(10), "TB", "US", release));
        return (id, release);
    }

    [Fact]
    public async Task Given_a_gesture_When_retracted_Then_201_and_the_stage_falls_back()
    {
        var (id, release) = await GivenConfidenceBuilding();

        var (status, body, result) = await app.PostRaw($"/api/negotiations/{id}/events/{release}/retract", Json(new { reason = "the release did not happen" }));

        status.ShouldBe(201, body?.ToJsonString());
        result.Context.Response.Headers.Location.ToString().ShouldBe($"/api/negotiations/{id}");
        body!["retractedEventId"]!.GetValue<string>().ShouldBe(release.ToString());
        body["version"]!.GetValue<int>().ShouldBe(5);
        body["previousStage"]!.GetValue<string>().ShouldBe("ConfidenceBuilding");
        body["stage"]!.GetValue<string>().ShouldBe("Exploratory");
        body["stageChanged"]!.GetValue<bool>().ShouldBeTrue();
        var (_, timeline) = await app.GetJson($"/api/negotiations/{id}/timeline?type=EventRetracted");
        timeline!["items"]![0]!["event"]!["reason"]!.GetValue<string>().ShouldBe("the release did not happen");
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"reason\":\"   \"}")]
    [InlineData("{\"reason\":null}")]
    [InlineData("{\"reason\":\"\u200b\"}")]
    public async Task Given_no_reason_When_retracting_Then_400_reason_required(string raw)
    {
        var (id, release) = await GivenConfidenceBuilding();

        var (status, body, _) = await app.PostRaw($"/api/negotiations/{id}/events/{release}/retract", raw);

        status.ShouldBe(400);
        body.ShouldHaveError("reason", "required");
    }

    [Fact]
    public async Task Given_an_unknown_event_When_retracting_Then_404_event_not_found()
    {
        var (id, _) = await GivenConfidenceBuilding();

        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events/{Guid.NewGuid()}/retract", new { reason = "x" });

        status.ShouldBe(404);
        body.ShouldBeProblem("event_not_found");
        (await app.GetJson($"/api/negotiations/{id}")).Body!["version"]!.GetValue<int>().ShouldBe(4);
    }

    [Fact]
    public async Task Given_an_unknown_negotiation_When_retracting_Then_404_negotiation_not_found()
    {
        var (status, body) = await app.PostJson($"/api/negotiations/no-such-thing/events/{Guid.NewGuid()}/retract", new { reason = "x" });

        status.ShouldBe(404);
        body.ShouldBeProblem("negotiation_not_found");
    }

    [Fact]
    public async Task Given_a_retracted_event_When_retracted_again_Then_409_already_retracted()
    {
        var (id, release) = await GivenConfidenceBuilding();
        (await app.PostJson($"/api/negotiations/{id}/events/{release}/retract", new { reason = "first" })).Status.ShouldBe(201);

        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events/{release}/retract", new { reason = "second" });

        status.ShouldBe(409);
        body.ShouldBeProblem("already_retracted");
        (await app.GetJson($"/api/negotiations/{id}")).Body!["version"]!.GetValue<int>().ShouldBe(5);
    }

    [Theory]
    [InlineData("not-a-guid", "{\"reason\":\"x\"}", "route.eventId")]
    [InlineData("{release}", "{\"reason\":\"x\",\"occurredOn\":\"someday\"}", "occurredOn")]
    public async Task Given_a_bad_event_id_or_date_When_retracting_Then_400(string eventId, string raw, string path)
    {
        var (id, release) = await GivenConfidenceBuilding();

        var (status, body, _) = await app.PostRaw($"/api/negotiations/{id}/events/{eventId.Replace("{release}", release.ToString())}/retract", raw);

        status.ShouldBe(400);
        body.ShouldHaveError(path);
    }

    [Theory]
    [InlineData("{\"reason\":\"x\",\"actor\":\"not a code\"}", "actor")]
    [InlineData("{\"reason\":\"x\",\"eventId\":\"nope\"}", "eventId")]
    public async Task Given_an_invalid_actor_or_retraction_id_When_retracting_Then_400_and_nothing_stored(string raw, string path)
    {
        var (id, release) = await GivenConfidenceBuilding();

        var (status, body, _) = await app.PostRaw($"/api/negotiations/{id}/events/{release}/retract", raw);

        status.ShouldBe(400, body?.ToJsonString());
        body.ShouldHaveError(path);
        (await app.GetJson($"/api/negotiations/{id}")).Body!["version"]!.GetValue<int>().ShouldBe(4);
    }

    [Fact]
    public async Task Given_a_retraction_dated_in_the_future_When_retracting_Then_422_not_500()
    {
        var (id, release) = await GivenConfidenceBuilding();

        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events/{release}/retract", new { reason = "x", occurredOn = "2999-01-01" });

        status.ShouldBe(422);
        body.ShouldHaveError("occurredOn", "in_future");
    }
}
