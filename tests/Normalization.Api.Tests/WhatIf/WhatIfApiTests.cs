using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Normalization.Api.Storage;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using Normalization.Api.WhatIf;
using Normalization.Domain.Catalog;
using Normalization.Domain.Histories;
using Normalization.Domain.Negotiations;

namespace Normalization.Api.Tests.WhatIf;

[Collection(ApiCollection.Name)]
public sealed class WhatIfApiTests(AppFixture app)
{
    NegotiationStore Store => app.Host.Services.GetRequiredService<NegotiationStore>();

    /// <summary>A negotiation holding the seed history under fresh event ids (ids are unique across negotiations). Returns the seed id → stored id map.</summary>
    async Task<(string Id, Dictionary<Guid, Guid> Ids)> SeededNegotiation()
    {
        using var reader = File.OpenText(Path.Combine(AppContext.BaseDirectory, "Seed", "us-taliban.ndjson"));
        var (opening, events, errors) = NdjsonHistory.ReadAll(reader, new DateOnly(2026, 1, 1));
        errors.ShouldBeEmpty();
        var id = TestApi.NewId("whatif");
        var ids = events.ToDictionary(e => e.EventId, _ => Guid.NewGuid());
        (await Store.CreateAsync(opening! with { Id = id }, "tests")).ShouldBeTrue();
        var appended = await Store.AppendAsync(id, null, events.Select(e => e with { EventId = ids[e.EventId] }).ToList(), "tests");
        appended.ShouldBeOfType<AppendOutcome.Appended>();
        return (id, ids);
    }

    static string EquipmentReturned(Guid eventId) =>
        $$"""{"eventId":"{{eventId}}","type":"DemandMet","occurredOn":"2025-04-10","actor":"TB","target":"US","confidence":"Confirmed","demandId":"us-equipment"}""";

    static void StripHypothetical(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                o.Remove("hypothetical");
                foreach (var (_, v) in o.ToList()) StripHypothetical(v);
                break;
            case JsonArray a:
                foreach (var v in a) StripHypothetical(v);
                break;
        }
    }

    [Fact]
    public async Task A_what_if_stores_nothing_and_gives_the_state_the_stored_path_gives_for_the_same_events()
    {
        var (id, _) = await SeededNegotiation();
        var versionBefore = await Store.VersionAsync(id);
        var viewBefore = (await Store.LoadViewAsync(id))!.Version;
        var eventId = Guid.NewGuid();

        var (status, body) = await app.PostJson($"/api/negotiations/{id}/what-if", new object(),
            rawBody: $$"""{"asOf":"2025-04-03","add":[{{EquipmentReturned(eventId)}}]}""");

        status.ShouldBe(200, body?.ToJsonString());
        body!["stage"]!.GetValue<string>().ShouldBe("ConfidenceBuilding");
        body["stored"]!.GetValue<bool>().ShouldBeFalse();
        body["projectedAt"]!.GetValue<string>().ShouldBe("2025-04-10");
        var demand = body["comparison"]!["ledgerChanges"]!.AsArray().Single(c => c!["kind"]!.GetValue<string>() == "demand")!;
        demand["before"]!.GetValue<string>().ShouldBe("Refused");
        demand["after"]!.GetValue<string>().ShouldBe("Met");
        body["comparison"]!["momentum"]!["delta"]!.GetValue<double>().ShouldBe(5.0);
        var hypothetical = body["hypothetical"]!.AsArray().ShouldHaveSingleItem()!;
        hypothetical["hypothetical"]!.GetValue<bool>().ShouldBeTrue();
        hypothetical["event"]!["hypothetical"]!.GetValue<bool>().ShouldBeTrue();

        // Nothing stored: the stream version, the read model and the record are as they were.
        (await Store.VersionAsync(id)).ShouldBe(versionBefore);
        (await Store.LoadViewAsync(id))!.Version.ShouldBe(viewBefore);
        (await Store.LoadHistoryAsync(id))!.Events.ShouldNotContain(r => r.Event.EventId == eventId);

        // The same event stored for real gives the same state through the stored path (read model and checkpoints).
        var appended = await Store.AppendAsync(id, null, [EventJson.Deserialize("DemandMet", EquipmentReturned(eventId))], "tests");
        appended.ShouldBeOfType<AppendOutcome.Appended>();
        var stored = JsonNode.Parse(JsonSerializer.Serialize(await Store.StateAsOfAsync(id, new DateOnly(2025, 4, 10)), Normalization.Api.Http.ApiJson.Options))!; // in the answers' form (nulls written)
        var projected = body["projected"]!.DeepClone();
        StripHypothetical(projected);
        StripHypothetical(stored);
        JsonNode.DeepEquals(projected, stored).ShouldBeTrue($"what-if: {projected.ToJsonString()}\nstored: {stored.ToJsonString()}");
    }

    [Fact]
    public async Task A_what_if_on_a_removed_gesture_shows_the_earlier_fall_back()
    {
        var (id, ids) = await SeededNegotiation();
        var haqqani = ids[Guid.Parse("82f13cab-8c24-5784-9dce-c240e2064068")];

        var (status, body) = await app.PostJson($"/api/negotiations/{id}/what-if", new object(),
            rawBody: $$"""{"asOf":"2025-04-03","projectTo":"2026-02-01","remove":["{{haqqani}}"]}""");

        status.ShouldBe(200, body?.ToJsonString());
        body!["stage"]!.GetValue<string>().ShouldBe("Exploratory");
        body["stageSince"]!.GetValue<string>().ShouldBe("2026-01-21");
        body["comparison"]!["stageBefore"]!.GetValue<string>().ShouldBe("ConfidenceBuilding");
        body["removed"]!.AsArray().Select(n => n!.GetValue<Guid>()).ShouldBe([haqqani]);
    }

    [Fact]
    public async Task Unreadable_input_is_400_with_every_field_path()
    {
        var (id, _) = await SeededNegotiation();

        var (status, body) = await app.PostJson($"/api/negotiations/{id}/what-if", new object(), rawBody: """
            {"asOf":"April","colour":"red",
             "add":[{"type":"DemandMet","occurredOn":"2025-13-01","actor":"TB","demandId":"us-equipment"},{"type":"Teleported","occurredOn":"2025-04-10","actor":"TB"}],
             "remove":["not-a-guid"],
             "replace":[{"eventId":"ccb61481-8e6c-57f0-9bce-f80ff38d29ea"}]}
            """);

        status.ShouldBe(400);
        var paths = body!["errors"]!.AsArray().Select(e => e!["path"]!.GetValue<string>()).ToList();
        paths.ShouldBe(["asOf", "colour", "add[0].occurredOn", "add[1].type", "remove[0]", "replace[0].event"], ignoreOrder: true);
    }

    [Fact]
    public async Task A_hypothetical_event_that_breaks_the_rules_is_422_and_an_unknown_negotiation_404()
    {
        var (id, _) = await SeededNegotiation();

        var (status, body) = await app.PostJson($"/api/negotiations/{id}/what-if", new object(), rawBody: """
            {"asOf":"2025-04-03","add":[{"type":"DemandMet","occurredOn":"2025-04-10","actor":"TB","target":"US","demandId":"no-such-demand"},
                                       {"type":"TalksHeld","occurredOn":"2099-01-01","actor":"US","target":"TB","participants":["US","TB"]}]}
            """);
        status.ShouldBe(422);
        body!["errors"]!.AsArray().Select(e => e!["path"]!.GetValue<string>()).ShouldBe(["add[0].demandId", "add[1].occurredOn"], ignoreOrder: true);

        var (missing, _) = await app.PostJson("/api/negotiations/no-such-negotiation/what-if", new object(), rawBody: """{"asOf":"2025-04-03"}""");
        missing.ShouldBe(404);
    }

    [Fact]
    public async Task A_what_if_without_an_api_key_is_refused()
    {
        var (id, _) = await SeededNegotiation();
        var (status, _) = await app.PostJson($"/api/negotiations/{id}/what-if", new object(), withKey: false, rawBody: """{"asOf":"2025-04-03"}""");
        status.ShouldBe(401);
    }

    [Fact]
    public async Task A_saved_scenario_keeps_only_its_changes_and_rerun_later_answers_against_the_grown_history()
    {
        var (id, _) = await SeededNegotiation();
        var scenario = $$"""{"name":"equipment-returned","add":[{"type":"DemandMet","occurredOn":"2025-04-10","actor":"TB","target":"US","demandId":"us-equipment"}]}""";

        var (saved, savedBody) = await app.PostJson($"/api/negotiations/{id}/scenarios", new object(), rawBody: scenario);
        saved.ShouldBe(201, savedBody?.ToJsonString());
        var version = await Store.VersionAsync(id);

        // Only the hypothetical changes are stored (a SavedScenario document).
        await using (var session = app.Store.QuerySession())
        {
            var document = await session.LoadAsync<SavedScenario>(SavedScenario.IdOf(id, "equipment-returned"));
            var stored = JsonNode.Parse(document!.Changes)!.AsObject();
            stored.Select(p => p.Key).ShouldBe(["add"]);
            stored["add"]!.AsArray().Count.ShouldBe(1);
        }

        var (status, body) = await app.GetJson($"/api/negotiations/{id}/scenarios/equipment-returned?asOf=2025-06-01");
        status.ShouldBe(200, body?.ToJsonString());
        body!["stage"]!.GetValue<string>().ShouldBe("ConfidenceBuilding");
        body["comparison"]!["ledgerChanges"]!.AsArray().ShouldContain(c => c!["kind"]!.GetValue<string>() == "demand" && c["after"]!.GetValue<string>() == "Met");

        // The history grows (an office really opens); the same scenario now answers Representation.
        var office = """{"type":"OfficeOpened","occurredOn":"2025-05-01","actor":"TB","target":"US","officeKind":"LiaisonOffice"}""";
        (await Store.AppendAsync(id, null, [EventJson.Deserialize("OfficeOpened", office) with { EventId = Guid.NewGuid() }], "tests")).ShouldBeOfType<AppendOutcome.Appended>();
        var (_, later) = await app.GetJson($"/api/negotiations/{id}/scenarios/equipment-returned?asOf=2025-06-01");
        later!["stage"]!.GetValue<string>().ShouldBe("Representation");
        later["comparison"]!["ledgerChanges"]!.AsArray().ShouldContain(c => c!["kind"]!.GetValue<string>() == "demand" && c["after"]!.GetValue<string>() == "Met");
        (await Store.VersionAsync(id)).ShouldBe(version + 1, "re-running stored nothing; only the real office was appended");

        var (_, list) = await app.GetJson($"/api/negotiations/{id}/scenarios");
        list!["scenarios"]!.AsArray().Select(s => s!["name"]!.GetValue<string>()).ShouldBe(["equipment-returned"]);
        var (unknown, _) = await app.GetJson($"/api/negotiations/{id}/scenarios/nothing-like-it");
        unknown.ShouldBe(404);
    }

    [Fact]
    public async Task A_scenario_that_does_not_hold_is_not_saved()
    {
        var (id, _) = await SeededNegotiation();
        var (status, body) = await app.PostJson($"/api/negotiations/{id}/scenarios", new object(), rawBody: """
            {"name":"Bad Name","add":[{"type":"DemandMet","occurredOn":"2025-04-10","actor":"TB","target":"US","demandId":"x"}]}
            """);
        status.ShouldBe(400);
        body!["errors"]!.AsArray().Select(e => e!["path"]!.GetValue<string>()).ShouldBe(["name"]);

        var (invalid, _) = await app.PostJson($"/api/negotiations/{id}/scenarios", new object(), rawBody: """
            {"name":"bad-demand","add":[{"type":"DemandMet","occurredOn":"2025-04-10","actor":"TB","target":"US","demandId":"x"}]}
            """);
        invalid.ShouldBe(422);
        var (missing, _) = await app.GetJson($"/api/negotiations/{id}/scenarios/bad-demand");
        missing.ShouldBe(404);
    }
}
