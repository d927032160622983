using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Validation;

namespace Normalization.Domain.WhatIf;

/// <summary>What a branch's changes reach beyond themselves: the closings a removal would orphan, the events a hypothetical retraction or correction aims at.</summary>
public sealed partial class Branch
{
    /// <summary>
    /// The store's <c>still_referenced</c> rule for removals: a recorded DemandMade or AgreementSigned (as the record has it,
    /// corrections applied) removed or replaced while the branch keeps a closing of what it opened — and nothing else in the
    /// branch opens that id — would leave the closing without its opening. Refused at the change (<c>remove[i]</c>,
    /// <c>replace[i].event</c>; <c>remove</c> for a filter), naming the closings to remove too, as the store refuses retracting
    /// such an opening until its closings are retracted (docs/what-if.md, "The rules of a branch").
    /// </summary>
    void StillReferenced(HashSet<Guid> removed, List<NegotiationEvent> kept, IEnumerable<NegotiationEvent> hypothetical, List<FieldError> errors)
    {
        static IEnumerable<(bool Demand, string Id)> Opens(NegotiationEvent e) => e switch
        {
            DemandMade d => [(true, d.DemandId)],
            AgreementSigned a => a.Commitments.Select(c => (false, c.CommitmentId)),
            _ => [],
        };
        static (bool Demand, string Id)? Closes(NegotiationEvent e) => e switch
        {
            DemandMet m => (true, m.DemandId), DemandRefused r => (true, r.DemandId), DemandWithdrawn w => (true, w.DemandId),
            CommitmentFulfilled f => (false, f.CommitmentId), CommitmentBreached b => (false, b.CommitmentId),
            _ => null,
        };
        if (removed.Count == 0) return;
        var recorded = EffectiveHistory.Resolve(Recorded).Events.Where(e => removed.Contains(e.EventId) && Opens(e).Any()).ToList();
        if (recorded.Count == 0) return;
        var branch = EffectiveHistory.Resolve([.. kept, .. hypothetical]).Events;
        var opened = branch.SelectMany(Opens).ToHashSet();
        var closings = branch.Select(e => (Event: e, Closes: Closes(e))).Where(x => x.Closes is { } c && !opened.Contains(c)).ToList();
        foreach (var opening in recorded)
        {
            var orphaned = closings.Where(x => Opens(opening).Contains(x.Closes!.Value)).ToList();
            if (orphaned.Count == 0) continue;
            var path = _removals.FindIndex(x => x.Id == opening.EventId) is var r and >= 0 ? $"remove[{r}]"
                : _replacements.FindIndex(x => x.EventId == opening.EventId) is var p and >= 0 ? $"replace[{p}].event"
                : $"remove[{_removals.FindIndex(x => x.Filter is { } f && Recorded.Any(e => e.EventId == opening.EventId && f(e)))}]";
            errors.Add(new(path, "still_referenced",
                $"Event {opening.EventId} opened {string.Join(", ", orphaned.Select(x => $"'{x.Closes!.Value.Id}'").Distinct())}, still closed in this branch by " +
                $"{string.Join(", ", orphaned.Select(x => x.Event.EventId).Distinct())}: remove those too."));
        }
    }

    /// <summary>
    /// The recorded or hypothetical events each hypothetical retraction or correction reaches (its target, that target's
    /// own target when it is a retraction or correction itself, and so on) → the hypothetical events reaching them: a
    /// ledger entry or stage change resting on such an event rests on the hypothetical change, though it carries the
    /// target's id (a correction's replacement keeps the id of the event it corrects).
    /// </summary>
    static Dictionary<Guid, List<Guid>> AimedAt(IEnumerable<NegotiationEvent> hypothetical, IEnumerable<NegotiationEvent> recorded)
    {
        static Guid TargetOf(NegotiationEvent e) => e switch { EventRetracted r => r.TargetEventId, EventCorrected c => c.TargetEventId, _ => Guid.Empty };
        var hypotheticalList = hypothetical.ToList();
        var targets = new Dictionary<Guid, Guid>();
        foreach (var e in recorded.Concat(hypotheticalList))
            if (TargetOf(e) is var t && t != Guid.Empty) targets[e.EventId] = t;
        var aimedAt = new Dictionary<Guid, List<Guid>>();
        foreach (var h in hypotheticalList)
        {
            var target = TargetOf(h);
            for (var depth = 0; target != Guid.Empty && depth < 64; depth++)
            {
                if (!aimedAt.TryGetValue(target, out var by)) aimedAt[target] = by = [];
                if (!by.Contains(h.EventId)) by.Add(h.EventId);
                target = targets.GetValueOrDefault(target);
            }
        }
        return aimedAt;
    }
}
