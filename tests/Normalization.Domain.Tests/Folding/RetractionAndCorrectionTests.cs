using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Stages;
using Normalization.Domain.Tests.Support;
using static Normalization.Domain.Tests.Support.Given;

namespace Normalization.Domain.Tests.Folding;

/// <summary>History is never edited: retractions and corrections change how the fold reads it, at every date.</summary>
public class RetractionAndCorrectionTests
{
    [Fact]
    public void Given_talks_later_retracted_When_folded_at_any_date_Then_they_never_happened()
    {
        var n = Negotiation().HasTalks("2025-03-20");
        var talks = n.LastId;
        n.HasRetraction(talks, "2025-04-10");

        n.At("2025-03-25").Stage.ShouldBe(Stage.Estrangement, "a retraction acts on every date, even before it was recorded");
        var state = n.At("2025-05-01");
        state.Stage.ShouldBe(Stage.Estrangement);
        state.StageHistory.Count.ShouldBe(1);
        state.EventCount.ShouldBe(0);
    }

    [Fact]
    public void Given_a_retraction_that_is_itself_retracted_When_folded_Then_the_original_is_restored()
    {
        var n = Negotiation().HasTalks("2025-03-20");
        var talks = n.LastId;
        n.HasRetraction(talks, "2025-04-10");
        n.HasRetraction(n.LastId, "2025-04-11", "the retraction was wrong");

        var state = n.At("2025-05-01");

        state.Stage.ShouldBe(Stage.Exploratory);
        state.Why.EventIds.ShouldBe([talks]);
    }

    [Fact]
    public void Given_a_retraction_retracted_twice_over_When_folded_Then_the_original_is_retracted_again()
    {
        var n = Negotiation().HasTalks("2025-03-20");
        n.HasRetraction(Id(1), "2025-04-10").HasRetraction(Id(2), "2025-04-11").HasRetraction(Id(3), "2025-04-12");

        n.At("2025-05-01").Stage.ShouldBe(Stage.Estrangement);
    }

    [Fact]
    public void Given_a_correction_of_the_date_When_folded_Then_the_corrected_version_is_read_in_place_of_the_original()
    {
        var n = Negotiation().HasTalks("2025-03-20");
        var talks = n.LastId;
        var corrected = new TalksHeld { Participants = [US, TB], OccurredOn = DomainDate.Parse("2024-01-10"), Actor = US, Target = TB, Confidence = Confidence.Confirmed };
        n.HasCorrection(talks, "2025-04-10", corrected);

        var state = n.At("2025-03-25");

        state.Stage.ShouldBe(Stage.Estrangement, "the corrected talks are more than 365 days old on 2025-03-25");
        state.StageHistory.Describe().ShouldBe("Estrangement → Exploratory 2024-01-10 → Estrangement 2025-01-09");
        state.StageHistory[1].EventIds.ShouldBe([talks], "the corrected event keeps the original eventId");
    }

    [Fact]
    public void Given_two_corrections_When_folded_Then_the_latest_in_domain_order_wins()
    {
        var n = Negotiation().Has("2024", new DemandMade { DemandId = "d", Subject = "first", Category = DemandCategory.Other }, TB, US);
        var demand = n.LastId;
        DemandMade Version(string subject) => new() { DemandId = "d", Subject = subject, Category = DemandCategory.Other, OccurredOn = DomainDate.Parse("2024"), Actor = TB, Target = US };
        n.HasCorrection(demand, "2025-02-01", Version("third")).HasCorrection(demand, "2025-01-01", Version("second"));

        n.At("2025-03-01").Ledger.Demands.Single().Subject.ShouldBe("third");
    }

    [Fact]
    public void Given_a_retracted_correction_When_folded_Then_the_original_applies()
    {
        var n = Negotiation().Has("2024", new DemandMade { DemandId = "d", Subject = "original", Category = DemandCategory.Other }, TB, US);
        n.HasCorrection(Id(1), "2025-01-01", new DemandMade { DemandId = "d", Subject = "corrected", OccurredOn = DomainDate.Parse("2024"), Actor = TB, Target = US });
        n.HasRetraction(Id(2), "2025-02-01");

        n.At("2025-03-01").Ledger.Demands.Single().Subject.ShouldBe("original");
    }

    [Fact]
    public void Given_a_retraction_When_resolved_Then_the_status_says_who_retracted_it()
    {
        var n = Negotiation().HasTalks("2025-03-20").HasRetraction(Id(1), "2025-04-10");

        var result = EffectiveHistory.Resolve(n.Events);

        result.Events.ShouldBeEmpty();
        result.Statuses[Id(1)].ShouldBe(new EventStatus(Id(1), true, Id(2), null));
    }

    [Fact]
    public void Given_the_same_event_recorded_twice_When_folded_Then_it_counts_once()
    {
        var n = Negotiation().HasTalks("2025-03-20");
        n.Events.Add(n.Events[0]);

        n.At("2025-04-01").EventCount.ShouldBe(1);
    }
}
