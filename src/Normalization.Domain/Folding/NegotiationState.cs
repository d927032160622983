using Normalization.Domain.Ledger;
using Normalization.Domain.Momentum;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Stages;

namespace Normalization.Domain.Folding;

/// <summary>The negotiation as of one date: the fold's answer.</summary>
public sealed record NegotiationState
{
    /// <summary>The negotiation's id.</summary>
    public string NegotiationId { get; init; } = "";
    /// <summary>Its title.</summary>
    public string Title { get; init; } = "";
    /// <summary>The two parties, first party first.</summary>
    public IReadOnlyList<Party> Parties { get; init; } = [];
    /// <summary>Its mediators.</summary>
    public IReadOnlyList<Party> Mediators { get; init; } = [];
    /// <summary>The date the state is for.</summary>
    public DateOnly AsOf { get; init; }
    /// <summary>The stage on <see cref="AsOf"/>.</summary>
    public Stage Stage { get; init; }
    /// <summary>Null when the stage has held since tracking began (it comes from the baseline).</summary>
    public DateOnly? StageSince { get; init; }
    /// <summary>The rule that holds on <see cref="AsOf"/> and the events in force behind it (docs/stage-model.md).</summary>
    public StageReason Why { get; init; } = new("", "", []);
    /// <summary>Every change of stage up to <see cref="AsOf"/>, the baseline's first (<c>on</c> null).</summary>
    public IReadOnlyList<StageTransition> StageHistory { get; init; } = [];
    /// <summary>Each party's level of representation in the other's capital: first party's, then second party's (level null: not recorded).</summary>
    public IReadOnlyList<RepresentationEntry> Representation { get; init; } = [];
    /// <summary>What each side has given, asked, opened and imposed, as of <see cref="AsOf"/>.</summary>
    public LedgerView Ledger { get; init; } = new();
    /// <summary>The Goldstein-weighted score of the last 90 days and its trend.</summary>
    public MomentumView Momentum { get; init; } = new(0, 0, MomentumTrend.Stable, 90, []);
    /// <summary>Catalog events folded (after retractions, corrections and the confidence threshold).</summary>
    public int EventCount { get; init; }
    /// <summary>The date of the last folded event, as written (<c>2025-03</c>); null: none.</summary>
    public string? LastEventOn { get; init; }
    /// <summary>The last day the record is complete through (the opening's or the latest <c>RecordReviewed</c>); null: not declared.</summary>
    public DateOnly? CoveredUntil { get; init; }
    /// <summary>True when <see cref="AsOf"/> is after <see cref="CoveredUntil"/>: the stage is the rules carried past the record, not a finding.</summary>
    public bool Extrapolated { get; init; }

    /// <summary>
    /// This state read against <paramref name="coveredUntil"/>: <see cref="Extrapolated"/> when asOf is after it, and each
    /// transition after it marked projected. Every view that knows the record's coverage better than the fold it asked
    /// (a checkpoint that precedes the latest review) calls this one function.
    /// </summary>
    public NegotiationState WithCoverage(DateOnly? coveredUntil) => this with
    {
        CoveredUntil = coveredUntil,
        Extrapolated = coveredUntil is { } c && AsOf > c,
        StageHistory = MarkProjected(StageHistory, coveredUntil),
    };

    /// <summary>The transitions with each one after <paramref name="coveredUntil"/> marked projected (the one place that rule is written).</summary>
    /// <remarks>A transition whose mark is already right is kept as it is (records are immutable): the store asks for the
    /// stage history on every append, and copying each transition made that cost grow with the history.</remarks>
    public static List<StageTransition> MarkProjected(IEnumerable<StageTransition> history, DateOnly? coveredUntil) =>
        history.Select(t => (coveredUntil is { } c && t.On > c ? true : (bool?)null) is var mark && t.Projected == mark ? t : t with { Projected = mark }).ToList();
}
