using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Ledger;
using Normalization.Domain.Tests.Support;

namespace Normalization.Domain.Tests.Ledger;

/// <summary>Long histories keep checkpoints small: gesture and release lists hold the most recent entries, counts hold all.</summary>
public class BoundedLedgerTests
{
    [Fact]
    public void Given_more_gestures_than_the_list_keeps_When_folded_Then_the_most_recent_are_listed_and_all_are_counted()
    {
        var given = Given.Negotiation();
        var day = new DateOnly(2000, 1, 1);
        for (var i = 0; i < FoldAccumulator.RecentPerParty + 50; i++)
            given.HasGesture(Given.US, day.AddDays(i).ToString("yyyy-MM-dd"));

        var state = given.At("2010-01-01");

        state.Ledger.GestureCountByParty[Given.US].ShouldBe(FoldAccumulator.RecentPerParty + 50);
        var listed = state.Ledger.GesturesByParty[Given.US];
        listed.Count.ShouldBe(FoldAccumulator.RecentPerParty);
        listed[^1].On.ShouldBe(day.AddDays(FoldAccumulator.RecentPerParty + 49));
        listed[0].On.ShouldBe(day.AddDays(50));
    }

    [Fact]
    public void Given_more_resolved_demands_than_the_ledger_lists_When_folded_Then_open_ones_stay_the_recent_resolved_are_listed_and_all_are_counted()
    {
        var given = Given.Negotiation();
        var day = new DateOnly(2000, 1, 1);
        var resolved = FoldAccumulator.ClosedListed + 30;
        for (var i = 0; i < resolved; i++)
        {
            given.Has(day.AddDays(2 * i).ToString("yyyy-MM-dd"), new DemandMade { DemandId = $"d{i}", Subject = "s" });
            given.Has(day.AddDays(2 * i + 1).ToString("yyyy-MM-dd"), new DemandRefused { DemandId = $"d{i}" }, Given.TB, Given.US);
        }
        given.Has("2005-01-01", new DemandMade { DemandId = "still-open", Subject = "s" });

        var state = given.At("2010-01-01");

        state.Ledger.Demands.Count(d => d.Status == DemandStatus.Refused).ShouldBe(FoldAccumulator.ClosedListed);
        state.Ledger.Demands.ShouldContain(d => d.DemandId == $"d{resolved - 1}");
        state.Ledger.Demands.ShouldNotContain(d => d.DemandId == "d0");
        state.Ledger.Demands.Single(d => d.Status == DemandStatus.Open).DemandId.ShouldBe("still-open");
        state.Ledger.Totals.DemandsResolved.ShouldBe(resolved);
    }

    [Fact]
    public void Given_the_same_designation_sanction_and_office_recorded_twice_When_folded_Then_each_is_listed_once_since_the_first()
    {
        var given = Given.Negotiation()
            .Has("2001-01-01", new DesignationAdded { Designee = "Group", List = DesignationList.SDGT })
            .Has("2001-02-01", new SanctionsImposed { Scope = "banking" })
            .Has("2001-03-01", new OfficeOpened { OfficeKind = OfficeKind.LiaisonOffice, City = "Kabul" })
            .Has("2002-01-01", new DesignationAdded { Designee = "group", List = DesignationList.SDGT })
            .Has("2002-02-01", new SanctionsImposed { Scope = "Banking" })
            .Has("2002-03-01", new OfficeOpened { OfficeKind = OfficeKind.LiaisonOffice, City = "Kabul" });

        var ledger = given.At("2003-01-01").Ledger;

        ledger.Designations.ShouldHaveSingleItem().Since.ShouldBe(Given.D("2001-01-01"));
        ledger.Sanctions.ShouldHaveSingleItem().Since.ShouldBe(Given.D("2001-02-01"));
        ledger.Offices.ShouldHaveSingleItem().Since.ShouldBe(Given.D("2001-03-01"));
    }

    [Fact]
    public void Given_more_contributing_events_than_momentum_lists_When_folded_Then_the_score_counts_them_all()
    {
        var given = Given.Negotiation();
        var count = FoldAccumulator.MomentumListed * 2;
        for (var i = 0; i < count; i++) given.HasTalks("2020-06-01");
        var one = Given.Negotiation().HasTalks("2020-06-01").At("2020-06-02").Momentum.Score;

        var momentum = given.At("2020-06-02").Momentum;

        momentum.Score.ShouldBe(Math.Round(one * count, 1));
        momentum.Contributions.Count.ShouldBe(FoldAccumulator.MomentumListed);
    }
}
