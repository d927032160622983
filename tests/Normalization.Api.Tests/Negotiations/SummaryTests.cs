using System.Text.Json.Nodes;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Negotiations;

/// <summary>GET /api/negotiations/{id}/summary: the whole record at a glance (the page's chart).</summary>
[Collection(ApiCollection.Name)]
public sealed class SummaryTests(AppFixture app)
{
    [Fact]
    public async Task Given_events_When_summarised_by_day_Then_counts_momentum_and_stage_history_cover_the_record_up_to_today()
    {
        var id = await app.GivenNegotiation("sum");
        await app.GivenEvents(id, Talks(Day(30)), Release(Day(20), "US", "TB"), Release(Day(20), "TB", "US"));

        var (status, body) = await app.GetJson($"/api/negotiations/{id}/summary?bucket=day");

        status.ShouldBe(200);
        body!["bucket"]!.GetValue<string>().ShouldBe("Day");
        body["events"]!.GetValue<int>().ShouldBe(3);
        body["firstEventOn"]!.GetValue<string>().ShouldBe(Day(30));
        body["through"]!.GetValue<string>().ShouldBe(Day(0));
        var periods = body["periods"]!.AsArray();
        periods.Count.ShouldBe(31);
        periods.Sum(p => p!["events"]!.GetValue<int>()).ShouldBe(3);
        var releases = periods.Single(p => p!["start"]!.GetValue<string>() == Day(20))!;
        releases["events"]!.GetValue<int>().ShouldBe(2);
        releases["cooperative"]!.GetValue<int>().ShouldBe(2);
        // The momentum of the last period is the state's momentum today.
        var (_, state) = await app.GetJson($"/api/negotiations/{id}");
        periods[^1]!["momentum"]!.GetValue<double>().ShouldBe(state!["momentum"]!["score"]!.GetValue<double>());
        body["stageHistory"]!.ToJsonString().ShouldBe(state["stageHistory"]!.ToJsonString());
    }

    [Fact]
    public async Task Given_a_summary_When_an_event_is_appended_Then_the_next_summary_includes_it()
    {
        var id = await app.GivenNegotiation("sumv");
        await app.GivenEvents(id, Talks(Day(30)));
        var (_, before) = await app.GetJson($"/api/negotiations/{id}/summary");

        await app.GivenEvents(id, Talks(Day(10)));
        var (_, after) = await app.GetJson($"/api/negotiations/{id}/summary");

        before!["events"]!.GetValue<int>().ShouldBe(1);
        after!["events"]!.GetValue<int>().ShouldBe(2);
    }

    [Fact]
    public async Task Given_an_event_corrected_to_another_day_and_tone_When_summarised_Then_it_is_counted_where_and_as_the_correction_puts_it()
    {
        // Given a positive statement reported 40 days ago, corrected by the desk: a negative one, 30 days ago
        var id = await app.GivenNegotiation("sumc");
        var statementId = Guid.NewGuid();
        var statement = new JsonObject { ["eventId"] = statementId, ["type"] = "StatementIssued", ["occurredOn"] = Day(40), ["actor"] = "TB", ["target"] = "US", ["tone"] = "Positive" };
        var corrected = (JsonObject)statement.DeepClone();
        corrected["occurredOn"] = Day(30);
        corrected["tone"] = "Negative";
        await app.GivenEvents(id, statement, new JsonObject
        {
            ["type"] = "EventCorrected", ["occurredOn"] = Day(29), ["actor"] = "TB", ["targetEventId"] = statementId, ["correction"] = corrected,
        });
        var knownAt = DateTimeOffset.UtcNow.AddSeconds(1).ToString("yyyy-MM-ddTHH:mm:ssZ");
        await Task.Delay(1100);

        // When summarised by day: the current record (from the index) and as known now (folded)
        foreach (var url in new[] { $"/api/negotiations/{id}/summary?bucket=Day", $"/api/negotiations/{id}/summary?bucket=Day&knownAt={knownAt}" })
        {
            var (status, body) = await app.GetJson(url);

            // Then the statement is one conflictual event 30 days ago — where the timeline and the momentum put it — and
            // nothing 40 days ago
            status.ShouldBe(200);
            var periods = body!["periods"]!.AsArray();
            var then = periods.Single(p => p!["start"]!.GetValue<string>() == Day(30))!;
            (then["events"]!.GetValue<int>(), then["cooperative"]!.GetValue<int>(), then["conflictual"]!.GetValue<int>()).ShouldBe((1, 0, 1), url);
            periods.Where(p => p!["start"]!.GetValue<string>() == Day(40)).Sum(p => p!["events"]!.GetValue<int>()).ShouldBe(0, url);
            body["firstEventOn"]!.GetValue<string>().ShouldBe(Day(30), url);
            body["events"]!.GetValue<int>().ShouldBe(1, url);
        }
    }

    [Theory]
    [InlineData("bucket=year", "bucket", "unknown_value")]
    [InlineData("knownAt=soon", "knownAt", "invalid_instant")]
    [InlineData("from=2025-01-01", "from", "unknown_parameter")]
    public async Task Given_a_bad_query_When_summarising_Then_400_naming_the_parameter(string query, string path, string code)
    {
        var id = await app.GivenNegotiation("sumq");

        var (status, body) = await app.GetJson($"/api/negotiations/{id}/summary?{query}");

        status.ShouldBe(400);
        body.ShouldHaveError(path, code);
    }

    [Fact]
    public async Task Given_day_buckets_over_more_than_ten_thousand_days_Then_400_asking_for_a_longer_bucket()
    {
        var id = await app.GivenNegotiation("suml");
        await app.GivenEvents(id, Talks("1990-01-01"));

        var (status, body) = await app.GetJson($"/api/negotiations/{id}/summary?bucket=Day");

        status.ShouldBe(400);
        body.ShouldHaveError("bucket", "out_of_range");
        (await app.GetJson($"/api/negotiations/{id}/summary")).Status.ShouldBe(200);
    }

    [Fact]
    public async Task Given_an_event_corrected_to_a_day_decades_earlier_When_summarised_by_day_Then_400_asking_for_a_longer_bucket()
    {
        // Given talks of 10 days ago corrected to 1990: the record now spans more than 10,000 days
        var id = await app.GivenNegotiation("sumcl");
        var talksId = Guid.NewGuid();
        var talks = Talks(Day(10), eventId: talksId);
        var corrected = (JsonObject)talks.DeepClone();
        corrected["occurredOn"] = "1990-01-01";
        await app.GivenEvents(id, talks, new JsonObject
        {
            ["type"] = "EventCorrected", ["occurredOn"] = Day(5), ["actor"] = "US", ["targetEventId"] = talksId, ["correction"] = corrected,
        });
        var knownAt = DateTimeOffset.UtcNow.AddSeconds(1).ToString("yyyy-MM-ddTHH:mm:ssZ");
        await Task.Delay(1100);

        // When summarised by day (the current record, and as known now), Then the day buckets are refused as for any such span
        foreach (var url in new[] { $"/api/negotiations/{id}/summary?bucket=Day", $"/api/negotiations/{id}/summary?bucket=Day&knownAt={knownAt}" })
        {
            var (status, body) = await app.GetJson(url);
            status.ShouldBe(400, url);
            body.ShouldHaveError("bucket", "out_of_range");
        }
        (await app.GetJson($"/api/negotiations/{id}/summary")).Body!["firstEventOn"]!.GetValue<string>().ShouldBe("1990-01-01");
    }

    [Fact]
    public async Task Given_no_negotiation_or_a_knownAt_before_it_Then_404()
    {
        var id = await app.GivenNegotiation("sumk");

        (await app.GetJson("/api/negotiations/no-such-one/summary")).Body.ShouldBeProblem("negotiation_not_found");
        var (status, body) = await app.GetJson($"/api/negotiations/{id}/summary?knownAt=2000-01-01T00:00:00Z");
        status.ShouldBe(404);
        body.ShouldBeProblem("not_known_then");
    }
}
