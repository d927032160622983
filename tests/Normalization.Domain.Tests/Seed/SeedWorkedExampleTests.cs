using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Histories;
using Normalization.Domain.Ledger;
using Normalization.Domain.Stages;
using Normalization.Domain.Tests.Support;

namespace Normalization.Domain.Tests.Seed;

/// <summary>The worked example of docs/stage-model.md, checked against the shipped seed.</summary>
public class SeedWorkedExampleTests
{
    static (Negotiations.NegotiationOpened Opening, List<NegotiationEvent> Events) Seed()
    {
        using var reader = File.OpenText(Path.Combine(AppContext.BaseDirectory, "Seed", "us-taliban.ndjson"));
        var (opening, events, errors) = NdjsonHistory.ReadAll(reader, new DateOnly(2026, 1, 1));
        errors.ShouldBeEmpty();
        return (opening!, events);
    }

    [Fact]
    public void Given_the_seed_When_folded_as_of_the_CNN_report_Then_the_stage_history_is_the_documented_one()
    {
        var (opening, events) = Seed();
        string TypeOf(Guid id) => events.Single(e => e.EventId == id).Type;

        var state = NegotiationFold.StateAsOf(opening, events, new DateOnly(2025, 4, 3));

        state.StageHistory.Describe().ShouldBe("Estrangement → ConfidenceBuilding 2020-02-29 → Estrangement 2021-02-28 → ConfidenceBuilding 2025-03-20");
        state.StageHistory[1].EventIds.Select(TypeOf).ShouldBe([nameof(TalksHeld), nameof(AgreementSigned)]);
        state.StageHistory[2].Rule.ShouldBe("no-contact");
        state.StageHistory[3].EventIds.Select(TypeOf).ShouldBe([nameof(TalksHeld), nameof(PrisonersExchanged), nameof(PrisonerReleased)]);
        state.StageSince.ShouldBe(new DateOnly(2025, 3, 20));
    }

    [Fact]
    public void Given_the_seed_When_folded_as_of_the_CNN_report_Then_momentum_and_ledger_are_the_documented_ones()
    {
        var (opening, events) = Seed();

        var state = NegotiationFold.StateAsOf(opening, events, new DateOnly(2025, 4, 3));

        state.Momentum.Score.ShouldBe(31.2);
        state.Momentum.PreviousScore.ShouldBe(-21.6);
        state.Momentum.Trend.ShouldBe(MomentumTrend.Improving);
        state.Ledger.Demands.Select(d => (d.DemandId, d.Status)).ShouldBe(
        [
            ("tb-assets", DemandStatus.Open), ("tb-guantanamo", DemandStatus.Open), ("tb-normalization", DemandStatus.Open),
            ("us-equipment", DemandStatus.Refused),
        ]);
        state.Ledger.Requests.Select(r => (r.Kind, r.Status)).ShouldBe([(RequestKind.Recognition, RequestStatus.Pending), (RequestKind.Office, RequestStatus.Pending)]);
        state.Ledger.Commitments.Select(c => (c.CommitmentId, c.Status)).ShouldBe([("doha-ct", CommitmentStatus.Breached), ("doha-withdrawal", CommitmentStatus.Fulfilled)]);
        state.Ledger.PrisonersReleasedByParty["TB"].Count.ShouldBe(4);
    }

    [Fact]
    public void Given_the_seed_and_no_further_talks_When_folded_a_year_later_Then_the_stage_falls_back_on_2026_03_20()
    {
        var (opening, events) = Seed();

        var state = NegotiationFold.StateAsOf(opening, events, new DateOnly(2026, 3, 20));

        state.Stage.ShouldBe(Stage.Estrangement);
        state.StageSince.ShouldBe(new DateOnly(2026, 3, 20));
        NegotiationFold.StateAsOf(opening, events, new DateOnly(2026, 3, 19)).Stage.ShouldBe(Stage.ConfidenceBuilding);
    }
}
