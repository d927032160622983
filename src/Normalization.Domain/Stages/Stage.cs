using Normalization.Domain.Catalog;

namespace Normalization.Domain.Stages;

/// <summary>The normalization ladder, lowest to highest.</summary>
public enum Stage { Hostility, Estrangement, Exploratory, ConfidenceBuilding, Representation, Recognition, FullRelations }

public enum MomentumTrend { Improving, Stable, Deteriorating }

/// <summary>The parameters of the stage and momentum rules (docs/stage-model.md).</summary>
public sealed record FoldOptions
{
    /// <summary>W: how long talks, gestures and hostile acts keep counting, in days.</summary>
    public int WindowDays { get; init; } = 365;
    /// <summary>Momentum sums the Goldstein weights of the last this-many days.</summary>
    public int MomentumDays { get; init; } = 90;
    /// <summary>Difference between this and the previous momentum window beyond which the trend is not Stable.</summary>
    public double TrendThreshold { get; init; } = 2.0;
    /// <summary>Events below this confidence are left out of the fold. Default: Reported (Confirmed and Reported count).</summary>
    public Confidence MinConfidence { get; init; } = Confidence.Reported;

    public static readonly FoldOptions Default = new();
}

/// <summary>Why the stage is what it is: the rule that holds and the events that satisfy it.</summary>
public sealed record StageReason(string Rule, string Description, IReadOnlyList<Guid> EventIds);

/// <summary>
/// A change of stage. <c>On</c> is null for the stage the baseline gives before any event. <c>Projected</c> is true
/// for a change dated after the day the record is covered until (the rules carried past the record), else absent.
/// </summary>
public sealed record StageTransition(DateOnly? On, Stage? From, Stage To, string Rule, string Description, IReadOnlyList<Guid> EventIds, bool? Projected = null);
