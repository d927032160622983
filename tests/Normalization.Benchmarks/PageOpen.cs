using System.Diagnostics;

namespace Normalization.Benchmarks;

/// <summary>
/// Section 11 (issue 19): opening the negotiation page of a long record — the API calls the page makes before it is ready
/// (in parallel: the negotiation, the first timeline page of 100, the event types and the record summary; then the stage
/// history; then the state today), through the API, against the plain state query in the same run. The summary is built
/// from the head and the index; the same summary as known at an instant (the full fold) is measured beside it.
/// </summary>
public sealed partial class Measurements
{
    async Task<Section> PageOpenAsync()
    {
        log.WriteLine("11. page open");
        var n = o.TravelGoalSize;
        var id = await SizedAsync(n);
        var today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd");
        var s = new Section("11", "Opening the page of a long record", $"The calls the negotiation page makes before it is ready, on the {n:N0}-event negotiation, through {env.ApiDescription}: " +
            "in parallel `GET /api/negotiations/{id}`, `GET …/timeline?page=1&pageSize=100`, `GET /api/event-types` and `GET …/summary` (the chart: stage history, momentum and counts " +
            "per period of the whole record); then `GET …/stages`; then `GET …/state?asOf=today`. *First open after an append*: one event is posted at the end of the record " +
            "before each open, so the summary is not in the API's memory and is computed — from the head and our index (issue 19); the append's own time is not counted. " +
            "*Reopened*: the same page again, the summary kept in memory by stream version. *Summary as known at an instant*: `GET …/summary?knownAt=` (after everything, new in " +
            "every run), which still loads the record from Marten and folds it — the cost every first open paid before. " +
            "Baseline: the plain state query (`GET …/state?asOf=today`, checkpoint + tail) in the same run. The browser's own work (drawing ~400 periods, 100 rows) is not included.");

        async Task<double> Get(string url)
        {
            var t0 = Stopwatch.GetTimestamp();
            using var res = await env.Api.GetAsync(url);
            await res.Content.ReadAsByteArrayAsync();
            if (!res.IsSuccessStatusCode) throw new InvalidOperationException($"GET {url}: {(int)res.StatusCode}");
            return Ms(Stopwatch.GetTimestamp() - t0);
        }
        var page = $"/api/negotiations/{id}";
        async Task<(double Open, double Summary)> Open()
        {
            var t0 = Stopwatch.GetTimestamp();
            var summary = Get($"{page}/summary");
            await Task.WhenAll(Get(page), Get($"{page}/timeline?page=1&pageSize=100"), Get("/api/event-types"), summary);
            await Get($"{page}/stages");
            await Get($"{page}/state?asOf={today}");
            return (Ms(Stopwatch.GetTimestamp() - t0), await summary);
        }
        string Later(int run) => Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(1).AddSeconds(run).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'"));
        var appended = 0;
        Task Append() => PostAsync(id, AppendEvent(300 + appended++));

        // Warm-up: every endpoint once (the first summary after the import also weighs nothing: the import wrote the weights).
        await Append(); await Open(); await Open(); await Get($"{page}/summary?knownAt={Later(-1)}"); await Get($"{page}/state?asOf={today}");
        var first = new List<double>(); var warm = new List<double>(); var summaries = new List<double>(); var knownAt = new List<double>(); var baseline = new List<double>();
        for (var r = 0; r < o.Runs; r++)
        {
            await Append();
            var (open, summary) = await Open();
            first.Add(open); summaries.Add(summary);
            warm.Add((await Open()).Open);
            knownAt.Add(await Get($"{page}/summary?knownAt={Later(r)}"));
            var states = new List<double>();
            for (var q = 0; q < 5; q++) states.Add(await Get($"{page}/state?asOf={today}"));
            baseline.Add(Percentile.Of(states, 50));
        }
        var b = Summary.Of(baseline);
        var label = $"{n:N0} events";
        Row Of(string metric, List<double> v, string goal = "—", bool? met = null) => new(label, metric, Summary.Of(v), b, "state query p50", Summary.Of(v).Median / b.Median, "× the state query", goal, met);
        s.Rows.Add(Of("page open, first after an append (ms)", first, "< 2,000 ms", Summary.Of(first).Median < 2_000));
        s.Rows.Add(Of("of which the summary (ms)", summaries));
        s.Rows.Add(Of("page open, reopened (ms)", warm));
        s.Rows.Add(Of("summary as known at an instant, full fold (ms)", knownAt));
        s.Notes.Add("The summary of the current record reads the head (in memory, or the last checkpoint + at most 500 events) and two grouped scans of our index " +
            "(catalog events per day by status and Goldstein sign; momentum weight per day), and weighs the appended event from Marten once: no event of the record is loaded or folded, " +
            "PostgreSQL aggregates the index rows (small, one per event) per day. Everything else the page asks at open reads the head, one checkpoint or one page of the index.");
        return s;
    }
}
