using System.Text.Json.Nodes;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Reliability;

/// <summary>
/// Closings against what they close (tenth trial): a demand met, refused or withdrawn — or a commitment fulfilled or
/// breached — must close something in the record, not before it began, by the party the catalog names; and an opening whose
/// closings stand cannot be retracted from under them. Each refusal is a 422 naming the field; nothing is written.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class LedgerReferenceTrialTests(AppFixture app)
{
    async Task<int> VersionOf(string id) => (await app.GetJson($"/api/negotiations/{id}")).Body!["version"]!.GetValue<int>();

    static JsonObject Demand(string on, string demandId, string by = "US", string of = "TB", Guid? eventId = null) => new()
    {
        ["eventId"] = (eventId ?? Guid.NewGuid()).ToString(), ["type"] = "DemandMade", ["occurredOn"] = on, ["actor"] = by, ["target"] = of,
        ["demandId"] = demandId, ["subject"] = "release the engineer", ["category"] = "PrisonerRelease",
    };

    static JsonObject Closing(string type, string on, string demandId, string actor, string target, Guid? eventId = null) => new()
    {
        ["eventId"] = (eventId ?? Guid.NewGuid()).ToString(), ["type"] = type, ["occurredOn"] = on, ["actor"] = actor, ["target"] = target,
        ["demandId"] = demandId,
    };

    static JsonObject Agreement(string on, string commitmentId, string party, Guid? eventId = null) => new()
    {
        ["eventId"] = (eventId ?? Guid.NewGuid()).ToString(), ["type"] = "AgreementSigned", ["occurredOn"] = on, ["actor"] = "US", ["target"] = "TB",
        ["name"] = "Doha agreement", ["signatories"] = new JsonArray("US", "TB"),
        ["commitments"] = new JsonArray(new JsonObject { ["commitmentId"] = commitmentId, ["party"] = party, ["text"] = "open an office" }),
    };

    static JsonObject Commitment(string type, string on, string commitmentId, string actor, string target) => new()
    {
        ["eventId"] = Guid.NewGuid().ToString(), ["type"] = type, ["occurredOn"] = on, ["actor"] = actor, ["target"] = target,
        ["commitmentId"] = commitmentId,
    };

    async Task<(int Status, JsonNode? Body)> Post(string id, params JsonObject[] events) =>
        await app.PostJson($"/api/negotiations/{id}/events", new { events });

    [Fact]
    public async Task Given_a_stored_demand_When_it_is_met_on_a_day_before_it_was_made_Then_422_before_reference_and_nothing_is_written()
    {
        // Given a demand made of TB twenty days ago
        var id = await app.GivenNegotiation("ledgerdate");
        await app.GivenEvents(id, Demand(Day(20), "engineer"));
        var version = await VersionOf(id);

        // When TB meets it thirty days ago, alone and in a batch with a demand made and met the same way
        var (status, body) = await Post(id, Closing("DemandMet", Day(30), "engineer", "TB", "US"));
        var (batchStatus, batchBody) = await Post(id, Demand(Day(10), "pilot"), Closing("DemandRefused", Day(12), "pilot", "TB", "US"));

        // Then both are 422 at the closing's occurredOn; nothing is stored
        status.ShouldBe(422, body?.ToJsonString());
        body.ShouldHaveError("events[0].occurredOn", "before_reference");
        batchStatus.ShouldBe(422, batchBody?.ToJsonString());
        batchBody.ShouldHaveError("events[1].occurredOn", "before_reference");
        (await VersionOf(id)).ShouldBe(version);
    }

    [Fact]
    public async Task Given_a_demand_made_in_a_year_When_met_on_a_day_of_that_year_Then_201()
    {
        // Given a demand known only by its year
        var id = await app.GivenNegotiation("ledgeryear");
        var year = DateTime.UtcNow.Year - 1;
        await app.GivenEvents(id, Demand($"{year}", "engineer"));

        // When it is met on a day of that year (it may have been made before)
        var (status, body) = await Post(id, Closing("DemandMet", $"{year}-03-01", "engineer", "TB", "US"));

        // Then it stands
        status.ShouldBe(201, body?.ToJsonString());
    }

    [Fact]
    public async Task Given_a_stored_agreement_When_a_commitment_is_fulfilled_before_it_or_by_another_party_Then_422_naming_the_field()
    {
        // Given an agreement twenty days ago: TB commits to open an office
        var id = await app.GivenNegotiation("ledgercommit");
        await app.GivenEvents(id, Agreement(Day(20), "office", "TB"));
        var version = await VersionOf(id);

        // When TB fulfils it before the agreement, and US fulfils or breaches TB's commitment after it
        var (early, earlyBody) = await Post(id, Commitment("CommitmentFulfilled", Day(25), "office", "TB", "US"));
        var (other, otherBody) = await Post(id, Commitment("CommitmentFulfilled", Day(5), "office", "US", "TB"));
        var (breach, breachBody) = await Post(id, Commitment("CommitmentBreached", Day(5), "office", "US", "TB"));

        // Then each is 422 naming occurredOn or actor; TB fulfilling it after the agreement stands
        early.ShouldBe(422, earlyBody?.ToJsonString());
        earlyBody.ShouldHaveError("events[0].occurredOn", "before_reference");
        other.ShouldBe(422, otherBody?.ToJsonString());
        otherBody.ShouldHaveError("events[0].actor", "wrong_party");
        breach.ShouldBe(422, breachBody?.ToJsonString());
        breachBody.ShouldHaveError("events[0].actor", "wrong_party");
        (await VersionOf(id)).ShouldBe(version);
        (await Post(id, Commitment("CommitmentFulfilled", Day(5), "office", "TB", "US"))).Status.ShouldBe(201);
    }

    [Fact]
    public async Task Given_a_demand_made_of_TB_When_US_meets_it_or_TB_withdraws_it_Then_422_wrong_party_at_actor()
    {
        // Given a demand US made of TB
        var id = await app.GivenNegotiation("ledgerparty");
        await app.GivenEvents(id, Demand(Day(20), "engineer"));

        // When the demander meets its own demand, and the addressee withdraws it
        var (met, metBody) = await Post(id, Closing("DemandMet", Day(10), "engineer", "US", "TB"));
        var (withdrawn, withdrawnBody) = await Post(id, Closing("DemandWithdrawn", Day(10), "engineer", "TB", "US"));

        // Then both are refused at actor; the catalog's parties stand (TB meets it; US withdraws it)
        met.ShouldBe(422, metBody?.ToJsonString());
        metBody.ShouldHaveError("events[0].actor", "wrong_party");
        withdrawn.ShouldBe(422, withdrawnBody?.ToJsonString());
        withdrawnBody.ShouldHaveError("events[0].actor", "wrong_party");
        (await Post(id, Closing("DemandMet", Day(10), "engineer", "TB", "US"))).Status.ShouldBe(201);
    }

    [Fact]
    public async Task Given_a_demand_met_When_its_DemandMade_is_retracted_Then_422_still_referenced_until_the_closing_is_retracted_first()
    {
        // Given a demand made and met
        var id = await app.GivenNegotiation("ledgerretract");
        var made = Guid.NewGuid();
        var metId = Guid.NewGuid();
        await app.GivenEvents(id, Demand(Day(20), "engineer", eventId: made), Closing("DemandMet", Day(10), "engineer", "TB", "US", metId));
        var version = await VersionOf(id);

        // When the DemandMade is retracted while the DemandMet stands
        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events/{made}/retract", new { reason = "never made", occurredOn = Day(5) });

        // Then 422 still_referenced at the path's eventId, naming the closing; nothing is written
        status.ShouldBe(422, body?.ToJsonString());
        body.ShouldHaveError("route.eventId", "still_referenced");
        body!.ToJsonString().ShouldContain(metId.ToString());
        (await VersionOf(id)).ShouldBe(version);

        // And retracting the closing first, then the opening, stands — after which a new closing has nothing to close
        (await app.PostJson($"/api/negotiations/{id}/events/{metId}/retract", new { reason = "not met", occurredOn = Day(5) })).Status.ShouldBe(201);
        (await app.PostJson($"/api/negotiations/{id}/events/{made}/retract", new { reason = "never made", occurredOn = Day(5) })).Status.ShouldBe(201);
        var (again, againBody) = await Post(id, Closing("DemandMet", Day(4), "engineer", "TB", "US"));
        again.ShouldBe(422, againBody?.ToJsonString());
        againBody.ShouldHaveError("events[0].demandId", "unknown_reference");
        var (_, state) = await app.GetJson($"/api/negotiations/{id}");
        state!["ledger"]!["demands"]!.AsArray().Count.ShouldBe(0);
    }

    [Fact]
    public async Task Given_a_demand_and_an_agreement_closed_before_the_latest_the_head_lists_When_their_openings_are_retracted_Then_422_still_referenced_and_nothing_is_written()
    {
        // Given a demand met and a commitment fulfilled, then more demands met and agreements fulfilled than the head lists
        // (FoldAccumulator.ClosedListed), so the first two are no longer in the head's ledger
        var id = await app.GivenNegotiation("ledgerdropped");
        Guid made = Guid.NewGuid(), signed = Guid.NewGuid();
        await app.GivenEvents(id, Demand(Day(400), "first", eventId: made), Closing("DemandMet", Day(390), "first", "TB", "US"),
            Agreement(Day(400), "c-first", "TB", signed), Commitment("CommitmentFulfilled", Day(390), "c-first", "TB", "US"));
        var later = Enumerable.Range(0, FoldAccumulatorClosedListed + 1).SelectMany(i => new[]
        {
            Demand(Day(300), $"d{i}"), Closing("DemandMet", Day(200), $"d{i}", "TB", "US"),
            Agreement(Day(300), $"c{i}", "US"), Commitment("CommitmentFulfilled", Day(200), $"c{i}", "US", "TB"),
        }).ToArray();
        await app.GivenEvents(id, later);
        var version = await VersionOf(id);

        // When each opening is retracted, through the retract endpoint and as a posted event
        var demandRetract = await app.PostJson($"/api/negotiations/{id}/events/{made}/retract", new { reason = "never made", occurredOn = Day(5) });
        var agreementRetract = await app.PostJson($"/api/negotiations/{id}/events/{signed}/retract", new { reason = "never signed", occurredOn = Day(5) });
        var posted = await Post(id, new JsonObject
        {
            ["type"] = "EventRetracted", ["occurredOn"] = Day(5), ["actor"] = "EDITOR", ["targetEventId"] = made.ToString(), ["reason"] = "never made",
        });

        // Then each is 422 still_referenced at its target, as for a demand the head lists; nothing is written
        demandRetract.Status.ShouldBe(422, demandRetract.Body?.ToJsonString());
        demandRetract.Body.ShouldHaveError("route.eventId", "still_referenced");
        agreementRetract.Status.ShouldBe(422, agreementRetract.Body?.ToJsonString());
        agreementRetract.Body.ShouldHaveError("route.eventId", "still_referenced");
        posted.Status.ShouldBe(422, posted.Body?.ToJsonString());
        posted.Body.ShouldHaveError("events[0].targetEventId", "still_referenced");
        (await VersionOf(id)).ShouldBe(version);
    }

    const int FoldAccumulatorClosedListed = Normalization.Domain.Folding.FoldAccumulator.ClosedListed;

    [Fact]
    public async Task Given_a_file_whose_closing_is_dated_before_its_demand_When_imported_Then_422_naming_the_line_and_nothing_is_stored()
    {
        // Given a new negotiation and a file: a demand, then its closing dated before it
        var id = await app.GivenNegotiation("ledgerimport");
        var file = string.Join('\n', Demand(Day(20), "engineer").ToJsonString(), Closing("DemandMet", Day(30), "engineer", "TB", "US").ToJsonString()) + "\n";

        // When it is imported
        var (status, body) = await app.PostImport(id, file);

        // Then 422 at the second line's occurredOn, and the negotiation holds only its opening
        status.ShouldBe(422, body?.ToJsonString());
        body.ShouldHaveError("lines[2].occurredOn", "before_reference");
        (await VersionOf(id)).ShouldBe(1);
    }

    // A change that puts an event (or an earlier version of it) back, or changes an opening, is judged as a post of it would
    // be — the same answer whether the earlier events were stored one request at a time or come in the same import.

    static JsonObject Retraction(Guid target, string on, Guid? eventId = null) => new()
    {
        ["eventId"] = (eventId ?? Guid.NewGuid()).ToString(), ["type"] = "EventRetracted", ["occurredOn"] = on, ["actor"] = "US",
        ["targetEventId"] = target.ToString(), ["reason"] = "r",
    };

    static JsonObject Correction(Guid target, string on, JsonObject version, Guid? eventId = null)
    {
        var corrected = version.DeepClone().AsObject();
        corrected.Remove("eventId");
        return new JsonObject
        {
            ["eventId"] = (eventId ?? Guid.NewGuid()).ToString(), ["type"] = "EventCorrected", ["occurredOn"] = on, ["actor"] = "US",
            ["targetEventId"] = target.ToString(), ["correction"] = corrected,
        };
    }

    static string File(params JsonObject[] events) => string.Join('\n', events.Select(e => e.ToJsonString())) + "\n";

    /// <summary>
    /// Stores <paramref name="given"/> one request each in a new negotiation, then posts <paramref name="when"/>; and imports
    /// all of them as one file into another. Returns both answers.
    /// </summary>
    async Task<((int Status, JsonNode? Body) Posted, (int Status, JsonNode? Body) Imported, int VersionBefore, string Id)> StoredAndImported(
        string name, JsonObject[] given, JsonObject when)
    {
        var id = await app.GivenNegotiation(name);
        foreach (var e in given) (await Post(id, e)).Status.ShouldBe(201);
        var version = await VersionOf(id);
        var posted = await Post(id, when);
        var copy = await app.GivenNegotiation(name + "file");
        var imported = await app.PostImport(copy, File([.. given.Select(g => (JsonObject)g.DeepClone()), (JsonObject)when.DeepClone()]));
        return (posted, imported, version, id);
    }

    [Fact]
    public async Task Given_a_meeting_retracted_and_then_its_demand_retracted_When_the_meeting_s_retraction_is_retracted_Then_422_unknown_reference_stored_or_imported()
    {
        // Given a demand made (1) and met (2); the meeting retracted (3), then the demand (4: allowed, nothing closed it then)
        var made = Guid.NewGuid();
        var met = Guid.NewGuid();
        var unmet = Guid.NewGuid();
        var given = new[] { Demand(Day(20), "engineer", eventId: made), Closing("DemandMet", Day(10), "engineer", "TB", "US", met), Retraction(met, Day(5), unmet), Retraction(made, Day(4)) };

        // When the meeting's retraction is retracted — the meeting would be back, closing a demand not in the record
        var (posted, imported, version, id) = await StoredAndImported("orphanrestore", given, Retraction(unmet, Day(3)));
        var (retract, retractBody) = await app.PostJson($"/api/negotiations/{id}/events/{unmet}/retract", new { reason = "met after all", occurredOn = Day(3) });

        // Then 422 unknown_reference at its targetEventId (route.eventId on the retract endpoint), line 5 of the file; nothing is written
        posted.Status.ShouldBe(422, posted.Body?.ToJsonString());
        posted.Body.ShouldHaveError("events[0].targetEventId", "unknown_reference");
        retract.ShouldBe(422, retractBody?.ToJsonString());
        retractBody.ShouldHaveError("route.eventId", "unknown_reference");
        imported.Status.ShouldBe(422, imported.Body?.ToJsonString());
        imported.Body.ShouldHaveError("lines[5].targetEventId", "unknown_reference");
        (await VersionOf(id)).ShouldBe(version);
    }

    [Fact]
    public async Task Given_a_demand_corrected_to_a_new_id_and_met_under_it_When_the_correction_is_retracted_Then_422_still_referenced_stored_or_imported()
    {
        // Given demand 'engineer' corrected to open 'pilot', and 'pilot' met
        var made = Guid.NewGuid();
        var correction = Guid.NewGuid();
        var given = new[]
        {
            Demand(Day(20), "engineer", eventId: made), Correction(made, Day(15), Demand(Day(20), "pilot"), correction),
            Closing("DemandMet", Day(10), "pilot", "TB", "US"),
        };

        // When the correction is retracted (which would put 'engineer' back and leave the meeting of 'pilot' without a demand)
        var (posted, imported, version, id) = await StoredAndImported("corrundo", given, Retraction(correction, Day(5)));

        // Then 422 still_referenced at targetEventId, stored or imported; nothing is written
        posted.Status.ShouldBe(422, posted.Body?.ToJsonString());
        posted.Body.ShouldHaveError("events[0].targetEventId", "still_referenced");
        imported.Status.ShouldBe(422, imported.Body?.ToJsonString());
        imported.Body.ShouldHaveError("lines[4].targetEventId", "still_referenced");
        (await VersionOf(id)).ShouldBe(version);
    }

    [Fact]
    public async Task Given_a_demand_met_When_the_demand_is_corrected_after_the_meeting_to_another_addressee_or_to_another_open_demand_s_id_Then_422_naming_the_field()
    {
        // Given US demanded 'engineer' of TB twenty days ago (met by TB ten days ago) and 'pilot' too
        var made = Guid.NewGuid();
        var given = new[] { Demand(Day(20), "engineer", eventId: made), Closing("DemandMet", Day(10), "engineer", "TB", "US"), Demand(Day(20), "pilot") };

        // When the demand is corrected to five days ago; to be made by TB of US; to open 'pilot'
        var late = await StoredAndImported("corrdate", given, Correction(made, Day(2), Demand(Day(5), "engineer")));
        var turned = await StoredAndImported("corrparty", given, Correction(made, Day(2), Demand(Day(20), "engineer", by: "TB", of: "US")));
        var taken = await StoredAndImported("corrdup", given, Correction(made, Day(2), Demand(Day(20), "pilot")));

        // Then each is 422 at the corrected version's field, stored or imported (line 4 of the file)
        foreach (var (result, field, code) in new[] { (late, "occurredOn", "before_reference"), (turned, "target", "wrong_party"), (taken, "demandId", "duplicate_id") })
        {
            result.Posted.Status.ShouldBe(422, result.Posted.Body?.ToJsonString());
            result.Posted.Body.ShouldHaveError($"events[0].correction.{field}", code);
            result.Imported.Status.ShouldBe(422, result.Imported.Body?.ToJsonString());
            result.Imported.Body.ShouldHaveError($"lines[4].correction.{field}", code);
        }
        // ('taken' also drops 'engineer' under its meeting: still_referenced as well)
        taken.Posted.Body.ShouldHaveError("events[0].correction", "still_referenced");
    }

    [Fact]
    public async Task Given_a_retracted_demand_When_a_new_DemandMade_reuses_its_id_Then_201_and_putting_the_first_back_is_422_duplicate_id()
    {
        // Given a demand made and retracted
        var made = Guid.NewGuid();
        var retraction = Guid.NewGuid();
        var given = new[] { Demand(Day(20), "engineer", eventId: made), Retraction(made, Day(15), retraction) };

        // When a new demand reuses the id (stored, and in one file)
        var (posted, imported, _, id) = await StoredAndImported("reuse", given, Demand(Day(10), "engineer"));

        // Then both stand; and then retracting the retraction (the first demand back: two openings of one id) is refused
        posted.Status.ShouldBe(201, posted.Body?.ToJsonString());
        imported.Status.ShouldBe(200, imported.Body?.ToJsonString());
        var version = await VersionOf(id);
        var (restore, restoreBody) = await app.PostJson($"/api/negotiations/{id}/events/{retraction}/retract", new { reason = "made after all", occurredOn = Day(5) });
        restore.ShouldBe(422, restoreBody?.ToJsonString());
        restoreBody.ShouldHaveError("route.eventId", "duplicate_id");
        (await VersionOf(id)).ShouldBe(version);
        var file = File([.. given, Demand(Day(10), "engineer"), Retraction(retraction, Day(5))]);
        var (importStatus, importBody) = await app.PostImport(await app.GivenNegotiation("reusefile2"), file);
        importStatus.ShouldBe(422, importBody?.ToJsonString());
        importBody.ShouldHaveError("lines[4].targetEventId", "duplicate_id");
    }

    [Fact]
    public async Task Given_a_batch_or_file_listing_closings_before_their_openings_When_posted_or_imported_Then_201_and_a_true_orphan_is_still_422()
    {
        // Given a meeting and a fulfilment listed before the demand and the agreement they close (each dated after its opening)
        var ordered = new[]
        {
            Closing("DemandMet", Day(10), "engineer", "TB", "US"), Commitment("CommitmentFulfilled", Day(10), "office", "TB", "US"),
            Demand(Day(20), "engineer"), Agreement(Day(20), "office", "TB"),
        };
        var id = await app.GivenNegotiation("batchorder");
        var copy = await app.GivenNegotiation("batchorderfile");

        // When posted as one batch, and imported as one file
        var (status, body) = await Post(id, ordered);
        var (importStatus, importBody) = await app.PostImport(copy, File(ordered.Select(e => (JsonObject)e.DeepClone()).ToArray()));

        // Then both stand; a closing of a demand no event opens is still refused, naming it
        status.ShouldBe(201, body?.ToJsonString());
        importStatus.ShouldBe(200, importBody?.ToJsonString());
        var (_, state) = await app.GetJson($"/api/negotiations/{id}");
        state!["ledger"]!["demands"]!.AsArray().Count.ShouldBe(1);
        var (orphan, orphanBody) = await Post(id, Closing("DemandRefused", Day(5), "nobody", "TB", "US"), Demand(Day(6), "other"));
        orphan.ShouldBe(422, orphanBody?.ToJsonString());
        orphanBody.ShouldHaveError("events[0].demandId", "unknown_reference");
    }
}
