using System.Diagnostics;

namespace Normalization.Benchmarks;

/// <summary>
/// Section 10 (issue 19): opening the negotiation page of a long record — the API calls the page makes before it is ready
/// (in parallel: the negotiation, the first timeline page of 100, the event types and the record summary; then the stage
/// history; then the state today), through the API, against the plain state query in the same run.
/// </summary>
public sealed partial class Measurements
{
    async Task<Section> PageOpenAsync()
    {
        log.WriteLine("10. page open");
        var n = o.TravelGoalSize;
        var id = await SizedAsync(n);
        var today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd");
        var s = new Section("11", "Opening the page of a long record", $"The calls the negotiation page makes before it is ready, on the {n:N0}-event negotiation, through {env.ApiDescription}: " +
            "in parallel `GET /api/negotiations/{id}`, `GET …/timeline?page=1&pageSize=100`, `GET /api/event-types` and `GET …/summary` (the chart: stage history, momentum and counts " +
            "per period of the whole record); then `GET …/stages`; then `GET …/state?asOf=today`. *Summary not cached*: the summary is asked with a `knownAt` (after everything) " +
            "new in every run, so it is computed (the record loaded and folded once); *cached*: the page reopened, the summary kept in memory by stream version. " +
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
        async Task<(double Open, double Summary)> Open(string? knownAt)
        {
            var t0 = Stopwatch.GetTimestamp();
            var summary = Get($"{page}/summary{(knownAt is null ? "" : $"?knownAt={Uri.EscapeDataString(knownAt)}")}");
            await Task.WhenAll(Get(page), Get($"{page}/timeline?page=1&pageSize=100"), Get("/api/event-types"), summary);
            await Get($"{page}/stages");
            await Get($"{page}/state?asOf={today}");
            return (Ms(Stopwatch.GetTimestamp() - t0), await summary);
        }
        string Later(int run) => DateTimeOffset.UtcNow.AddDays(1).AddSeconds(run).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");

        await Open(null); await Open(Later(-1)); await Get($"{page}/state?asOf={today}"); // warm-up: every endpoint once
        var cold = new List<double>(); var warm = new List<double>(); var summaries = new List<double>(); var baseline = new List<double>();
        for (var r = 0; r < o.Runs; r++)
        {
            var (open, summary) = await Open(Later(r));
            cold.Add(open); summaries.Add(summary);
            warm.Add((await Open(null)).Open);
            var states = new List<double>();
            for (var q = 0; q < 5; q++) states.Add(await Get($"{page}/state?asOf={today}"));
            baseline.Add(Percentile.Of(states, 50));
        }
        var b = Summary.Of(baseline);
        var label = $"{n:N0} events";
        Row Of(string metric, List<double> v, string goal = "—", bool? met = null) => new(label, metric, Summary.Of(v), b, "state query p50", Summary.Of(v).Median / b.Median, "× the state query", goal, met);
        s.Rows.Add(Of("page open, summary not cached (ms)", cold, "< 2,000 ms", Summary.Of(cold).Median < 2_000));
        s.Rows.Add(Of("of which the summary (ms)", summaries));
        s.Rows.Add(Of("page open, summary cached (ms)", warm));
        s.Notes.Add("The summary loads the whole record through Marten and folds it once (the same cost as a `knownAt` state, section 4); everything else the page asks at open reads the head, one checkpoint or one page of the index.");
        return s;
    }
}
