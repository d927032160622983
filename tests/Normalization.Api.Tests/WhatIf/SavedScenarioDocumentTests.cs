using System.Text.Json.Nodes;
using Marten;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using Normalization.Api.WhatIf;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.WhatIf;

/// <summary>Issue 15: a saved what-if scenario is a Marten document (<see cref="SavedScenario"/>), one per negotiation and name.</summary>
[Collection(ApiCollection.Name)]
public sealed class SavedScenarioDocumentTests(AppFixture app)
{
    async Task<SavedScenario?> Document(string id, string name)
    {
        await using var session = app.Store.QuerySession();
        return await session.LoadAsync<SavedScenario>(SavedScenario.IdOf(id, name));
    }

    async Task<string> GivenNegotiationWithTalks(string prefix)
    {
        var id = await app.GivenNegotiation(prefix);
        await app.GivenEvents(id, Talks(Day(20)));
        return id;
    }

    static string[] Names(JsonNode? list) => list!["scenarios"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()).ToArray();

    [Fact]
    public async Task Given_a_saved_scenario_of_events_without_ids_When_rerun_twice_Then_both_answers_name_its_hypothetical_events_alike()
    {
        // Given a scenario whose added talks and replacing talks were sent without eventIds
        var id = await app.GivenNegotiation("scen-ids");
        var recorded = (await app.GivenEvents(id, Talks(Day(20))))["events"]![0]!["eventId"]!.GetValue<Guid>();
        static JsonObject WithoutId(JsonObject e) { e.Remove("eventId"); return e; }
        var (created, createdBody) = await app.PostJson($"/api/negotiations/{id}/scenarios",
            new { name = "stable", add = new[] { WithoutId(Talks(Day(5))) }, replace = new[] { new { eventId = recorded, @event = WithoutId(Talks(Day(19))) } } });
        created.ShouldBe(201, createdBody?.ToJsonString());

        // When it is re-run twice
        static string[] Ids(JsonNode? body) => body!["hypothetical"]!.AsArray().Select(h => h!["eventId"]!.GetValue<string>()).ToArray();
        var (first, firstBody) = await app.GetJson($"/api/negotiations/{id}/scenarios/stable");
        var (second, secondBody) = await app.GetJson($"/api/negotiations/{id}/scenarios/stable");

        // Then both name the same two hypothetical events (they were new random GUIDs at every read)
        first.ShouldBe(200, firstBody?.ToJsonString());
        second.ShouldBe(200, secondBody?.ToJsonString());
        Ids(firstBody).Length.ShouldBe(2);
        Ids(secondBody).ShouldBe(Ids(firstBody));

        // And saved again with other changes, its events are other events
        (await app.PostJson($"/api/negotiations/{id}/scenarios", new { name = "stable", add = new[] { WithoutId(Talks(Day(4))) } })).Status.ShouldBe(200);
        var (_, thirdBody) = await app.GetJson($"/api/negotiations/{id}/scenarios/stable");
        Ids(thirdBody).ShouldNotContain(Ids(firstBody)[0]);
    }

    [Fact]
    public async Task Given_a_saved_scenario_When_listed_rerun_and_saved_again_Then_it_is_one_document_and_the_second_save_answers_200()
    {
        // Given a scenario saved once
        var id = await GivenNegotiationWithTalks("scen-doc");
        var (created, createdBody) = await app.PostJson($"/api/negotiations/{id}/scenarios", new { name = "more-talks", add = new[] { Talks(Day(5)) } });
        created.ShouldBe(201, createdBody?.ToJsonString());

        // Then it is a document holding only the changes, as received
        var first = await Document(id, "more-talks");
        first.ShouldNotBeNull();
        first.NegotiationId.ShouldBe(id);
        first.Name.ShouldBe("more-talks");
        JsonNode.Parse(first.Changes)!.AsObject().Select(p => p.Key).ShouldBe(["add"]);

        // When listed and re-run
        var (listed, list) = await app.GetJson($"/api/negotiations/{id}/scenarios");
        listed.ShouldBe(200, list?.ToJsonString());
        Names(list).ShouldBe(["more-talks"]);
        list!["scenarios"]![0]!["changes"]!["add"]!.AsArray().Count.ShouldBe(1);
        DateTimeOffset.Parse(list["scenarios"]![0]!["savedAt"]!.GetValue<string>()).ShouldBe(first.SavedAt);
        var (rerun, rerunBody) = await app.GetJson($"/api/negotiations/{id}/scenarios/more-talks");
        rerun.ShouldBe(200, rerunBody?.ToJsonString());

        // When saved again under the same name with other changes
        var (replaced, replacedBody) = await app.PostJson($"/api/negotiations/{id}/scenarios", new { name = "more-talks", add = new[] { Talks(Day(3)), Talks(Day(2)) } });

        // Then 200, still one scenario, holding the new changes
        replaced.ShouldBe(200, replacedBody?.ToJsonString());
        var (_, again) = await app.GetJson($"/api/negotiations/{id}/scenarios");
        Names(again).ShouldBe(["more-talks"]);
        var second = await Document(id, "more-talks");
        JsonNode.Parse(second!.Changes)!["add"]!.AsArray().Count.ShouldBe(2);
        second.SavedAt.ShouldBeGreaterThanOrEqualTo(first.SavedAt);
        await using var session = app.Store.QuerySession();
        (await session.Query<SavedScenario>().CountAsync(s => s.NegotiationId == id)).ShouldBe(1);
    }

    [Fact]
    public void Given_the_registered_documents_When_the_db_patch_style_script_is_exported_Then_it_creates_the_scenario_table_and_its_index()
    {
        // When the creation script is written, as db-patch does
        var sql = app.Store.Storage.Database.ToDatabaseScript();

        // Then the scenario documents' table and the index on negotiationId are in it
        sql.ShouldContain("mt_doc_savedscenario");
        sql.Split('\n').ShouldContain(l => l.Contains("INDEX", StringComparison.OrdinalIgnoreCase) && l.Contains("mt_doc_savedscenario") && l.Contains("negotiationId"));
    }

    [Fact]
    public async Task Given_two_negotiations_When_each_saves_a_scenario_of_the_same_name_Then_each_holds_its_own()
    {
        // Given two negotiations
        var a = await GivenNegotiationWithTalks("scen-a");
        var b = await GivenNegotiationWithTalks("scen-b");

        // When each saves "base", with different changes
        (await app.PostJson($"/api/negotiations/{a}/scenarios", new { name = "base", add = new[] { Talks(Day(5)) } })).Status.ShouldBe(201);
        (await app.PostJson($"/api/negotiations/{b}/scenarios", new { name = "base", add = new[] { Talks(Day(4)), Talks(Day(3)) } })).Status.ShouldBe(201);

        // Then both are new documents, each listed and re-run under its own negotiation
        (await Document(a, "base"))!.NegotiationId.ShouldBe(a);
        (await Document(b, "base"))!.NegotiationId.ShouldBe(b);
        foreach (var (id, adds) in new[] { (a, 1), (b, 2) })
        {
            var (_, list) = await app.GetJson($"/api/negotiations/{id}/scenarios");
            Names(list).ShouldBe(["base"]);
            list!["scenarios"]![0]!["changes"]!["add"]!.AsArray().Count.ShouldBe(adds);
            (await app.GetJson($"/api/negotiations/{id}/scenarios/base")).Status.ShouldBe(200);
        }
    }

    [Fact]
    public async Task Given_concurrent_saves_of_one_name_When_they_race_Then_none_fails_and_one_scenario_remains()
    {
        // Given a negotiation
        var id = await GivenNegotiationWithTalks("scen-race");

        // When eight saves of the same name race (each from its own key, so the write rate limit stays out of it)
        var statuses = await Task.WhenAll(Enumerable.Range(0, 8).Select(async i =>
            (await app.PostRaw($"/api/negotiations/{id}/scenarios", Json(new { name = "race", add = new[] { Talks(Day(5)) } }), AppFixture.LoadKey(i))).Status));

        // Then each answers 201 or 200 (the last write wins), and there is one scenario
        statuses.ShouldAllBe(s => s == 200 || s == 201);
        statuses.ShouldContain(201);
        var (_, list) = await app.GetJson($"/api/negotiations/{id}/scenarios");
        Names(list).ShouldBe(["race"]);
    }
}
