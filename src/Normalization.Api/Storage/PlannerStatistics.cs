using Npgsql;

namespace Normalization.Api.Storage;

/// <summary>
/// When a bulk load refreshes the planner's statistics itself instead of leaving it to autovacuum: only for a table whose
/// statistics count fewer rows than the load added (or that was never analyzed) — then they describe less than half of
/// the table, and a small negotiation's reads can be planned as scans of the whole table (measured: 10× slower time
/// travel, docs/benchmarks.md section 3). A load smaller than what the statistics already count leaves them describing
/// at least half the table; autovacuum's own rule (10 % of the rows changed) refreshes them within its nap time, and
/// the load does not pay an ANALYZE (0.3–0.5 s of server CPU for 200,000 events: docs/benchmarks.md section 9).
/// </summary>
public static class PlannerStatistics
{
    /// <summary>
    /// Those of <paramref name="loads"/> (a table's name as SQL spells it, the rows the load added to it) whose statistics
    /// count fewer rows than were added (<c>pg_class.reltuples</c>, -1 when never analyzed). One round trip; a table the
    /// server does not know is left out.
    /// </summary>
    public static async Task<IReadOnlyList<string>> StaleAsync(NpgsqlConnection conn, IReadOnlyList<(string Table, long Added)> loads, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select t.name from unnest(@tables, @added) as t(name, added)
            join pg_class c on c.oid = to_regclass(t.name)
            where c.reltuples < t.added
            """, conn);
        cmd.Parameters.AddWithValue("tables", loads.Select(l => l.Table).ToArray());
        cmd.Parameters.AddWithValue("added", loads.Select(l => l.Added).ToArray());
        var stale = new List<string>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) stale.Add(r.GetString(0));
        return stale;
    }
}
