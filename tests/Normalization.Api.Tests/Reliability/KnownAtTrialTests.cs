using System.Text.Json.Nodes;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Reliability;

/// <summary>
/// A fact-checker's bitemporal trial (US–Cuba 2014–2016 posted as the news came in): the answers as known at T matched a
/// replay of the events known at T on every view, but two errors misled the reader. Each is pinned down here for every
/// place of its kind.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class KnownAtTrialTests(AppFixture app)
{
    /// <summary>Every view whose query takes <c>knownAt</c> (the path after the negotiation, with its other parameters).</summary>
    public static TheoryData<string> KnownAtViews => new()
    {
        "state?asOf=2025-03&", "stages?", "timeline?", "summary?", "export?", "export?format=stages&", "cameo?", "scenarios/some-name?",
    };

    [Theory]
    [MemberData(nameof(KnownAtViews))]
    public async Task Given_a_knownAt_with_an_unescaped_plus_offset_When_asked_Then_400_naming_knownAt_and_saying_to_write_plus_as_2B(string view)
    {
        var id = await app.GivenNegotiation("kplus");

        // A query string's '+' is a space: this arrives as "2025-04-01T04:30 04:30". It was refused with "must be … with Z
        // or an offset" — while the reader had given an offset, as docs/api.md shows it.
        var (status, body) = await app.GetJson($"/api/negotiations/{id}/{view}knownAt=2025-04-01T04:30+04:30");

        status.ShouldBe(400, body?.ToJsonString());
        body.ShouldHaveError("knownAt", "invalid_instant");
        body.Errors().Single(e => e.Path == "knownAt").Message.ShouldContain("%2B", Case.Sensitive, body?.ToJsonString());
    }

    [Theory]
    [InlineData("2025-04-01T04:30%2B04:30")]
    [InlineData("2025-04-01T00:00:00Z")]
    public async Task Given_a_well_formed_knownAt_before_the_negotiation_When_asked_Then_404_not_known_then_not_the_plus_message(string knownAt)
    {
        var id = await app.GivenNegotiation("kplus");

        var (status, body) = await app.GetJson($"/api/negotiations/{id}/state?knownAt={knownAt}");

        status.ShouldBe(404, body?.ToJsonString());
        body.ShouldBeProblem("not_known_then");
    }

    [Fact]
    public async Task Given_an_event_recorded_after_T_When_a_what_if_as_known_at_T_removes_or_replaces_it_Then_422_says_the_record_is_the_one_known_at_T()
    {
        var (id, later, t) = await GivenAnEventRecordedAfterAnInstant();
        var alsoLater = Guid.NewGuid();
        await app.GivenEvents(id, Release(Day(34), "US", "TB", alsoLater));

        var (status, body) = await app.PostJson($"/api/negotiations/{id}/what-if", new JsonObject
        {
            ["knownAt"] = t, ["remove"] = new JsonArray(later.ToString()),
            ["replace"] = new JsonArray(new JsonObject { ["eventId"] = alsoLater.ToString(), ["event"] = Talks(Day(30)) }),
        });

        // Was "No event … in this negotiation." — of an event that is in it, recorded after T.
        status.ShouldBe(422, body?.ToJsonString());
        body.ShouldHaveError("remove[0]", "unknown_reference");
        body.ShouldHaveError("replace[0].eventId", "unknown_reference");
        body.Errors().ShouldAllBe(e => e.Message.Contains("as known at " + t), body?.ToJsonString());
    }

    [Fact]
    public async Task Given_a_saved_scenario_removing_an_event_recorded_after_T_When_re_run_as_known_at_T_Then_422_says_the_record_is_the_one_known_at_T()
    {
        var (id, later, t) = await GivenAnEventRecordedAfterAnInstant();
        var (saved, savedBody) = await app.PostJson($"/api/negotiations/{id}/scenarios", new { name = "without-it", remove = new[] { later } });
        saved.ShouldBe(201, savedBody?.ToJsonString());

        var (status, body) = await app.GetJson($"/api/negotiations/{id}/scenarios/without-it?knownAt={t}");

        status.ShouldBe(422, body?.ToJsonString());
        body.ShouldHaveError("remove[0]", "unknown_reference");
        body.Errors().ShouldAllBe(e => e.Message.Contains("as known at " + t), body?.ToJsonString());
    }

    [Fact]
    public async Task Given_an_event_recorded_after_T_When_the_package_loads_the_record_as_known_at_T_and_removes_it_Then_its_error_is_the_APIs_word_for_word()
    {
        // Given an event recorded after T; the package loads the record as known at T from the server (a library user's
        // what-if), as the API reads it for a what-if with knownAt
        var (id, later, t) = await GivenAnEventRecordedAfterAnInstant();
        using var http = app.Host.Server.CreateClient();
        var history = await Normalization.Domain.WhatIf.WhatIf.FromServerAsync(http, id, knownAt: DateTimeOffset.Parse(t, System.Globalization.CultureInfo.InvariantCulture));

        // When both remove it
        var library = history.Remove(later).Project();
        var (status, body) = await app.PostJson($"/api/negotiations/{id}/what-if", new JsonObject { ["knownAt"] = t, ["remove"] = new JsonArray(later.ToString()) });

        // Then the library's error says which record it judged against, in the API's words (was: "No event … in this negotiation.")
        status.ShouldBe(422, body?.ToJsonString());
        history.KnownAt.ShouldNotBeNull();
        library.Errors.ShouldHaveSingleItem().Message.ShouldBe(body.Errors().Single().Message);
        library.Errors.Single().Message.ShouldContain("as known at " + t);
    }

    [Fact]
    public async Task Given_a_what_if_without_knownAt_When_it_removes_an_unknown_event_Then_the_message_names_no_instant()
    {
        var id = await app.GivenNegotiation("kwhat");

        var (status, body) = await app.PostJson($"/api/negotiations/{id}/what-if", new { remove = new[] { Guid.NewGuid() } });

        status.ShouldBe(422, body?.ToJsonString());
        body.Errors().Single().Message.ShouldNotContain("known at");
    }

    /// <summary>A negotiation with talks recorded, then T (the talks' recorded instant, as the timeline gives it), then a release recorded later.</summary>
    async Task<(string Id, Guid Later, string T)> GivenAnEventRecordedAfterAnInstant()
    {
        var id = await app.GivenNegotiation("kwhat");
        await app.GivenEvents(id, Talks(Day(40)));
        var timeline = (await app.GetJson($"/api/negotiations/{id}/timeline")).Body!;
        var recorded = DateTimeOffset.Parse(timeline["items"]![0]!["recordedAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture);
        var t = recorded.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var later = Guid.NewGuid();
        await Task.Delay(20);
        await app.GivenEvents(id, Release(Day(35), "TB", "US", later));
        return (id, later, t);
    }
}
