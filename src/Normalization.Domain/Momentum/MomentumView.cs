using Normalization.Domain.Stages;

namespace Normalization.Domain.Momentum;

/// <summary>One weighted event kept for the momentum windows.</summary>
public sealed record MomentumPoint(DateOnly On, double Weight, Guid EventId, string Type);

/// <summary>
/// Sum of Goldstein weights of the relationship's events in the last <c>WindowDays</c>, the same sum for the
/// window before it, and the trend between them.
/// </summary>
public sealed record MomentumView(double Score, double PreviousScore, MomentumTrend Trend, int WindowDays, IReadOnlyList<MomentumPoint> Contributions);
