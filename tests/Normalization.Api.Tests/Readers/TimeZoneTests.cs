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

    /// <summary>23:30 UTC on a day after the real one; the next day's date (already today in Kabul, UTC+4:30).</summary>
    string AtHalfPastElevenUtc()
    {
        var now = new DateTimeOffset(DateTime.UtcNow.Date.AddDays(2).AddHours(23).AddMinutes(30), TimeSpan.Zero);
        clocked.Clock.SetUtcNow(now);
        return DateOnly.FromDateTime(now.UtcDateTime).AddDays(1).ToString("yyyy-MM-dd");
    }

    [Theory]
    [InlineData("Asia/Kabul", true)]
    [InlineData("UTC", false)]
    public async Task Given_the_clock_at_23_30_UTC_When_the_summary_is_asked_with_a_zone_Then_its_last_period_ends_on_today_there(string zone, bool nextDay)
    {
        var id = await app.GivenNegotiation("tzsum");
        var tomorrow = AtHalfPastElevenUtc();

        var (status, body, _) = await clocked.Host.Send("GET", $"/api/negotiations/{id}/summary?tz={Uri.EscapeDataString(zone)}");

        status.ShouldBe(200, body?.ToJsonString());
        var expected = nextDay ? tomorrow : DateOnly.Parse(tomorrow).AddDays(-1).ToString("yyyy-MM-dd");
        body!["through"]!.GetValue<string>().ShouldBe(expected, "the chart ends on the reader's today, as the state does");
    }

    [Theory]
    [InlineData("Etc/GMT-14", 200)]
    [InlineData("Etc/GMT+12", 400)]
    public async Task Given_the_date_at_UTC_plus_14_When_the_timeline_is_asked_from_that_day_with_a_zone_Then_the_zone_decides(string zone, int expected)
    {
        // UTC+14 and UTC-12 are 26 hours apart: at any moment the date at UTC-12 is a day or two before the date at UTC+14
        // (the collection's host, whose clock is the real one: the query's today is read when the request is).
        var id = await app.GivenNegotiation("tztl");
        var aheadToday = DateOnly.FromDateTime(DateTime.UtcNow.AddHours(14)).ToString("yyyy-MM-dd");

        var (status, body, _) = await app.Host.Send("GET", $"/api/negotiations/{id}/timeline?from={aheadToday}&tz={Uri.EscapeDataString(zone)}");

        status.ShouldBe(expected, body?.ToJsonString());
        if (expected == 400) body.ShouldHaveError("from", "out_of_range");
    }

    [Theory]
    [InlineData("Asia/Kabul", 200)]
    [InlineData("UTC", 422)]
    public async Task Given_the_clock_at_23_30_UTC_When_a_file_with_an_event_of_the_next_day_is_imported_with_a_zone_Then_the_zone_decides(string zone, int expected)
    {
        var id = await app.GivenNegotiation("tzimp");
        var tomorrow = AtHalfPastElevenUtc();

        var url = $"/api/negotiations/{id}/imports?tz={Uri.EscapeDataString(zone)}";
        var (status, body, _) = await clocked.Host.Send("POST", url, Talks(tomorrow).ToJsonString() + "\n", AppFixture.ApiKey);

        status.ShouldBe(expected, body?.ToJsonString());
        if (expected == 422) body.ShouldHaveError("lines[1].occurredOn", "in_future");
    }

    [Theory]
    [InlineData("Asia/Kabul", true)]
    [InlineData("UTC", false)]
    public async Task Given_talks_dated_today_in_Kabul_When_the_stage_history_is_exported_with_a_zone_Then_it_ends_on_today_there(string zone, bool listsTheTalks)
    {
        var id = await app.GivenNegotiation("tzexp");
        var tomorrow = AtHalfPastElevenUtc();
        var (posted, postBody, _) = await clocked.Host.Send("POST", $"/api/negotiations/{id}/events?tz=Asia/Kabul", Json(new { events = new[] { Talks(tomorrow) } }), AppFixture.ApiKey);
        posted.ShouldBe(201, postBody?.ToJsonString());

        var (status, _, result) = await clocked.Host.Send("GET", $"/api/negotiations/{id}/export?format=stages&tz={Uri.EscapeDataString(zone)}");

        status.ShouldBe(200);
        var csv = await result.ReadAsTextAsync();
        csv.Contains($"{tomorrow},Estrangement,Exploratory").ShouldBe(listsTheTalks, csv);
    }

    [Theory]
    [InlineData("Mars/Olympus")]
    [InlineData("+04:30")]
    [InlineData("Romance Standard Time")]
    [InlineData("../../etc/passwd")]
    [InlineData("localtime")] // the machine's own zone: a file of its zoneinfo folder, not an IANA id
    [InlineData("posixrules")]
    [InlineData("Factory")]
    [InlineData("posix/Asia/Kabul")]
    [InlineData("right/Europe/Paris")]
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
        // A write that judges no date has no today either: a subscription.
        var (subscribe, subscribeBody, _) = await app.Host.Send("POST", "/api/subscriptions?tz=UTC",
            Json(new { url = "https://hooks.example/alerts", secret = "a-long-secret" }), AppFixture.ApiKey);

        twice.ShouldBe(400);
        twiceBody.ShouldHaveError("tz", "repeated_parameter");
        catalog.ShouldBe(400);
        catalogBody.ShouldHaveError("tz", "unknown_parameter");
        subscribe.ShouldBe(400, subscribeBody?.ToJsonString());
        subscribeBody.ShouldHaveError("tz", "unknown_parameter");
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
