using System.Diagnostics;
using System.Net;
using Alba;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.Configuration;
using Normalization.Api.Readers;

namespace Normalization.Benchmarks;

/// <summary>
/// Section 13 (issue 21): what the reader features cost a cheap GET — the <c>?tz=</c> reader clock (the zone looked up and made
/// the request's local zone) and a read-only deployment's public limits (ASP.NET Core's rate limiter: a per-IP token bucket
/// chained with a global concurrency limiter on the expensive reads; the partition check alone on the others) — against the
/// same request on a read-write host without them, in the same run. Both hosts are in this process on the same database and
/// called through their TestServers, so no socket or client noise hides a per-request cost of microseconds.
/// </summary>
public sealed partial class Measurements
{
    /// <summary>Section 13's baseline state-query times (µs/request), for the note that puts the direct costs in proportion.</summary>
    List<double> StateTimes { get; set; } = [];

    async Task<Section> ReaderCostsAsync()
    {
        var n = o.Quick ? 100 : 1_000;
        var requests = o.Quick ? 20 : 400;
        log.WriteLine($"13. reader clock and public limits: {requests} requests per variant and run, {n:N0}-event negotiation");
        var id = await SizedAsync(n);
        var asOf = "2020-06-30";
        var s = new Section("13", "Reader clock and public limits on a cheap GET", $"Per-request time of `GET …/state?asOf={asOf}` (checkpoint + tail) and `GET …/stages` " +
            $"(the stage history: one of the reads a read-only deployment limits) on a {n:N0}-event negotiation, {requests} sequential requests per variant and run (their median) through the " +
            "in-process TestServer (the whole ASP.NET Core + Wolverine pipeline, no sockets), variants interleaved. *Reader clock*: the same state query with `&tz=Asia/Kabul` " +
            "(the middleware looks the zone up and sets it for the request; the endpoint's \"today\" is Kabul's). *Public limits*: two hosts built alike in this process on the same database, one " +
            "with `Normalization:Mode = ReadOnly` and limits too high to refuse (so every request pays the limiter's bookkeeping and none waits). Baseline: the other, read-write, " +
            "whose limiter is a no-op partition for reads.");

        // Two hosts built alike in this process, on the same database, that differ only in the mode (the bench's own host
        // ran the import and owns the background agents: it would not be a like-for-like baseline).
        async Task<IAlbaHost> Host(string mode) => await AlbaHost.For<global::Program>(b =>
        {
            foreach (var (k, v) in BenchEnvironment.Settings(env.ConnectionString)) b.UseSetting(k, v);
            b.UseSetting(ReaderSettings.ModeKey, mode);
            b.UseSetting("Normalization:RateLimit:PublicPerMinute", "100000000");
            b.UseSetting("Normalization:RateLimit:PublicBurst", "100000000");
            b.UseSetting("Normalization:RateLimit:PublicConcurrency", "64");
            if (BenchEnvironment.RepositoryRoot() is { } root) b.UseContentRoot(Path.Combine(root, "src", "Normalization.Api"));
        });
        await using var readWrite = await Host("ReadWrite");
        await using var readOnly = await Host("ReadOnly");
        using var rw = readWrite.Server.CreateClient();
        using var ro = readOnly.Server.CreateClient();
        var state = $"/api/negotiations/{id}/state?asOf={asOf}";
        var stages = $"/api/negotiations/{id}/stages";
        var variants = new (string Name, HttpClient Client, string Url)[]
        {
            ("state", rw, state), ("state + tz", rw, state + "&tz=Asia%2FKabul"), ("state, read-only host", ro, state),
            ("stages", rw, stages), ("stages, read-only host", ro, stages),
        };

        // The run's median request (µs): a pause of the shared machine moves a mean, not the median of 400 requests.
        async Task<double> MicrosecondsPerRequest(HttpClient client, string url)
        {
            var each = new List<double>(requests);
            for (var i = 0; i < requests; i++)
            {
                var t0 = Stopwatch.GetTimestamp();
                using var res = await client.GetAsync(url);
                await res.Content.ReadAsByteArrayAsync();
                if (!res.IsSuccessStatusCode) throw new InvalidOperationException($"GET {url}: {(int)res.StatusCode}");
                each.Add(Ms(Stopwatch.GetTimestamp() - t0) * 1000);
            }
            return Percentile.Of(each, 50);
        }

        foreach (var v in variants) await MicrosecondsPerRequest(v.Client, v.Url); // warm-up: every endpoint compiled on both hosts
        var times = variants.ToDictionary(v => v.Name, _ => new List<double>());
        for (var r = 0; r < o.Runs; r++)
            foreach (var v in r % 2 == 0 ? variants : variants.Reverse()) // alternate the order: drift in the machine's load hits both sides
                times[v.Name].Add(await MicrosecondsPerRequest(v.Client, v.Url));

        StateTimes = times["state"];
        Row Of(string name, string baseline) =>
            new(name, "µs/request (p50)", Summary.Of(times[name]), Summary.Of(times[baseline]), baseline + " (read-write host)", Summary.Of(times[name]).Median / Summary.Of(times[baseline]).Median, "× baseline time");
        s.Rows.Add(Of("state + tz", "state"));
        s.Rows.Add(Of("state, read-only host", "state"));
        s.Rows.Add(Of("stages, read-only host", "stages"));
        AddDirectRows(s, requests * 250);
        s.Notes.Add("Through HTTP the ratios scatter around 1 by the machine's noise (compare each row's min–max with its baseline's): the features' cost is below what a request's " +
            "time can show, which is why the direct rows measure them alone. Goal of the direct rows: less than 1 % of the state query's time per request.");
        return s;
    }

    /// <summary>
    /// The two features alone, called directly <paramref name="calls"/> times per run: the limiter a read-only host builds
    /// (<see cref="PublicLimits.Create"/>) acquiring and releasing a permit for a limited route, against the read-write host's
    /// (a no-op partition); the <c>?tz=</c> work (<see cref="TimeZones.TryFind"/> and setting the request's zone) against setting
    /// none. Their absolute cost per request is what a request pays; the HTTP rows above show it is lost in a request's time.
    /// </summary>
    void AddDirectRows(Section s, int calls)
    {
        IConfiguration Config(string mode) => new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [ReaderSettings.ModeKey] = mode, ["Normalization:RateLimit:PublicPerMinute"] = "100000000",
            ["Normalization:RateLimit:PublicBurst"] = "100000000", ["Normalization:RateLimit:PublicConcurrency"] = "64",
        }).Build();
        using var publicLimiter = PublicLimits.Create(ReaderSettings.From(Config("ReadOnly")), Config("ReadOnly"));
        using var noLimiter = PublicLimits.Create(ReaderSettings.From(Config("ReadWrite")), Config("ReadWrite"));
        var http = new DefaultHttpContext();
        http.Connection.RemoteIpAddress = IPAddress.Loopback;
        http.SetEndpoint(new RouteEndpoint(_ => Task.CompletedTask, RoutePatternFactory.Parse("/api/negotiations/{id}/stages"), 0, EndpointMetadataCollection.Empty, "stages"));
        if (!PublicLimits.Applies(http)) throw new InvalidOperationException("the endpoint must be one the public limits apply to");

        double NsPerCall(Action call)
        {
            var t0 = Stopwatch.GetTimestamp();
            for (var i = 0; i < calls; i++) call();
            return Ms(Stopwatch.GetTimestamp() - t0) * 1_000_000 / calls;
        }
        void Acquire(System.Threading.RateLimiting.PartitionedRateLimiter<HttpContext> limiter)
        {
            using var lease = limiter.AttemptAcquire(http);
            if (!lease.IsAcquired) throw new InvalidOperationException("the limiter refused: the limits are meant to be out of reach");
        }
        void Zone() { if (!TimeZones.TryFind("Asia/Kabul", out var z)) throw new InvalidOperationException("no Asia/Kabul"); ReaderClock.UseForThisFlow(z); }
        void NoZone() => ReaderClock.UseForThisFlow(null);

        var limited = new List<double>(); var unlimited = new List<double>(); var zone = new List<double>(); var noZone = new List<double>();
        for (var r = -1; r < o.Runs; r++) // run -1 warms up
        {
            var a = NsPerCall(() => Acquire(publicLimiter)); var b = NsPerCall(() => Acquire(noLimiter));
            var c = NsPerCall(Zone); var d = NsPerCall(NoZone);
            if (r < 0) continue;
            limited.Add(a); unlimited.Add(b); zone.Add(c); noZone.Add(d);
        }
        ReaderClock.UseForThisFlow(null);
        var l = Summary.Of(limited); var u = Summary.Of(unlimited); var z = Summary.Of(zone); var n = Summary.Of(noZone);
        var stateNs = Summary.Of(StateTimes).Median * 1000;
        s.Rows.Add(new Row("public limiter alone: acquire + release a permit (token bucket per IP, then the concurrency limiter)", "ns/call", l, u,
            "read-write host's limiter (no-op partition)", l.Median / u.Median, "× baseline time", "< 1 % of a state query", (l.Median - u.Median) < stateNs / 100));
        s.Rows.Add(new Row("reader clock alone: `TimeZones.TryFind(\"Asia/Kabul\")` + set the request's zone", "ns/call", z, n, "set no zone", z.Median / n.Median, "× baseline time",
            "< 1 % of a state query", (z.Median - n.Median) < stateNs / 100));
        s.Notes.Add($"Per request, the public limiter costs about {l.Median - u.Median:N0} ns more than the no-op and the reader clock about {z.Median - n.Median:N0} ns more than no zone: " +
            $"{(l.Median - u.Median) / 1000 / Summary.Of(StateTimes).Median * 100:N3} % and {(z.Median - n.Median) / 1000 / Summary.Of(StateTimes).Median * 100:N3} % of the state query's time above.");
    }
}
