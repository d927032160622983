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
}
