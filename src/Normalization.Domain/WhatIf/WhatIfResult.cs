using System.Text.Json.Serialization;
using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Validation;

namespace Normalization.Domain.WhatIf;

/// <summary>A hypothetical event of the branch: where it came from ("add" or "replace") and, for a replacement, which recorded event it replaces.</summary>
/// <param name="EventId">Its id (a new GUID when none was given).</param>
/// <param name="Type">Its type.</param>
/// <param name="OccurredOn">Its date, as written.</param>
/// <param name="Origin"><c>add</c> or <c>replace</c>.</param>
/// <param name="Replaces">The recorded event it replaces; null for an addition.</param>
/// <param name="Event">The event itself (<c>Hypothetical</c> true).</param>
public sealed record HypotheticalEvent(Guid EventId, string Type, string OccurredOn, string Origin, Guid? Replaces, NegotiationEvent Event)
{
    /// <summary>Always true: every output names hypothetical events as such.</summary>
    public bool Hypothetical => true;
}

/// <summary>The answer to a what-if: the projected state, the baseline (same dates, no changes) and what differs.</summary>
public sealed record WhatIfResult
{
    /// <summary>Problems with the changes, with paths such as <c>add[0].occurredOn</c>. When not empty there is no projection.</summary>
    public IReadOnlyList<FieldError> Errors { get; init; } = [];
    /// <summary>True when <see cref="Errors"/> is empty: the projection is there.</summary>
    [JsonIgnore] public bool IsValid => Errors.Count == 0;

    /// <summary>The branch point (null: the whole record).</summary>
    public DateOnly? BranchedAt { get; init; }
    /// <summary>The date both states are projected to.</summary>
    public DateOnly ProjectedAt { get; init; }
    /// <summary>The "today" hypothetical events were validated against.</summary>
    public DateOnly Today { get; init; }

    /// <summary>The branch's state at <see cref="ProjectedAt"/>; null when invalid.</summary>
    public NegotiationState? Projected { get; init; }
    /// <summary>The record's state at the same dates, without the changes; null when invalid.</summary>
    public NegotiationState? Baseline { get; init; }
    /// <summary>What differs, baseline → branch; null when invalid.</summary>
    public Comparison? Comparison { get; init; }

    /// <summary>Every hypothetical event (added or replacing), each marked <c>hypothetical: true</c>.</summary>
    public IReadOnlyList<HypotheticalEvent> Hypothetical { get; init; } = [];
    /// <summary>Recorded events left out by Remove or Replace, in the order of the changes (removals, then replacements; a filter's matches in record order).</summary>
    public IReadOnlyList<Guid> Removed { get; init; } = [];

    /// <summary>The projected state; throws when the changes were invalid (read <see cref="Errors"/> first when unsure).</summary>
    [JsonIgnore] public NegotiationState State => Projected ?? throw Invalid();
    /// <summary>The comparison with the baseline; throws when the changes were invalid.</summary>
    [JsonIgnore] public Comparison Diff => Comparison ?? throw Invalid();

    InvalidOperationException Invalid() =>
        new("The what-if is invalid: " + string.Join("; ", Errors.Select(e => $"{e.Path}: {e.Message}")));
}
