using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Ledger;
using Normalization.Domain.Momentum;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Stages;

namespace Normalization.Api.Negotiations.GettingState;

/// <summary>
/// A negotiation's state on <see cref="AsOf"/> (the fold's <see cref="NegotiationState"/>) with the stream
/// <see cref="Version"/> it was read at; <see cref="KnownAt"/> when the record was read as it stood at that instant
/// (omitted otherwise) and the <see cref="MinConfidence"/> threshold applied; <see cref="CoveredUntil"/> is the last day the
/// record is declared complete through and <see cref="Extrapolated"/> says asOf is after it. The answer of GET /api/negotiations/{id},
/// GET …/state and the create's 201; the CLI's <c>state --json</c> prints the same.
/// </summary>
public sealed record NegotiationStateResponse(
    string Id, string Title, IReadOnlyList<Party> Parties, IReadOnlyList<Party> Mediators, DateOnly AsOf, DateTimeOffset? KnownAt,
    Confidence MinConfidence, Stage Stage, DateOnly? StageSince, StageReason Why, IReadOnlyList<RepresentationEntry> Representation,
    LedgerView Ledger, MomentumView Momentum, IReadOnlyList<StageTransition> StageHistory, int EventCount, string? LastEventOn,
    DateOnly? CoveredUntil, bool Extrapolated, int Version)
{
    /// <summary>The answer for <paramref name="s"/> read at stream version <paramref name="version"/>.</summary>
    public static NegotiationStateResponse Of(NegotiationState s, int version, DateTimeOffset? knownAt = null, Confidence? minConfidence = null) =>
        new(s.NegotiationId, s.Title, s.Parties, s.Mediators, s.AsOf, knownAt, minConfidence ?? FoldOptions.Default.MinConfidence,
            s.Stage, s.StageSince, s.Why, s.Representation, s.Ledger, s.Momentum, s.StageHistory, s.EventCount, s.LastEventOn,
            s.CoveredUntil, s.Extrapolated, version);
}
