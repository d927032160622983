using Normalization.Domain.Catalog;
using Normalization.Domain.Momentum;
using Normalization.Domain.Stages;

namespace Normalization.Domain.Folding;

// The momentum: Goldstein weights per day over the window and the events listed as its explanation (docs/stage-model.md, "Momentum").
public sealed partial class FoldAccumulator
{
    /// <summary>Whether <paramref name="e"/> counts toward the momentum: when it is between the two parties, the test the stage rules and the ledger use.</summary>
    bool CountsForMomentum(NegotiationEvent e) => Between(e);

    /// <summary>
    /// The weight <paramref name="e"/> adds to its day's momentum when this accumulator applies it (0: none — not counted,
    /// below <see cref="FoldOptions.MinConfidence"/>, a record review, a retraction or a correction itself). The same rule
    /// <see cref="Apply"/> follows; the store keeps it per event in its index so a summary needs no fold of the whole record.
    /// </summary>
    public double MomentumWeightOf(NegotiationEvent e) =>
        e is EventRetracted or EventCorrected or RecordReviewed || e.Confidence < Options.MinConfidence || !CountsForMomentum(e) ? 0 : EventCatalog.GoldsteinOf(e);

    void ApplyMomentum(NegotiationEvent e)
    {
        var counts = CountsForMomentum(e);
        var on = _on;
        var horizon = on.AddDays(-2 * Options.MomentumDays);
        // Both lists are in date order (events arrive in domain order): drop from the front.
        while (_dailyFrom < _daily.Count && _daily[_dailyFrom].On <= horizon) _dailyFrom++;
        while (_recentFrom < _recent.Count && _recent[_recentFrom].On <= horizon) _recentFrom++;
        if (counts && EventCatalog.GoldsteinOf(e) is var weight && weight != 0)
        {
            if (_daily.Count > _dailyFrom && _daily[^1].On == on) _daily[^1] = _daily[^1] with { Weight = _daily[^1].Weight + weight };
            else _daily.Add(new DailyWeight(on, weight));
            _recent.Add(new MomentumPoint(on, weight, e.EventId, e.Type));
            if (_recent.Count - _recentFrom > MomentumListed) _recentFrom++;
        }
        if (_dailyFrom >= CompactAfter) { _daily.RemoveRange(0, _dailyFrom); _dailyFrom = 0; }
        if (_recentFrom >= CompactAfter) { _recent.RemoveRange(0, _recentFrom); _recentFrom = 0; }
    }

    /// <summary>The momentum on <paramref name="day"/> (on or after the last event applied): the one momentum rule, also sampled per period by <see cref="Summaries.RecordSummaries"/>.</summary>
    public MomentumView MomentumAt(DateOnly day)
    {
        var m = Options.MomentumDays;
        var current = Recent.Where(p => p.On <= day && p.On > day.AddDays(-m)).ToList();
        var score = MomentumScore(Daily, day, m);
        var prev = Math.Round(Daily.Where(p => p.On <= day.AddDays(-m) && p.On > day.AddDays(-2 * m)).Sum(p => p.Weight), 1);
        var trend = score - prev > Options.TrendThreshold ? MomentumTrend.Improving
            : prev - score > Options.TrendThreshold ? MomentumTrend.Deteriorating : MomentumTrend.Stable;
        return new MomentumView(score, prev, trend, m, current);
    }

    /// <summary>
    /// The momentum score on <paramref name="day"/>: the sum of the daily weights (in date order) of the <paramref name="windowDays"/>
    /// days ending on it, rounded to one decimal. <see cref="MomentumAt"/> and the record summary both call it.
    /// </summary>
    public static double MomentumScore(IEnumerable<DailyWeight> daily, DateOnly day, int windowDays) =>
        Math.Round(daily.Where(p => p.On <= day && p.On > day.AddDays(-windowDays)).Sum(p => p.Weight), 1);
}
