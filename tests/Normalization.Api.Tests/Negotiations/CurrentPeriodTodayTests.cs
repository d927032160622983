using System.Text.Json.Nodes;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Readers;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Negotiations;

/// <summary>
/// "Today" is today in every view. An event of the current month or year is accepted (its period has begun) and counts
/// from its period's last day, after today: until then the append's reply, the current state, the board, the default end
/// of …/stages and the summary all say what GET …/state with no parameters says; on that day the board and the current
/// state take the change with no new write (docs/stage-model.md, "Dates and precision").
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class CurrentPeriodTodayTests(AppFixture app, FakeClockHost clocked) : IClassFixture<FakeClockHost>
{
    /// <summary>The collection's host: its database is the one the clocked host writes to (kept up by the fixture).</summary>
    public AppFixture Shared { get; } = app;

    static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd");

    async Task<JsonNode> Get(string url)
    {
        var (status, body, _) = await clocked.Host.Send("GET", url);
        status.ShouldBe(200, body?.ToJsonString());
        return body!;
    }

    [Fact]
    public async Task Given_talks_dated_the_current_month_When_posted_Then_every_view_says_what_state_today_says_until_the_month_ends() =>
        await TalksOfTheCurrentPeriod("month", 6, 30);

    [Fact]
    public async Task Given_talks_dated_the_current_year_When_posted_Then_every_view_says_what_state_today_says_until_the_year_ends() =>
        await TalksOfTheCurrentPeriod("year", 12, 31);

    async Task TalksOfTheCurrentPeriod(string precision, int endMonth, int endDay)
    {
        // Given a negotiation with no events and a clock on a June 2nd: the next one on the host's clock, which only moves
        // forward (it starts at the real date: the store reads the record as recorded by now)
        var today = new DateOnly(clocked.Clock.GetUtcNow().Year + 1, 6, 2);
        clocked.Clock.SetUtcNow(new DateTimeOffset(today.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero));
        var (a, b) = (NewPartyCode(), NewPartyCode());
        var id = TestApi.NewId("period");
        var (created, createdBody, _) = await clocked.Host.Send("POST", "/api/negotiations", Json(Negotiation(id, a, b)), AppFixture.ApiKey);
        created.ShouldBe(201, createdBody?.ToJsonString());
        var periodEnd = new DateOnly(today.Year, endMonth, endDay);
        var on = precision == "month" ? $"{today.Year}-{today.Month:00}" : $"{today.Year}";

        // When talks dated the current month (year) are posted
        var (status, reply, _) = await clocked.Host.Send("POST", $"/api/negotiations/{id}/events", Json(new { events = new[] { Talks(on, a, b) } }), AppFixture.ApiKey);

        // Then the reply, the current state, the board, …/stages and the summary all say what …/state says today
        status.ShouldBe(201, reply?.ToJsonString());
        var state = await Get($"/api/negotiations/{id}/state");
        state["asOf"]!.GetValue<string>().ShouldBe(Iso(today));
        var stageToday = state["stage"]!.GetValue<string>();
        var sinceToday = state["stageSince"]?.GetValue<string>();
        reply!["stage"]!.GetValue<string>().ShouldBe(stageToday, "the reply's stage is the stage today");
        reply["previousStage"]!.GetValue<string>().ShouldBe(stageToday);
        reply["stageChanged"]!.GetValue<bool>().ShouldBeFalse("the talks count from the period's end, not today");

        var current = await Get($"/api/negotiations/{id}");
        current["asOf"]!.GetValue<string>().ShouldBe(Iso(today));
        current["stage"]!.GetValue<string>().ShouldBe(stageToday);
        current["stageSince"]?.GetValue<string>().ShouldBe(sinceToday);

        var row = (await Get($"/api/negotiations?party={a}"))["items"]!.AsArray().ShouldHaveSingleItem()!;
        row["stage"]!.GetValue<string>().ShouldBe(stageToday);
        row["stageSince"]?.GetValue<string>().ShouldBe(sinceToday);

        var stages = await Get($"/api/negotiations/{id}/stages");
        stages["to"]!.GetValue<string>().ShouldBe(Iso(today));
        stages["stage"]!.GetValue<string>().ShouldBe(stageToday);
        stages["transitions"]!.AsArray().ShouldAllBe(t => t!["on"] == null || string.CompareOrdinal(t["on"]!.GetValue<string>(), Iso(today)) <= 0);

        var summary = await Get($"/api/negotiations/{id}/summary");
        summary["through"]!.GetValue<string>().ShouldBe(Iso(today));
        summary["events"]!.GetValue<int>().ShouldBe(1, "the talks are recorded and counted");

        // When the period's last day comes, with no new write
        clocked.Clock.SetUtcNow(new DateTimeOffset(periodEnd.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero));

        // Then the talks' change is today's everywhere: the board applies it as an upcoming change
        var then = await Get($"/api/negotiations/{id}/state");
        then["asOf"]!.GetValue<string>().ShouldBe(Iso(periodEnd));
        then["stageSince"]!.GetValue<string>().ShouldBe(Iso(periodEnd));
        var stageThen = then["stage"]!.GetValue<string>();
        stageThen.ShouldNotBe(stageToday, "talks between the parties change the stage on the day they count from");
        (await Get($"/api/negotiations/{id}"))["stage"]!.GetValue<string>().ShouldBe(stageThen);
        var rowThen = (await Get($"/api/negotiations?party={a}"))["items"]!.AsArray().ShouldHaveSingleItem()!;
        rowThen["stage"]!.GetValue<string>().ShouldBe(stageThen);
        rowThen["stageSince"]!.GetValue<string>().ShouldBe(Iso(periodEnd));
        (await Get($"/api/negotiations/{id}/stages"))["to"]!.GetValue<string>().ShouldBe(Iso(periodEnd));
        (await Get($"/api/negotiations/{id}/summary"))["through"]!.GetValue<string>().ShouldBe(Iso(periodEnd));
    }
}
