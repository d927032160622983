using Normalization.Domain.Validation;
using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Caching.Memory;
using Normalization.Api.Http;
using Normalization.Api.Http.Requests;
using Normalization.Api.Storage;
using Normalization.Domain.Stages;
using Normalization.Domain.Summaries;
using Wolverine.Attributes;
using Wolverine.Http;

namespace Normalization.Api.Negotiations.Summarizing;

/// <summary>
/// GET /api/negotiations/{id}/summary?bucket=day|week|month&amp;knownAt= — the whole record at a glance, whatever its size:
/// the stage history, the momentum and the event counts per period (<see cref="RecordSummaries"/>). The page draws its
/// chart from it, so a record of any length is drawn whole while the timeline pages through the events.
/// </summary>
public static class SummaryEndpoint
{
    /// <summary>200 <see cref="SummaryResponse"/>; 400 when the bucket would give too many periods; 404 <c>negotiation_not_found</c> / <c>not_known_then</c>.</summary>
    [Tags("Negotiations"), EndpointSummary("Record summary")]
    [EndpointDescription("The whole record at a glance, whatever its length: the stage history, and per day, week or month the events dated in it (cooperative, conflictual, retracted) and the momentum on its last day — the fold sampled per period. The page draws its chart from it. 400 bucket out_of_range when there would be more periods than allowed; 404 negotiation_not_found, or not_known_then before the negotiation was recorded.")]
    [ProducesResponseType<SummaryResponse>(StatusCodes.Status200OK), ProducesProblem(StatusCodes.Status404NotFound)]
    [WolverineGet("/api/negotiations/{id}/summary")]
    [Middleware(typeof(KnownNegotiation))]
    public static async Task<IResult> Get(SummaryQuery query, string id, StreamVersion version, NegotiationStore store, IMemoryCache cache, CancellationToken ct)
    {
        var (bucket, knownAt) = (query.Bucket, query.KnownAt);
        // A summary depends only on the stream (its version), the view asked for, and today (the end of the last period):
        // a record that has not changed since is answered from memory.
        var key = (Summary: id, version.Value, knownAt, bucket, store.Today);
        if (cache.TryGetValue(key, out SummaryResponse? known)) return ApiJson.Ok(known!);

        // The current record: from the head and our index, without folding the record (issue 19: a long record opens fast).
        // As known at an instant: the events Marten had stored then, loaded and folded.
        RecordSummary s;
        if (knownAt is null && await store.SummarySourceAsync(id, ct) is { } source)
        {
            var through = store.Today;
            if (TooManyPeriods(bucket, source.FirstRecorded ?? through, Later(source.LastRecorded, through)) is { } tooMany) return tooMany;
            s = RecordSummaries.FromIndex(source.Head, source.Days, source.Daily, through, bucket);
            key = key with { Value = source.Version };
        }
        else
        {
            var history = await store.LoadHistoryAsync(id, knownAt, ct);
            if (history is null) return await Problems.NotKnownThenAsync(store, id, knownAt, ct);
            var events = history.Events.Select(r => r.Event).ToList();
            var through = store.Today;
            // Every recorded date, and the dates corrections put events on (a corrected event is counted there: RecordSummaries.Days)
            var dates = RecordSummaries.SpanDates(events).ToList();
            if (TooManyPeriods(bucket, dates.Count == 0 ? through : dates.Min(), Later(dates.Count == 0 ? null : dates.Max(), through)) is { } tooMany) return tooMany;
            s = RecordSummaries.Build(history.Opening, events, through, bucket);
        }
        var body = new SummaryResponse(id, knownAt, s.Bucket, s.FirstEventOn, s.LastEventOn, s.Through, s.Events, s.MomentumDays, s.StageHistory, s.Periods);
        cache.Set(key, body, new MemoryCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(10), Size = 1 + s.Periods.Count / 100 });
        return ApiJson.Ok(body);
    }

    /// <summary>
    /// The last period's day: today (the summary's <c>through</c>), or the last recorded event's day when later — an event of
    /// the current month or year counts from its period's end, and the periods run on to hold it (RecordSummaries.Lay).
    /// </summary>
    static DateOnly Later(DateOnly? lastRecorded, DateOnly today) => lastRecorded > today ? lastRecorded.Value : today;

    /// <summary>400 <c>bucket</c> <c>out_of_range</c> when the asked bucket would give more than <see cref="RecordSummaries.MaxPeriods"/> periods.</summary>
    static IResult? TooManyPeriods(SummaryBucket? bucket, DateOnly first, DateOnly through) =>
        bucket is { } b && RecordSummaries.PeriodCount(first, through, b) is var n && n > RecordSummaries.MaxPeriods
            ? Problems.Field("bucket", "out_of_range", $"{b} periods from {first:yyyy-MM-dd} to {through:yyyy-MM-dd} would be {n}; at most {RecordSummaries.MaxPeriods}: ask for a longer bucket (or none).")
            : null;
}

/// <summary>Query of GET …/summary: <c>bucket</c> (Day, Week, Month; default by the span), <c>knownAt</c> (an instant).</summary>
public sealed record SummaryQuery(
    [Description("Day, Week (from Monday) or Month. Default by the span: days up to ~13 months, weeks up to 10 years, else months. At most 10000 periods.")] SummaryBucket? Bucket,
    [Description("ISO 8601 instant with Z or an offset: the record as it was then.")] DateTimeOffset? KnownAt) : IQueryRequest<SummaryQuery>
{
    /// <inheritdoc/>
    public static string[] Parameters => ["bucket", "knownAt", Readers.TimeZones.Parameter];

    /// <inheritdoc/>
    public static IResult? Read(HttpRequest request, DateOnly today, List<FieldError> errors, out SummaryQuery query)
    {
        var q = request.Query;
        Query.TryEnum<SummaryBucket>(q["bucket"], "bucket", out var bucket, errors);
        Query.TryInstant(q["knownAt"], "knownAt", out var knownAt, errors);
        query = new(bucket, knownAt);
        return null;
    }
}

/// <summary>
/// The whole record at a glance: the period size used (<c>Bucket</c>), the first and last event's days (null: no events),
/// the last day summarised (<c>Through</c>: today; periods run on to hold an event counted from a later day), the catalog events recorded, the
/// momentum window in days, the stage history and the periods (events dated in each, cooperative / conflictual /
/// retracted counts, the momentum on its last day).
/// </summary>
public sealed record SummaryResponse(string Id, DateTimeOffset? KnownAt, SummaryBucket Bucket, DateOnly? FirstEventOn, DateOnly? LastEventOn, DateOnly Through,
    int Events, int MomentumDays, IReadOnlyList<StageTransition> StageHistory, IReadOnlyList<SummaryPeriod> Periods);
