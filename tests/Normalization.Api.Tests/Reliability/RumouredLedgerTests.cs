using System.Text.Json.Nodes;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Reliability;

/// <summary>
/// Ledger events below the fold's confidence threshold (a Rumoured DemandMade, AgreementSigned or closing) are in the record
/// though the head's ledger leaves them out. A write naming their demand or commitment must get the answer the same events get
/// as one batch (judged as a whole, as an import is): before, a closing of a Rumoured demand was unknown_reference, a second
/// opening of its id was accepted, and so was the retraction of an opening whose closing is Rumoured — each time the
/// record's own export was then refused on import.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class RumouredLedgerTests(AppFixture app)
{
    static JsonObject Demand(string on, string demandId, string confidence, Guid eventId) => new()
    {
        ["eventId"] = eventId.ToString(), ["type"] = "DemandMade", ["occurredOn"] = on, ["actor"] = "US", ["target"] = "TB",
        ["confidence"] = confidence, ["demandId"] = demandId, ["subject"] = "release the engineer", ["category"] = "PrisonerRelease",
    };

    static JsonObject Closing(string type, string on, string demandId, string actor, string target, string confidence) => new()
    {
        ["eventId"] = Guid.NewGuid().ToString(), ["type"] = type, ["occurredOn"] = on, ["actor"] = actor, ["target"] = target,
        ["confidence"] = confidence, ["demandId"] = demandId,
    };

    static JsonObject Agreement(string on, string commitmentId, string confidence, Guid eventId) => new()
    {
        ["eventId"] = eventId.ToString(), ["type"] = "AgreementSigned", ["occurredOn"] = on, ["actor"] = "US", ["target"] = "TB",
        ["confidence"] = confidence, ["name"] = "Doha agreement", ["signatories"] = new JsonArray("US", "TB"),
        ["commitments"] = new JsonArray(new JsonObject { ["commitmentId"] = commitmentId, ["party"] = "TB", ["text"] = "open an office" }),
    };

    static JsonObject Commitment(string type, string on, string commitmentId, string confidence) => new()
    {
        ["eventId"] = Guid.NewGuid().ToString(), ["type"] = type, ["occurredOn"] = on, ["actor"] = "TB", ["target"] = "US",
        ["confidence"] = confidence, ["commitmentId"] = commitmentId,
    };

    static JsonObject Retraction(Guid target, string on) => new()
    {
        ["type"] = "EventRetracted", ["occurredOn"] = on, ["actor"] = "EDITOR", ["confidence"] = "Confirmed",
        ["targetEventId"] = target.ToString(), ["reason"] = "never happened",
    };

    /// <summary>One case: what is stored, the write that follows, and the answer (status and error code, if any).</summary>
    public sealed record Case(string Name, Func<(JsonObject[] Stored, JsonObject[] Write)> Build, int Status, string? Code)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Case> Cases()
    {
        var made = Guid.NewGuid();
        var signed = Guid.NewGuid();
        return new()
        {
            new("rumoured demand, then met", () => ([Demand(Day(20), "engineer", "Rumoured", Guid.NewGuid())],
                [Closing("DemandMet", Day(10), "engineer", "TB", "US", "Reported")]), 201, null),
            new("rumoured demand, then refused by the wrong party", () => ([Demand(Day(20), "engineer", "Rumoured", Guid.NewGuid())],
                [Closing("DemandRefused", Day(10), "engineer", "US", "TB", "Reported")]), 422, "wrong_party"),
            new("rumoured demand, then made again with its id", () => ([Demand(Day(20), "engineer", "Rumoured", Guid.NewGuid())],
                [Demand(Day(10), "engineer", "Reported", Guid.NewGuid())]), 422, "duplicate_id"),
            new("demand met by rumour, then its opening retracted", () => ([Demand(Day(20), "engineer", "Reported", made),
                Closing("DemandMet", Day(10), "engineer", "TB", "US", "Rumoured")], [Retraction(made, Day(5))]), 422, "still_referenced"),
            new("rumoured demand met by rumour, then met again", () => ([Demand(Day(20), "engineer", "Rumoured", Guid.NewGuid()),
                Closing("DemandMet", Day(10), "engineer", "TB", "US", "Rumoured")], [Closing("DemandMet", Day(8), "engineer", "TB", "US", "Reported")]), 201, null),
            new("rumoured agreement, then fulfilled", () => ([Agreement(Day(20), "office", "Rumoured", Guid.NewGuid())],
                [Commitment("CommitmentFulfilled", Day(10), "office", "Reported")]), 201, null),
            new("rumoured agreement, then signed again with its commitment id", () => ([Agreement(Day(20), "office", "Rumoured", Guid.NewGuid())],
                [Agreement(Day(10), "office", "Reported", Guid.NewGuid())]), 422, "duplicate_id"),
            new("agreement fulfilled by rumour, then retracted", () => ([Agreement(Day(20), "office", "Reported", signed),
                Commitment("CommitmentFulfilled", Day(10), "office", "Rumoured")], [Retraction(signed, Day(5))]), 422, "still_referenced"),
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Given_ledger_events_below_the_threshold_When_a_write_names_their_ids_Then_it_gets_the_answer_of_the_same_events_as_one_batch(Case c)
    {
        // Given the stored events, on one negotiation written one request at a time
        var (stored, write) = c.Build();
        var id = await app.GivenNegotiation("rumledger");
        await app.GivenEvents(id, stored);

        // When the write follows, and when the same events come as one batch on a new negotiation
        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events", new { events = write });
        var batchId = await app.GivenNegotiation("rumbatch");
        var (batchStatus, batchBody) = await app.PostJson($"/api/negotiations/{batchId}/events", new { events = stored.Concat(write).Select(e => e.DeepClone()).ToArray() });

        // Then both give the case's answer
        status.ShouldBe(c.Status, body?.ToJsonString());
        batchStatus.ShouldBe(c.Status, batchBody?.ToJsonString());
        if (c.Code is { } code)
        {
            body!.ToJsonString().ShouldContain($"\"{code}\"");
            batchBody!.ToJsonString().ShouldContain($"\"{code}\"");
        }
    }

    [Fact]
    public async Task Given_a_demand_met_by_rumour_When_its_opening_retraction_is_refused_Then_the_records_export_imports_as_it_is()
    {
        // Given a demand made, met by rumour, and the refused retraction of its opening
        var id = await app.GivenNegotiation("rumexport");
        var made = Guid.NewGuid();
        await app.GivenEvents(id, Demand(Day(20), "engineer", "Reported", made), Closing("DemandMet", Day(10), "engineer", "TB", "US", "Rumoured"));
        (await app.PostJson($"/api/negotiations/{id}/events/{made}/retract", new { reason = "never made", occurredOn = Day(5) })).Status.ShouldBe(422);

        // When the record is exported and imported into a new negotiation
        var (exportStatus, ndjson, _) = await app.GetText($"/api/negotiations/{id}/export?format=ndjson", "application/x-ndjson");
        exportStatus.ShouldBe(200, ndjson);
        var copy = await app.GivenNegotiation("rumcopy");
        var (status, body) = await app.PostImport(copy, ndjson);

        // Then the import stands, with the record's version
        status.ShouldBe(200, body?.ToJsonString());
        (await app.GetJson($"/api/negotiations/{copy}")).Body!["version"]!.GetValue<int>()
            .ShouldBe((await app.GetJson($"/api/negotiations/{id}")).Body!["version"]!.GetValue<int>());
    }
}
