using Normalization.Domain.Catalog;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Stages;

namespace Normalization.Domain.Folding;

/// <summary>
/// The one fold. Every view of a negotiation — the stored read model, time travel, what-if, rebuilds,
/// exports — is this function (or its resumable form, <see cref="FoldAccumulator"/>) over recorded events.
/// </summary>
public static class NegotiationFold
{
    /// <summary>
    /// The state on <paramref name="asOf"/> from everything recorded: retractions and corrections resolved, then folded in
    /// domain order (the same event listed twice counts once). An event without <c>OccurredOn</c>, two different events with one <c>EventId</c>, or a negotiation without exactly
    /// two parties is an <see cref="ArgumentException"/> naming it.
    /// </summary>
    public static NegotiationState StateAsOf(NegotiationOpened negotiation, IEnumerable<NegotiationEvent> recorded, DateOnly asOf, FoldOptions? options = null)
    {
        var acc = FoldAccumulator.Start(negotiation, options);
        var effective = Effective(recorded);
        // How far the record reaches holds at every date: the latest review counts even when dated after asOf.
        foreach (var review in effective.OfType<RecordReviewed>()) acc.Reviewed(review);
        foreach (var e in effective)
        {
            if (e.Date > asOf) break;
            acc.Apply(e);
        }
        return acc.StateAt(asOf);
    }

    /// <summary>The effective history (after retractions and corrections) in domain order.</summary>
    public static IReadOnlyList<NegotiationEvent> Effective(IEnumerable<NegotiationEvent> recorded)
    {
        var list = EffectiveHistory.Resolve(recorded).Events.ToList();
        DomainOrder.Sort(list);
        return list;
    }

    /// <summary>Folds every effective event; ask the result <see cref="FoldAccumulator.StateAt"/> for any date on or after the last event.</summary>
    public static FoldAccumulator FoldAll(NegotiationOpened negotiation, IEnumerable<NegotiationEvent> recorded, FoldOptions? options = null)
    {
        var acc = FoldAccumulator.Start(negotiation, options);
        foreach (var e in Effective(recorded)) acc.Apply(e);
        return acc;
    }
}
