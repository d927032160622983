using Normalization.Domain.Stages;

namespace Normalization.Domain.Momentum;

/// <summary>One weighted event kept for the momentum windows.</summary>
public sealed record MomentumPoint(DateOnly On, double Weight, Guid EventId, string Type);

/// <summary>The momentum weights of one day, summed.</summary>
/// <remarks>A value, not an object: the fold adds to the day's weight on every counted event.</remarks>
public readonly record struct DailyWeight(DateOnly On, double Weight);

/// <summary>
/// Sum of Goldstein weights of the relationship's events in the last <c>WindowDays</c>, the same sum for the
/// window before it, and the trend between them. <c>Contributions</c> lists the most recent contributing events of the
/// current window (at most 50; the score counts them all).
/// </summary>
public sealed record MomentumView(double Score, double PreviousScore, MomentumTrend Trend, int WindowDays, IReadOnlyList<MomentumPoint> Contributions);
