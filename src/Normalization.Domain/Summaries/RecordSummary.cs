using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Stages;
using Normalization.Domain.Momentum;

namespace Normalization.Domain.Summaries;

/// <summary>The length of a summary's periods. Weeks start on Monday (ISO 8601); months on the 1st.</summary>
public enum SummaryBucket
{
    /// <summary>One day.</summary>
    Day,
    /// <summary>An ISO week, Monday to Sunday.</summary>
    Week,
    /// <summary>A calendar month.</summary>
    Month,
}

/// <summary>
/// One period of a record: its first and last day, the events dated in it as recorded — an event corrected on the date its
/// correction in force gives it (<see cref="RecordSummaries.Days"/>) — (the negotiation's events; retractions,
/// corrections and reviews keep the record and are not counted themselves, <see cref="EventCatalog.IsRecordKeeping"/>), how many of them are cooperative (Goldstein weight &gt; 0) or conflictual
/// (&lt; 0) and still count, how many were retracted, and the momentum on its last day (or on the summary's last day,
/// for the period holding it). The counts describe the record (every confidence, every actor); the momentum is the
/// fold's score, which leaves out events below the confidence threshold and those not between the parties.
/// </summary>
/// <param name="Start">Its first day.</param>
/// <param name="End">Its last day.</param>
/// <param name="Events">Events dated in it, as recorded.</param>
/// <param name="Cooperative">Of those, still counting with a weight above 0.</param>
/// <param name="Conflictual">Of those, still counting with a weight below 0.</param>
/// <param name="Retracted">Of those, retracted.</param>
/// <param name="Momentum">The momentum on its last day (or the summary's last day).</param>
public sealed record SummaryPeriod(DateOnly Start, DateOnly End, int Events, int Cooperative, int Conflictual, int Retracted, double Momentum);

/// <summary>
/// The whole record at a glance, small whatever its size: the stage history (the bands of the chart), the momentum per
/// period and the event counts per period. <see cref="Events"/> counts every recorded event of the negotiation (not the
/// record keeping: <see cref="EventCatalog.IsRecordKeeping"/>); <see cref="FirstEventOn"/> and <see cref="LastEventOn"/> are theirs.
/// </summary>
/// <param name="NegotiationId">The negotiation.</param>
/// <param name="Bucket">The periods' length.</param>
/// <param name="FirstEventOn">The first event's day; null: none.</param>
/// <param name="LastEventOn">The last event's day; null: none.</param>
/// <param name="Through">The summary's last day.</param>
/// <param name="Events">Every recorded event of the negotiation.</param>
/// <param name="MomentumDays">The momentum window, in days.</param>
/// <param name="StageHistory">The stage history through <paramref name="Through"/>.</param>
/// <param name="Periods">The periods, oldest first.</param>
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
    /// (today: the stage history ends there; see <see cref="Lay"/> for an event counted from a later day). <paramref name="bucket"/> null: <see cref="AutoBucket"/>.
    /// </summary>
    public static RecordSummary Build(NegotiationOpened negotiation, IReadOnlyCollection<NegotiationEvent> recorded, DateOnly through, SummaryBucket? bucket = null, FoldOptions? options = null)
    {
        var resolved = EffectiveHistory.Resolve(recorded);
        var days = Days(recorded, resolved);

        var effective = resolved.Events.ToList();
        DomainOrder.Sort(effective);
        var acc = FoldAccumulator.Start(negotiation, options);
        var next = 0;
        // Folds up to the end of each period as the periods are laid out, in order, and samples the momentum there.
        double MomentumOn(DateOnly until)
        {
            while (next < effective.Count && effective[next].Date <= until) acc.Apply(effective[next++]);
            return acc.MomentumAt(until).Score;
        }
        var summary = Lay(negotiation.Id, days, through, bucket, acc.Options.MomentumDays, MomentumOn);
        while (next < effective.Count) acc.Apply(effective[next++]);
        return summary with { StageHistory = acc.StageHistoryAt(through) };
    }

    /// <summary>
    /// The same summary without folding the record (the store's summary of the current record, issue 19): the stage history
    /// from <paramref name="head"/> (the fold of every effective event), the counts from <paramref name="days"/> (per day
    /// the catalog events as recorded, by <see cref="Tally"/>) and the momentum from <paramref name="daily"/> (per day the sum, in
    /// domain order, of <see cref="FoldAccumulator.MomentumWeightOf"/> over the effective events; days in date order) —
    /// what the fold keeps in <see cref="FoldAccumulator.Daily"/>, so each period's score is the one
    /// <see cref="FoldAccumulator.MomentumScore"/> over the same numbers. Equal to <see cref="Build"/> of the same record.
    /// </summary>
    public static RecordSummary FromIndex(FoldAccumulator head, IEnumerable<SummaryDay> days, IReadOnlyList<DailyWeight> daily, DateOnly through, SummaryBucket? bucket = null)
    {
        var m = head.Options.MomentumDays;
        int lo = 0, hi = 0;
        double MomentumOn(DateOnly until)
        {
            while (hi < daily.Count && daily[hi].On <= until) hi++;
            while (lo < hi && daily[lo].On <= until.AddDays(-m)) lo++;
            return FoldAccumulator.MomentumScore(Window(daily, lo, hi), until, m);
        }
        var summary = Lay(head.Negotiation.Id, days, through, bucket, m, MomentumOn);
        return summary with { StageHistory = head.StageHistoryAt(through) };
    }

    static IEnumerable<DailyWeight> Window(IReadOnlyList<DailyWeight> daily, int from, int to)
    {
        for (var i = from; i < to; i++) yield return daily[i];
    }

    /// <summary>
    /// The day tallies of a record (<paramref name="recorded"/>, resolved as <paramref name="resolved"/>): each of the
    /// negotiation's events once (record keeping — retractions, corrections, reviews — is not counted), on its day and with
    /// its Goldstein weight <b>as the fold reads it</b>: an event replaced by a correction in force is counted on the
    /// corrected date with the corrected weight (where the timeline places the correction and the momentum counts it), a
    /// retracted one on its recorded date as retracted. The store's index counts the same way (NegotiationStore.Summary.cs).
    /// </summary>
    public static IEnumerable<SummaryDay> Days(IReadOnlyCollection<NegotiationEvent> recorded, EffectiveHistory.Result resolved)
    {
        var effective = resolved.Events.Where(e => !EventCatalog.IsRecordKeeping(e)).ToDictionary(e => e.EventId);
        foreach (var e in recorded.Where(e => !EventCatalog.IsRecordKeeping(e)).DistinctBy(e => e.EventId))
        {
            var retracted = resolved.Statuses.TryGetValue(e.EventId, out var s) && s.Retracted;
            var read = !retracted && s?.CorrectedBy is not null && effective.TryGetValue(e.EventId, out var corrected) ? corrected : e;
            yield return Tally(read.Date, retracted, EventCatalog.GoldsteinOf(read), 1);
        }
    }

    /// <summary>
    /// The days a record's summary may reach, for its limits: every recorded event's date (retractions and corrections at
    /// their own) and the date of each version a correction puts in force — where <see cref="Days"/> may count an event.
    /// </summary>
    public static IEnumerable<DateOnly> SpanDates(IEnumerable<NegotiationEvent> recorded) =>
        recorded.SelectMany(e => e is EventCorrected { Correction: { } c } ? [e.Date, c.Date] : new[] { e.Date });

    /// <summary>
    /// The counts of <paramref name="n"/> catalog events dated <paramref name="day"/>, retracted or not, of Goldstein weight
    /// <paramref name="goldstein"/>: cooperative (&gt; 0) and conflictual (&lt; 0) count only while not retracted.
    /// </summary>
    public static SummaryDay Tally(DateOnly day, bool retracted, double goldstein, int n) =>
        new(day, n, !retracted && goldstein > 0 ? n : 0, !retracted && goldstein < 0 ? n : 0, retracted ? n : 0);

    /// <summary>
    /// Lays out the periods from the first event's through <paramref name="through"/>; the stage history is filled by the caller.
    /// An event of the current month or year counts from its period's last day, after today (docs/stage-model.md, "Dates and
    /// precision"): the periods then run on to the one holding it, so every recorded event is counted in one, each sampling
    /// the momentum on its last day up to that event's day — a projection, as the stage changes it will make are.
    /// </summary>
    static RecordSummary Lay(string id, IEnumerable<SummaryDay> days, DateOnly through, SummaryBucket? bucket, int momentumDays, Func<DateOnly, double> momentumOn)
    {
        var all = days.Where(d => d.Events > 0).ToList();
        DateOnly? first = all.Count == 0 ? null : all.Min(d => d.Day);
        DateOnly? last = all.Count == 0 ? null : all.Max(d => d.Day);
        var layTo = last > through ? last.Value : through;
        var b = bucket ?? AutoBucket(first ?? through, layTo);

        var counts = new Dictionary<DateOnly, SummaryDay>();
        foreach (var d in all)
        {
            var key = StartOf(d.Day, b);
            counts[key] = counts.TryGetValue(key, out var c)
                ? c with { Events = c.Events + d.Events, Cooperative = c.Cooperative + d.Cooperative, Conflictual = c.Conflictual + d.Conflictual, Retracted = c.Retracted + d.Retracted }
                : d with { Day = key };
        }
        var periods = new List<SummaryPeriod>();
        for (var start = StartOf(first ?? through, b); start <= layTo; start = Next(start, b))
        {
            var end = Next(start, b).AddDays(-1);
            // The period holding today samples today; one after it (an event counted from a later day) its last day, up to that event's.
            var until = end < through ? end : start <= through ? through : end < layTo ? end : layTo;
            var momentum = momentumOn(until);
            var c = counts.GetValueOrDefault(start);
            periods.Add(new SummaryPeriod(start, end, c?.Events ?? 0, c?.Cooperative ?? 0, c?.Conflictual ?? 0, c?.Retracted ?? 0, momentum));
        }
        return new RecordSummary(id, b, first, last, through, all.Sum(d => d.Events), momentumDays, [], periods);
    }
}

/// <summary>
/// The negotiation's events dated on one day, as recorded (retractions, corrections and reviews are not counted themselves): how many,
/// how many of them are cooperative or conflictual and still count, how many were retracted (<see cref="RecordSummaries.Tally"/>).
/// </summary>
/// <param name="Day">The day.</param>
/// <param name="Events">Events dated on it, as recorded.</param>
/// <param name="Cooperative">Of those, still counting with a weight above 0.</param>
/// <param name="Conflictual">Of those, still counting with a weight below 0.</param>
/// <param name="Retracted">Of those, retracted.</param>
public sealed record SummaryDay(DateOnly Day, int Events, int Cooperative, int Conflictual, int Retracted);
