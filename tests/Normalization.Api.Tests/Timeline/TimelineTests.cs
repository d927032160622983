using System.Text.Json.Nodes;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using Normalization.Api.Timeline;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Timeline;

/// <summary>GET /api/negotiations/{id}/timeline (JSON, CSV, NDJSON).</summary>
[Collection(ApiCollection.Name)]
public sealed class TimelineTests(AppFixture app)
{
    readonly Guid _talks = Guid.NewGuid(), _usRelease = Guid.NewGuid(), _tbRelease = Guid.NewGuid();

    async Task<string> GivenThreeEvents()
    {
        var id = await app.GivenNegotiation("tl");
        // Posted out of domain order: the timeline sorts them.
        await app.GivenEvents(id, Release(Day(10), "TB", "US", _tbRelease), Talks(Day(30), eventId: _talks), Release(Day(20), "US", "TB", _usRelease));
        return id;
    }

    static List<string> Ids(JsonNode? body) => body!["items"]!.AsArray().Select(i => i!["eventId"]!.GetValue<string>()).ToList();

    [Theory]
    [InlineData("from=2015-07&to=2015-07", new[] { "2015-07-01", "2015-07-20", "2015-07" })]
    [InlineData("from=2015&to=2015", new[] { "2015-06-30", "2015-07-01", "2015-07-20", "2015-07", "2015" })]
    [InlineData("from=2015-07", new[] { "2015-07-01", "2015-07-20", "2015-07", "2015", "2016-01-05" })]
    [InlineData("to=2015-06", new[] { "2015-06-30" })]
    public async Task Given_month_and_year_bounds_When_reading_the_timeline_Then_from_is_the_start_of_its_period_and_to_the_end(string range, string[] expected)
    {
        // Given events dated by day, month and year in 2015, and one in 2016
        var id = await app.GivenNegotiation("tl-period");
        await app.GivenEvents(id, Talks("2015-06-30"), Talks("2015-07-01"), Talks("2015-07-20"), Talks("2015-07"), Talks("2015"), Talks("2016-01-05"));

        // When the timeline is asked with month or year bounds
        var (status, body) = await app.GetJson($"/api/negotiations/{id}/timeline?{range}");

        // Then the day-dated events of the period are in it, and coarse-dated ones count at the end of their period
        status.ShouldBe(200, body?.ToJsonString());
        body!["items"]!.AsArray().Select(i => i!["occurredOn"]!.GetValue<string>()).ShouldBe(expected, ignoreOrder: true);
    }

    [Fact]
    public async Task Given_a_from_in_the_current_month_When_reading_the_timeline_Then_it_is_not_after_today()
    {
        // The start of this month is never after today (its end was: from=<this month> was out_of_range).
        var id = await app.GivenNegotiation("tl-month");

        var (status, body) = await app.GetJson($"/api/negotiations/{id}/timeline?from={Today:yyyy-MM}");

        status.ShouldBe(200, body?.ToJsonString());
    }

    [Fact]
    public async Task Given_events_When_reading_the_timeline_Then_they_come_in_domain_order_with_sources_confidence_and_status()
    {
        var id = await GivenThreeEvents();

        var (status, body) = await app.GetJson($"/api/negotiations/{id}/timeline");

        status.ShouldBe(200);
        body!["total"]!.GetValue<int>().ShouldBe(3);
        Ids(body).ShouldBe([_talks.ToString(), _usRelease.ToString(), _tbRelease.ToString()]);
        var release = body["items"]![1]!;
        release["type"]!.GetValue<string>().ShouldBe("PrisonerReleased");
        release["confidence"]!.GetValue<string>().ShouldBe("Confirmed");
        release["status"]!.GetValue<string>().ShouldBe("active");
        release["sources"]![0]!["publisher"]!.GetValue<string>().ShouldBe("CNN");
        release["event"]!["person"]!.GetValue<string>().ShouldBe("someone");
        release["goldstein"]!.GetValue<double>().ShouldBe(7.0);
    }

    [Fact]
    public async Task Given_events_When_filtering_by_type_actor_and_dates_Then_only_matching_events()
    {
        var id = await GivenThreeEvents();

        var (_, byType) = await app.GetJson($"/api/negotiations/{id}/timeline?type=PrisonerReleased");
        var (_, byActor) = await app.GetJson($"/api/negotiations/{id}/timeline?actor=TB");
        var (_, byDates) = await app.GetJson($"/api/negotiations/{id}/timeline?from={Day(25)}&to={Day(15)}");

        Ids(byType).ShouldBe([_usRelease.ToString(), _tbRelease.ToString()]);
        Ids(byActor).ShouldBe([_tbRelease.ToString()]);
        Ids(byDates).ShouldBe([_usRelease.ToString()]);
        byDates!["total"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task Given_events_When_paging_Then_each_page_has_its_slice_and_the_total()
    {
        var id = await GivenThreeEvents();

        var (_, page2) = await app.GetJson($"/api/negotiations/{id}/timeline?page=2&pageSize=2");

        page2!["total"]!.GetValue<int>().ShouldBe(3);
        Ids(page2).ShouldBe([_tbRelease.ToString()]);
    }

    [Fact]
    public async Task Given_a_retracted_event_When_reading_the_timeline_Then_it_is_marked_retracted_by_the_retraction()
    {
        var id = await GivenThreeEvents();
        var (_, r) = await app.PostJson($"/api/negotiations/{id}/events/{_usRelease}/retract", new { reason = "wrong person" });

        var (_, body) = await app.GetJson($"/api/negotiations/{id}/timeline?type=PrisonerReleased");

        var entry = body!["items"]!.AsArray().Single(i => i!["eventId"]!.GetValue<string>() == _usRelease.ToString())!;
        entry["status"]!.GetValue<string>().ShouldBe("retracted");
        entry["retractedBy"]!.GetValue<string>().ShouldBe(r!["retractionEventId"]!.GetValue<string>());
    }

    [Fact]
    public async Task Given_an_event_retracted_later_When_reading_the_timeline_as_known_before_the_retraction_Then_it_is_active_and_the_retraction_absent()
    {
        var id = await GivenThreeEvents();
        await Task.Delay(20);
        var before = DateTimeOffset.UtcNow;
        await Task.Delay(20);
        var (_, r) = await app.PostJson($"/api/negotiations/{id}/events/{_usRelease}/retract", new { reason = "wrong person" });

        var (status, then) = await app.GetJson($"/api/negotiations/{id}/timeline?knownAt={Uri.EscapeDataString(before.ToString("O"))}");
        var (_, now) = await app.GetJson($"/api/negotiations/{id}/timeline");

        status.ShouldBe(200);
        then!["total"]!.GetValue<int>().ShouldBe(3);
        Ids(then).ShouldBe([_talks.ToString(), _usRelease.ToString(), _tbRelease.ToString()]);
        then["items"]!.AsArray().ShouldAllBe(i => i!["status"]!.GetValue<string>() == "active" && i["retractedBy"] == null);
        now!["total"]!.GetValue<int>().ShouldBe(4);
        Ids(now).ShouldContain(r!["retractionEventId"]!.GetValue<string>());

        // and the state as known then reports the stream version of then (opening + three events), not today's
        var (_, stateThen) = await app.GetJson($"/api/negotiations/{id}/state?knownAt={Uri.EscapeDataString(before.ToString("O"))}");
        var (_, stateNow) = await app.GetJson($"/api/negotiations/{id}/state");
        stateThen!["version"]!.GetValue<int>().ShouldBe(4);
        stateNow!["version"]!.GetValue<int>().ShouldBe(5);
    }

    [Fact]
    public async Task Given_a_negotiation_When_reading_its_timeline_as_known_before_it_was_created_Then_404_not_known_then()
    {
        var id = await app.GivenNegotiation("tlk");

        var (status, body) = await app.GetJson($"/api/negotiations/{id}/timeline?knownAt=2001-01-01T00:00:00Z");

        status.ShouldBe(404);
        body!["code"]!.GetValue<string>().ShouldBe("not_known_then");
    }

    [Fact]
    public async Task Given_events_When_exporting_as_csv_Then_a_header_and_one_row_per_event()
    {
        var id = await GivenThreeEvents();

        var (status, text, contentType) = await app.GetText($"/api/negotiations/{id}/timeline", "text/csv");

        status.ShouldBe(200);
        contentType.ShouldStartWith("text/csv");
        text.ShouldEndWith("\r\n"); // RFC 4180 records end with CRLF
        var lines = text[..^2].Split("\r\n");
        lines[0].ShouldBe(string.Join(",", TimelineEndpoint.CsvColumns));
        lines[0].ShouldBe("eventId,type,occurredOn,actor,target,confidence,status,cameo,goldstein,plover,sources,note,fields");
        lines.Length.ShouldBe(4);
        lines[1].ShouldStartWith($"{_talks},TalksHeld,{Day(30)},US,TB,Confirmed,active,046,7,CONSULT,");
    }

    [Fact]
    public async Task Given_events_When_exporting_as_ndjson_Then_one_flat_event_per_line()
    {
        var id = await GivenThreeEvents();

        var (status, text, contentType) = await app.GetText($"/api/negotiations/{id}/timeline?type=PrisonerReleased", "application/x-ndjson");

        status.ShouldBe(200);
        contentType.ShouldStartWith("application/x-ndjson");
        var events = text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        events.Count.ShouldBe(2);
        events.ShouldAllBe(e => e["type"]!.GetValue<string>() == "PrisonerReleased");
        events[0]["eventId"]!.GetValue<string>().ShouldBe(_usRelease.ToString());
    }

    [Theory]
    [InlineData("type=Handshake", "type", "unknown_event_type")]
    [InlineData("from=2025-99-01", "from", "invalid_date")]
    [InlineData("to=x", "to", "invalid_date")]
    [InlineData("page=0", "page", "out_of_range")]
    [InlineData("pageSize=501", "pageSize", "out_of_range")]
    [InlineData("actor=THIS-IS-NOT-A-PARTY-CODE", "actor", "invalid_party_code")]
    [InlineData("knownAt=2026-01-01T10:00:00", "knownAt", "invalid_instant")]
    public async Task Given_a_bad_query_When_reading_the_timeline_Then_400(string query, string path, string code)
    {
        var id = await app.GivenNegotiation("tlq");

        var (status, body) = await app.GetJson($"/api/negotiations/{id}/timeline?{query}");

        status.ShouldBe(400);
        body.ShouldHaveError(path, code);
        if (code == "unknown_event_type") body.Errors()[0].Message.ShouldContain("PrisonerReleased");
    }
}
