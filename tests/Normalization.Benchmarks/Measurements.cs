using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Text;
using System.Text.Json;
using Normalization.Api.Importing;
using Normalization.Api.Storage;
using Normalization.Api.WhatIf;
using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Negotiations;
using Npgsql;
using NpgsqlTypes;

namespace Normalization.Benchmarks;

public sealed record BenchOptions(bool Quick)
{
    public IReadOnlySet<int>? Only { get; init; }
    public bool InProcessApi { get; init; }
    /// <summary>Section 9 only in part (<c>--bulk-only</c>: the bulk rows; <c>--append-only</c>: the append and throughput rows), for profiling one part.</summary>
    public string? Section9Part { get; init; }
    /// <summary>Another build of the API to measure (<c>--api-dll</c>), on a database of its own; null: this build's.</summary>
    public string? ApiDll { get; init; }
    public int Runs => Quick ? 1 : Env("BENCH_RUNS") ?? 5;
    /// <summary>BENCH_RUNS / BENCH_IMPORT_EVENTS / BENCH_WINDOW_EVENTS override the run count, the import size and section 5's window size (0: no window), for profiling one part.</summary>
    internal static int? Env(string name) => int.TryParse(Environment.GetEnvironmentVariable(name), out var v) ? v : null;
    public int FoldEvents => Quick ? 2_000 : 100_000;
    public int[] Concurrency => Quick ? [1, 4] : [1, 8, 32];
    public int AppendOpsPerClient(int clients) => Quick ? 2 : Math.Max(4, 48 / clients);
    public int ImportEvents => Quick ? 500 : Env("BENCH_IMPORT_EVENTS") ?? 1_000_000;
    public int LateHistory => Quick ? 500 : 100_000;
    public int TravelQueriesPerRun => Quick ? 10 : 40;
    public int RefoldQueriesPerRun => Quick ? 2 : 4;
    public int[] ScaleSizes => Quick ? [100, 500] : [1_000, 10_000, 100_000, 1_000_000];
    /// <summary>The size whose time-travel row carries the issue's goal.</summary>
    public int TravelGoalSize => Quick ? 500 : 100_000;
    public int LateRuns => Quick ? 1 : 7;
    /// <summary>Section 5: the size at which the window until a late event's checkpoints are written is measured, and its runs.</summary>
    public int LateWindowHistory => Env("BENCH_WINDOW_EVENTS") ?? (Quick ? 1_000 : 1_000_000);
    public int LateWindowRuns => Quick ? 1 : 3;
    public int RebuildNegotiations => Quick ? 2 : 1_000;
    public int RebuildEventsEach => Quick ? 100 : 1_000;
    public int WhatIfHistory => Quick ? 500 : 10_000;
    public int WhatIfQueriesPerRun => Quick ? 2 : 10;
    /// <summary>Section 7: queries per block of the CPU measurement.</summary>
    public int WhatIfCpuBlock => Quick ? 2 : 100;
    /// <summary>Section 9: history sizes and appends per run.</summary>
    public int[] AppendBaselineSizes => Quick ? [100] : [1_000, 100_000];
    public int AppendBaselineOps => Quick ? 5 : 40;
    public bool Runs_(int n) => Only is null || Only.Contains(n);
}

/// <summary>The eight measurements of issue 9, each against its baseline in the same run.</summary>
public sealed partial class Measurements(BenchEnvironment env, BenchOptions o, Report report, TextWriter log)
{
    readonly string _work = Directory.CreateTempSubdirectory("normalization-bench-").FullName;
    readonly Dictionary<int, string> _sized = new(); // events -> negotiation id holding a synthetic history of that size
    static readonly DateOnly AppendFrom = new(2025, 1, 1);

    /// <summary>Called after each section (the program rewrites the report, so a cut-short run keeps what it measured).</summary>
    public Action? SectionDone { get; init; }

    public async Task RunAllAsync()
    {
        if (o.Runs_(1)) await Section(FoldAsync);
        if (o.Runs_(2)) await Section(AppendsAsync);
        if (o.Runs_(3)) await Section(ImportAsync); // 4, 5 and 8 import the sizes they need (SizedAsync)
        if (o.Runs_(4) || o.Runs_(8)) await Section(TimeTravelAsync);
        if (o.Runs_(8)) await Section(AppendScaleAsync); // before 5: its appends are dated 2025–2026, 5's "end" appends after them
        if (o.Runs_(5)) await Section(LateEventAsync);
        if (o.Runs_(6)) await Section(RebuildAsync);
        if (o.Runs_(7)) await Section(WhatIfAsync);
        if (o.Runs_(9)) await Section(AppendBaselinesAsync);
        if (o.Runs_(10)) await Section(EventDataAsync);
        if (o.Runs_(11)) await Section(PageOpenAsync);
        if (o.Runs_(13)) await Section(ReaderCostsAsync);
        if (o.Runs_(12)) await Section(AlertsHookCostAsync);
        try { Directory.Delete(_work, true); } catch (IOException) { }
    }

    async Task Section(Func<Task<Section>> run)
    {
        var sw = Stopwatch.StartNew();
        var s = await run();
        s.Seconds = sw.Elapsed.TotalSeconds;
        report.Sections.Add(s);
        SectionDone?.Invoke();
        log.WriteLine($"  done in {s.Seconds:F0} s");
    }

    static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;

    // ------------------------------------------------------------------ 1. fold

    Task<Section> FoldAsync()
    {
        log.WriteLine($"1. fold over {o.FoldEvents:N0} events");
        var h = SyntheticHistory.Generate("fold", o.FoldEvents);
        var stored = h.Events.Select(e => (e.Type, Json: JsonSerializer.Serialize(e, e.GetType(), EventJson.Options))).ToArray();
        var lastDate = h.Events.Max(e => e.Date);
        var n = stored.Length;

        var deserialize = new List<double>(); var deserializeAlloc = new List<double>();
        var full = new List<double>(); var fullAlloc = new List<double>();
        var fold = new List<double>(); var foldAlloc = new List<double>();
        var iterate = new List<double>();
        long sink = 0;
        for (var r = -1; r < o.Runs; r++) // run -1 warms up
        {
            // Baseline: deserialize every stored event, nothing else.
            var a0 = GC.GetAllocatedBytesForCurrentThread(); var t0 = Stopwatch.GetTimestamp();
            var list = new List<NegotiationEvent>(n);
            foreach (var (type, json) in stored) list.Add(EventJson.Deserialize(type, json));
            var t1 = Stopwatch.GetTimestamp(); var a1 = GC.GetAllocatedBytesForCurrentThread();
            // Product: deserialize and fold (what a rebuild or a knownAt query does in memory).
            var list2 = new List<NegotiationEvent>(n);
            foreach (var (type, json) in stored) list2.Add(EventJson.Deserialize(type, json));
            var st = NegotiationFold.FoldAll(h.Opening, list2).StateAt(lastDate);
            var t2 = Stopwatch.GetTimestamp(); var a2 = GC.GetAllocatedBytesForCurrentThread();
            // The fold alone over events already in memory (effective history, domain-order sort, apply, state).
            var st2 = NegotiationFold.FoldAll(h.Opening, list).StateAt(lastDate);
            var t3 = Stopwatch.GetTimestamp(); var a3 = GC.GetAllocatedBytesForCurrentThread();
            // Baseline of that: a plain loop over the same in-memory events.
            foreach (var e in list) sink += e.Date.DayNumber + e.Type.Length;
            var t4 = Stopwatch.GetTimestamp();
            sink += (int)st.Stage + (int)st2.Stage;
            if (r < 0) continue;
            deserialize.Add(n / (Ms(t1 - t0) / 1000)); deserializeAlloc.Add((a1 - a0) / (double)n);
            full.Add(n / (Ms(t2 - t1) / 1000)); fullAlloc.Add((a2 - a1) / (double)n);
            fold.Add(n / (Ms(t3 - t2) / 1000)); foldAlloc.Add((a3 - a2) / (double)n);
            iterate.Add(n / (Ms(t4 - t3) / 1000));
        }
        GC.KeepAlive(sink);
        var s = new Section("1", "Fold", $"The pure domain fold over a {n:N0}-event synthetic negotiation ({h.Late:N0} late, {h.Retractions:N0} retractions), in this process. Allocations from `GC.GetAllocatedBytesForCurrentThread`.");
        var d = Summary.Of(deserialize); var f = Summary.Of(full); var fo = Summary.Of(fold); var it = Summary.Of(iterate);
        s.Rows.Add(new Row($"deserialize + fold, {n:N0} events", "events/s", f, d, "deserialize only (`EventJson.Deserialize`)", f.Median / d.Median, "× baseline throughput"));
        s.Rows.Add(new Row($"fold only (events in memory)", "events/s", fo, it, "plain loop over the same list", fo.Median / it.Median, "× baseline throughput")
            { Note = "the loop is the floor of iteration, not a competitor: the ratio shows how much work the fold does per event (resolve retractions, sort in domain order, apply)." });
        s.Rows.Add(new Row("deserialize + fold", "bytes allocated/event", Summary.Of(fullAlloc), Summary.Of(deserializeAlloc), "deserialize only", Summary.Of(fullAlloc).Median / Summary.Of(deserializeAlloc).Median, "× baseline bytes"));
        s.Rows.Add(new Row("fold only", "bytes allocated/event", Summary.Of(foldAlloc), null, null, null, ""));
        s.Markdown = $"The same work through BenchmarkDotNet (in-process toolchain, {(o.Quick ? "dry job" : "2 warm-up + 7 measured iterations")}, `MemoryDiagnoser`), " +
            "baseline = deserializing every event; also the cost of packing (JSON, Brotli: CheckpointPacking) and unpacking the final checkpoint of this history:\n\n" + FoldBenchmarks.Run(n, o.Quick, log);
        return Task.FromResult(s);
    }

    // ------------------------------------------------------------------ 2. single appends

    /// <summary>The k-th appended event of a client: one day after the previous (so it always sorts after it: an append at the end).</summary>
    static NegotiationEvent AppendEvent(int k) => (k % 2 == 0
        ? new StatementIssued { Speaker = "Spokesperson", Tone = Tone.Positive, Quote = "Talks were useful." }
        : (NegotiationEvent)new TalksHeld { Participants = [SyntheticHistory.A, SyntheticHistory.B], Level = TalksLevel.Technical, Location = "Doha" }) with
    {
        EventId = Guid.NewGuid(), OccurredOn = DomainDate.FromDate(AppendFrom.AddDays(k)), Actor = SyntheticHistory.A, Target = SyntheticHistory.B, Confidence = Confidence.Reported,
    };

    async Task CreateAsync(string id) { if (!await env.Store.CreateAsync(SyntheticHistory.Opening(id), "bench")) throw new InvalidOperationException($"{id} exists"); }

    /// <summary>Creates a negotiation through the API (for an API on a database of its own, <see cref="BenchEnvironment.ApiDatabaseName"/>).</summary>
    async Task CreateThroughApiAsync(string id)
    {
        var o = SyntheticHistory.Opening(id); // the same negotiation as CreateAsync stores directly
        var body = JsonSerializer.Serialize(new { id = o.Id, title = o.Title, parties = o.Parties, mediators = o.Mediators }, EventJson.Options);
        using var res = await env.Api.PostAsync("/api/negotiations", new StringContent(body, Encoding.UTF8, "application/json"));
        if (res.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"create {id}: {(int)res.StatusCode} {await res.Content.ReadAsStringAsync()}");
    }

    async Task<double> PostAsync(string id, NegotiationEvent e)
    {
        var body = "{\"events\":[" + EventJson.Serialize(e) + "]}";
        var t0 = Stopwatch.GetTimestamp();
        using var res = await env.Api.PostAsync($"/api/negotiations/{id}/events", new StringContent(body, Encoding.UTF8, "application/json"));
        var ms = Ms(Stopwatch.GetTimestamp() - t0);
        if (res.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"POST {id}: {(int)res.StatusCode} {await res.Content.ReadAsStringAsync()}");
        return ms;
    }

    async Task<double> DirectAsync(string id, NegotiationEvent e)
    {
        var t0 = Stopwatch.GetTimestamp();
        var outcome = await env.Store.AppendAsync(id, null, [e], "bench");
        var ms = Ms(Stopwatch.GetTimestamp() - t0);
        if (outcome is not AppendOutcome.Appended) throw new InvalidOperationException($"append {id}: {outcome}");
        return ms;
    }

    /// <summary>clients clients, each on its own negotiation, each appending ops events one at a time. Returns (events/s, latencies).</summary>
    async Task<(double PerSecond, List<double> Latencies)> AppendRoundAsync(string[] ids, int ops, bool api, int[] counters) =>
        (await AppendRoundWithCpuAsync(ids, ops, api, counters)).Round;

    /// <summary>
    /// <see cref="AppendRoundAsync"/>, with the CPU milliseconds per append of the process doing the work: the API process for an
    /// API round (null when the API runs in this process), this process for a direct round.
    /// </summary>
    async Task<((double PerSecond, List<double> Latencies) Round, double? CpuMsPerAppend)> AppendRoundWithCpuAsync(string[] ids, int ops, bool api, int[] counters)
    {
        TimeSpan? Cpu() => api ? env.ApiCpu() : Process.GetCurrentProcess().TotalProcessorTime;
        var cpu0 = Cpu();
        var round = await AppendRoundCoreAsync(ids, ops, api, counters);
        var cpu1 = Cpu();
        return (round, cpu0 is { } a && cpu1 is { } b ? (b - a).TotalMilliseconds / (ids.Length * ops) : null);
    }

    async Task<(double PerSecond, List<double> Latencies)> AppendRoundCoreAsync(string[] ids, int ops, bool api, int[] counters)
    {
        var latencies = new List<double>[ids.Length];
        var t0 = Stopwatch.GetTimestamp();
        await Task.WhenAll(ids.Select((id, c) => Task.Run(async () =>
        {
            var mine = latencies[c] = new List<double>(ops);
            for (var i = 0; i < ops; i++)
            {
                var e = AppendEvent(counters[c]++);
                mine.Add(api ? await PostAsync(id, e) : await DirectAsync(id, e));
            }
        })));
        var seconds = Ms(Stopwatch.GetTimestamp() - t0) / 1000;
        return (ids.Length * ops / seconds, latencies.SelectMany(l => l).ToList());
    }

    async Task<Section> AppendsAsync()
    {
        log.WriteLine("2. single appends, API vs direct");
        var s = new Section("2", "Single appends through the API", $"One event per request, posted by 1, 8 and 32 concurrent clients through {env.ApiDescription}, " +
            "against the same kind of events appended directly with `NegotiationStore.AppendAsync` in-process (the same transaction the API runs: the end append with Marten's expected version, " +
            "validation, Marten append, domain-order index, head and board update, committed in groups) at the same concurrency. Each client appends to its **own negotiation**, so clients do not " +
            "wait on each other's turn (appends to one negotiation are serialized by design). Runs alternate direct/API.");
        var ids = new Dictionary<(int, bool), string[]>();
        var counters = new Dictionary<(int, bool), int[]>();
        foreach (var c in o.Concurrency)
            foreach (var api in new[] { false, true })
            {
                ids[(c, api)] = Enumerable.Range(0, c).Select(k => $"ap-{(api ? "api" : "direct")}-{c}-{k}").ToArray();
                counters[(c, api)] = new int[c];
                foreach (var id in ids[(c, api)]) await (api && env.ApiDatabaseName is not null ? CreateThroughApiAsync(id) : CreateAsync(id));
            }
        // Warm-up: JIT, Wolverine's endpoint compilation, connection pools.
        foreach (var c in o.Concurrency) foreach (var api in new[] { false, true }) await AppendRoundAsync(ids[(c, api)], 2, api, counters[(c, api)]);

        var tput = new Dictionary<(int, bool), List<double>>();
        var p50 = new Dictionary<(int, bool), List<double>>();
        var p99 = new Dictionary<(int, bool), List<double>>();
        var cpu = new Dictionary<(int, bool), List<double>>();
        for (var r = 0; r < o.Runs; r++)
            foreach (var c in o.Concurrency)
                foreach (var api in new[] { false, true })
                {
                    var ((ps, lat), cpuMs) = await AppendRoundWithCpuAsync(ids[(c, api)], o.AppendOpsPerClient(c), api, counters[(c, api)]);
                    Add(tput, (c, api), ps); Add(p50, (c, api), Percentile.Of(lat, 50)); Add(p99, (c, api), Percentile.Of(lat, 99));
                    if (cpuMs is { } ms) Add(cpu, (c, api), ms);
                }
        foreach (var c in o.Concurrency)
        {
            var a = Summary.Of(tput[(c, true)]); var d = Summary.Of(tput[(c, false)]);
            s.Rows.Add(new Row($"{c} client{(c > 1 ? "s" : "")} × {o.AppendOpsPerClient(c)} events", "events/s", a, d, "direct `AppendAsync`", a.Median / d.Median, "of direct", "≥ 0.50 of direct", a.Median / d.Median >= 0.5));
            var a50 = Summary.Of(p50[(c, true)]); var d50 = Summary.Of(p50[(c, false)]);
            s.Rows.Add(new Row($"{c} client{(c > 1 ? "s" : "")}", "p50 latency (ms)", a50, d50, "direct", a50.Median / d50.Median, "× direct latency"));
            var a99 = Summary.Of(p99[(c, true)]); var d99 = Summary.Of(p99[(c, false)]);
            s.Rows.Add(new Row($"{c} client{(c > 1 ? "s" : "")}", "p99 latency (ms)", a99, d99, "direct", a99.Median / d99.Median, "× direct latency"));
            if (cpu.TryGetValue((c, true), out var apiCpu) && cpu.TryGetValue((c, false), out var directCpu))
            {
                var ac = Summary.Of(apiCpu); var dc = Summary.Of(directCpu);
                s.Rows.Add(new Row($"{c} client{(c > 1 ? "s" : "")}", "CPU ms per append", ac, dc, "direct (this process)", ac.Median / dc.Median, "× direct CPU"));
            }
        }
        s.Notes.Add("The API's per-key write rate limit (100/s, burst 200 by default) is raised for the benchmark key; with the default, 32 clients would measure the limiter.");
        s.Notes.Add("Client and server share the 2 cores: with the API as a separate process, the HTTP client, Kestrel, the API's thread pool and PostgreSQL compete for them.");
        if (cpu.Count > 0)
            s.Notes.Add("CPU ms per append: the API process's CPU time (user + system) over an API round, and this process's over a direct round (it also runs the " +
                "in-process host's background work), per append. The machine's load moves it far less than latency or throughput: the figure to compare builds by.");
        return s;
    }

    static void Add<TK>(Dictionary<TK, List<double>> d, TK k, double v) where TK : notnull { if (!d.TryGetValue(k, out var l)) d[k] = l = []; l.Add(v); }

    // ------------------------------------------------------------------ 3. bulk import

    string WriteHistory(string id, int events, int seed = SyntheticHistory.Seed)
    {
        var path = Path.Combine(_work, $"{id}.ndjson");
        SyntheticHistory.WriteNdjson(SyntheticHistory.Generate(id, events, seed), path);
        return path;
    }

    sealed class PhaseClock : IProgress<ImportProgress>
    {
        readonly long _start = Stopwatch.GetTimestamp();
        public double ValidatedAt { get; private set; }
        public void Report(ImportProgress value)
        {
            if (value.Phase == "validating" && value.Bytes == value.TotalBytes) ValidatedAt = Ms(Stopwatch.GetTimestamp() - _start) / 1000;
        }
    }

    /// <summary>Seconds spent in the importer's pass 1 (read + validate) in the last import.</summary>
    double _lastPass1;

    async Task<double> ImportFileAsync(string path, string into)
    {
        var clock = new PhaseClock();
        var report = await env.Importer.ImportAsync(new ImportRequest { Path = path, Into = into, PostedBy = "bench" }, clock);
        _lastPass1 = clock.ValidatedAt;
        if (!report.Succeeded) throw new InvalidOperationException($"import {into}: {string.Join("; ", report.Errors.Take(5).Select(e => $"line {e.Line} {e.Path} {e.Message}"))}");
        return report.Seconds;
    }

    async Task<double> CopyFileAsync(string path, string table)
    {
        await using (var conn = await env.DataSource.OpenConnectionAsync())
        await using (var cmd = new NpgsqlCommand($"drop table if exists {table}; create table {table} (line jsonb not null)", conn))
            await cmd.ExecuteNonQueryAsync();
        var t0 = Stopwatch.GetTimestamp();
        await using (var conn = await env.DataSource.OpenConnectionAsync())
        {
            await using var w = await conn.BeginBinaryImportAsync($"copy {table} (line) from stdin (format binary)");
            using var reader = new StreamReader(path, Encoding.UTF8, false, 1 << 16);
            while (await reader.ReadLineAsync() is { } line)
            {
                if (line.Length == 0) continue;
                await w.StartRowAsync();
                await w.WriteAsync(line, NpgsqlDbType.Jsonb);
            }
            await w.CompleteAsync();
        }
        return Ms(Stopwatch.GetTimestamp() - t0) / 1000;
    }

    async Task<Section> ImportAsync()
    {
        var n = o.ImportEvents;
        log.WriteLine($"3. bulk import of {n:N0} events vs COPY");
        var path = WriteHistory("imp", n);
        var bytes = new FileInfo(path).Length;
        var s = new Section("3", "Bulk import", $"A {n:N0}-event NDJSON file ({bytes / 1024.0 / 1024:F1} MiB) through `Importer.ImportAsync` into a new negotiation each run: " +
            "pass 1 streams the file, parses blocks of lines on every core and validates every event in file order (structure, then the domain rules against the file's " +
            "earlier lines), keeping the events; pass 2 stores them in one transaction with `NegotiationStore.BulkAppendAsync` (COPY into Marten's `mt_events` and the domain-order index, retractions resolved once, one fold over the whole record, " +
            $"its {NegotiationStore.CheckpointEvery}-event checkpoints written with COPY, head, board and party profiles). Baseline: PostgreSQL `COPY … (format binary)` of the same lines " +
            "as `jsonb` into a plain table with no index (Npgsql `BeginBinaryImport`) — the physical limit. Runs alternate import/COPY; every run but the first is deleted after it is measured.");
        var imp = new List<double>(); var copy = new List<double>(); var pass1 = new List<double>(); var pass2 = new List<double>();
        for (var r = 0; r < o.Runs; r++)
        {
            var seconds = await ImportFileAsync(path, $"imp-{r}");
            imp.Add(n / seconds);
            pass1.Add(_lastPass1); pass2.Add(seconds - _lastPass1);
            copy.Add((n + 1) / await CopyFileAsync(path, $"bench_copy_{r}"));
            log.WriteLine($"   run {r}: import {imp[^1]:N0}/s (pass 1 {pass1[^1]:F1} s, pass 2 {pass2[^1]:F1} s), copy {copy[^1]:N0}/s");
            await using var conn = await env.DataSource.OpenConnectionAsync();
            await using var drop = new NpgsqlCommand($"drop table bench_copy_{r}", conn);
            await drop.ExecuteNonQueryAsync();
            if (r > 0) await DeleteNegotiationAsync(conn, $"imp-{r}");
        }
        _sized[n] = "imp-0";
        var i = Summary.Of(imp); var c = Summary.Of(copy);
        s.Rows.Add(new Row($"{n:N0} events: pass 1 (read + parse + validate)", "seconds", Summary.Of(pass1), null, null, null, ""));
        s.Rows.Add(new Row($"{n:N0} events: pass 2 (store in one transaction)", "seconds", Summary.Of(pass2), null, null, null, ""));
        s.Rows.Add(new Row($"{n:N0} events", "events/s", i, c, "`COPY` into a plain jsonb table", i.Median / c.Median, "of COPY", "≥ 0.50 of COPY", i.Median / c.Median >= 0.5));
        if (!o.Quick) s.Notes.Add("What limits it, phase by phase (the `import.store` span's events: see docs/architecture.md, Telemetry): see *Profile: where a 1,000,000-event import spends its time* below.");
        await using (var conn = await env.DataSource.OpenConnectionAsync())
        await using (var cmd = new NpgsqlCommand("select (select length(data::text) from mt_doc_boardentry where id = 'imp-0'), " +
            "(select count(*) from nz_checkpoints where negotiation_id = 'imp-0'), (select coalesce(avg(length(accumulator)), 0)::bigint from nz_checkpoints where negotiation_id = 'imp-0')", conn))
        await using (var rr = await cmd.ExecuteReaderAsync())
            if (await rr.ReadAsync())
                s.Notes.Add($"After importing {n:N0} events: the board row (the only document an append rewrites) is {rr.GetInt32(0) / 1024.0:N1} KiB of JSON; {rr.GetInt64(1):N0} checkpoints of {rr.GetInt64(2) / 1024.0:N0} KiB each on average (Brotli-compressed JSON).");
        return s;
    }

    // ------------------------------------------------------------------ 4 + 8. time travel

    async Task DeleteNegotiationAsync(NpgsqlConnection conn, string id)
    {
        // The harness (not the product) deletes a negotiation to import it again: the in-process host must forget its head.
        env.Host.Services.GetRequiredService<Normalization.Api.Storage.HeadCache>().Forget(id);
        await using var cmd = new NpgsqlCommand("""
            delete from mt_events where stream_id = @id; delete from mt_streams where id = @id;
            delete from nz_events where negotiation_id = @id; delete from nz_checkpoints where negotiation_id = @id;
            delete from nz_references where negotiation_id = @id;
            delete from mt_doc_boardentry where id = @id;
            """, conn);
        cmd.Parameters.AddWithValue("id", id);
        await cmd.ExecuteNonQueryAsync();
    }

    async Task<string> SizedAsync(int events)
    {
        if (_sized.TryGetValue(events, out var id)) return id;
        id = $"sc-{events}";
        log.WriteLine($"   importing {events:N0} events into {id}");
        await ImportFileAsync(WriteHistory(id, events), id);
        return _sized[events] = id;
    }

    async Task<Section> TimeTravelAsync()
    {
        log.WriteLine("4. time travel");
        var s = new Section("4", "Time travel (and 8: its scale curve)", "`StateAsOfAsync(id, date)` at random dates between 1995 and 2024 (fixed seed): it starts from the nearest fold checkpoint " +
            $"(every {NegotiationStore.CheckpointEvery} events, in domain order) and folds what follows up to the date. Baseline: a full refold per query — `NegotiationFold.StateAsOf` over all " +
            "events loaded **once** into memory (so the baseline pays no database time). Then **as known at T** (issue 17): after the import, a batch of 20 late events dated all over " +
            "the history is appended (it closes the checkpoints after the earliest of them; Wolverine writes their successors after the commit); `StateAsOfAsync(id, date, knownAt)` at random dates, with T " +
            "just before that batch (the record as imported: the closed checkpoint versions) and T after it (the current ones), against the plain as-of query in the same run. " +
            "Latencies per run: p50 and p99 of that run's queries; the table shows median, min and max over the runs.");
        var rng = new Random(SyntheticHistory.Seed);
        var span = SyntheticHistory.To.DayNumber - SyntheticHistory.From.DayNumber;
        DateOnly RandomDate() => SyntheticHistory.From.AddDays(rng.Next(span + 1));
        foreach (var size in o.ScaleSizes)
        {
            var id = await SizedAsync(size);
            var history = (await env.Store.LoadHistoryAsync(id))!;
            var events = history.Events.Select(e => e.Event).ToList();
            // The batch of late events, between two instants.
            var before = DateTimeOffset.UtcNow;
            await Task.Delay(5);
            var late = Enumerable.Range(0, 20).Select(k => AppendEvent(k) with { EventId = Guid.NewGuid(), OccurredOn = DomainDate.FromDate(RandomDate()) }).ToList();
            if (await env.Store.AppendAsync(id, null, late, "bench") is not AppendOutcome.Appended) throw new InvalidOperationException("late batch refused");
            events.AddRange(late);
            await Task.Delay(5);
            var after = DateTimeOffset.UtcNow;
            var refolds = size >= 1_000_000 ? 1 : o.RefoldQueriesPerRun;
            for (var w = 0; w < 3; w++) { await env.Store.StateAsOfAsync(id, RandomDate()); await env.Store.StateAsOfAsync(id, RandomDate(), before); }
            var cp50 = new List<double>(); var cp99 = new List<double>();
            var rf50 = new List<double>(); var rf99 = new List<double>();
            var kb50 = new List<double>(); var kb99 = new List<double>();
            var ka50 = new List<double>(); var ka99 = new List<double>();
            for (var r = 0; r < o.Runs; r++)
            {
                var cp = new List<double>(); var kb = new List<double>(); var ka = new List<double>();
                for (var q = 0; q < o.TravelQueriesPerRun; q++)
                {
                    // interleaved: plain, known before the batch, known after it
                    var d = RandomDate();
                    var t0 = Stopwatch.GetTimestamp();
                    var st = await env.Store.StateAsOfAsync(id, d);
                    cp.Add(Ms(Stopwatch.GetTimestamp() - t0));
                    t0 = Stopwatch.GetTimestamp();
                    var sb = await env.Store.StateAsOfAsync(id, d, before);
                    kb.Add(Ms(Stopwatch.GetTimestamp() - t0));
                    t0 = Stopwatch.GetTimestamp();
                    var sa = await env.Store.StateAsOfAsync(id, d, after);
                    ka.Add(Ms(Stopwatch.GetTimestamp() - t0));
                    GC.KeepAlive(st); GC.KeepAlive(sb); GC.KeepAlive(sa);
                }
                var rf = new List<double>();
                for (var q = 0; q < refolds; q++)
                {
                    var d = RandomDate();
                    var t0 = Stopwatch.GetTimestamp();
                    var st = NegotiationFold.StateAsOf(history.Opening, events, d);
                    rf.Add(Ms(Stopwatch.GetTimestamp() - t0));
                    GC.KeepAlive(st);
                }
                cp50.Add(Percentile.Of(cp, 50)); cp99.Add(Percentile.Of(cp, 99));
                rf50.Add(Percentile.Of(rf, 50)); rf99.Add(Percentile.Of(rf, 99));
                kb50.Add(Percentile.Of(kb, 50)); kb99.Add(Percentile.Of(kb, 99));
                ka50.Add(Percentile.Of(ka, 50)); ka99.Add(Percentile.Of(ka, 99));
            }
            var c50 = Summary.Of(cp50); var r50 = Summary.Of(rf50); var b50 = Summary.Of(kb50); var a50 = Summary.Of(ka50);
            var main = size == o.TravelGoalSize;
            var label = $"{size:N0} events{(main ? "" : " (scale curve)")}";
            s.Rows.Add(new Row(label, $"as-of p50 (ms), {o.TravelQueriesPerRun}/run", c50, r50, "full refold p50", r50.Median / c50.Median, "× faster than refold",
                main ? "p50 ≤ 20 ms and ≥ 20× faster" : "—", main ? c50.Median <= 20 && r50.Median / c50.Median >= 20 : null));
            s.Rows.Add(new Row(label, "as-of p99 (ms)", Summary.Of(cp99), Summary.Of(rf99), "full refold p99", Summary.Of(rf99).Median / Summary.Of(cp99).Median, "× faster than refold"));
            s.Rows.Add(new Row(label, $"known at T before the late batch, p50 (ms), {o.TravelQueriesPerRun}/run", b50, c50, "plain as-of p50", b50.Median / c50.Median, "× the as-of query",
                "≤ 3× the as-of query", b50.Median / c50.Median <= 3));
            s.Rows.Add(new Row(label, $"known at T after the late batch, p50 (ms)", a50, c50, "plain as-of p50", a50.Median / c50.Median, "× the as-of query",
                "≤ 3× the as-of query", a50.Median / c50.Median <= 3));
            s.Rows.Add(new Row(label, "known at T before, p99 (ms)", Summary.Of(kb99), Summary.Of(cp99), "plain as-of p99", Summary.Of(kb99).Median / Summary.Of(cp99).Median, "× the as-of query"));
            // Where a query as known at T spends its time: 10 more (T before the batch), profiled, not measured.
            using (var profile = new AppendProfile())
            {
                for (var q = 0; q < 10; q++)
                {
                    System.Diagnostics.Activity.Current = null;
                    await env.Store.StateAsOfAsync(id, RandomDate(), before);
                }
                s.Notes.Add($"{label}: profile of 10 more queries as known at T before the batch (an `ActivityListener` on the `state-known-at` span; median ms per phase): " +
                    string.Join(", ", profile.Phases("state-known-at").Select(p => $"{p.Phase} {p.Ms:N2}")) + ".");
            }
        }
        await using (var conn = await env.DataSource.OpenConnectionAsync())
        await using (var cmd = new NpgsqlCommand($"""
            select negotiation_id, count(*) filter (where valid_to is null), count(*) filter (where valid_to is not null), coalesce(sum(length(accumulator)), 0)::bigint
            from nz_checkpoints where negotiation_id = any(@ids) group by negotiation_id order by count(*)
            """, conn))
        {
            cmd.Parameters.AddWithValue("ids", o.ScaleSizes.Select(n => $"sc-{n}").ToArray());
            await using var rd = await cmd.ExecuteReaderAsync();
            while (await rd.ReadAsync())
                s.Notes.Add($"Stored checkpoints of {rd.GetString(0)} after its late batch (and whatever earlier sections appended): {rd.GetInt64(1):N0} current, {rd.GetInt64(2):N0} closed versions, {rd.GetInt64(3) / 1024.0 / 1024.0:N1} MiB packed in all.");
        }
        s.Notes.Add($"The refold baseline runs {o.RefoldQueriesPerRun} queries per run (1 at 1M events: each costs a whole fold), so its p99 is the slowest of those.");
        s.Notes.Add("The issue's goal for as-of applies to the 100,000-event row; the other sizes are the scale curve (section 8). As-of reads one checkpoint (its size is bounded: the ledger lists open items in full and the most recent closed ones) and at most 500 events, so its cost should not grow with the history. " +
            "As known at T maps T to the stream version recorded by then (the index's `recorded_at`), reads the checkpoint version that held at that version and folds the events recorded by then that follow it, resolving each family of retractions and corrections as it then stood (docs/time-travel.md).");
        return s;
    }

    // ------------------------------------------------------------------ 5. late event

    async Task<Section> LateEventAsync()
    {
        var n = o.LateHistory;
        var id = await SizedAsync(n);
        log.WriteLine($"5. late event into {id}");
        var s = new Section("5", "Late event", $"One event appended directly (`AppendAsync`) to the {n:N0}-event negotiation, dated 2010-01-01 (the middle of its 1995–2024 history: " +
            $"the store refolds from the checkpoint before it to the end — from the events it holds in memory (`TailCache`) — and closes the checkpoints after it; Wolverine writes their successors after the commit), against one dated after everything (the head continues: constant work). Runs alternate.");
        var mid = new DateOnly(2010, 1, 1);
        var late = new List<double>(); var end = new List<double>();
        async Task<(long Rows, long Bytes)> CheckpointSizeAsync()
        {
            await using var conn = await env.DataSource.OpenConnectionAsync();
            await using var cmd = new NpgsqlCommand("select count(*), coalesce(sum(length(accumulator)), 0)::bigint from nz_checkpoints where negotiation_id = @id", conn);
            cmd.Parameters.AddWithValue("id", id);
            await using var rd = await cmd.ExecuteReaderAsync();
            await rd.ReadAsync();
            return (rd.GetInt64(0), rd.GetInt64(1));
        }
        var sizeBefore = await CheckpointSizeAsync();
        // The checkpoints a late append leaves to Wolverine (CheckpointsDue) are written in the background, in this process:
        // each run waits until they are (timed: the background work a late event costs), so a measured append does not
        // share the two cores with the previous one's checkpoints.
        var completed = new List<double>();
        async Task<double> SettleAsync()
        {
            var t0 = Stopwatch.GetTimestamp();
            while (!await env.Store.CheckpointsCompleteAsync(id)) await Task.Delay(10);
            return Ms(Stopwatch.GetTimestamp() - t0);
        }
        for (var r = -3; r < o.LateRuns; r++) // three warm-up runs: the first reads the tail through Marten, the next ones let the JIT settle
        {
            var e1 = AppendEvent(r + 3) with { EventId = Guid.NewGuid(), OccurredOn = DomainDate.FromDate(mid.AddDays(r + 3)) };
            var e2 = AppendEvent(r + 3) with { EventId = Guid.NewGuid(), OccurredOn = DomainDate.FromDate(new DateOnly(2026, 9, 1).AddDays(r + 3)) };
            await SettleAsync();
            var a = await DirectAsync(id, e1);
            var c = await SettleAsync();
            var b = await DirectAsync(id, e2);
            log.WriteLine($"   late {a:N1} ms, end {b:N1} ms, checkpoints {c:N0} ms{(r < 0 ? " (warm-up)" : "")}");
            if (r < 0) continue;
            late.Add(a); end.Add(b); completed.Add(c);
        }
        var l = Summary.Of(late); var e = Summary.Of(end);
        s.Rows.Add(new Row($"{n:N0} events, dated mid-history", "append latency (ms)", l, e, "appended at the end", l.Median / e.Median, "× the end append",
            "≤ 10× an end append", l.Median / e.Median <= 10));
        s.Rows.Add(new Row("its checkpoints, written after the commit (Wolverine)", "ms until complete", Summary.Of(completed), l, "the late append", Summary.Of(completed).Median / l.Median, "× the late append"));
        s.Notes.Add("The median is over the runs (one append per run and case). Before each append the checkpoints left by the previous late one are complete (second row: the time from the late append's return until `CheckpointsCompleteAsync`, polled every 10 ms).");
        await CorrectionOfAnOpeningAsync(s, id, n, SettleAsync);
        // Where a late append spends its time: 3 more, profiled (not measured runs).
        using (var profile = new AppendProfile())
        {
            for (var r = 0; r < 3; r++)
            {
                System.Diagnostics.Activity.Current = null;
                await SettleAsync();
                await DirectAsync(id, AppendEvent(r) with { EventId = Guid.NewGuid(), OccurredOn = DomainDate.FromDate(mid.AddDays(40 + r)) });
                await SettleAsync();
                await DirectAsync(id, AppendEvent(r) with { EventId = Guid.NewGuid(), OccurredOn = DomainDate.FromDate(new DateOnly(2026, 10, 1).AddDays(r)) });
            }
            s.Notes.Add("Profile of 3 more late appends (an `ActivityListener` on our spans; median ms per phase): append — " +
                string.Join(", ", profile.Phases("append").Select(p => $"{p.Phase} {p.Ms:N2}")) + "; its refold — " +
                string.Join(", ", profile.Phases("refold").Select(p => $"{p.Phase} {p.Ms:N2}")) + "; Wolverine's `CheckpointsDue` handler (`checkpoints-complete`) — " +
                string.Join(", ", profile.Phases("checkpoints-complete").Select(p => $"{p.Phase} {p.Ms:N2}")) + ".");
        }
        // The checkpoints the late appends left to Wolverine (CheckpointsDue): wait until they are written, then count.
        var waited = Stopwatch.StartNew();
        while (!await env.Store.CheckpointsCompleteAsync(id) && waited.Elapsed < TimeSpan.FromMinutes(5)) await Task.Delay(100);
        s.Notes.Add($"After the last append, Wolverine's `CheckpointsDue` handler had the checkpoints complete {waited.Elapsed.TotalSeconds:N1} s later.");
        var sizeAfter = await CheckpointSizeAsync();
        var lateCount = o.LateRuns + 6;
        s.Notes.Add($"Stored size (bitemporal checkpoints: the versions a late event closes are kept for \"as known at\"): {lateCount} mid-history late events added " +
            $"{(sizeAfter.Rows - sizeBefore.Rows) / (double)lateCount:N0} checkpoint rows and {(sizeAfter.Bytes - sizeBefore.Bytes) / (double)lateCount / 1024 / 1024:N2} MiB each " +
            $"(the negotiation now holds {sizeAfter.Rows:N0} checkpoint rows, {sizeAfter.Bytes / 1024.0 / 1024:N1} MiB).");
        await LateWindowAsync(s);
        return s;
    }

    /// <summary>
    /// Section 5: a correction of a DemandMade in force, mid-history — what the index and the head cannot judge, so the write
    /// reads the whole record to validate it (<c>KnownReferences.NeedWholeRecord</c>) — against an end append, alternated.
    /// </summary>
    async Task CorrectionOfAnOpeningAsync(Section s, string id, int n, Func<Task<double>> settle)
    {
        var history = (await env.Store.LoadHistoryAsync(id))!;
        var resolved = EffectiveHistory.Resolve(history.Events.Select(e => e.Event).ToList());
        var demands = history.Events.Select(e => e.Event).OfType<DemandMade>()
            .Where(d => d.Date.Year >= 2005 && (!resolved.Statuses.TryGetValue(d.EventId, out var st) || (!st.Retracted && st.CorrectedBy is null)))
            .Take(o.LateRuns + 2).ToList();
        // Statements in force mid-history, for the retractions (a catalog event no closing refers to).
        var statements = history.Events.Select(e => e.Event).OfType<StatementIssued>()
            .Where(x => x.Date.Year >= 2006 && !resolved.Statuses.ContainsKey(x.EventId)).Take(o.LateRuns + 2).ToList();
        var corrections = new List<double>(); var retractions = new List<double>(); var end = new List<double>();
        for (var r = -2; r < Math.Min(o.LateRuns, Math.Min(demands.Count, statements.Count) - 2); r++) // two warm-up runs
        {
            var d = demands[r + 2];
            var correction = new EventCorrected { TargetEventId = d.EventId, Correction = d with { Note = $"corrected {r}" } } with
            {
                EventId = Guid.NewGuid(), OccurredOn = DomainDate.FromDate(new DateOnly(2026, 9, 15).AddDays(r + 2)), Actor = d.Actor, Confidence = Confidence.Reported,
            };
            await settle();
            var a = await DirectAsync(id, correction);
            await settle();
            var b = await DirectAsync(id, AppendEvent(r + 2) with { EventId = Guid.NewGuid(), OccurredOn = DomainDate.FromDate(new DateOnly(2026, 9, 20).AddDays(r + 2)) });
            await settle();
            var x = await DirectAsync(id, new EventRetracted { TargetEventId = statements[r + 2].EventId, Reason = "denied" } with
            {
                EventId = Guid.NewGuid(), OccurredOn = DomainDate.FromDate(new DateOnly(2026, 9, 25).AddDays(r + 2)), Actor = SyntheticHistory.A, Confidence = Confidence.Reported,
            });
            log.WriteLine($"   correction of a DemandMade {a:N1} ms, retraction of a statement {x:N1} ms, end {b:N1} ms{(r < 0 ? " (warm-up)" : "")}");
            if (r < 0) continue;
            corrections.Add(a); retractions.Add(x); end.Add(b);
        }
        if (corrections.Count == 0) return;
        // Where it spends its time: one more, profiled (not a measured run).
        if (demands.Count > o.LateRuns + 1)
            using (var profile = new AppendProfile())
            {
                var d = demands[^1];
                await settle();
                await DirectAsync(id, new EventCorrected { TargetEventId = d.EventId, Correction = d with { Note = "profiled" } } with
                {
                    EventId = Guid.NewGuid(), OccurredOn = DomainDate.FromDate(new DateOnly(2026, 10, 20)), Actor = d.Actor, Confidence = Confidence.Reported,
                });
                s.Notes.Add("Profile of one more correction of a DemandMade (an `ActivityListener` on our spans; ms per phase): append — " +
                    string.Join(", ", profile.Phases("append").Select(p => $"{p.Phase} {p.Ms:N2}")) + "; its refold — " +
                    string.Join(", ", profile.Phases("refold").Select(p => $"{p.Phase} {p.Ms:N2}")) + ".");
                log.WriteLine("   " + s.Notes[^1]);
            }
        var c = Summary.Of(corrections); var e = Summary.Of(end);
        s.Rows.Add(new Row($"{n:N0} events, correction of a DemandMade mid-history (judged on the whole record)", "append latency (ms)", c, e, "appended at the end", c.Median / e.Median, "× the end append"));
        var x2 = Summary.Of(retractions);
        s.Rows.Add(new Row($"{n:N0} events, retraction of a statement mid-history", "append latency (ms)", x2, e, "appended at the end", x2.Median / e.Median, "× the end append"));
        s.Notes.Add("Correction of a DemandMade: its closings' dates and parties and the ids other openings hold are not in the index or the head, so the write " +
            "validates it against the whole record (`KnownReferences.NeedWholeRecord`), as an import does; one per run, each of another demand in force, alternated with an end append " +
            "and a retraction of a statement dated 2006 or later (each refolds from the checkpoint before its change: the events after it from the `TailCache` when it holds them, with what the change takes out or puts in).");
    }

    /// <summary>
    /// Section 5, at the largest size: the window a mid-history late event opens until Wolverine has written the
    /// checkpoints after it, and what a state query dated after the event costs inside that window against outside it.
    /// </summary>
    async Task LateWindowAsync(Section s)
    {
        var n = o.LateWindowHistory;
        if (n <= 0) return; // BENCH_WINDOW_EVENTS=0: section 5 without its 1M-event window
        var id = await SizedAsync(n);
        log.WriteLine($"5. late-event window in {id}");
        var rng = new Random(17);
        var mid = new DateOnly(2010, 1, 1);
        DateOnly After() => mid.AddDays(rng.Next(1, 365 * 14)); // 2010–2023: after the late event, before the end of the record
        async Task<double> QueryAsync()
        {
            var t0 = Stopwatch.GetTimestamp();
            await env.Store.StateAsOfAsync(id, After());
            return Ms(Stopwatch.GetTimestamp() - t0);
        }
        var appends = new List<double>(); var windows = new List<double>(); var inside = new List<double>(); var outside = new List<double>();
        for (var r = -1; r < o.LateWindowRuns; r++) // one warm-up run: the first late event reads the tail through Marten
        {
            while (!await env.Store.CheckpointsCompleteAsync(id)) await Task.Delay(10);
            var quiet = new List<double>();
            for (var q = 0; q < 10; q++) quiet.Add(await QueryAsync());
            var late = AppendEvent(r + 1) with { EventId = Guid.NewGuid(), OccurredOn = DomainDate.FromDate(mid.AddDays(r + 1)) };
            var a = await DirectAsync(id, late);
            var t0 = Stopwatch.GetTimestamp();
            var during = new List<double>();
            while (!await env.Store.CheckpointsCompleteAsync(id)) during.Add(await QueryAsync());
            var w = Ms(Stopwatch.GetTimestamp() - t0);
            log.WriteLine($"   late {a:N1} ms, window {w:N0} ms, {during.Count} queries inside (median {Summary.Of(during.Count > 0 ? during : [0]).Median:N1} ms), outside median {Summary.Of(quiet).Median:N1} ms{(r < 0 ? " (warm-up)" : "")}");
            if (r < 0) continue;
            appends.Add(a); windows.Add(w); outside.AddRange(quiet); inside.AddRange(during);
        }
        var l = Summary.Of(appends);
        s.Rows.Add(new Row($"{n:N0} events, dated mid-history: its checkpoints, written after the commit (Wolverine)", "ms until complete", Summary.Of(windows), l,
            "the late append", Summary.Of(windows).Median / l.Median, "× the late append"));
        if (inside.Count > 0)
            s.Rows.Add(new Row($"{n:N0} events: state as of a date after the late event, inside that window", "query latency (ms)", Summary.Of(inside), Summary.Of(outside),
                "the same queries outside the window", Summary.Of(inside).Median / Summary.Of(outside).Median, "× outside the window"));
        s.Notes.Add($"At {n:N0} events ({o.LateWindowRuns} runs after a warm-up): a late event dated 2010-01-01, then state queries as of random dates in 2010–2023, back to back, " +
            "until `CheckpointsCompleteAsync` says the checkpoints after it are written; outside the window: 10 such queries before each late event. " +
            $"{inside.Count} queries fell inside the windows.");
    }

    // ------------------------------------------------------------------ 6. rebuild

    async Task<Section> RebuildAsync()
    {
        var m = o.RebuildNegotiations; var each = o.RebuildEventsEach;
        log.WriteLine($"6. rebuild {m} × {each}");
        var ids = new List<string>();
        for (var k = 0; k < m; k++)
        {
            var id = $"rb-{k:D4}";
            await ImportFileAsync(WriteHistory(id, each, SyntheticHistory.Seed + k), id);
            ids.Add(id);
        }
        var s = new Section("6", "Rebuild", $"`RebuildAsync` of every negotiation of a set of {m} × {each:N0} = {m * each:N0} events (index, statuses, references, checkpoints, head, board, " +
            "party profiles; `RebuildAllAsync`, as the `rebuild` command runs it: one transaction per negotiation, two at a time on this 2-core machine; per negotiation the " +
            "events are read once, retractions resolved in memory, the index and the checkpoints written with COPY and the fold run once), against reading and deserializing the same events with one plain query " +
            "(`select type, data from mt_events where stream_id = any(…)`, `EventJson.Deserialize` each). Runs alternate.");
        var rb = new List<double>(); var rd = new List<double>();
        for (var r = -1; r < o.Runs; r++)
        {
            var t0 = Stopwatch.GetTimestamp();
            await env.Store.RebuildAllAsync(ids);
            var rebuild = Ms(Stopwatch.GetTimestamp() - t0) / 1000;
            t0 = Stopwatch.GetTimestamp();
            var count = 0;
            await using (var conn = await env.DataSource.OpenConnectionAsync())
            await using (var cmd = new NpgsqlCommand("select type, data::text from mt_events where stream_id = any(@ids) order by stream_id, version", conn))
            {
                cmd.Parameters.AddWithValue("ids", ids.ToArray());
                await using var rr = await cmd.ExecuteReaderAsync();
                while (await rr.ReadAsync())
                {
                    var type = rr.GetString(0);
                    object e = type == nameof(NegotiationOpened) ? JsonSerializer.Deserialize<NegotiationOpened>(rr.GetString(1), EventJson.Options)! : EventJson.Deserialize(type, rr.GetString(1));
                    GC.KeepAlive(e);
                    count++;
                }
            }
            var read = Ms(Stopwatch.GetTimestamp() - t0) / 1000;
            if (count != m * (each + 1)) throw new InvalidOperationException($"read {count} events");
            if (r < 0) continue;
            rb.Add(rebuild); rd.Add(read);
            log.WriteLine($"   run {r}: rebuild {rebuild:F2} s, read {read:F2} s");
        }
        var a = Summary.Of(rb); var b = Summary.Of(rd);
        s.Rows.Add(new Row($"{m} negotiations × {each:N0} events", "seconds", a, b, "plain read + deserialize", a.Median / b.Median, "× the read", "≤ 2×", a.Median / b.Median <= 2));
        s.Rows.Add(new Row($"{m} negotiations × {each:N0} events", "events/s", Summary.Of(rb.Select(x => m * each / x).ToList()), Summary.Of(rd.Select(x => m * each / x).ToList()), "plain read + deserialize", b.Median / a.Median, "of the read's throughput"));
        s.Notes.Add("The data is created with the importer (one file per negotiation, fixed seeds); that time is not counted.");
        if (!o.Quick) s.Notes.Add("What is left above the read: see *Profile: rebuild* below.");
        return s;
    }

    // ------------------------------------------------------------------ 7. what-if

    async Task<Section> WhatIfAsync()
    {
        var s = new Section("7", "What-if", "`WhatIfRunner.RunAsync` (what `POST /api/negotiations/{id}/what-if` runs) with 10 hypothetical events dated after the whole " +
            "record (November 2026), as of today, over negotiations of each size, against the plain state query `StateAsOfAsync(id, today)` (the head: in memory, or the last " +
            "checkpoint + the events after it); then, at the middle size, one hypothetical event dated mid-history (2010-01-01) against the same query. In-process, no HTTP. Queries alternate. " +
            "Per size also: the same what-if projected to a date not asked before at each query (`projectTo`; the state query asks for that date), so the baseline the " +
            "head cache keeps is never there; and the CPU time of this process per query (`Process.TotalProcessorTime` over alternating blocks of queries).");
        var adds = Enumerable.Range(0, 10).Select(k => AppendEvent(k) with { EventId = Guid.NewGuid(), OccurredOn = DomainDate.FromDate(new DateOnly(2026, 11, 1).AddDays(k)) }).ToList();
        var sizes = o.ScaleSizes;
        var newDates = 0;
        // freshDate: each query projects to a date not asked before (both the what-if and the state query), so the
        // baseline the head cache keeps for a date (docs/what-if.md) is never there: what the first what-if after an append pays.
        async Task<(Summary WhatIf, Summary State)> MeasureAsync(string id, WhatIfChanges changes, bool freshDate = false)
        {
            var wi = new List<double>(); var st = new List<double>();
            for (var r = -1; r < o.Runs; r++)
            {
                var a = new List<double>(); var b = new List<double>();
                for (var q = 0; q < o.WhatIfQueriesPerRun; q++)
                {
                    DateOnly? to = freshDate ? env.Store.Today.AddDays(++newDates) : null;
                    var t0 = Stopwatch.GetTimestamp();
                    var result = await WhatIfRunner.RunAsync(env.Store, id, changes, new(null, null, to), CancellationToken.None);
                    a.Add(Ms(Stopwatch.GetTimestamp() - t0));
                    if (result is null || !result.IsValid) throw new InvalidOperationException("what-if failed: " + string.Join("; ", result?.Errors.Select(e => e.Message) ?? []));
                    t0 = Stopwatch.GetTimestamp();
                    var state = await env.Store.StateAsOfAsync(id, to ?? env.Store.Today);
                    b.Add(Ms(Stopwatch.GetTimestamp() - t0));
                    GC.KeepAlive(state);
                }
                if (r < 0) continue;
                wi.Add(Percentile.Of(a, 50)); st.Add(Percentile.Of(b, 50));
            }
            return (Summary.Of(wi), Summary.Of(st));
        }
        // CPU and allocations of this process per query, over blocks of queries (the kernel counts CPU in 10 ms ticks, so
        // per-query readings would be noise): what the wall clock cannot show on a loaded machine. Blocks alternate.
        async Task<(Summary WhatIfCpu, Summary StateCpu, double WhatIfKb, double StateKb)> CpuAsync(string id, WhatIfChanges changes)
        {
            var n = o.WhatIfCpuBlock;
            var wc = new List<double>(); var sc = new List<double>(); double wb = 0, sb = 0;
            for (var r = 0; r < o.Runs; r++)
            {
                var cpu0 = Process.GetCurrentProcess().TotalProcessorTime; var b0 = GC.GetTotalAllocatedBytes();
                for (var q = 0; q < n; q++) GC.KeepAlive(await WhatIfRunner.RunAsync(env.Store, id, changes, new(null, null, null), CancellationToken.None));
                var cpu1 = Process.GetCurrentProcess().TotalProcessorTime; var b1 = GC.GetTotalAllocatedBytes();
                for (var q = 0; q < n; q++) GC.KeepAlive(await env.Store.StateAsOfAsync(id, env.Store.Today));
                var cpu2 = Process.GetCurrentProcess().TotalProcessorTime; var b2 = GC.GetTotalAllocatedBytes();
                wc.Add((cpu1 - cpu0).TotalMilliseconds / n); sc.Add((cpu2 - cpu1).TotalMilliseconds / n);
                wb += (b1 - b0) / 1024.0 / n / o.Runs; sb += (b2 - b1) / 1024.0 / n / o.Runs;
            }
            return (Summary.Of(wc), Summary.Of(sc), wb, sb);
        }
        foreach (var n in sizes)
        {
            var id = await SizedAsync(n);
            log.WriteLine($"7. what-if on {id}");
            var changes = new WhatIfChanges(adds, [], [], "{}");
            var (x, y) = await MeasureAsync(id, changes);
            s.Rows.Add(new Row($"10 hypothetical after {n:N0}", $"p50 (ms), {o.WhatIfQueriesPerRun}/run", x, y, "state query p50", x.Median / y.Median, "× the state query",
                "≤ 3× the state query", x.Median / y.Median <= 3));
            (x, y) = await MeasureAsync(id, changes, freshDate: true);
            s.Rows.Add(new Row($"10 hypothetical after {n:N0}, a new projection date each query", $"p50 (ms), {o.WhatIfQueriesPerRun}/run", x, y, "state query p50 (same date)",
                x.Median / y.Median, "× the state query", "≤ 3× the state query", x.Median / y.Median <= 3));
            var (wc, sc, wkb, skb) = await CpuAsync(id, changes);
            s.Rows.Add(new Row($"10 hypothetical after {n:N0}", $"CPU of this process per query (ms), blocks of {o.WhatIfCpuBlock}", wc, sc, "state query CPU", wc.Median / sc.Median, "× the state query"));
            s.Notes.Add($"{n:N0} events: allocated per query (all threads of this process, mean over the CPU blocks): what-if {wkb:N0} KB, state query {skb:N0} KB.");
        }
        {
            var n = o.LateHistory;
            var id = await SizedAsync(n);
            var midEvent = AppendEvent(0) with { EventId = Guid.NewGuid(), OccurredOn = DomainDate.FromDate(new DateOnly(2010, 1, 1)) };
            var (x, y) = await MeasureAsync(id, new WhatIfChanges([midEvent], [], [], "{}"));
            s.Rows.Add(new Row($"1 hypothetical mid-history, {n:N0}", $"p50 (ms), {o.WhatIfQueriesPerRun}/run", x, y, "state query p50", x.Median / y.Median, "× the state query"));
        }
        s.Notes.Add("A what-if on the current record branches from the fold checkpoint before its earliest change (issue 17, part 2): with every hypothetical event after the record, from the head " +
            "the process holds, reading no recorded event; its baseline is the head's own state on the projection date, built once per head and date and kept with the head (HeadCache), and the " +
            "comparison skips the ledger kinds whose entries the branch shares with the head (all of them here); with a change mid-history, from the checkpoint before it, folding the events after it once " +
            "(the branch; its baseline, the branch point being after the record, is the head's kept state too) — the cost grows with those events, not with the whole record. Before part 2 the what-if folded the whole record twice (127 ms p50 at 10,000 events, 19.4× the state query).");
        return s;
    }

    // ------------------------------------------------------------------ 8. appends at scale

    int ScaleOps => o.Quick ? 2 : 40;

    async Task<Section> AppendScaleAsync()
    {
        log.WriteLine("8. appends vs history size");
        var s = new Section("8", "Scale curve of single appends", "One client appending one event at the end of a negotiation that already holds 1k / 10k / 100k events " +
            $"(p50 over {ScaleOps} appends per run), through the API and directly. The design promises constant work for an append at the end " +
            "(the head continues; no refold). The time-travel curve is in section 4.");
        foreach (var size in o.ScaleSizes)
        {
            var counters = new int[1];
            var id = await SizedAsync(size);
            var ids = new[] { id };
            var api = new List<double>(); var direct = new List<double>();
            await AppendRoundAsync(ids, 2, true, counters);
            for (var r = 0; r < o.Runs; r++)
            {
                direct.Add(Percentile.Of((await AppendRoundAsync(ids, ScaleOps, false, counters)).Latencies, 50));
                api.Add(Percentile.Of((await AppendRoundAsync(ids, ScaleOps, true, counters)).Latencies, 50));
            }
            var a = Summary.Of(api); var d = Summary.Of(direct);
            s.Rows.Add(new Row($"{size:N0} events", "API append p50 (ms)", a, d, "direct p50", a.Median / d.Median, "× direct"));
        }
        return s;
    }
}
