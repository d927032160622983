using System.Diagnostics;
using JasperFx.Events;
using Marten;
using Normalization.Domain.Catalog;
using Microsoft.Extensions.DependencyInjection;
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
            "Marten stream of the same size, no read models. Runs alternate the three; p50 over the appends of a run, median over runs.");
        await using (var conn = await env.DataSource.OpenConnectionAsync())
        await using (var cmd = new NpgsqlCommand("drop table if exists bench_insert; create table bench_insert (id bigserial primary key, data jsonb not null)", conn))
            await cmd.ExecuteNonQueryAsync();
        var day = 0;
        var counter = 10_000;
        foreach (var n in o.AppendBaselineSizes)
        {
            day = 0;
            // Its own negotiation (history 1995–2024), so the appends below, dated from 2025 on, always come after everything folded.
            var id = $"ab-{n}";
            await ImportFileAsync(WriteHistory(id, n), id);
            var raw = $"raw-{n}";
            await RawStreamAsync(raw, n);
            var ours = new List<double>(); var insert = new List<double>(); var marten = new List<double>();
            for (var r = -1; r < o.Runs; r++)
            {
                var a = new List<double>(); var b = new List<double>(); var c = new List<double>();
                for (var k = 0; k < o.AppendBaselineOps; k++)
                {
                    var e = AppendEvent(counter++) with { OccurredOn = DomainDate.FromDate(new DateOnly(2025, 1, 1).AddDays(day++ / 2)) };
                    a.Add(await DirectAsync(id, e));
                    b.Add(await InsertAsync(EventJson.Serialize(e)));
                    c.Add(await RawMartenAsync(raw, e with { EventId = Guid.NewGuid() }));
                }
                if (r < 0) continue; // warm-up
                ours.Add(Percentile.Of(a, 50)); insert.Add(Percentile.Of(b, 50)); marten.Add(Percentile.Of(c, 50));
            }
            var so = Summary.Of(ours); var si = Summary.Of(insert); var sm = Summary.Of(marten);
            s.Rows.Add(new Row($"{n:N0} events", "append p50 (ms)", so, si, "plain jsonb `INSERT … COMMIT`", si.Median / so.Median, "of INSERT throughput (1 client)",
                "≥ 0.25 of INSERT", si.Median / so.Median >= 0.25));
            s.Rows.Add(new Row($"{n:N0} events", "append p50 (ms)", so, sm, "raw Marten `AppendExclusive` + save", sm.Median / so.Median, "of raw Marten throughput (1 client)",
                "≥ 0.80 of raw Marten", sm.Median / so.Median >= 0.8));
            s.Rows.Add(new Row($"{n:N0} events", "append p50 (ms)", so, null, null, null, "", "≤ 3 ms, flat across sizes", so.Median <= 3));
        }
        s.Notes.Add("At one client, throughput is the inverse of latency, so the ratio of p50 latencies is the ratio of throughputs.");
        s.Notes.Add("The append rewrites the fold's head document (it grows with the state: stage history, closed ledger entries): issue 15's part 6 " +
            "(a head that does not grow with history) is not built yet, so the product's p50 follows the state's size.");
        return s;
    }

    async Task<double> InsertAsync(string json)
    {
        var t0 = Stopwatch.GetTimestamp();
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

    async Task<double> RawMartenAsync(string stream, NegotiationEvent e)
    {
        var store = env.Host.Services.GetRequiredService<IDocumentStore>();
        var t0 = Stopwatch.GetTimestamp();
        await using var session = store.LightweightSession();
        await session.Events.AppendExclusive(stream, e);
        await session.SaveChangesAsync();
        return Ms(Stopwatch.GetTimestamp() - t0);
    }
}
