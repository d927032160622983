using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Negotiations;

/// <summary>GET /api/negotiations/{id}, /state (time travel) and /stages.</summary>
[Collection(ApiCollection.Name)]
public sealed class StateTests(AppFixture app)
{
    async Task<string> GivenUsTalibanHistory()
    {
        var id = TestApi.NewId("hist");
        (await app.PostJson("/api/negotiations", TestApi.UsTaliban(id))).Status.ShouldBe(201);
        await app.GivenEvents(id, [.. TestApi.SeedEvents()]);
        return id;
    }

    [Fact]
    public async Task Given_the_seed_history_When_reading_the_current_state_Then_stage_why_ledger_momentum_and_version()
    {
        var id = await GivenUsTalibanHistory();

        var (status, body) = await app.GetJson($"/api/negotiations/{id}");

        status.ShouldBe(200);
        body!["stage"]!.GetValue<string>().ShouldBe("Estrangement");
        body["stageSince"].ShouldNotBeNull();
        body["why"]!["rule"]!.GetValue<string>().ShouldBe("no-contact");
        body["ledger"].ShouldNotBeNull();
        body["momentum"].ShouldNotBeNull();
        body["version"]!.GetValue<int>().ShouldBe(TestApi.SeedEvents().Count + 1);
    }

    [Fact]
    public async Task Given_no_such_negotiation_When_reading_any_view_Then_404_negotiation_not_found()
    {
        foreach (var url in new[] { "/api/negotiations/nope-nope", "/api/negotiations/nope-nope/state", "/api/negotiations/nope-nope/stages", "/api/negotiations/nope-nope/timeline" })
        {
            var (status, body) = await app.GetJson(url);
            status.ShouldBe(404, url);
            body.ShouldBeProblem("negotiation_not_found");
        }
    }

    [Fact]
    public async Task Given_the_seed_history_When_asking_as_of_a_date_Then_the_stage_then_is_answered()
    {
        var id = await GivenUsTalibanHistory();

        var (status, april) = await app.GetJson($"/api/negotiations/{id}/state?asOf=2025-04-15");
        var (_, month) = await app.GetJson($"/api/negotiations/{id}/state?asOf=2025-04");

        status.ShouldBe(200);
        april!["stage"]!.GetValue<string>().ShouldBe("ConfidenceBuilding");
        april["asOf"]!.GetValue<string>().ShouldBe("2025-04-15");
        april["why"]!["rule"]!.GetValue<string>().ShouldBe("talks-and-mutual-gestures");
        month!["asOf"]!.GetValue<string>().ShouldBe("2025-04-30", "a month means its end");
    }

    [Fact]
    public async Task Given_gestures_reported_only_When_minConfidence_is_Confirmed_Then_they_do_not_count()
    {
        var id = await app.GivenNegotiation("conf");
        await app.GivenEvents(id, Talks(Day(30)), Release(Day(20), "US", "TB", confidence: "Reported"), Release(Day(20), "TB", "US"));

        var (_, reported) = await app.GetJson($"/api/negotiations/{id}/state");
        var (_, confirmed) = await app.GetJson($"/api/negotiations/{id}/state?minConfidence=Confirmed");

        reported!["stage"]!.GetValue<string>().ShouldBe("ConfidenceBuilding");
        confirmed!["stage"]!.GetValue<string>().ShouldBe("Exploratory");
        confirmed["minConfidence"]!.GetValue<string>().ShouldBe("Confirmed");
    }

    [Fact]
    public async Task Given_a_retracted_event_When_asking_knownAt_before_the_retraction_Then_its_effect_is_still_there()
    {
        var id = await app.GivenNegotiation("known");
        var gesture = Guid.NewGuid();
        await app.GivenEvents(id, Talks(Day(30)), Release(Day(20), "US", "TB"), Release(Day(20), "TB", "US", gesture));
        await Task.Delay(50);
        var noted = DateTimeOffset.UtcNow;
        await Task.Delay(50);
        var (retracted, _) = await app.PostJson($"/api/negotiations/{id}/events/{gesture}/retract", new { reason = "misreported" });
        retracted.ShouldBe(201);

        var (status, then) = await app.GetJson($"/api/negotiations/{id}/state?knownAt={Uri.EscapeDataString(noted.ToString("O"))}");
        var (_, now) = await app.GetJson($"/api/negotiations/{id}/state");
        var (_, current) = await app.GetJson($"/api/negotiations/{id}");

        status.ShouldBe(200);
        then!["stage"]!.GetValue<string>().ShouldBe("ConfidenceBuilding", "at the noted time the release was on record");
        then["knownAt"].ShouldNotBeNull();
        now!["stage"]!.GetValue<string>().ShouldBe("Exploratory", "the retraction removes the release");
        current!["stage"]!.GetValue<string>().ShouldBe("Exploratory");
    }

    [Fact]
    public async Task Given_knownAt_before_the_negotiation_was_created_When_asking_Then_404_not_known_then()
    {
        var id = await app.GivenNegotiation("early");

        var (status, body) = await app.GetJson($"/api/negotiations/{id}/state?knownAt=2000-01-01T00:00:00Z");

        status.ShouldBe(404);
        body.ShouldBeProblem("not_known_then");
    }

    [Theory]
    [InlineData("asOf=yesterday", "asOf")]
    [InlineData("asOf=2025-13-01", "asOf")]
    [InlineData("knownAt=soon", "knownAt")]
    [InlineData("minConfidence=Certain", "minConfidence")]
    [InlineData("minConfidence=7", "minConfidence")]
    public async Task Given_a_bad_query_When_time_travelling_Then_400_naming_the_parameter(string query, string path)
    {
        var id = await app.GivenNegotiation("badq");

        var (status, body) = await app.GetJson($"/api/negotiations/{id}/state?{query}");

        status.ShouldBe(400);
        body.ShouldHaveError(path);
    }

    [Theory]
    [InlineData("asOf=9998-12-31")]
    [InlineData("asOf=0001-01-01")]
    [InlineData("knownAt=9999-12-31T23:59:59Z")]
    [InlineData("asOf=9998&minConfidence=Rumoured")]
    public async Task Given_extreme_dates_When_time_travelling_Then_no_server_error(string query)
    {
        var id = await GivenUsTalibanHistory();

        var (status, body) = await app.GetJson($"/api/negotiations/{id}/state?{query}");

        status.ShouldBeLessThan(500, body?.ToJsonString());
    }

    [Fact]
    public async Task Given_the_seed_history_When_reading_stages_Then_each_transition_has_its_rule_and_events()
    {
        var id = await GivenUsTalibanHistory();

        var (status, all) = await app.GetJson($"/api/negotiations/{id}/stages");
        var (_, range) = await app.GetJson($"/api/negotiations/{id}/stages?from=2025-01-01&to=2025-12-31");

        status.ShouldBe(200);
        var transitions = all!["transitions"]!.AsArray();
        transitions.Count.ShouldBeGreaterThan(2);
        transitions.ShouldAllBe(t => t!["rule"] != null && t["to"] != null && t["eventIds"] != null);
        transitions.ShouldContain(t => t!["to"]!.GetValue<string>() == "ConfidenceBuilding" && t["eventIds"]!.AsArray().Count > 0);
        all["stage"]!.GetValue<string>().ShouldBe("Estrangement");

        var inRange = range!["transitions"]!.AsArray();
        inRange[0]!["on"]!.GetValue<string>().CompareTo("2025-01-01").ShouldBeLessThanOrEqualTo(0, "the stage in force at `from` opens the range");
        inRange.Skip(1).ShouldAllBe(t => string.CompareOrdinal(t!["on"]!.GetValue<string>(), "2025-01-01") > 0 && string.CompareOrdinal(t["on"]!.GetValue<string>(), "2025-12-31") <= 0);
        inRange.ShouldContain(t => t!["to"]!.GetValue<string>() == "ConfidenceBuilding");
        range["to"]!.GetValue<string>().ShouldBe("2025-12-31");
    }

    [Fact]
    public async Task Given_year_bounds_When_reading_stages_Then_from_is_the_first_day_of_the_year_and_to_the_last()
    {
        var id = await GivenUsTalibanHistory();

        var (status, years) = await app.GetJson($"/api/negotiations/{id}/stages?from=2025&to=2025");
        var (_, days) = await app.GetJson($"/api/negotiations/{id}/stages?from=2025-01-01&to=2025-12-31");

        status.ShouldBe(200, years?.ToJsonString());
        years!["from"]!.GetValue<string>().ShouldBe("2025-01-01");
        years["to"]!.GetValue<string>().ShouldBe("2025-12-31");
        years["transitions"]!.ToJsonString().ShouldBe(days!["transitions"]!.ToJsonString());
    }

    [Theory]
    [InlineData("from=2025-05-01&to=2025-01-01", "from")]
    [InlineData("from=nope", "from")]
    [InlineData("to=2025-02-30", "to")]
    [InlineData("knownAt=x", "knownAt")]
    public async Task Given_a_bad_range_When_reading_stages_Then_400(string query, string path)
    {
        var id = await app.GivenNegotiation("stq");

        var (status, body) = await app.GetJson($"/api/negotiations/{id}/stages?{query}");

        status.ShouldBe(400);
        body.ShouldHaveError(path);
    }
}
