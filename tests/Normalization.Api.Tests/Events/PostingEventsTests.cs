using System.Text.Json.Nodes;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Events;

/// <summary>POST /api/negotiations/{id}/events: the happy path and every way a batch can be refused.</summary>
[Collection(ApiCollection.Name)]
public sealed class PostingEventsTests(AppFixture app)
{
    async Task<int> VersionOf(string id) => (await app.GetJson($"/api/negotiations/{id}")).Body!["version"]!.GetValue<int>();

    [Fact]
    public async Task Given_talks_and_gestures_When_posted_Then_201_with_version_event_ids_and_the_stage_change()
    {
        var id = await app.GivenNegotiation("post");
        var release = Guid.NewGuid();

        var (status, body, result) = await app.PostRaw($"/api/negotiations/{id}/events",
            Json(new { expectedVersion = 1, events = new[] { Talks(Day(30)), Release(Day(20), "US", "TB"), Release(Day(10), "TB", "US", release) } }));

        status.ShouldBe(201, body?.ToJsonString());
        result.Context.Response.Headers.Location.ToString().ShouldBe($"/api/negotiations/{id}");
        body!["version"]!.GetValue<int>().ShouldBe(4);
        body["stored"]!.GetValue<int>().ShouldBe(3);
        body["events"]![2]!["eventId"]!.GetValue<string>().ShouldBe(release.ToString());
        body["events"]![2]!["status"]!.GetValue<string>().ShouldBe("stored");
        body["previousStage"]!.GetValue<string>().ShouldBe("Estrangement");
        body["stage"]!.GetValue<string>().ShouldBe("ConfidenceBuilding");
        body["stageChanged"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task Given_an_event_without_eventId_When_posted_Then_one_is_generated_and_returned()
    {
        var id = await app.GivenNegotiation("genid");
        var talks = Talks(Day(3));
        talks.Remove("eventId");

        var body = await app.GivenEvents(id, talks);

        Guid.TryParse(body["events"]![0]!["eventId"]!.GetValue<string>(), out var g).ShouldBeTrue();
        g.ShouldNotBe(Guid.Empty);
        body["stageChanged"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Theory]
    [InlineData("{\"events\": [")]
    [InlineData("{events: []}")]
    [InlineData("\"just a string\"")]
    public async Task Given_malformed_json_When_posting_Then_400(string raw)
    {
        var id = await app.GivenNegotiation("malformed");

        var (status, body, _) = await app.PostRaw($"/api/negotiations/{id}/events", raw);

        status.ShouldBe(400);
        body!["code"]!.GetValue<string>().ShouldBeOneOf("malformed_json", "not_an_object");
    }

    [Fact]
    public async Task Given_no_events_array_or_an_empty_one_When_posting_Then_400_events_required()
    {
        var id = await app.GivenNegotiation("noevents");

        var (s1, b1, _) = await app.PostRaw($"/api/negotiations/{id}/events", """{"expectedVersion":"one","extra":1}""");
        var (s2, b2, _) = await app.PostRaw($"/api/negotiations/{id}/events", """{"events":[]}""");

        s1.ShouldBe(400);
        b1.ShouldHaveError("events", "required");
        b1.ShouldHaveError("expectedVersion", "wrong_type");
        b1.ShouldHaveError("extra", "unknown_field");
        s2.ShouldBe(400);
        b2.ShouldHaveError("events", "required");
    }

    [Fact]
    public async Task Given_an_unknown_event_type_When_posting_Then_400_listing_the_known_types()
    {
        var id = await app.GivenNegotiation("unknowntype");
        var odd = Talks(Day(3));
        odd["type"] = "Handshake";

        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events", new { events = new[] { Talks(Day(4)), odd } });

        status.ShouldBe(400);
        body.ShouldHaveError("events[1].type", "unknown_event_type");
        var message = body.Errors().Single().Message;
        foreach (var known in new[] { "TalksHeld", "PrisonerReleased", "EventRetracted" }) message.ShouldContain(known);
    }

    [Fact]
    public async Task Given_invalid_fields_When_posting_Then_400_with_every_field_path()
    {
        var id = await app.GivenNegotiation("fields");
        var badDate = Talks(Day(3)); badDate["occurredOn"] = "March 2025";
        var badEnum = Release(Day(3), "TB", "US"); badEnum["terms"] = "Free"; badEnum.Remove("person");
        var badSource = Talks(Day(3)); badSource["sources"] = new JsonArray(new JsonObject { ["url"] = "x" }); badSource["actor"] = "us";

        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events", new { events = new[] { Talks(Day(4)), badEnum, badDate, badSource } });

        status.ShouldBe(400);
        body.ShouldBeProblem("validation_failed");
        body.ShouldHaveError("events[2].occurredOn", "invalid_date");
        body.ShouldHaveError("events[1].terms", "unknown_value");
        body.ShouldHaveError("events[1].person", "required");
        body.ShouldHaveError("events[3].sources[0].publisher", "required");
        body.ShouldHaveError("events[3].actor", "invalid_party_code");
        body.Errors().ShouldNotContain(e => e.Path.StartsWith("events[0]"));
    }

    [Fact]
    public async Task Given_semantically_wrong_events_When_posting_Then_422_with_paths_and_nothing_stored()
    {
        var id = await app.GivenNegotiation("semantic");
        var future = Talks(ApiScenarios.Today.AddDays(30).ToString("yyyy-MM-dd"));
        var outsider = Release(Day(5), "RU", "US");

        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events", new { events = new[] { Talks(Day(6)), future, outsider } });

        status.ShouldBe(422);
        body.ShouldBeProblem("validation_failed");
        body.ShouldHaveError("events[1].occurredOn", "in_future");
        body.ShouldHaveError("events[2].actor", "not_a_party");
        (await VersionOf(id)).ShouldBe(1);
    }

    [Fact]
    public async Task Given_a_batch_with_one_invalid_event_When_posting_Then_nothing_is_stored_and_the_version_is_unchanged()
    {
        var id = await app.GivenNegotiation("atomic");
        await app.GivenEvents(id, Talks(Day(40)));
        var good = Talks(Day(30));
        var bad = Release(Day(20), "TB", "US"); bad["occurredOn"] = "2025-02-30";

        var (status, _) = await app.PostJson($"/api/negotiations/{id}/events", new { events = new[] { good, Release(Day(25), "US", "TB"), bad } });

        status.ShouldBe(400);
        (await VersionOf(id)).ShouldBe(2);
        var (_, timeline) = await app.GetJson($"/api/negotiations/{id}/timeline");
        timeline!["total"]!.GetValue<int>().ShouldBe(1);
        // The same good events are accepted afterwards: the refused batch left no trace (no duplicate ids).
        (await app.PostJson($"/api/negotiations/{id}/events", new { events = new[] { good } })).Body!["stored"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task Given_no_such_negotiation_When_posting_Then_404()
    {
        var (status, body) = await app.PostJson("/api/negotiations/no-such-negotiation/events", new { events = new[] { Talks(Day(3)) } });

        status.ShouldBe(404);
        body.ShouldBeProblem("negotiation_not_found");
    }

    [Fact]
    public async Task Given_a_stale_expected_version_When_posting_Then_409_with_the_current_version()
    {
        var id = await app.GivenNegotiation("stale");
        await app.GivenEvents(id, Talks(Day(10)));

        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events", new { expectedVersion = 1, events = new[] { Talks(Day(5)) } });

        status.ShouldBe(409);
        body.ShouldBeProblem("version_conflict");
        body!["currentVersion"]!.GetValue<int>().ShouldBe(2);
        body["expectedVersion"]!.GetValue<int>().ShouldBe(1);
        (await VersionOf(id)).ShouldBe(2);
    }

    [Fact]
    public async Task Given_a_body_over_1_MiB_When_posting_Then_413()
    {
        var id = await app.GivenNegotiation("big");

        var (status, body, _) = await app.PostRaw($"/api/negotiations/{id}/events", JsonOfSize((1 << 20) + 1));

        status.ShouldBe(413);
        body.ShouldBeProblem("payload_too_large");
    }

    [Fact]
    public async Task Given_more_than_1000_events_When_posting_Then_413_too_many_events_and_nothing_stored()
    {
        var id = await app.GivenNegotiation("many");
        var events = Enumerable.Range(0, 1001).Select(_ => new JsonObject { ["type"] = "TalksHeld", ["occurredOn"] = "2025", ["actor"] = "US", ["participants"] = new JsonArray("US", "TB") }).ToArray();

        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events", new { events });

        status.ShouldBe(413);
        body.ShouldBeProblem("too_many_events");
        (await VersionOf(id)).ShouldBe(1);
    }

    [Fact]
    public async Task Given_exactly_1000_events_When_posting_Then_all_are_stored()
    {
        var id = await app.GivenNegotiation("thousand");
        var events = Enumerable.Range(0, 1000).Select(i => new JsonObject
        {
            ["type"] = "StatementIssued", ["occurredOn"] = new DateOnly(2020, 1, 1).AddDays(i).ToString("yyyy-MM-dd"), ["actor"] = "US", ["tone"] = "Neutral",
        }).ToArray();

        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events", new { events });

        status.ShouldBe(201, body?.ToJsonString()[..Math.Min(500, body.ToJsonString().Length)]);
        body!["version"]!.GetValue<int>().ShouldBe(1001);
    }
}
