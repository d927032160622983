using Microsoft.Extensions.Configuration;
using Normalization.Api.Readers;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Readers;

/// <summary>"Today" is the reader's: the request's <c>?tz=</c>, else the deployment's zone, else UTC.</summary>
[Collection(ApiCollection.Name)]
public sealed class TimeZoneTests(AppFixture app, FakeClockHost clocked) : IClassFixture<FakeClockHost>
{
    [Theory]
    [InlineData("Asia/Kabul", 201)]   // 23:30 UTC is 04:00 the next day in Kabul (UTC+4:30): the event is dated today there
    [InlineData("UTC", 422)]          // in UTC it is still the day before: the event is in the future
    [InlineData(null, 422)]           // no zone: the deployment's, UTC by default
    public async Task Given_the_clock_at_23_30_UTC_When_an_event_dated_the_next_day_is_posted_with_a_zone_Then_the_zone_decides(string? zone, int expected)
    {
        var id = await app.GivenNegotiation("tz");
        // 23:30 UTC on a day after the real one (the store reads "as recorded by now": the clock must not be before the negotiation's creation).
        var now = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(2).AddHours(23).AddMinutes(30), TimeSpan.Zero);
        clocked.Clock.SetUtcNow(now);
        var nextDay = DateOnly.FromDateTime(now.UtcDateTime).AddDays(1).ToString("yyyy-MM-dd");

        var url = $"/api/negotiations/{id}/events" + (zone is null ? "" : $"?tz={Uri.EscapeDataString(zone)}");
        var (status, body, _) = await clocked.Host.Send("POST", url, Json(new { events = new[] { Talks(nextDay) } }), AppFixture.ApiKey);

        status.ShouldBe(expected, body?.ToJsonString());
        if (expected == 422) body.ShouldHaveError("events[0].occurredOn", "in_future");
    }

    [Theory]
    [InlineData("summary?tz=Asia%2FKabul")]
    [InlineData("export?format=stages&tz=Asia%2FKabul")]
    [InlineData("timeline?format=xlsx&tz=Asia%2FKabul")]
    [InlineData("stages?tz=Asia%2FKabul")]
    public async Task Given_the_clock_at_23_30_UTC_and_talks_expiring_the_next_day_When_a_view_of_the_stage_history_is_asked_in_Kabul_Then_it_runs_to_Kabuls_today(string view)
    {
        // Given talks whose window ends on the next UTC day — already today in Kabul at 23:30 UTC
        var id = await app.GivenNegotiation("tzview");
        var now = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(2).AddHours(23).AddMinutes(30), TimeSpan.Zero);
        clocked.Clock.SetUtcNow(now);
        var kabulToday = DateOnly.FromDateTime(now.UtcDateTime).AddDays(1);
        await app.GivenEvents(id, Talks(kabulToday.AddDays(-365).ToString("yyyy-MM-dd")));

        // When the view is asked with tz=Asia/Kabul (and the stages, its reference, likewise)
        var (status, answer, result) = await clocked.Host.Send("GET", $"/api/negotiations/{id}/{view}");
        var (_, stages, _) = await clocked.Host.Send("GET", $"/api/negotiations/{id}/stages?tz=Asia%2FKabul");

        // Then it is answered, and its stage history holds the expiry on Kabul's today, as the stages do
        status.ShouldBe(200);
        stages!["to"]!.GetValue<string>().ShouldBe(kabulToday.ToString("yyyy-MM-dd"));
        stages["transitions"]!.AsArray()[^1]!["on"]!.GetValue<string>().ShouldBe(kabulToday.ToString("yyyy-MM-dd"));
        if (view.StartsWith("summary"))
        {
            var body = answer!;
            body["through"]!.GetValue<string>().ShouldBe(kabulToday.ToString("yyyy-MM-dd"));
            body["stageHistory"]!.ToJsonString().ShouldBe(stages["transitions"]!.ToJsonString());
        }
        if (view.StartsWith("export")) Text(result).ShouldContain(kabulToday.ToString("yyyy-MM-dd") + ",Exploratory,Estrangement,no-contact");
    }

    [Theory]
    [InlineData("Asia/Kabul", 200)]
    [InlineData("UTC", 422)]
    public async Task Given_the_clock_at_23_30_UTC_When_a_file_or_a_coverage_reaching_the_next_day_is_sent_with_a_zone_Then_the_zone_decides(string zone, int expected)
    {
        // Given the clock at 23:30 UTC: the next day is today in Kabul, the future in UTC
        var id = await app.GivenNegotiation("tzimp");
        var now = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(2).AddHours(23).AddMinutes(30), TimeSpan.Zero);
        clocked.Clock.SetUtcNow(now);
        var nextDay = DateOnly.FromDateTime(now.UtcDateTime).AddDays(1).ToString("yyyy-MM-dd");
        var tz = Uri.EscapeDataString(zone);

        // When an NDJSON file with talks that day is imported, and the record is declared covered through that day
        var (_, _, export) = await clocked.Host.Send("GET", $"/api/negotiations/{id}/export");
        var file = Text(export).Split('\n')[0] + "\n" + Json(Talks(nextDay)) + "\n";
        var imported = await clocked.Host.Scenario(s =>
        {
            s.Post.Text(file).ToUrl($"/api/negotiations/{id}/imports");
            s.ConfigureHttpContext(c => c.Request.QueryString = new Microsoft.AspNetCore.Http.QueryString($"?tz={tz}"));
            s.WithRequestHeader(Normalization.Api.Security.ApiKeys.Header, AppFixture.ApiKey);
            s.IgnoreStatusCode();
        });
        var (covered, coveredBody, _) = await clocked.Host.Send("PUT", $"/api/negotiations/{id}/coverage?tz={tz}",
            Json(new { coveredUntil = nextDay, occurredOn = nextDay }), AppFixture.ApiKey);

        // Then the reader's zone decides both, as it does for a posted event
        imported.Context.Response.StatusCode.ShouldBe(expected);
        covered.ShouldBe(expected, coveredBody?.ToJsonString());
        if (expected == 422) coveredBody.ShouldHaveError("coveredUntil", "in_future");
    }

    static string Text(Alba.IScenarioResult result)
    {
        var stream = result.Context.Response.Body;
        stream.Position = 0;
        return new StreamReader(stream).ReadToEnd();
    }

    [Theory]
    [InlineData("Mars/Olympus")]
    [InlineData("+04:30")]
    [InlineData("Romance Standard Time")]
    [InlineData("../../etc/passwd")]
    public async Task Given_a_tz_that_names_no_zone_When_asked_Then_400_unknown_time_zone_at_tz(string zone)
    {
        var (status, body, _) = await app.Host.Send("GET", $"/api/negotiations?tz={Uri.EscapeDataString(zone)}");

        status.ShouldBe(400);
        body.ShouldHaveError("tz", "unknown_time_zone");
    }

    [Fact]
    public async Task Given_tz_given_twice_or_on_an_endpoint_without_today_Then_400_naming_it()
    {
        var (twice, twiceBody, _) = await app.Host.Send("GET", "/api/negotiations?tz=UTC&tz=Asia/Kabul");
        var (catalog, catalogBody, _) = await app.Host.Send("GET", "/api/event-types?tz=UTC");
        var (cameo, cameoBody, _) = await app.Host.Send("GET", $"/api/negotiations/{await app.GivenNegotiation("tzcameo")}/cameo?tz=UTC");

        twice.ShouldBe(400);
        twiceBody.ShouldHaveError("tz", "repeated_parameter");
        catalog.ShouldBe(400);
        catalogBody.ShouldHaveError("tz", "unknown_parameter");
        cameo.ShouldBe(400);
        cameoBody.ShouldHaveError("tz", "unknown_parameter");
    }

    [Fact]
    public void Given_a_deployment_zone_When_no_request_names_one_Then_today_is_the_date_there()
    {
        var settings = ReaderSettings.From(new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [ReaderSettings.TimeZoneKey] = "Pacific/Kiritimati" }).Build());
        var reference = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(new DateTimeOffset(2026, 6, 1, 11, 0, 0, TimeSpan.Zero));

        var clock = new ReaderClock(reference, settings.TimeZone);

        clock.Today.ShouldBe(new DateOnly(2026, 6, 2), "Kiritimati is UTC+14");
        clock.GetUtcNow().ShouldBe(reference.GetUtcNow(), "instants stay UTC");
    }

    [Theory]
    [InlineData(ReaderSettings.ModeKey, "read-only")]
    [InlineData(ReaderSettings.ModeKey, "1")]
    [InlineData(ReaderSettings.TimeZoneKey, "Europe/Atlantis")]
    [InlineData(ReaderSettings.FrameAncestorsKey + ":0", "https://news.example/path")]
    public void Given_a_setting_that_is_not_valid_When_read_Then_the_start_stops_naming_the_key(string key, string value)
    {
        var configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [key] = value }).Build();

        var e = Should.Throw<InvalidOperationException>(() => ReaderSettings.From(configuration));

        e.Message.ShouldContain(key.Split(":0")[0]);
    }
}
