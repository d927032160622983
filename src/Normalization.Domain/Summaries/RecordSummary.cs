using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Stages;

namespace Normalization.Domain.Summaries;

/// <summary>The length of a summary's periods. Weeks start on Monday (ISO 8601); months on the 1st.</summary>
public enum SummaryBucket { Day, Week, Month }

/// <summary>
/// One period of a record: its first and last day, the events dated in it as recorded (catalog events; retractions and
/// corrections are not counted themselves), how many of them are cooperative (Goldstein weight &gt; 0) or conflictual
/// (&lt; 0) and still count, how many were retracted, and the momentum on its last day (or on the summary's last day,
/// for the period holding it).
/// </summary>
public sealed record SummaryPeriod(DateOnly Start, DateOnly End, int Events, int Cooperative, int Conflictual, int Retracted, double Momentum);

/// <summary>
/// The whole record at a glance, small whatever its size: the stage history (the bands of the chart), the momentum per
/// period and the event counts per period. <see cref="Events"/> counts every recorded catalog event.
/// </summary>
public sealed record RecordSummary(
    string NegotiationId, SummaryBucket Bucket, DateOnly? FirstEventOn, DateOnly? LastEventOn, DateOnly Through, int Events, int MomentumDays,
    IReadOnlyList<StageTransition> StageHistory, IReadOnlyList<SummaryPeriod> Periods);

/// <summary>
/// Builds a <see cref="RecordSummary"/> with the one fold: the effective history is folded once in domain order and the
/// accumulator is asked, at the end of each period, for its momentum (<see cref="FoldAccumulator.MomentumAt"/>) — the
/// same rule as the state's momentum — and at the end for the stage history. No rule is written here; counting is all.
/// </summary>
public static class RecordSummaries
{
    /// <summary>The most periods a summary has (a finer bucket over a longer span is refused by the caller).</summary>
    public const int MaxPeriods = 10_000;

    /// <summary>The bucket when none is asked: days up to ~13 months, weeks up to 10 years, else months (at most ~500 periods for a century).</summary>
    public static SummaryBucket AutoBucket(DateOnly first, DateOnly through)
    {
        var days = through.DayNumber - first.DayNumber;
        return days <= 400 ? SummaryBucket.Day : days <= 3_660 ? SummaryBucket.Week : SummaryBucket.Month;
    }

    /// <summary>The first day of the period holding <paramref name="day"/>.</summary>
    public static DateOnly StartOf(DateOnly day, SummaryBucket bucket) => bucket switch
    {
        SummaryBucket.Day => day,
        SummaryBucket.Week => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)),
        _ => new DateOnly(day.Year, day.Month, 1),
    };

    /// <summary>The first day of the next period.</summary>
    public static DateOnly Next(DateOnly start, SummaryBucket bucket) => bucket switch
    {
        SummaryBucket.Day => start.AddDays(1),
        SummaryBucket.Week => start.AddDays(7),
        _ => start.AddMonths(1),
    };

    /// <summary>How many periods a summary from <paramref name="first"/> to <paramref name="through"/> has.</summary>
    public static int PeriodCount(DateOnly first, DateOnly through, SummaryBucket bucket)
    {
        var start = StartOf(first, bucket);
        var last = StartOf(through, bucket);
        return bucket switch
        {
            SummaryBucket.Day => last.DayNumber - start.DayNumber + 1,
            SummaryBucket.Week => (last.DayNumber - start.DayNumber) / 7 + 1,
            _ => (last.Year - start.Year) * 12 + last.Month - start.Month + 1,
        };
    }

    /// <summary>
    /// The summary of <paramref name="recorded"/> (every recorded event, in any order) through <paramref name="through"/>
    /// (on or after the last event's date). <paramref name="bucket"/> null: <see cref="AutoBucket"/>.
    /// </summary>
    public static RecordSummary Build(NegotiationOpened negotiation, IReadOnlyCollection<NegotiationEvent> recorded, DateOnly through, SummaryBucket? bucket = null, FoldOptions? options = null)
    {
        var resolved = EffectiveHistory.Resolve(recorded);
        var catalogEvents = recorded.Where(e => e is not EventRetracted and not EventCorrected).DistinctBy(e => e.EventId).ToList();
        DateOnly? first = catalogEvents.Count == 0 ? null : catalogEvents.Min(e => e.Date);
        DateOnly? last = catalogEvents.Count == 0 ? null : catalogEvents.Max(e => e.Date);
        if (last > through) throw new ArgumentOutOfRangeException(nameof(through), $"through ({through:yyyy-MM-dd}) is before the last event ({last:yyyy-MM-dd}).");
        var b = bucket ?? AutoBucket(first ?? through, through);

        var counts = new Dictionary<DateOnly, (int Events, int Coop, int Conf, int Retracted)>();
        foreach (var e in catalogEvents)
        {
            var key = StartOf(e.Date, b);
            var c = counts.GetValueOrDefault(key);
            var retracted = resolved.Statuses.TryGetValue(e.EventId, out var s) && s.Retracted;
            var weight = EventCatalog.GoldsteinOf(e);
            counts[key] = (c.Events + 1, c.Coop + (!retracted && weight > 0 ? 1 : 0), c.Conf + (!retracted && weight < 0 ? 1 : 0), c.Retracted + (retracted ? 1 : 0));
        }

        var effective = resolved.Events.ToList();
        DomainOrder.Sort(effective);
        var acc = FoldAccumulator.Start(negotiation, options);
        var periods = new List<SummaryPeriod>();
        var next = 0;
        for (var start = StartOf(first ?? through, b); start <= through; start = Next(start, b))
        {
            var end = Next(start, b).AddDays(-1);
            var until = end < through ? end : through;
            while (next < effective.Count && effective[next].Date <= until) acc.Apply(effective[next++]);
            var c = counts.GetValueOrDefault(start);
            periods.Add(new SummaryPeriod(start, end, c.Events, c.Coop, c.Conf, c.Retracted, acc.MomentumAt(until).Score));
        }
        while (next < effective.Count) acc.Apply(effective[next++]);
        var state = acc.StateAt(through);
        return new RecordSummary(negotiation.Id, b, first, last, through, catalogEvents.Count, acc.Options.MomentumDays, state.StageHistory, periods);
    }
}
