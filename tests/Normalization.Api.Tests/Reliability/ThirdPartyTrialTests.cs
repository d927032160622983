using System.Text.Json.Nodes;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Reliability;

/// <summary>
/// Third trial: a deal or swap with a third country is not a gesture of the negotiation (a joint event must name both
/// parties: 422 too_few; a commitment binds a party: not_a_party); a source's publishedOn has occurredOn's range; a review
/// cannot cover past its own date (after_review); the state's why as of D names the events in force on D.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ThirdPartyTrialTests(AppFixture app)
{
    static JsonObject Agreement(string on, string actor, string? target, string[] signatories, string committed = "TB") => new()
    {
        ["eventId"] = Guid.NewGuid().ToString(), ["type"] = "AgreementSigned", ["occurredOn"] = on, ["actor"] = actor, ["target"] = target,
        ["confidence"] = "Confirmed", ["name"] = "an agreement", ["signatories"] = new JsonArray(signatories.Select(s => (JsonNode)s).ToArray()),
        ["commitments"] = new JsonArray(new JsonObject { ["commitmentId"] = "c-" + Guid.NewGuid().ToString("N")[..8], ["party"] = committed, ["text"] = "do it" }),
    };

    static JsonObject Exchange(string on, string actor, string target, params string[] releasers) => new()
    {
        ["eventId"] = Guid.NewGuid().ToString(), ["type"] = "PrisonersExchanged", ["occurredOn"] = on, ["actor"] = actor, ["target"] = target,
        ["confidence"] = "Confirmed",
        ["releases"] = new JsonArray(releasers.Select(r => (JsonNode)new JsonObject { ["releasedBy"] = r, ["person"] = "held by " + r }).ToArray()),
    };

    [Fact]
    public async Task Given_a_negotiation_When_a_deal_and_a_swap_of_one_party_with_a_third_country_are_posted_Then_422_too_few_and_nothing_is_stored()
    {
        // Given US–TB talks and a TB gesture
        var id = await app.GivenNegotiation("tp-refused");
        await app.GivenEvents(id, Talks(Day(30)), Release(Day(29), "TB", "US"));

        // When a US–RU agreement (a commitment of XX), a US–RU swap and US–RU talks are posted
        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events", new
        {
            events = new[] { Agreement(Day(20), "US", "RU", ["US", "RU"], committed: "XX"), Exchange(Day(20), "US", "RU", "US", "RU"), Talks(Day(20), "US", "RU") },
        });

        // Then each is refused where it fails to name both parties, and the stage and ledger are unchanged
        status.ShouldBe(422, body?.ToJsonString());
        body.Errors().Select(e => $"{e.Path} {e.Code}").ShouldBe([
            "events[0].signatories too_few", "events[0].commitments[0].party not_a_party", "events[1].releases too_few", "events[2].participants too_few",
        ], ignoreOrder: true);
        var (_, state) = await app.GetJson($"/api/negotiations/{id}/state");
        state!["stage"]!.GetValue<string>().ShouldBe("Exploratory");
        state["ledger"]!["agreements"]!.AsArray().ShouldBeEmpty();
        state["ledger"]!["gestureCountByParty"]!["US"]!.GetValue<int>().ShouldBe(0);
    }

    [Fact]
    public async Task Given_talks_and_a_TB_gesture_When_an_agreement_of_both_parties_with_the_mediator_signing_is_posted_Then_a_gesture_of_each_party()
    {
        var id = await app.GivenNegotiation("tp-mediator");
        await app.GivenEvents(id, Talks(Day(30)), Release(Day(29), "TB", "US"));

        await app.GivenEvents(id, Agreement(Day(20), "QA", null, ["US", "TB", "QA"]));

        var (_, state) = await app.GetJson($"/api/negotiations/{id}/state");
        state!["stage"]!.GetValue<string>().ShouldBe("ConfidenceBuilding", state.ToJsonString());
        state["ledger"]!["agreements"]!.AsArray().Count.ShouldBe(1);
        state["ledger"]!["gestureCountByParty"]!["US"]!.GetValue<int>().ShouldBe(1);
        state["ledger"]!["gestureCountByParty"]!["TB"]!.GetValue<int>().ShouldBe(2);
    }

    [Fact]
    public async Task Given_sources_published_in_2099_and_in_1850_When_posted_Then_422_in_future_and_out_of_range_at_publishedOn()
    {
        var id = await app.GivenNegotiation("tp-published");
        var future = Release(Day(10), "TB", "US");
        future["sources"]![0]!["publishedOn"] = "2099-01-01";
        var old = Release(Day(10), "US", "TB");
        old["sources"]!.AsArray().Insert(0, new JsonObject { ["publisher"] = "Times", ["publishedOn"] = Day(9) });
        old["sources"]![1]!["publishedOn"] = "1850";

        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events", new { events = new[] { future, old } });

        status.ShouldBe(422, body?.ToJsonString());
        body.Errors().Select(e => $"{e.Path} {e.Code}").ShouldBe(["events[0].sources[0].publishedOn in_future", "events[1].sources[1].publishedOn out_of_range"]);
    }

    [Fact]
    public async Task Given_a_negotiation_When_coverage_is_declared_past_the_review_s_own_date_Then_422_after_review_at_coveredUntil()
    {
        var id = await app.GivenNegotiation("tp-review");

        var (status, body) = await app.PutJson($"/api/negotiations/{id}/coverage", new { coveredUntil = Day(5), occurredOn = Day(10) });
        var (okStatus, okBody) = await app.PutJson($"/api/negotiations/{id}/coverage", new { coveredUntil = Day(10), occurredOn = Day(10) });

        status.ShouldBe(422, body?.ToJsonString());
        body.Errors().Select(e => $"{e.Path} {e.Code}").ShouldBe(["coveredUntil after_review"]);
        okStatus.ShouldBe(200, okBody?.ToJsonString());
    }

    [Fact]
    public async Task Given_three_rounds_of_talks_When_the_state_is_read_as_of_the_day_after_the_last_Then_why_names_the_last_talks()
    {
        // Given talks 300, 200 and 100 days ago (one Exploratory stretch)
        var id = await app.GivenNegotiation("tp-why");
        var (first, second, last) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await app.GivenEvents(id, Talks(Day(300), eventId: first), Talks(Day(200), eventId: second), Talks(Day(100), eventId: last));

        // When the state is read as of the day after the last talks, between the second and the last, and today
        var (_, after) = await app.GetJson($"/api/negotiations/{id}/state?asOf={Day(99)}");
        var (_, between) = await app.GetJson($"/api/negotiations/{id}/state?asOf={Day(150)}");
        var (_, today) = await app.GetJson($"/api/negotiations/{id}/state");

        // Then why names the talks in force that day; the transition keeps the talks that began the stage
        after!["why"]!["rule"]!.GetValue<string>().ShouldBe("talks-within-window");
        Ids(after["why"]!).ShouldBe([last]);
        Ids(between!["why"]!).ShouldBe([second]);
        Ids(today!["why"]!).ShouldBe([last]);
        Ids(after["stageHistory"]!.AsArray()[^1]!).ShouldBe([first]);
    }

    static List<Guid> Ids(JsonNode node) => node["eventIds"]!.AsArray().Select(i => Guid.Parse(i!.GetValue<string>())).ToList();
}
