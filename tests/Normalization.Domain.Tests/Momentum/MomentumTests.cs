using Normalization.Domain.Catalog;
using Normalization.Domain.Stages;
using Normalization.Domain.Tests.Support;
using static Normalization.Domain.Tests.Support.Given;

namespace Normalization.Domain.Tests.Momentum;

/// <summary>Momentum: Goldstein weights summed over the last 90 days, compared with the 90 days before.</summary>
public class MomentumTests
{
    [Fact]
    public void Given_talks_and_a_release_When_folded_Then_momentum_is_the_sum_of_their_Goldstein_weights()
    {
        var state = Negotiation().HasTalks("2025-03-20").HasGesture(TB, "2025-03-20").At("2025-04-01");

        state.Momentum.Score.ShouldBe(14.0);
        state.Momentum.PreviousScore.ShouldBe(0);
        state.Momentum.Trend.ShouldBe(MomentumTrend.Improving);
        state.Momentum.WindowDays.ShouldBe(90);
        state.Momentum.Contributions.Select(c => (c.Type, c.Weight)).ShouldBe([(nameof(TalksHeld), 7.0), (nameof(PrisonerReleased), 7.0)]);
    }

    [Theory]
    [InlineData(Tone.Positive, 0.4)]
    [InlineData(Tone.Neutral, 0.0)]
    [InlineData(Tone.Negative, -0.4)]
    public void Given_a_statement_When_folded_Then_its_weight_depends_on_its_tone(Tone tone, double weight)
    {
        var state = Negotiation().Has("2025-04-03", new StatementIssued { Tone = tone }).At("2025-04-03");

        state.Momentum.Score.ShouldBe(weight);
        EventCatalog.GoldsteinOf(new StatementIssued { Tone = tone }).ShouldBe(weight);
    }

    [Fact]
    public void Given_hostile_events_When_folded_Then_momentum_is_negative_and_the_trend_deteriorates_after_a_good_quarter()
    {
        var n = Negotiation().HasTalks("2025-01-01").HasStrike(US, "2025-05-01").Has("2025-05-02", new ThreatIssued(), TB, US);

        var state = n.At("2025-05-10");

        state.Momentum.Score.ShouldBe(-17.0);
        state.Momentum.PreviousScore.ShouldBe(7.0);
        state.Momentum.Trend.ShouldBe(MomentumTrend.Deteriorating);
    }

    [Fact]
    public void Given_an_event_When_90_days_pass_Then_it_leaves_the_current_window_and_counts_in_the_previous_one()
    {
        var n = Negotiation().HasTalks("2025-01-01");

        n.At("2025-03-31").Momentum.Score.ShouldBe(7.0, "day 89");
        var later = n.At("2025-04-01");
        later.Momentum.Score.ShouldBe(0);
        later.Momentum.PreviousScore.ShouldBe(7.0);
        later.Momentum.Trend.ShouldBe(MomentumTrend.Deteriorating);
        n.At("2025-06-30").Momentum.PreviousScore.ShouldBe(0);
    }

    [Fact]
    public void Given_a_small_change_When_folded_Then_the_trend_is_stable_under_the_threshold()
    {
        var state = Negotiation().Has("2025-04-03", new StatementIssued { Tone = Tone.Positive }).At("2025-04-03");

        state.Momentum.Trend.ShouldBe(MomentumTrend.Stable);
        Negotiation().Has("2025-04-03", new StatementIssued { Tone = Tone.Positive }).At("2025-04-03", new FoldOptions { TrendThreshold = 0.1 })
            .Momentum.Trend.ShouldBe(MomentumTrend.Improving);
    }

    [Fact]
    public void Given_events_not_between_the_parties_When_folded_Then_they_do_not_count_towards_momentum()
    {
        var state = Negotiation()
            .Has("2025-03-01", new AttackOccurred { Casualties = 10 }, "ISIS-K", US)
            .Has("2025-03-02", new MilitaryStrike(), US, "AQ")
            .Has("2025-03-03", new TalksHeld { Participants = [US, "QA"] }, US, "QA")
            .At("2025-03-10");

        state.Momentum.Score.ShouldBe(0);
        state.Momentum.Contributions.ShouldBeEmpty();
    }

    [Fact]
    public void Given_a_custom_momentum_window_When_folded_Then_it_is_used()
    {
        var state = Negotiation().HasTalks("2025-01-01").At("2025-01-31", new FoldOptions { MomentumDays = 30 });

        state.Momentum.WindowDays.ShouldBe(30);
        state.Momentum.Score.ShouldBe(0);
        state.Momentum.PreviousScore.ShouldBe(7.0);
    }

    [Fact]
    public void Every_catalog_type_has_a_Goldstein_weight_between_minus_10_and_10()
    {
        foreach (var t in EventCatalog.All)
            t.Goldstein.ShouldBeInRange(-10.0, 10.0, t.Name);
    }
}
