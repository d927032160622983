using Normalization.Domain.Catalog;

namespace Normalization.Domain.Stages;

/// <summary>The normalization ladder, lowest to highest.</summary>
public enum Stage
{
    /// <summary>0: a hostile act between the parties within the window, and no talks.</summary>
    Hostility,
    /// <summary>1: nothing holds: no relations, recognition or office, no recent talks or hostile acts.</summary>
    Estrangement,
    /// <summary>2: the parties have talked within the window.</summary>
    Exploratory,
    /// <summary>3: talks, and a cooperative gesture by each party, within the window.</summary>
    ConfidenceBuilding,
    /// <summary>4: an official office of one party operates in the other's territory.</summary>
    Representation,
    /// <summary>5: each recognizes the other's government de jure (or relations stand with no envoy either way).</summary>
    Recognition,
    /// <summary>6: diplomatic relations exist.</summary>
    FullRelations,
}

/// <summary>The momentum's direction: the score against the previous window's, beyond <see cref="FoldOptions.TrendThreshold"/>.</summary>
public enum MomentumTrend
{
    /// <summary>The score rose by more than the threshold.</summary>
    Improving,
    /// <summary>Within the threshold.</summary>
    Stable,
    /// <summary>The score fell by more than the threshold.</summary>
    Deteriorating,
}

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

    /// <summary>The defaults: 365-day window, 90-day momentum, threshold 2.0, Reported and up.</summary>
    public static readonly FoldOptions Default = new();
}

/// <summary>Why the stage is what it is: the rule that holds and the events that satisfy it.</summary>
/// <param name="Rule">The rule id, e.g. <c>talks-within-window</c>.</param>
/// <param name="Description">The rule in a sentence.</param>
/// <param name="EventIds">The events that satisfy it on the date asked.</param>
public sealed record StageReason(string Rule, string Description, IReadOnlyList<Guid> EventIds);

/// <summary>
/// A change of stage. <c>On</c> is null for the stage the baseline gives before any event. <c>Projected</c> is true
/// for a change dated after the day the record is covered until (the rules carried past the record), else absent.
/// </summary>
/// <param name="On">The day of the change; null for the baseline's stage.</param>
/// <param name="From">The stage before; null for the baseline's.</param>
/// <param name="To">The stage after.</param>
/// <param name="Rule">The rule that holds from that day.</param>
/// <param name="Description">The rule in a sentence.</param>
/// <param name="EventIds">The events behind it that day.</param>
/// <param name="Projected">True after the record's coverage; else null.</param>
public sealed record StageTransition(DateOnly? On, Stage? From, Stage To, string Rule, string Description, IReadOnlyList<Guid> EventIds, bool? Projected = null);
