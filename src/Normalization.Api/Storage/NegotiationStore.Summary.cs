using Marten;
using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Momentum;
using Normalization.Domain.Summaries;
using Npgsql;
using NpgsqlTypes;
using static Normalization.Api.Storage.DomainIndex;
using SessionOptions = Marten.Services.SessionOptions;

namespace Normalization.Api.Storage;

/// <summary>
/// What the record summary of the current record is made of, read without loading or folding the record (issue 19):
/// the head (<see cref="HeadAsync"/>: in memory, or the last checkpoint + at most <see cref="CheckpointEvery"/> events),
/// the catalog events per day and the momentum weight per day aggregated by PostgreSQL from our index (<c>nz_events</c>'s
/// <c>goldstein</c> and <c>momentum</c> columns), all in one repeatable-read snapshot at <see cref="Version"/>.
/// <see cref="FirstRecorded"/> / <see cref="LastRecorded"/> are the first and last dates of every recorded event
/// (retractions and corrections at their own dates, and at the date of the version a correction puts in force), which
/// decide the summary's last day and its period count.
/// </summary>
public sealed record SummarySource(int Version, FoldAccumulator Head, IReadOnlyList<SummaryDay> Days, IReadOnlyList<DailyWeight> Daily,
    DateOnly? FirstRecorded, DateOnly? LastRecorded);

public sealed partial class NegotiationStore
{
    /// <summary>How many times a summary read fills missing weights and reads again before it gives up (writers keep adding rows).</summary>
    const int SummaryAttempts = 3;

    /// <summary>
    /// The <see cref="SummarySource"/> of <paramref name="id"/>'s current record, or null when there is no such negotiation.
    /// Its cost grows with the number of days the record spans (two grouped index scans) and the tail after the last
    /// checkpoint — not with a fold of the whole record. Index rows whose weights are not known yet (indexed by an append,
    /// or from before the columns existed) are first weighed from their events (<see cref="FillSummaryWeightsAsync"/>).
    /// Null as well when, after <see cref="SummaryAttempts"/> fills, writers still add unweighed rows faster, or when the
    /// rows cannot be weighed because the server or the role is read-only: the caller then folds the record.
    /// </summary>
    public async Task<SummarySource?> SummarySourceAsync(string id, CancellationToken ct = default)
    {
        for (var attempt = 0; attempt < SummaryAttempts; attempt++)
        {
            var (source, unweighed) = await ReadSummarySourceAsync(id, ct);
            if (unweighed == 0) return source;
            try { await FillSummaryWeightsAsync(id, ct); }
            // A read-only server (a hot standby serving readers) or a role without UPDATE: the caller folds the record instead.
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.ReadOnlySqlTransaction or PostgresErrorCodes.InsufficientPrivilege) { return null; }
        }
        return null;
    }

    async Task<(SummarySource? Source, long Unweighed)> ReadSummarySourceAsync(string id, CancellationToken ct)
    {
        using var span = Telemetry.TelemetrySetup.Source.StartActivity("summary-from-index");
        span?.SetTag("negotiation.id", id);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        int version;
        await using (var session = ReadSession(tx))
            if (await session.Events.FetchStreamStateAsync(id, ct) is { } state) version = (int)state.Version; else return (null, 0);

        // Per day and role: the negotiation's events by retracted and by the sign of their Goldstein weight; the own dates of
        // corrections (their rows are dated by the replacement); rows not weighed yet. Reviews keep the record, as retractions
        // and corrections do (EventCatalog.IsRecordKeeping): their rows are not counted, whatever their role column says.
        // An event replaced by a correction in force (status corrected) is counted by the next query, where the fold reads it
        // (RecordSummaries.Days).
        var days = new Dictionary<DateOnly, SummaryDay>();
        DateOnly? first = null, last = null;
        long unweighed = 0;
        void Recorded(DateOnly d) { if (first is null || d < first) first = d; if (last is null || d > last) last = d; }
        await using (var cmd = new NpgsqlCommand("""
            select domain_date, role, status = 'retracted', sign(goldstein), count(*)::int, count(*) filter (where momentum is null),
                   array_agg(occurred_on) filter (where role = 2), type = any(@keeping), status = 'corrected'
            from nz_events where negotiation_id = @id
            group by domain_date, role, status = 'retracted', sign(goldstein), type = any(@keeping), status = 'corrected'
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("id", id);
            cmd.Parameters.AddWithValue("keeping", KeepingNames);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                var day = r.GetFieldValue<DateOnly>(0);
                var role = (EventRole)r.GetInt16(1);
                unweighed += r.GetInt64(5);
                if (role == EventRole.Correction)
                {
                    // Its own date, and the corrected event's (a corrected event is counted there: RecordSummaries.Days)
                    foreach (var own in r.GetFieldValue<string[]>(6)) Recorded(DomainDate.Parse(own).End);
                    Recorded(day);
                    continue;
                }
                Recorded(day);
                if (role != EventRole.Event || r.GetBoolean(7) || r.GetBoolean(8) || r.IsDBNull(3)) continue;
                Count(RecordSummaries.Tally(day, r.GetBoolean(2), r.GetDouble(3), r.GetInt32(4)));
            }
        }
        if (unweighed > 0) return (null, unweighed);

        // The corrected events, each once, on the day and with the weight of its correction in force (an active correction
        // row is dated and weighed by its replacement) — unless what it corrects is record keeping (a corrected review).
        await using (var cmd = new NpgsqlCommand("""
            select c.domain_date, sign(c.goldstein), count(*)::int
            from nz_events c join nz_events t on t.negotiation_id = c.negotiation_id and t.event_id = c.target_event_id
            where c.negotiation_id = @id and c.role = @correction and c.status = 'active' and t.status = 'corrected' and not (t.type = any(@keeping))
            group by c.domain_date, sign(c.goldstein)
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("id", id);
            cmd.Parameters.AddWithValue("correction", (short)EventRole.Correction);
            cmd.Parameters.AddWithValue("keeping", KeepingNames);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) Count(RecordSummaries.Tally(r.GetFieldValue<DateOnly>(0), false, r.GetDouble(1), r.GetInt32(2)));
        }

        void Count(SummaryDay tally) =>
            days[tally.Day] = days.TryGetValue(tally.Day, out var d)
                ? d with { Events = d.Events + tally.Events, Cooperative = d.Cooperative + tally.Cooperative, Conflictual = d.Conflictual + tally.Conflictual, Retracted = d.Retracted + tally.Retracted }
                : tally;

        // The momentum weight per day of the effective events (the fold's own index predicate), summed in domain order as the
        // fold sums a day's weights (FoldAccumulator.Daily): the same floating-point additions in the same order.
        var daily = new List<DailyWeight>();
        await using (var cmd = new NpgsqlCommand("""
            select domain_date, sum(momentum order by sort_key) from nz_events
            where negotiation_id = @id and status = 'active' and role <> 1 and momentum <> 0
            group by domain_date order by domain_date
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("id", id);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) daily.Add(new DailyWeight(r.GetFieldValue<DateOnly>(0), r.GetDouble(1)));
        }

        var head = await HeadAsync(conn, tx, id, version, ct);
        await tx.CommitAsync(ct);
        return head is null ? (null, 0) : (new SummarySource(version, head, days.Values.OrderBy(d => d.Day).ToList(), daily, first, last), 0);
    }

    /// <summary>
    /// Weighs the index rows of <paramref name="id"/> that have no weights yet: reads their events through Marten (by
    /// version, as every read of stored events) and writes <see cref="WeightsOf"/> into our own rows. It holds the stream's
    /// row lock like an append, so it never interleaves with a writer of the same negotiation; derived data only, so it
    /// commits without waiting for the WAL flush. The work is once per row: rows indexed by appends since the last summary,
    /// or by an import onto existing events, or every row of a database from before the columns (imports into a new or empty
    /// negotiation, and rebuilds, write the weights themselves).
    /// </summary>
    async Task FillSummaryWeightsAsync(string id, CancellationToken ct)
    {
        using var span = Telemetry.TelemetrySetup.Source.StartActivity("summary-weigh");
        span?.SetTag("negotiation.id", id);
        using var turn = await gate.EnterAsync(id, ct);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var cmd = new NpgsqlCommand("set local synchronous_commit = off", conn, tx)) await cmd.ExecuteNonQueryAsync(ct);
        await using var session = store.LightweightSession(SessionOptions.ForTransaction(tx));
        if (await LockStreamAsync(session, id, ct) is null) return;
        var opening = await OpeningAsync(tx, id, ct);
        if (opening is null) return;
        var weigher = FoldAccumulator.Start(opening);

        var rows = new List<(Guid EventId, long Version)>();
        await using (var cmd = new NpgsqlCommand("select event_id, version from nz_events where negotiation_id = @id and momentum is null order by version", conn, tx))
        {
            cmd.Parameters.AddWithValue("id", id);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) rows.Add((r.GetGuid(0), r.GetInt32(1)));
        }
        span?.SetTag("rows", rows.Count);
        foreach (var chunk in rows.Chunk(RecordedEvents.Chunk))
        {
            var stored = await RecordedEvents.ByVersionsAsync(session, id, chunk.Select(x => x.Version).ToList(), ct);
            var weights = chunk.Select(x => WeightsOf((NegotiationEvent)stored[x.Version].Data, weigher)).ToArray();
            await using var update = new NpgsqlCommand("""
                update nz_events i set goldstein = w.g, momentum = w.m
                from unnest(@ids, @g, @m) as w(id, g, m)
                where i.negotiation_id = @n and i.event_id = w.id
                """, conn, tx);
            update.Parameters.AddWithValue("n", id);
            update.Parameters.AddWithValue("ids", chunk.Select(x => x.EventId).ToArray());
            update.Parameters.Add(new NpgsqlParameter("g", NpgsqlDbType.Array | NpgsqlDbType.Double) { Value = weights.Select(w => w.Goldstein).ToArray() });
            update.Parameters.Add(new NpgsqlParameter("m", NpgsqlDbType.Array | NpgsqlDbType.Double) { Value = weights.Select(w => w.Momentum).ToArray() });
            await update.ExecuteNonQueryAsync(ct);
        }
        await tx.CommitAsync(ct);
    }
}
