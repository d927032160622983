using Normalization.Domain.Catalog;
using Normalization.Domain.Stages;
using Normalization.Domain.Tests.Support;
using static Normalization.Domain.Tests.Support.Given;

namespace Normalization.Domain.Tests.Stages;

/// <summary>Month/year precision (an event counts by the end of its period) and the confidence threshold.</summary>
public class PrecisionAndConfidenceTests
{
    [Fact]
    public void Given_talks_dated_to_the_month_When_folded_mid_month_Then_they_have_not_happened_yet()
    {
        var n = Negotiation().HasTalks("2025-03");

        var mid = n.At("2025-03-15");
        var end = n.At("2025-03-31");

        mid.Stage.ShouldBe(Stage.Estrangement);
        mid.EventCount.ShouldBe(0);
        end.Stage.ShouldBe(Stage.Exploratory);
        end.StageSince.ShouldBe(D("2025-03-31"));
        end.EventCount.ShouldBe(1);
        end.LastEventOn.ShouldBe("2025-03");
    }

    [Fact]
    public void Given_a_demand_dated_to_the_year_When_folded_Then_it_counts_by_31_December()
    {
        var n = Negotiation().Has("2024", new DemandMade { DemandId = "d1", Subject = "prisoners", Category = DemandCategory.PrisonerRelease }, TB, US);

        n.At("2024-12-30").Ledger.Demands.ShouldBeEmpty();
        n.At("2024-12-31").Ledger.Demands.Single().MadeOn.ShouldBe(D("2024-12-31"));
    }

    [Fact]
    public void Given_talks_dated_to_a_month_When_the_window_passes_Then_it_runs_from_the_last_day_of_the_month()
    {
        var n = Negotiation().HasTalks("2024-02");

        n.At("2025-02-27").Stage.ShouldBe(Stage.Exploratory);
        n.At("2025-02-28").Stage.ShouldBe(Stage.Estrangement, "2024-02-29 + 365 days");
    }

    [Fact]
    public void Given_a_day_dated_refusal_before_a_month_dated_demand_in_the_same_month_When_folded_Then_the_demand_is_refused()
    {
        var n = Negotiation()
            .Has("2025-03", new DemandMade { DemandId = "eq", Subject = "equipment", Category = DemandCategory.EquipmentReturn }, US, TB)
            .Has("2025-03-25", new DemandRefused { DemandId = "eq" }, TB, US);

        var demand = n.At("2025-04-03").Ledger.Demands.Single();

        demand.Status.ShouldBe(Domain.Ledger.DemandStatus.Refused);
        demand.By.ShouldBe(US);
        demand.Subject.ShouldBe("equipment");
    }

    [Fact]
    public void Given_rumoured_ledger_events_When_folded_Then_the_ledger_leaves_them_out_and_notes_their_ids_once()
    {
        // Given a rumoured demand, its rumoured refusal, and a rumoured agreement beside a reported demand
        var agreement = new AgreementSigned
        {
            Name = "Doha", Signatories = [US, TB], Commitments = [new Commitment { CommitmentId = "office", Party = TB, Text = "open an office" }],
        };
        var n = Negotiation()
            .Has("2025-03-01", new DemandMade { DemandId = "rumoured", Subject = "prisoners", Category = DemandCategory.PrisonerRelease }, US, TB, Confidence.Rumoured)
            .Has("2025-03-05", new DemandRefused { DemandId = "rumoured" }, TB, US, Confidence.Rumoured)
            .Has("2025-03-06", new DemandMade { DemandId = "reported", Subject = "prisoners", Category = DemandCategory.PrisonerRelease }, US, TB, Confidence.Reported)
            .Has("2025-03-07", agreement, US, TB, Confidence.Rumoured);

        // When folded at the default threshold, and with every confidence
        var byDefault = n.FoldAll();
        var all = n.FoldAll(new FoldOptions { MinConfidence = Confidence.Rumoured });

        // Then the default fold lists only the reported demand and notes the skipped ids once each; the other skips nothing
        byDefault.Demands.Keys.ShouldBe(["reported"]);
        byDefault.UnfoldedDemandIds.ShouldBe(["rumoured"]);
        byDefault.UnfoldedCommitmentIds.ShouldBe(["office"]);
        all.Demands.Keys.Order().ShouldBe(["reported", "rumoured"]);
        all.UnfoldedDemandIds.ShouldBeEmpty();
        all.UnfoldedCommitmentIds.ShouldBeEmpty();
    }

    [Fact]
    public void Given_rumoured_talks_When_folded_with_default_options_Then_the_stage_does_not_move()
    {
        var n = Negotiation().HasTalks("2025-03-20", Confidence.Rumoured);

        var state = n.At("2025-04-01");

        state.Stage.ShouldBe(Stage.Estrangement);
        state.EventCount.ShouldBe(0);
    }

    [Fact]
    public void Given_rumoured_talks_When_folded_with_MinConfidence_Rumoured_Then_the_stage_moves()
    {
        var n = Negotiation().HasTalks("2025-03-20", Confidence.Rumoured);

        var state = n.At("2025-04-01", new FoldOptions { MinConfidence = Confidence.Rumoured });

        state.Stage.ShouldBe(Stage.Exploratory);
        state.EventCount.ShouldBe(1);
    }

    [Fact]
    public void Given_reported_talks_When_folded_with_MinConfidence_Confirmed_Then_they_are_left_out()
    {
        var n = Negotiation().HasTalks("2025-03-20", Confidence.Reported);

        n.At("2025-04-01").Stage.ShouldBe(Stage.Exploratory, "Reported counts by default");
        n.At("2025-04-01", new FoldOptions { MinConfidence = Confidence.Confirmed }).Stage.ShouldBe(Stage.Estrangement);
    }

    [Fact]
    public void Given_a_rumoured_gesture_When_folded_by_default_Then_it_is_not_in_the_ledger_either()
    {
        var n = Negotiation().HasTalks("2025-03-20").HasGesture(US, "2025-03-21", Confidence.Rumoured).HasGesture(TB, "2025-03-22");

        var state = n.At("2025-04-01");

        state.Stage.ShouldBe(Stage.Exploratory);
        state.Ledger.GesturesByParty[US].ShouldBeEmpty();
    }
}
