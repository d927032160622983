using System.Diagnostics;
using JasperFx.Events;
using Marten;
using Normalization.Domain.Catalog;
using Microsoft.Extensions.DependencyInjection;
using Normalization.Api.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Normalization.Benchmarks;

/// <summary>
/// Section 9 (issue 15): one single-event append, one client, against physical baselines measured in the same run —
/// a plain single-row jsonb <c>INSERT … COMMIT</c> of the same event's JSON (Npgsql, no index but the primary key), and
/// raw Marten (<c>AppendExclusive</c> + <c>SaveChangesAsync</c> on a stream of the same size, no read models).
/// </summary>
public sealed partial class Measurements
{
    async Task<Section> AppendBaselinesAsync()
    {
        log.WriteLine("9. append vs physical baselines");
        var s = new Section("9", "Single append against physical baselines", "One event appended directly (`NegotiationStore.AppendAsync`, one client, dated after " +
            "everything: the head continues) to negotiations of each size, against (a) a plain single-row jsonb `INSERT … COMMIT` of the same event's JSON into a " +
            "table with only a primary key (Npgsql, same server, same pool) and (b) raw Marten: `AppendExclusive` + `SaveChangesAsync` of the same event onto a " +
            "Marten stream of the same size, no read models; up to 10,000 events also (c) raw Marten as issue 15 words it: `FetchForWriting` of a live aggregate + " +
            "`AppendOne` + `SaveChangesAsync` (it reads every event of the stream, so (b) is the stricter goal). Runs alternate them; p50 over the appends of a run, median over runs. Then throughput at 1 / 8 / 32 concurrent clients, " +
            "each on its own 1,000-event negotiation (and its own raw stream), one event per append, the three alternating per run.");
        await using (var conn = await env.DataSource.OpenConnectionAsync())
        await using (var cmd = new NpgsqlCommand("drop table if exists bench_insert; create table bench_insert (id bigserial primary key, data jsonb not null)", conn))
            await cmd.ExecuteNonQueryAsync();
        var day = 0;
        var counter = 10_000;
        // (A profiling loop, BENCH_APPEND_LOOP, needs only the throughput negotiations.)
        foreach (var n in o.Section9Part == "bulk" || Environment.GetEnvironmentVariable("BENCH_APPEND_LOOP") is { Length: > 0 } ? [] : o.AppendBaselineSizes)
        {
            day = 0;
            // Its own negotiation (history 1995–2024), so the appends below, dated from 2025 on, always come after everything folded.
            var id = $"ab-{n}";
            await ImportFileAsync(WriteHistory(id, n), id);
            var raw = $"raw-{n}";
            await RawStreamAsync(raw, n);
            // The issue's own wording of raw Marten (FetchForWriting + Append + save) on a stream of its own: measured where a live
            // FetchForWriting, which reads every event of the stream, stays affordable (LiteralBaselineMaxEvents).
            var literal = n <= LiteralBaselineMaxEvents ? $"lit-{n}" : null;
            if (literal is not null) await RawStreamAsync(literal, n);
            var ours = new List<double>(); var insert = new List<double>(); var marten = new List<double>(); var fetched = new List<double>();
            for (var r = -1; r < o.Runs; r++)
            {
                var a = new List<double>(); var b = new List<double>(); var c = new List<double>(); var f = new List<double>();
                for (var k = 0; k < o.AppendBaselineOps; k++)
                {
                    // Two appends a day, of the same type (same-day rank) and ascending ids: each one sorts after everything folded.
                    var d = day++ / 2;
                    var e = Ascending(AppendEvent(d), counter++) with { OccurredOn = DomainDate.FromDate(new DateOnly(2025, 1, 1).AddDays(d)) };
                    a.Add(await DirectAsync(id, e));
                    b.Add(await InsertAsync(EventJson.Serialize(e)));
                    c.Add(await RawMartenAsync(raw, e with { EventId = Guid.NewGuid() }));
                    if (literal is not null) f.Add(await FetchForWritingAsync(literal, e with { EventId = Guid.NewGuid() }));
                }
                if (r < 0) continue; // warm-up
                ours.Add(Percentile.Of(a, 50)); insert.Add(Percentile.Of(b, 50)); marten.Add(Percentile.Of(c, 50));
                if (literal is not null) fetched.Add(Percentile.Of(f, 50));
            }
            // A profile pass after the measured runs (listening to the spans costs time): statements per operation and the append's phases.
            using (var profile = new AppendProfile())
            {
                Activity.Current = null; // each profiled operation its own trace (this flow only)
                for (var k = 0; k < o.AppendBaselineOps; k++)
                {
                    var d = day++ / 2;
                    var e = Ascending(AppendEvent(d), counter++) with { OccurredOn = DomainDate.FromDate(new DateOnly(2025, 1, 1).AddDays(d)) };
                    await DirectAsync(id, e);
                    await InsertAsync(EventJson.Serialize(e));
                    await RawMartenAsync(raw, e with { EventId = Guid.NewGuid() });
                }
                s.Notes.Add($"Profile of {o.AppendBaselineOps} more appends at {n:N0} events (an `ActivityListener` on our `append` span and Npgsql's command spans; " +
                    $"statements sent, each one round trip, plus the commit, which Npgsql does not trace): ours {profile.StatementsPer("append"):F0}, " +
                    $"raw Marten {profile.StatementsPer("bench.marten"):F0}, INSERT {profile.StatementsPer("bench.insert"):F0}. Median ms per phase of ours: " +
                    string.Join(", ", profile.Phases().Select(p => $"{p.Phase} {p.Ms:F2}")) + "; inside, its group's write (`append-group`): " +
                    string.Join(", ", profile.Phases("append-group").Select(p => $"{p.Phase} {p.Ms:F2}")) + ".");
            }
            var so = Summary.Of(ours); var si = Summary.Of(insert); var sm = Summary.Of(marten);
            s.Rows.Add(new Row($"{n:N0} events", "append p50 (ms)", so, si, "plain jsonb `INSERT … COMMIT`", si.Median / so.Median, "of INSERT throughput (1 client)",
                "≥ 0.25 of INSERT", si.Median / so.Median >= 0.25));
            s.Rows.Add(new Row($"{n:N0} events", "append p50 (ms)", so, sm, "raw Marten `AppendExclusive` + save", sm.Median / so.Median, "of raw Marten throughput (1 client)",
                "≥ 0.80 of raw Marten", sm.Median / so.Median >= 0.8));
            if (literal is not null)
            {
                var sf = Summary.Of(fetched);
                s.Rows.Add(new Row($"{n:N0} events", "append p50 (ms)", so, sf, "raw Marten as the issue words it: `FetchForWriting` (live) + `Append` + save", sf.Median / so.Median,
                    "of that throughput (1 client)", "≥ 0.80 (the issue's wording; the row above is the stricter goal)", sf.Median / so.Median >= 0.8));
            }
            s.Rows.Add(new Row($"{n:N0} events", "append p50 (ms)", so, null, null, null, "", "≤ 3 ms, flat across sizes", so.Median <= 3));
        }
        if (o.Section9Part != "bulk") { await ThroughputAsync(s, counter); await InMemoryPartsAsync(s, $"tp-{o.Concurrency[0]}-0"); }
        if (o.Section9Part != "append") await BulkAgainstMartenAsync(s);
        s.Notes.Add("At one client, throughput is the inverse of latency, so the ratio of p50 latencies is the ratio of throughputs.");
        s.Notes.Add("The head is not stored (issue 15, part 6): an end append writes the event, one index row and the board row in Marten's one batch, " +
            "and the head stays in the process's memory by stream version (docs/architecture.md, Storage). With that head it sends no lock: Marten's expected " +
            "version checks the stream (one statement fewer than raw Marten's `AppendExclusive` + save; then the commit), and appends of other negotiations " +
            "waiting at the same moment share one batch and one commit (group commit; docs/architecture.md, \"The end append without a lock round trip\"). " +
            "A stored eventId is refused by the index's primary key instead of being looked up first. What remains above raw Marten " +
            "is the index row and the board row in the batch (server work: four B-tree entries — primary key, timeline, version, recorded-at — and a document upsert) " +
            "and the fold's CPU (a clone of the head, " +
            "the board's stage history and momentum).");
        return s;
    }

    /// <summary>
    /// Throughput at 1 / 8 / 32 clients, each on its own negotiation (1,000 events) and its own raw Marten stream and
    /// appending one event at a time: ours (`AppendAsync`) against plain INSERT+COMMIT and raw Marten at the same concurrency.
    /// </summary>
    async Task ThroughputAsync(Section s, int counter)
    {
        var serverCpu = await ServerCpu.OfAsync(env.DataSource);
        foreach (var clients in o.Concurrency)
        {
            var ids = Enumerable.Range(0, clients).Select(c => $"tp-{clients}-{c}").ToArray();
            var raws = ids.Select(i => "raw-" + i).ToArray();
            for (var c = 0; c < clients; c++)
            {
                await ImportFileAsync(WriteHistory(ids[c], 1_000), ids[c]);
                await RawStreamAsync(raws[c], 1_000);
            }
            var ops = o.Quick ? 3 : Math.Max(10, 320 / clients);
            var days = new int[clients];
            // Dated from 2025 on, a day per 16 appends: every append comes after everything folded, and none after today.
            // The same type all day (same-day rank) and ascending ids: each append sorts after everything folded.
            NegotiationEvent Next(int c)
            {
                var d = days[c]++ / 16;
                return Ascending(AppendEvent(d), counter++) with { OccurredOn = DomainDate.FromDate(new DateOnly(2025, 1, 1).AddDays(d)) };
            }
            // The work per event of the last Rate call: this process's CPU (ms; ours, the INSERT and raw Marten run in this
            // process, so at many clients on two cores this is the work per append the throughput follows), the server's CPU
            // (ms, ServerCpu) and the bytes this process allocated (KB).
            var cost = new Cost(0, 0, 0);
            async Task<double> Rate(Func<int, Task> one)
            {
                var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
                var server0 = serverCpu?.Seconds() ?? 0;
                var bytes0 = GC.GetTotalAllocatedBytes();
                var t0 = Stopwatch.GetTimestamp();
                await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () => { for (var k = 0; k < ops; k++) await one(c); })));
                var rate = clients * ops / (Ms(Stopwatch.GetTimestamp() - t0) / 1000);
                double n = clients * ops;
                cost = new Cost((Process.GetCurrentProcess().TotalProcessorTime - cpu0).TotalMilliseconds / n, ((serverCpu?.Seconds() ?? 0) - server0) * 1000 / n,
                    (GC.GetTotalAllocatedBytes() - bytes0) / 1024.0 / n);
                return rate;
            }
            if (Environment.GetEnvironmentVariable("BENCH_APPEND_LOOP") is { Length: > 0 } loop && clients == (int)(BenchOptions.Env("BENCH_APPEND_LOOP_CLIENTS") ?? o.Concurrency[^1]))
                await ProfileLoopAsync(loop, () => Rate(c => loop == "raw" ? RawMartenAsync(raws[c], Next(c) with { EventId = Guid.NewGuid() }) : DirectAsync(ids[c], Next(c))), () => cost);
            var ours = new List<double>(); var insert = new List<double>(); var marten = new List<double>();
            var costOurs = new List<Cost>(); var costMarten = new List<Cost>();
            for (var r = -1; r < o.Runs; r++)
            {
                var a = await Rate(async c => await DirectAsync(ids[c], Next(c)));
                var ca = cost;
                var b = await Rate(async c => await InsertAsync(EventJson.Serialize(Next(c))));
                var m = await Rate(async c => await RawMartenAsync(raws[c], Next(c) with { EventId = Guid.NewGuid() }));
                if (r < 0) continue; // warm-up
                ours.Add(a); insert.Add(b); marten.Add(m);
                costOurs.Add(ca); costMarten.Add(cost);
            }
            double Median(List<Cost> l, Func<Cost, double> f) => Percentile.Of(l.Select(f).ToList(), 50);
            s.Notes.Add($"{clients} client(s), work per appended event (median over runs), ours / raw Marten: CPU of this process (`Process.TotalProcessorTime`) " +
                $"{Median(costOurs, x => x.Client):F2} / {Median(costMarten, x => x.Client):F2} ms; CPU of the PostgreSQL server (its processes' user + system time " +
                $"from /proc) {Median(costOurs, x => x.Server):F2} / {Median(costMarten, x => x.Server):F2} ms; allocated by this process " +
                $"(`GC.GetTotalAllocatedBytes`) {Median(costOurs, x => x.AllocatedKb):F0} / {Median(costMarten, x => x.AllocatedKb):F0} KB.");
            var so = Summary.Of(ours); var si = Summary.Of(insert); var sm = Summary.Of(marten);
            s.Rows.Add(new Row($"{clients} client(s), own negotiations", "events/s", so, si, "plain jsonb `INSERT … COMMIT`", so.Median / si.Median, "of INSERT throughput",
                "≥ 0.25 of INSERT", so.Median / si.Median >= 0.25));
            s.Rows.Add(new Row($"{clients} client(s), own negotiations", "events/s", so, sm, "raw Marten `AppendExclusive` + save", so.Median / sm.Median, "of raw Marten throughput",
                "≥ 0.80 of raw Marten", so.Median / sm.Median >= 0.8));
        }
    }

    /// <summary>
    /// What the in-memory steps of one end append cost on the head of a throughput negotiation (1,000 events and the appends
    /// of the runs): each step repeated on the same head, µs and bytes allocated per call (this thread's allocations; no I/O).
    /// The steps are the domain calls an end append makes between reading the head and the save.
    /// </summary>
    async Task InMemoryPartsAsync(Section s, string id)
    {
        var view = await env.Store.LoadViewAsync(id) ?? throw new InvalidOperationException($"{id} is missing");
        var head = view.Head;
        var day = head.PendingDate ?? DateOnly.FromDateTime(DateTime.UtcNow);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var stageDay = day > today ? day : today;
        var next = Ascending(AppendEvent(0), int.MaxValue) with { OccurredOn = DomainDate.FromDate(day) };
        var after = head.Clone(); after.Apply(next);
        var history = head.StageHistoryAt(stageDay);
        (string, double, double) Measure(string name, Action step)
        {
            for (var i = 0; i < 50; i++) step(); // warm-up (JIT)
            const int n = 2_000;
            var bytes0 = GC.GetAllocatedBytesForCurrentThread();
            var t0 = Stopwatch.GetTimestamp();
            for (var i = 0; i < n; i++) step();
            var us = Ms(Stopwatch.GetTimestamp() - t0) * 1000 / n;
            return (name, us, (GC.GetAllocatedBytesForCurrentThread() - bytes0) / (double)n);
        }
        var parts = new[]
        {
            Measure("clone of the head", () => head.Clone()),
            Measure("clone + fold of one event", () => head.Clone().Apply(next)),
            Measure("stage history (`StageHistoryAt`)", () => head.StageHistoryAt(stageDay)),
            Measure("momentum (`MomentumAt`)", () => head.MomentumAt(day)),
            Measure("expiries (`Expiries`)", () => head.Expiries()),
            Measure("alerts' comparison (`StageChangeAlerts.Changes`)", () => Normalization.Api.Alerts.Notifying.StageChangeAlerts.Changes(history, after.StageHistoryAt(stageDay), [day])),
            Measure("the event's JSON", () => EventJson.Serialize(next)),
        };
        s.Notes.Add($"In-memory steps of one end append on the head of `{id}` ({head.EventCount:N0} folded events, {history.Count} stage transitions; " +
            "µs and bytes allocated per call, 2,000 calls on one thread): " + string.Join("; ", parts.Select(p => $"{p.Item1} {p.Item2:F1} µs, {p.Item3 / 1024:F1} KB")) + ".");
    }

    /// <summary>The work of one event in a throughput run: this process's CPU (ms), the server's CPU (ms), allocated KB.</summary>
    readonly record struct Cost(double Client, double Server, double AllocatedKb);

    /// <summary>
    /// BENCH_APPEND_LOOP=ours|raw (profiling, not a measurement): before the measured runs at the highest concurrency, appends of
    /// one kind only for BENCH_APPEND_LOOP_SECONDS (default 30), printing this process's id first, so a profiler
    /// (<c>dotnet-trace collect -p PID</c>) sees one kind of append.
    /// </summary>
    async Task ProfileLoopAsync(string kind, Func<Task<double>> round, Func<Cost> cost)
    {
        var seconds = BenchOptions.Env("BENCH_APPEND_LOOP_SECONDS") ?? 30;
        log.WriteLine($"profile loop: {kind} appends for {seconds} s in process {Environment.ProcessId}");
        // The server's statements, when the cluster loads pg_stat_statements (shared_preload_libraries): what each kind sends.
        var statements = false;
        await using (var conn = await env.DataSource.OpenConnectionAsync())
            try
            {
                await using var cmd = new NpgsqlCommand("create extension if not exists pg_stat_statements; select pg_stat_statements_reset()", conn);
                await cmd.ExecuteNonQueryAsync();
                statements = true;
            }
            catch (PostgresException) { }
        var until = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
            var rate = await round();
            var c = cost();
            log.WriteLine($"  {kind}: {rate:F0}/s, client {c.Client:F3} ms, server {c.Server:F3} ms, {c.AllocatedKb:F0} KB per append");
        }
        log.WriteLine("profile loop: done");
        if (!statements) return;
        await using (var conn = await env.DataSource.OpenConnectionAsync())
        await using (var cmd = new NpgsqlCommand("""
            select calls, round(total_exec_time::numeric, 1), round((total_exec_time / calls)::numeric, 4), wal_bytes / calls, left(regexp_replace(query, '\s+', ' ', 'g'), 160)
            from pg_stat_statements where dbid = (select oid from pg_database where datname = current_database()) order by total_exec_time desc limit 25
            """, conn))
        await using (var r = await cmd.ExecuteReaderAsync())
            while (await r.ReadAsync())
                log.WriteLine($"  {r.GetInt64(0),8} calls {r.GetDecimal(1),9} ms {r.GetDecimal(2),8} ms/call {r.GetDecimal(3),8} WAL B/call  {r.GetString(4)}");
    }

    /// <summary>
    /// A new negotiation's events stored in bulk: ours (<c>NegotiationStore.BulkAppendAsync</c>: Marten's rows, our index, the
    /// fold and its checkpoints, one transaction) against Marten's own <c>BulkInsertEventsAsync</c> of the same events
    /// (events and stream only) and a plain binary COPY of their JSON into a jsonb table. BENCH_BULK_EVENTS sets the size.
    /// </summary>
    async Task BulkAgainstMartenAsync(Section s)
    {
        var n = o.Quick ? 500 : BenchOptions.Env("BENCH_BULK_EVENTS") ?? 200_000;
        var documents = env.Host.Services.GetRequiredService<IDocumentStore>();
        var ours = new List<double>(); var marten = new List<double>(); var copy = new List<double>();
        // CPU of each side (client: this process; server: the cluster's processes), so the comparison survives a loaded machine.
        var server = await ServerCpu.OfAsync(env.DataSource);
        var cpu = new List<(double OursClient, double OursServer, double MartenClient, double MartenServer)>();
        (double Client, double Server) Cpu() => (Process.GetCurrentProcess().TotalProcessorTime.TotalSeconds, server?.Seconds() ?? double.NaN);
        // The phases of ours, from the events the bulk path adds to the current span (a handful per run: no measurable cost).
        using var profile = new AppendProfile();
        Activity.Current = null; // each run its own trace (this flow only)
        for (var r = -1; r < Math.Min(o.Runs, 3); r++)
        {
            var history = SyntheticHistory.Generate($"bulk-{r + 1}", n);
            var events = history.Events.ToList();
            var c0 = Cpu();
            var t0 = Stopwatch.GetTimestamp();
            BulkOutcome outcome;
            using (AppendProfile.Source.StartActivity("bench.bulk"))
                outcome = await env.Store.BulkAppendAsync(history.Opening, create: true, null, events, "bench");
            var a = Ms(Stopwatch.GetTimestamp() - t0) / 1000;
            var c1 = Cpu();
            if (outcome is not BulkOutcome.Stored) throw new InvalidOperationException($"bulk {history.Opening.Id}: {outcome}");

            var stream = new object[] { history.Opening }.Concat(events.Select(e => e with { EventId = Guid.NewGuid() })).ToArray();
            t0 = Stopwatch.GetTimestamp();
            await documents.BulkInsertEventsAsync([StreamAction.Start((IEventRegistry)((DocumentStore)documents).Options.Events, $"mbulk-{r + 1}", stream)]);
            var b = Ms(Stopwatch.GetTimestamp() - t0) / 1000;
            var c2 = Cpu();

            t0 = Stopwatch.GetTimestamp();
            await using (var conn = await env.DataSource.OpenConnectionAsync())
            {
                await using (var cmd = new NpgsqlCommand("drop table if exists bench_copy; create table bench_copy (data jsonb not null)", conn)) await cmd.ExecuteNonQueryAsync();
                await using var w = await conn.BeginBinaryImportAsync("copy bench_copy (data) from stdin (format binary)");
                foreach (var e in events) { await w.StartRowAsync(); await w.WriteAsync(EventJson.Serialize(e), NpgsqlDbType.Jsonb); }
                await w.CompleteAsync();
            }
            var c = Ms(Stopwatch.GetTimestamp() - t0) / 1000;
            if (r < 0) continue; // warm-up
            ours.Add(n / a); marten.Add(n / b); copy.Add(n / c);
            cpu.Add((c1.Client - c0.Client, c1.Server - c0.Server, c2.Client - c1.Client, c2.Server - c1.Server));
            log.WriteLine($"  bulk run {r + 1}: ours {a:F2} s (CPU client {cpu[^1].OursClient:F2} s, server {cpu[^1].OursServer:F2} s), " +
                $"Marten {b:F2} s (client {cpu[^1].MartenClient:F2} s, server {cpu[^1].MartenServer:F2} s), COPY {c:F2} s");
        }
        double Med(Func<(double, double, double, double), double> f) => Percentile.Of(cpu.Select(f).ToList(), 50);
        s.Notes.Add($"Bulk store of {n:N0} events, CPU seconds (median over runs; client = this process's `TotalProcessorTime`, server = the PostgreSQL " +
            $"cluster's processes from `/proc`): ours {Med(x => x.Item1):F2} client + {Med(x => x.Item2):F2} server, Marten's `BulkInsertEventsAsync` " +
            $"{Med(x => x.Item3):F2} client + {Med(x => x.Item4):F2} server; ratio of total CPU, Marten ÷ ours: " +
            $"{Med(x => (x.Item3 + x.Item4) / (x.Item1 + x.Item2)):F2}.");
        var so = Summary.Of(ours); var sm = Summary.Of(marten); var sc = Summary.Of(copy);
        s.Rows.Add(new Row($"bulk store of {n:N0} events (new negotiation)", "events/s", so, sm, "Marten `BulkInsertEventsAsync` (events + stream only)", so.Median / sm.Median,
            "of Marten's bulk insert", "≥ 0.80 of Marten's bulk insert", so.Median / sm.Median >= 0.8));
        s.Notes.Add($"Bulk store of {n:N0} events, median ms per phase of ours (events of the bulk path's span, warm-up included): " +
            string.Join(", ", profile.Phases("bench.bulk").Select(p => $"{p.Phase} {p.Ms:F0}")) + ".");
        s.Rows.Add(new Row($"bulk store of {n:N0} events (new negotiation)", "events/s", so, sc, "binary `COPY` of the events' JSON into a jsonb table", so.Median / sc.Median,
            "of COPY"));
    }

    /// <summary>
    /// The event with an eventId that grows with <paramref name="k"/> (first 8 hex digits), so events sharing a date are
    /// appended in domain order (date, same-day rank, eventId): every append is one at the end, which is what this section
    /// measures. With random ids, half of the same-day appends sorted before the previous one and refolded from a checkpoint.
    /// </summary>
    static NegotiationEvent Ascending(NegotiationEvent e, int k) => e with { EventId = new Guid(k, 0x4e5a, 0x4000, 0x80, 0, 0, 0, 0, 0, 0, 0xbe) };

    async Task<double> InsertAsync(string json)
    {
        var t0 = Stopwatch.GetTimestamp();
        using var span = AppendProfile.Source.StartActivity("bench.insert");
        await using var conn = await env.DataSource.OpenConnectionAsync();
        await using var cmd = new NpgsqlCommand("insert into bench_insert (data) values (@d)", conn);
        cmd.Parameters.Add(new NpgsqlParameter("d", NpgsqlDbType.Jsonb) { Value = json });
        await cmd.ExecuteNonQueryAsync();
        return Ms(Stopwatch.GetTimestamp() - t0);
    }

    async Task RawStreamAsync(string stream, int events)
    {
        var store = env.Host.Services.GetRequiredService<IDocumentStore>();
        var history = SyntheticHistory.Generate(stream, events).Events;
        await using var session = store.LightweightSession();
        session.Events.StartStream(stream, history.Take(1000).Cast<object>().ToArray());
        await session.SaveChangesAsync();
        foreach (var chunk in history.Skip(1000).Chunk(5_000))
        {
            await using var s = store.LightweightSession();
            s.Events.Append(stream, chunk.Cast<object>().ToArray());
            await s.SaveChangesAsync();
        }
    }

    /// <summary>
    /// The largest stream the issue's literal baseline is measured on: a live <c>FetchForWriting</c> reads and deserializes every
    /// event of the stream on each append (100,000 events per append at the next size — seconds, not a baseline worth the run).
    /// </summary>
    const int LiteralBaselineMaxEvents = 10_000;

    /// <summary>
    /// Raw Marten in the issue's words: <c>FetchForWriting</c> of a live aggregate (<see cref="RawStreamTally"/>: no read model, no
    /// stored snapshot — Marten reads the stream's version and events and aggregates them), <c>AppendOne</c>, <c>SaveChangesAsync</c>
    /// (optimistic: the append carries the version read). Milliseconds.
    /// </summary>
    async Task<double> FetchForWritingAsync(string stream, NegotiationEvent e)
    {
        var store = env.Host.Services.GetRequiredService<IDocumentStore>();
        var t0 = Stopwatch.GetTimestamp();
        await using var session = store.LightweightSession();
        var fetched = await session.Events.FetchForWriting<RawStreamTally>(stream);
        fetched.AppendOne(e);
        await session.SaveChangesAsync();
        return Ms(Stopwatch.GetTimestamp() - t0);
    }

    async Task<double> RawMartenAsync(string stream, NegotiationEvent e)
    {
        var store = env.Host.Services.GetRequiredService<IDocumentStore>();
        var t0 = Stopwatch.GetTimestamp();
        using var span = AppendProfile.Source.StartActivity("bench.marten");
        await using var session = store.LightweightSession();
        await session.Events.AppendExclusive(stream, e);
        await session.SaveChangesAsync();
        return Ms(Stopwatch.GetTimestamp() - t0);
    }
}

/// <summary>
/// The smallest live aggregate for the issue's literal raw-Marten baseline (<c>FetchForWriting&lt;T&gt;</c> needs one): counts the
/// stream's talks and statements — the append events of section 9. Never stored (no projection is registered for it).
/// </summary>
public sealed class RawStreamTally
{
    /// <summary>The stream key.</summary>
    public string Id { get; set; } = "";
    /// <summary>Talks and statements seen.</summary>
    public int Seen { get; set; }
    /// <summary>Counts a round of talks.</summary>
    public void Apply(TalksHeld e) => Seen++;
    /// <summary>Counts a statement.</summary>
    public void Apply(StatementIssued e) => Seen++;
}
