using System.Text.Json.Nodes;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.WhatIf;

/// <summary>
/// A hypothetical event sent without an eventId is named the same way by every answer to one question: the one-off what-if
/// asked twice, and a saved scenario's own save answer beside its re-runs (a researcher's trial, US–Cuba: the one-off drew a
/// new random GUID per call, and a save answered a GUID that no re-run of the scenario ever gave).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class WhatIfStableIdsTests(AppFixture app)
{
    static JsonObject WithoutId(JsonObject e) { e.Remove("eventId"); return e; }

    static string[] Ids(JsonNode? body) => body!["hypothetical"]!.AsArray().Select(h => h!["eventId"]!.GetValue<string>()).ToArray();

    // The ids the answer's state gives as reasons (the stage transitions'), where a hypothetical event is named too.
    static string[] Reasons(JsonNode? body) =>
        body!["projected"]!["stageHistory"]!.AsArray().SelectMany(t => t!["eventIds"]!.AsArray().Select(i => i!.GetValue<string>())).ToArray();

    [Fact]
    public async Task Given_a_what_if_of_events_without_ids_When_the_same_body_is_posted_twice_Then_both_answers_name_them_alike()
    {
        // Given a negotiation with talks, and a what-if adding a release by each side, sent without eventIds
        var id = await app.GivenNegotiation("wi-ids");
        await app.GivenEvents(id, Talks(Day(20)));
        var body = new { add = new[] { WithoutId(Release(Day(10), "US", "TB")), WithoutId(Release(Day(9), "TB", "US")) } };

        // When the same body is posted twice
        var (first, firstBody) = await app.PostJson($"/api/negotiations/{id}/what-if", body);
        var (second, secondBody) = await app.PostJson($"/api/negotiations/{id}/what-if", body);

        // Then both answers name the same two hypothetical events, in the list and among the stage's reasons
        first.ShouldBe(200, firstBody?.ToJsonString());
        second.ShouldBe(200, secondBody?.ToJsonString());
        Ids(firstBody).Length.ShouldBe(2);
        Ids(secondBody).ShouldBe(Ids(firstBody));
        Reasons(firstBody).ShouldContain(Ids(firstBody)[1]);
        Reasons(secondBody).ShouldBe(Reasons(firstBody));

        // And another question (another event) names another event
        var (_, otherBody) = await app.PostJson($"/api/negotiations/{id}/what-if", new { add = new[] { WithoutId(Release(Day(8), "US", "TB")) } });
        Ids(otherBody).ShouldNotContain(Ids(firstBody)[0]);
    }

    [Fact]
    public async Task Given_a_scenario_of_events_without_ids_When_saved_Then_its_save_answer_names_them_as_its_re_runs_do()
    {
        // Given a negotiation with talks
        var id = await app.GivenNegotiation("wi-save-ids");
        await app.GivenEvents(id, Talks(Day(20)));

        // When a scenario adding a release without an eventId is saved, then re-run
        var (saved, savedBody) = await app.PostJson($"/api/negotiations/{id}/scenarios",
            new { name = "release", add = new[] { WithoutId(Release(Day(10), "US", "TB")) } });
        var (rerun, rerunBody) = await app.GetJson($"/api/negotiations/{id}/scenarios/release");

        // Then the save's own answer names the event the re-run names
        saved.ShouldBe(201, savedBody?.ToJsonString());
        rerun.ShouldBe(200, rerunBody?.ToJsonString());
        Ids(savedBody).Length.ShouldBe(1);
        Ids(savedBody).ShouldBe(Ids(rerunBody));
    }
}
