using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Histories;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Stages;
using Normalization.Domain.Tests.Support;
using static Normalization.Domain.Tests.Support.Given;

namespace Normalization.Domain.Tests.Coverage;

/// <summary>How far the record reaches (docs/stage-model.md): coveredUntil, extrapolated states, projected transitions.</summary>
public class CoverageTests
{
    static NegotiationBuilder Covered(string until) => new(Negotiation().Opening with { CoveredUntil = D(until) });

    static RecordReviewed Review(string until) => new() { CoveredUntil = DomainDate.Parse(until) };

    [Fact]
    public void Given_no_coverage_declared_When_folded_Then_nothing_is_extrapolated_or_projected()
    {
        var state = Negotiation().HasTalks("2020-01-10").At("2022-01-01");

        state.CoveredUntil.ShouldBeNull();
        state.Extrapolated.ShouldBeFalse();
        state.StageHistory.ShouldAllBe(t => t.Projected == null);
    }

    [Fact]
    public void Given_coverage_on_the_opening_When_asked_after_it_Then_extrapolated_and_the_window_expiry_after_it_is_projected()
    {
        var n = Covered("2020-06-30").HasTalks("2020-01-10");

        var inside = n.At("2020-06-30");
        inside.Extrapolated.ShouldBeFalse();
        inside.CoveredUntil.ShouldBe(D("2020-06-30"));

        var after = n.At("2021-06-01");
        after.Extrapolated.ShouldBeTrue();
        after.Stage.ShouldBe(Stage.Estrangement);
        after.StageHistory.Select(t => (t.On, t.Projected)).ShouldBe([(null, null), (D("2020-01-10"), null), (D("2021-01-09"), (bool?)true)]);
    }

    [Fact]
    public void Given_a_later_review_When_asked_between_the_two_coverages_Then_the_latest_review_counts_at_every_date()
    {
        var n = Covered("2020-06-30").HasTalks("2020-01-10").Has("2022-01-05", Review("2021-12-31"), "EDITOR", null);

        var between = n.At("2021-03-01");

        between.CoveredUntil.ShouldBe(D("2021-12-31"), "the review of 2022 is read at every date, like a retraction");
        between.Extrapolated.ShouldBeFalse();
        between.StageHistory[^1].Projected.ShouldBeNull();
        NegotiationFold.FoldAll(n.Opening, n.Events).StateAt(D("2022-06-01")).Extrapolated.ShouldBeTrue();
    }

    [Fact]
    public void Given_a_review_When_folded_Then_stage_ledger_momentum_and_count_are_those_without_it()
    {
        var without = Negotiation().HasTalks("2020-01-10").HasGesture(US, "2020-01-11").HasGesture(TB, "2020-01-12");
        var with = Negotiation().HasTalks("2020-01-10").HasGesture(US, "2020-01-11").HasGesture(TB, "2020-01-12")
            .Has("2020-01-11", Review("2020-01-11"), "EDITOR", null);

        var a = without.At("2020-03-01");
        var b = with.At("2020-03-01");

        b.Stage.ShouldBe(a.Stage);
        b.EventCount.ShouldBe(a.EventCount);
        StateJson.Of(b.Ledger).ShouldBe(StateJson.Of(a.Ledger));
        StateJson.Of(b.Momentum).ShouldBe(StateJson.Of(a.Momentum));
        b.StageHistory.Select(t => (t.On, t.To, t.Rule)).ShouldBe(a.StageHistory.Select(t => (t.On, t.To, t.Rule)));
    }

    [Fact]
    public void Given_a_review_retracted_When_folded_Then_the_earlier_coverage_holds_again()
    {
        var n = Covered("2020-06-30").Has("2021-01-05", Review("2020-12-31"), "EDITOR", null);
        var review = n.LastId;
        n.HasRetraction(review, "2021-02-01");

        n.At("2021-03-01").CoveredUntil.ShouldBe(D("2020-06-30"));
    }

    [Fact]
    public void Given_a_checkpoint_before_the_latest_review_When_the_state_is_read_with_the_heads_coverage_Then_it_equals_the_whole_fold()
    {
        var n = Covered("2020-06-30").HasTalks("2020-01-10").Has("2022-01-05", Review("2021-12-31"), "EDITOR", null);
        var partial = FoldAccumulator.Start(n.Opening);
        foreach (var e in NegotiationFold.Effective(n.Events).Where(e => e.Date <= D("2021-03-01"))) partial.Apply(e);
        var head = NegotiationFold.FoldAll(n.Opening, n.Events);

        var state = partial.StateAt(D("2021-03-01")).WithCoverage(head.CoveredUntil);

        StateJson.Of(state).ShouldBe(StateJson.Of(n.At("2021-03-01")));
    }

    [Fact]
    public void Given_the_seed_declaring_its_coverage_When_asked_today_Then_extrapolated_and_the_2026_fall_is_projected()
    {
        using var reader = File.OpenText(Path.Combine(AppContext.BaseDirectory, "Seed", "us-taliban.ndjson"));
        var (opening, events, errors) = NdjsonHistory.ReadAll(reader, new DateOnly(2026, 11, 30));
        errors.ShouldBeEmpty();

        var state = NegotiationFold.StateAsOf(opening!, events, new DateOnly(2026, 11, 30));

        state.CoveredUntil.ShouldBe(new DateOnly(2025, 4, 3));
        state.Extrapolated.ShouldBeTrue();
        state.StageHistory[^1].ShouldSatisfyAllConditions(
            t => t.On.ShouldBe(new DateOnly(2026, 3, 20)),
            t => t.Rule.ShouldBe("no-contact"),
            t => t.Projected.ShouldBe(true));
        state.StageHistory.Where(t => t.On <= new DateOnly(2025, 4, 3)).ShouldAllBe(t => t.Projected == null);
    }
}
