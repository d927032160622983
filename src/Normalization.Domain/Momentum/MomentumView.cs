using Normalization.Domain.Stages;

namespace Normalization.Domain.Momentum;

/// <summary>One weighted event kept for the momentum windows.</summary>
/// <param name="On">The day it counts.</param>
/// <param name="Weight">Its Goldstein weight (−10 … +10).</param>
/// <param name="EventId">The event.</param>
/// <param name="Type">The event type.</param>
public sealed record MomentumPoint(DateOnly On, double Weight, Guid EventId, string Type);

/// <summary>The momentum weights of one day, summed.</summary>
/// <remarks>A value, not an object: the fold adds to the day's weight on every counted event.</remarks>
/// <param name="On">The day.</param>
/// <param name="Weight">The sum of that day's weights.</param>
public readonly record struct DailyWeight(DateOnly On, double Weight);

/// <summary>
/// Sum of Goldstein weights of the relationship's events in the last <c>WindowDays</c>, the same sum for the
/// window before it, and the trend between them. <c>Contributions</c> lists the most recent contributing events of the
/// current window (at most 50; the score counts them all).
/// </summary>
/// <param name="Score">The sum of the weights in (D − WindowDays, D], to one decimal.</param>
/// <param name="PreviousScore">The same over the window before.</param>
/// <param name="Trend">Improving, Stable or Deteriorating (<see cref="FoldOptions.TrendThreshold"/>).</param>
/// <param name="WindowDays">The window's length in days (default 90).</param>
/// <param name="Contributions">The most recent contributing events of the current window (at most 50).</param>
public sealed record MomentumView(double Score, double PreviousScore, MomentumTrend Trend, int WindowDays, IReadOnlyList<MomentumPoint> Contributions);
