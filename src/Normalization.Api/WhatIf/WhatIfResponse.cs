using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Stages;
using Normalization.Domain.WhatIf;

namespace Normalization.Api.WhatIf;

/// <summary>
/// The answer of a what-if (and of a saved scenario): the branch point <see cref="AsOf"/>, the date projected to, the
/// "today" hypothetical events were checked against, the projected stage, both folded states (projected and baseline:
/// same dates, no changes), their comparison, the hypothetical events marked as such and the recorded events left out.
/// <see cref="Stored"/> is always false: nothing of a what-if is written. <see cref="Scenario"/>: the saved scenario's name.
/// </summary>
public sealed record WhatIfResponse(string Id, string? Scenario, DateOnly? AsOf, DateOnly ProjectedAt, DateTimeOffset? KnownAt, DateOnly Today, bool Stored,
    Stage Stage, DateOnly? StageSince, NegotiationState? Projected, NegotiationState? Baseline, Comparison? Comparison,
    IReadOnlyList<HypotheticalItem> Hypothetical, IReadOnlyList<Guid> Removed)
{
    /// <summary>The answer for a valid result.</summary>
    public static WhatIfResponse Of(string id, WhatIfResult r, DateTimeOffset? knownAt, string? scenario = null) =>
        new(id, scenario, r.BranchedAt, r.ProjectedAt, knownAt, r.Today, false, r.State.Stage, r.State.StageSince, r.Projected, r.Baseline, r.Comparison,
            [.. r.Hypothetical.Select(h => new HypotheticalItem(h.EventId, h.Type, h.OccurredOn, h.Origin, h.Replaces, true, h.Event))], r.Removed);
}

/// <summary>A hypothetical event in a what-if answer: from <c>add</c> or <c>replace</c> (then the recorded event it replaces); always <c>hypothetical: true</c>.</summary>
public sealed record HypotheticalItem(Guid EventId, string Type, string OccurredOn, string Origin, Guid? Replaces, bool Hypothetical, NegotiationEvent Event);
