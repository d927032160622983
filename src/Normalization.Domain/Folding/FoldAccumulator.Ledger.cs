using Normalization.Domain.Catalog;
using Normalization.Domain.Ledger;

namespace Normalization.Domain.Folding;

// The ledger as read: entries whose opening is folded, the latest closed ones listed, totals counted.
public sealed partial class FoldAccumulator
{
    /// <summary>
    /// The ledger as read: an entry whose opening is not folded yet is held back — a demand without its DemandMade (no
    /// <c>madeOn</c>), a commitment without its AgreementSigned (<see cref="CommitmentsBeforeAgreement"/>) — and not counted in
    /// the totals. A closing dated inside its opening's coarser period is folded first (the opening counts on its period's
    /// last day): the entry appears, already closed, when the opening counts (docs/stage-model.md, "Closings inside an
    /// opening's period"). Held entries are never dropped from the accumulator (<see cref="Closed{T}"/>), so all are subtracted.
    /// </summary>
    LedgerView LedgerAt()
    {
        var demands = Demands.Values.Where(d => d.MadeOn is not null).OrderBy(d => d.MadeOn).ThenBy(d => d.DemandId, StringComparer.Ordinal).ToList();
        var commitments = CommitmentsBeforeAgreement.Count == 0 ? Commitments.Values : Commitments.Values.Where(c => !CommitmentsBeforeAgreement.Contains(c.CommitmentId));
        return ViewOf(demands, commitments.OrderBy(c => c.CommitmentId, StringComparer.Ordinal).ToList(),
            Totals with
            {
                DemandsResolved = Totals.DemandsResolved - (Demands.Count - demands.Count),
                CommitmentsClosed = Totals.CommitmentsClosed - CommitmentsBeforeAgreement.Count(Commitments.ContainsKey),
            });
    }

    LedgerView ViewOf(List<DemandEntry> demands, List<CommitmentEntry> commitments, LedgerTotals totals) => new()
    {
        Demands = demands,
        Requests = Requests.ToList(),
        GesturesByParty = Negotiation.Parties.ToDictionary(p => p.Code, p => (IReadOnlyList<GestureEntry>)Gestures.Where(g => g.Party == p.Code).ToList()),
        PrisonersReleasedByParty = Negotiation.Parties.ToDictionary(p => p.Code, p => (IReadOnlyList<PrisonerEntry>)PrisonersReleased.Where(g => g.ReleasedBy == p.Code).ToList()),
        GestureCountByParty = Negotiation.Parties.ToDictionary(p => p.Code, p => GestureCounts.GetValueOrDefault(p.Code)),
        PrisonersReleasedCountByParty = Negotiation.Parties.ToDictionary(p => p.Code, p => PrisonerCounts.GetValueOrDefault(p.Code)),
        Sanctions = Sanctions.ToList(),
        Designations = Designations.ToList(),
        Rewards = Rewards.ToList(),
        Offices = Offices.ToList(),
        Recognition = Recognition.ToList(),
        Relations = Relations,
        RepresentationChanges = RepresentationChanges.ToList(),
        Agreements = Agreements.ToList(),
        Commitments = commitments,
        ThirdPartyRecognitions = ThirdPartyRecognitions.ToList(),
        FrozenAssetsUsdByParty = new Dictionary<string, decimal>(FrozenAssetsUsd),
        Totals = totals,
    };

    /// <summary>
    /// The one sum of client numbers the fold makes (a party's frozen assets). Accepted amounts are at most
    /// <see cref="EventCatalog.MaxAmount"/> (10^15) each, so it cannot overflow below 7.9 × 10^13 events; a record
    /// stored before that bound existed saturates at <see cref="decimal.MaxValue"/> instead of failing every read.
    /// </summary>
    static decimal SaturatingAdd(decimal a, decimal b)
    {
        try { return checked(a + b); }
        catch (OverflowException) { return decimal.MaxValue; }
    }
}
