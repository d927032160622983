using Normalization.Domain.Ledger;
using Normalization.Domain.Momentum;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Stages;

namespace Normalization.Domain.Folding;

/// <summary>The negotiation as of one date: the fold's answer.</summary>
public sealed record NegotiationState
{
    public string NegotiationId { get; init; } = "";
    public string Title { get; init; } = "";
    public IReadOnlyList<Party> Parties { get; init; } = [];
    public IReadOnlyList<Party> Mediators { get; init; } = [];
    public DateOnly AsOf { get; init; }
    public Stage Stage { get; init; }
    /// <summary>Null when the stage has held since tracking began (it comes from the baseline).</summary>
    public DateOnly? StageSince { get; init; }
    public StageReason Why { get; init; } = new("", "", []);
    public IReadOnlyList<StageTransition> StageHistory { get; init; } = [];
    /// <summary>Each party's level of representation in the other's capital: first party's, then second party's (level null: not recorded).</summary>
    public IReadOnlyList<RepresentationEntry> Representation { get; init; } = [];
    public LedgerView Ledger { get; init; } = new();
    public MomentumView Momentum { get; init; } = new(0, 0, MomentumTrend.Stable, 90, []);
    /// <summary>Catalog events folded (after retractions, corrections and the confidence threshold).</summary>
    public int EventCount { get; init; }
    public string? LastEventOn { get; init; }
}
