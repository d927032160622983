using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;

namespace Normalization.Api.Storage;

/// <summary>
/// The stored demands and agreement commitments a batch closes or whose opening it retracts or corrects, read from the fold's
/// head (its ledger lists every open demand and commitment and the latest closed ones: <see cref="FoldAccumulator.ClosedListed"/>),
/// so the validator can judge a closing against its opening — its date, its parties, whether it is still in the record — and
/// refuse a retraction that would leave closings without an opening (docs/stage-model.md, "Validation"). No round trip: the
/// openings' dates come with the batch's other known events (<see cref="DomainIndex.ReferencesOfAsync"/>).
/// </summary>
internal static class LedgerReferences
{
    /// <summary>
    /// One demand (<paramref name="Demand"/>) or commitment: its opening's eventId (null: closings are recorded, the opening is
    /// not in the record), its maker (a commitment: its party) and addressee, and the closings in force.
    /// </summary>
    internal sealed record Reference(bool Demand, string Id, Guid? Opening, string? By, string? Of, IReadOnlyList<Guid> Closings);

    /// <summary>What <paramref name="head"/> holds of the references <paramref name="events"/> touch (empty for most batches).</summary>
    internal static List<Reference> Of(FoldAccumulator head, IReadOnlyList<NegotiationEvent> events)
    {
        var found = new List<Reference>();
        // Most batches close nothing and retract nothing: nothing to read (no allocation on the end append's path).
        var any = false;
        foreach (var e in events)
            if (e is DemandMade or AgreementSigned or DemandMet or DemandRefused or DemandWithdrawn or CommitmentFulfilled or CommitmentBreached or EventRetracted or EventCorrected) { any = true; break; }
        if (!any) return found;
        var named = events.Select(e => e is EventCorrected { Correction: { } c } ? c : e).ToList();
        // A new opening's ids too: an id whose opening left the record is free again (the head does not list it, or lists its
        // closings without an opening); one whose opening is in force is taken.
        var demandIds = named.Select(e => e switch { DemandMade d => d.DemandId, DemandMet m => m.DemandId, DemandRefused r => r.DemandId, DemandWithdrawn w => w.DemandId, _ => null })
            .OfType<string>().ToHashSet(StringComparer.Ordinal);
        var commitmentIds = named.SelectMany(e => e switch
            {
                AgreementSigned a => a.Commitments.Select(c => c.CommitmentId),
                CommitmentFulfilled f => [f.CommitmentId],
                CommitmentBreached b => [b.CommitmentId],
                _ => [],
            }).ToHashSet(StringComparer.Ordinal);
        var targets = events.Select(e => e switch { EventRetracted r => r.TargetEventId, EventCorrected c => c.TargetEventId, _ => Guid.Empty })
            .Where(g => g != Guid.Empty).ToHashSet();
        if (demandIds.Count + commitmentIds.Count + targets.Count == 0) return found;

        // A demand the head does not list: closed long ago and dropped from the list, or not in the record at all (its opening
        // retracted). While no more than ClosedListed demands were ever closed, nothing was dropped, so the head is sure.
        if (head.Totals.DemandsResolved <= FoldAccumulator.ClosedListed)
            foreach (var id in demandIds.Where(d => !head.Demands.ContainsKey(d)))
                found.Add(new(true, id, null, null, null, []));
        foreach (var (id, d) in head.Demands)
        {
            // The fold prepends the DemandMade's eventId and appends each closing's; no MadeOn at the end of the record: the
            // closings stand without their opening (retracted, or corrected away).
            Guid? opening = d.MadeOn is not null && d.EventIds.Count > 0 ? d.EventIds[0] : null;
            if (!demandIds.Contains(id) && !(opening is { } o && targets.Contains(o))) continue;
            found.Add(new(true, id, opening, opening is null ? null : d.By, d.Of, opening is null ? d.EventIds : d.EventIds.Skip(1).ToList()));
        }
        // A commitment is judged only when its agreement is listed (the latest ClosedListed agreements): a commitment whose
        // agreement left the list, or was never folded, is not told apart here and is left unjudged, as before.
        if (head.Totals.Agreements <= FoldAccumulator.ClosedListed)
            foreach (var cid in commitmentIds.Where(c => !head.Agreements.Any(a => a.CommitmentIds.Contains(c))))
                found.Add(new(false, cid, null, null, null, []));
        foreach (var a in head.Agreements)
            foreach (var cid in a.CommitmentIds)
                if ((commitmentIds.Contains(cid) || targets.Contains(a.EventId)) && head.Commitments.TryGetValue(cid, out var c))
                    found.Add(new(false, cid, a.EventId, c.Party, null, c.EventIds.Where(x => x != a.EventId).ToList()));
        return found;
    }

    /// <summary>
    /// Whether <paramref name="events"/> name a demand or commitment that a ledger event below the fold's threshold also names
    /// (<see cref="FoldAccumulator.UnfoldedDemandIds"/>) — by its id, or by retracting or correcting its listed opening. The
    /// head does not show such events (a Rumoured DemandMade, a Rumoured closing), so <see cref="Of"/> cannot judge the batch:
    /// it is judged on the whole record, where every event counts whatever its confidence.
    /// </summary>
    internal static bool NamesUnfolded(FoldAccumulator head, IReadOnlyList<NegotiationEvent> events)
    {
        if (head.UnfoldedDemandIds.Count + head.UnfoldedCommitmentIds.Count == 0) return false;
        foreach (var e in events)
        {
            var named = e is EventCorrected { Correction: { } c } ? c : e;
            var demand = named switch { DemandMade d => d.DemandId, DemandMet m => m.DemandId, DemandRefused r => r.DemandId, DemandWithdrawn w => w.DemandId, _ => null };
            if (demand is not null && head.UnfoldedDemandIds.Contains(demand)) return true;
            IEnumerable<string> commitments = named switch
            {
                AgreementSigned a => a.Commitments.Select(x => x.CommitmentId),
                CommitmentFulfilled f => [f.CommitmentId],
                CommitmentBreached b => [b.CommitmentId],
                _ => [],
            };
            if (commitments.Any(head.UnfoldedCommitmentIds.Contains)) return true;
            // An opening retracted or corrected: its closings below the threshold are not in the head's ledger.
            var target = e switch { EventRetracted r => r.TargetEventId, EventCorrected x => x.TargetEventId, _ => Guid.Empty };
            if (target == Guid.Empty) continue;
            if (head.Demands.Any(d => d.Value.EventIds.Count > 0 && d.Value.EventIds[0] == target && head.UnfoldedDemandIds.Contains(d.Key))) return true;
            if (head.Agreements.Any(a => a.EventId == target && a.CommitmentIds.Any(head.UnfoldedCommitmentIds.Contains))) return true;
        }
        return false;
    }
}