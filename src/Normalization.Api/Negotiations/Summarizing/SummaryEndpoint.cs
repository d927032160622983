using Microsoft.Extensions.Caching.Memory;
using Normalization.Api.Http;
using Normalization.Api.Storage;
using Normalization.Domain.Summaries;
using Wolverine.Http;

namespace Normalization.Api.Negotiations.Summarizing;

/// <summary>
/// GET /api/negotiations/{id}/summary?bucket=day|week|month&amp;knownAt= — the whole record at a glance, whatever its size:
/// the stage history, the momentum and the event counts per period (<see cref="RecordSummaries"/>). The page draws its
/// chart from it, so a record of any length is drawn whole while the timeline pages through the events.
/// </summary>
public static class SummaryEndpoint
{
    [WolverineGet("/api/negotiations/{id}/summary")]
    public static async Task<IResult> Get(string id, HttpRequest request, NegotiationStore store, IMemoryCache cache, CancellationToken ct)
    {
        var q = request.Query;
        if (Query.Only(q, "bucket", "knownAt") is { } unknown) return unknown;
        if (!Query.TryEnum<SummaryBucket>(q["bucket"], "bucket", out var bucket, out var p1)) return p1!;
        if (!Query.TryInstant(q["knownAt"], "knownAt", out var knownAt, out var p2)) return p2!;
        if (await store.VersionAsync(id, ct) is not { } version) return Problems.NegotiationNotFound(id);
        // A summary depends only on the stream (its version), the view asked for, and today (the end of the last period):
        // a record that has not changed since is answered from memory, so reopening a long record costs nothing.
        var key = (Summary: id, version, knownAt, bucket, store.Today);
        if (cache.TryGetValue(key, out object? known)) return ApiJson.Ok(known!);
        var history = await store.LoadHistoryAsync(id, knownAt, ct);
        if (history is null) return Problems.NotKnownThen(knownAt);

        var events = history.Events.Select(r => r.Event).ToList();
        var last = events.Count == 0 ? store.Today : events.Max(e => e.Date);
        var through = last > store.Today ? last : store.Today;
        var first = events.Count == 0 ? through : events.Min(e => e.Date);
        if (bucket is { } b && RecordSummaries.PeriodCount(first, through, b) is var n && n > RecordSummaries.MaxPeriods)
            return Problems.Field("bucket", "out_of_range", $"{b} periods from {first:yyyy-MM-dd} to {through:yyyy-MM-dd} would be {n}; at most {RecordSummaries.MaxPeriods}: ask for a longer bucket (or none).");

        var s = RecordSummaries.Build(history.Opening, events, through, bucket);
        var body = new
        {
            id, knownAt, bucket = s.Bucket, firstEventOn = s.FirstEventOn, lastEventOn = s.LastEventOn, through = s.Through, events = s.Events,
            momentumDays = s.MomentumDays, stageHistory = s.StageHistory, periods = s.Periods,
        };
        cache.Set(key, (object)body, new MemoryCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(10), Size = 1 + s.Periods.Count / 100 });
        return ApiJson.Ok(body);
    }
}
