using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Negotiations;
using Npgsql;
using NpgsqlTypes;

namespace Normalization.Api.Storage;

/// <summary>
/// Our domain-order index of every stream (<c>nz_events</c>) and the ids events may reference (<c>nz_references</c>):
/// all SQL on those two tables. A row holds an event's place in domain order (sort key), its <see cref="EventRole"/>, its
/// target and its <see cref="IndexStatus"/> after retractions and corrections; the events themselves stay in Marten.
/// </summary>
public static partial class DomainIndex
{
    /// <summary>What an event does to the record, as stored in the index's <c>role</c> column (smallint).</summary>
    public enum EventRole : short
    {
        /// <summary>A catalog event: a fact of the negotiation.</summary>
        Event = 0,
        /// <summary>An EventRetracted: takes an earlier event out of the effective record.</summary>
        Retraction = 1,
        /// <summary>An EventCorrected: replaces an earlier event with its correction.</summary>
        Correction = 2,
    }

    /// <summary>An indexed event's standing in the effective record, as stored in the index's <c>status</c> column.</summary>
    public enum IndexStatus
    {
        /// <summary>In the effective record (a correction that is in force is active too).</summary>
        Active,
        /// <summary>Retracted (directly, or as part of a retracted family).</summary>
        Retracted,
        /// <summary>Replaced by a correction in force.</summary>
        Corrected,
        /// <summary>A correction replaced by a later correction of the same event.</summary>
        Superseded,
    }

    /// <summary>The status as the <c>status</c> column (and the API) spells it: lower case.</summary>
    public static string Db(this IndexStatus status) => status switch
    {
        IndexStatus.Active => "active", IndexStatus.Retracted => "retracted", IndexStatus.Corrected => "corrected", _ => "superseded",
    };

    /// <summary>The status read from the <c>status</c> column.</summary>
    public static IndexStatus StatusFromDb(string value) => value switch
    {
        "active" => IndexStatus.Active, "retracted" => IndexStatus.Retracted, "corrected" => IndexStatus.Corrected, "superseded" => IndexStatus.Superseded,
        _ => throw new InvalidOperationException($"Unknown index status '{value}'."),
    };

    /// <summary>Above this many rows the index is written with COPY instead of one multi-row insert.</summary>
    internal const int CopyThreshold = 1_000;

    /// <summary>
    /// Which of <paramref name="ids"/> the negotiation already has. An append asks only when it must (a retraction or
    /// correction in the batch, or a first try refused — NegotiationStore.AppendAsync); otherwise the primary key answers.
    /// </summary>
    internal static async Task<HashSet<Guid>> ExistingAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string id, Guid[] ids, CancellationToken ct)
    {
        var result = new HashSet<Guid>();
        await using var cmd = new NpgsqlCommand("select event_id from nz_events where negotiation_id = @id and event_id = any(@ids)", conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("ids", ids);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) result.Add(r.GetGuid(0));
        return result;
    }

    internal static EventRole RoleOf(NegotiationEvent e) => e switch { EventRetracted => EventRole.Retraction, EventCorrected => EventRole.Correction, _ => EventRole.Event };

    internal static string KeyOf(NegotiationEvent e) => e switch
    {
        EventCorrected { Correction: { } c } x => DomainOrder.SortKey(c with { EventId = x.TargetEventId }),
        _ => DomainOrder.SortKey(e),
    };

    /// <summary>
    /// The weights a summary reads from an index row (<c>goldstein</c>, <c>momentum</c>): the event's Goldstein weight and
    /// the weight it adds to its day's momentum when in force (<see cref="FoldAccumulator.MomentumWeightOf"/> of
    /// <paramref name="weigher"/>, an accumulator started from the negotiation's opening); for a correction, those of its
    /// replacement as the fold reads it; 0 for a retraction. They depend only on the event and the opening, so a row's
    /// weights never change (its status does).
    /// </summary>
    internal static (double Goldstein, double Momentum) WeightsOf(NegotiationEvent e, FoldAccumulator weigher) => e switch
    {
        EventRetracted => (0, 0),
        EventCorrected { Correction: { } c } x => (EventCatalog.GoldsteinOf(c), weigher.MomentumWeightOf(c with { EventId = x.TargetEventId })),
        EventCorrected => (0, 0),
        _ => (EventCatalog.GoldsteinOf(e), weigher.MomentumWeightOf(e)),
    };

    /// <summary>
    /// The index rows of new events (versions after <paramref name="version"/>): one insert, or COPY for many. With
    /// <paramref name="opening"/> the rows carry their summary weights (<see cref="WeightsOf"/>); without it they are left
    /// null and the first summary that meets them fills them (NegotiationStore.Summary.cs). <paramref name="recordedAt"/>
    /// (one per event) carries Marten's timestamps when rows are rewritten for stored events (a rebuild); otherwise the
    /// transaction's <c>now()</c>, the same instant Marten stamps on the events appended in it.
    /// </summary>
    internal static async Task InsertIndexRowsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string id, int version, IReadOnlyList<NegotiationEvent> events,
        Func<NegotiationEvent, IndexStatus>? status, CancellationToken ct, NegotiationOpened? opening = null, IReadOnlyList<DateTimeOffset>? recordedAt = null)
    {
        var weigher = opening is null ? null : FoldAccumulator.Start(opening);
        if (events.Count > CopyThreshold) await CopyIndexAsync(conn, id, version, events, status, ct, weigher, recordedAt);
        else await using (var cmd = new NpgsqlCommand("""
            insert into nz_events (event_id, negotiation_id, version, type, role, target_event_id, status, sort_key, domain_date, occurred_on, actor, goldstein, momentum, recorded_at)
            select x.*, coalesce(r, now()) from unnest(@ids, @negs, @versions, @types, @roles, @targets, @statuses, @keys, @dates, @occurred, @actors, @goldstein, @momentum)
              as x(a, b, c, d, e, f, g, h, i, j, k, l, m)
              left join unnest(@recorded) with ordinality as t(r, n) on t.n = x.c - @version
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("version", version);
            cmd.Parameters.Add(new NpgsqlParameter("recorded", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz)
                { Value = (recordedAt ?? []).Select(t => t.ToUniversalTime()).ToArray() });
            var weights = events.Select(e => weigher is null ? ((double?)null, (double?)null) : WeightsOf(e, weigher)).ToArray();
            cmd.Parameters.Add(new NpgsqlParameter("goldstein", NpgsqlDbType.Array | NpgsqlDbType.Double) { Value = weights.Select(w => w.Item1).ToArray() });
            cmd.Parameters.Add(new NpgsqlParameter("momentum", NpgsqlDbType.Array | NpgsqlDbType.Double) { Value = weights.Select(w => w.Item2).ToArray() });
            cmd.Parameters.AddWithValue("ids", events.Select(e => e.EventId).ToArray());
            cmd.Parameters.AddWithValue("negs", events.Select(_ => id).ToArray());
            cmd.Parameters.AddWithValue("versions", events.Select((_, i) => version + i + 1).ToArray());
            cmd.Parameters.AddWithValue("types", events.Select(e => e.Type).ToArray());
            cmd.Parameters.AddWithValue("roles", events.Select(e => (short)RoleOf(e)).ToArray());
            cmd.Parameters.Add(new NpgsqlParameter("targets", NpgsqlDbType.Array | NpgsqlDbType.Uuid)
                { Value = events.Select(e => e switch { EventRetracted x => (Guid?)x.TargetEventId, EventCorrected x => x.TargetEventId, _ => null }).ToArray() });
            cmd.Parameters.AddWithValue("statuses", events.Select(e => (status?.Invoke(e) ?? IndexStatus.Active).Db()).ToArray());
            cmd.Parameters.AddWithValue("keys", events.Select(KeyOf).ToArray());
            cmd.Parameters.AddWithValue("dates", events.Select(e => e is EventCorrected { Correction: { } c } ? c.Date : e.Date).ToArray());
            cmd.Parameters.AddWithValue("occurred", events.Select(e => e.OccurredOn.ToString()).ToArray());
            cmd.Parameters.AddWithValue("actors", events.Select(e => e.Actor).ToArray());
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>
    /// Queues the index rows of new catalog events (no retraction or correction among them: all active, no target) and
    /// their references into Marten's unit of work (<c>QueueSqlCommand</c>), so they go to the server in the same batch as
    /// the events and the board row: an append at the end costs one write round trip, not three.
    /// </summary>
    internal static void QueueIndexRows(Marten.IDocumentSession session, string id, int version, IReadOnlyList<NegotiationEvent> events)
    {
        if (events.Any(e => RoleOf(e) != EventRole.Event)) throw new ArgumentException("Only catalog events are queued; a retraction or correction is indexed with its family.", nameof(events));
        if (events is [var one])
            // The usual append, one event: a plain VALUES row of scalar parameters — no seven arrays to type, build and
            // unnest per append (measured in docs/benchmarks.md section 9).
            session.QueueSqlCommand("""
                insert into nz_events (event_id, negotiation_id, version, type, role, target_event_id, status, sort_key, domain_date, occurred_on, actor)
                values (?, ?, ?, ?, 0, null, 'active', ?, ?, ?, ?)
                """, one.EventId, id, version + 1, one.Type, KeyOf(one), one.Date, one.OccurredOn.ToString(), one.Actor);
        else session.QueueSqlCommand("""
            insert into nz_events (event_id, negotiation_id, version, type, role, target_event_id, status, sort_key, domain_date, occurred_on, actor)
            select e, ?, v, t, 0, null, 'active', k, d, o, a from unnest(?, ?, ?, ?, ?, ?, ?) as x(e, v, t, k, d, o, a)
            """, id, events.Select(e => e.EventId).ToArray(), events.Select((_, i) => version + i + 1).ToArray(), events.Select(e => e.Type).ToArray(),
            events.Select(KeyOf).ToArray(), events.Select(e => e.Date).ToArray(), events.Select(e => e.OccurredOn.ToString()).ToArray(),
            events.Select(e => e.Actor).ToArray());
        var refs = References(events).ToList();
        if (refs.Count > 0)
            session.QueueSqlCommand("insert into nz_references select ?, * from unnest(?, ?) on conflict do nothing",
                id, refs.Select(r => r.Kind).ToArray(), refs.Select(r => r.Id).ToArray());
    }

    internal static async Task<Guid> RootOfAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string negotiationId, Guid target, CancellationToken ct)
    {
        var current = target;
        for (var depth = 0; depth < 8; depth++)
        {
            await using var cmd = new NpgsqlCommand("select target_event_id from nz_events where negotiation_id = @n and event_id = @id", conn, tx);
            cmd.Parameters.AddWithValue("n", negotiationId);
            cmd.Parameters.AddWithValue("id", current);
            if (await cmd.ExecuteScalarAsync(ct) is Guid parent) current = parent; else break;
        }
        return current;
    }

    /// <summary>The index status of an event in a resolved record: active, retracted, corrected (replaced by a correction) or superseded (a correction replaced by a later one).</summary>
    public static IndexStatus StatusOf(NegotiationEvent e, EffectiveHistory.Result resolved)
    {
        resolved.Statuses.TryGetValue(e.EventId, out var s);
        return e switch
        {
            EventRetracted => s is { Retracted: true } ? IndexStatus.Retracted : IndexStatus.Active,
            EventCorrected c => s is { Retracted: true } ? IndexStatus.Retracted
                : resolved.Statuses.TryGetValue(c.TargetEventId, out var ts) && ts.CorrectedBy == c.EventId ? IndexStatus.Active : IndexStatus.Superseded,
            _ => s is { Retracted: true } ? IndexStatus.Retracted : s is { CorrectedBy: not null } ? IndexStatus.Corrected : IndexStatus.Active,
        };
    }

    /// <summary>The domain-order index rows of <paramref name="events"/> (versions after <paramref name="version"/>), with COPY.</summary>
    internal static async Task CopyIndexAsync(NpgsqlConnection conn, string id, int version, IReadOnlyList<NegotiationEvent> events, Func<NegotiationEvent, IndexStatus>? status, CancellationToken ct,
        FoldAccumulator? weigher = null, IReadOnlyList<DateTimeOffset>? recordedAt = null)
    {
        await using var copy = await conn.BeginBinaryImportAsync($"""
            copy nz_events (event_id, negotiation_id, version, type, role, target_event_id, status, sort_key, domain_date, occurred_on, actor, goldstein, momentum, last_of_write{(recordedAt is null ? "" : ", recorded_at")})
            from stdin (format binary)
            """, ct);
        copy.Timeout = NegotiationStore.BulkTimeout;
        for (var i = 0; i < events.Count; i++)
        {
            var e = events[i];
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(e.EventId, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(id, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(version + i + 1, NpgsqlDbType.Integer, ct);
            await copy.WriteAsync(e.Type, NpgsqlDbType.Text, ct);
            await copy.WriteAsync((short)RoleOf(e), NpgsqlDbType.Smallint, ct);
            Guid? target = e switch { EventRetracted x => x.TargetEventId, EventCorrected x => x.TargetEventId, _ => null };
            if (target is { } t) await copy.WriteAsync(t, NpgsqlDbType.Uuid, ct); else await copy.WriteNullAsync(ct);
            await copy.WriteAsync((status?.Invoke(e) ?? IndexStatus.Active).Db(), NpgsqlDbType.Text, ct);
            await copy.WriteAsync(KeyOf(e), NpgsqlDbType.Text, ct);
            await copy.WriteAsync(e is EventCorrected { Correction: { } c } ? c.Date : e.Date, NpgsqlDbType.Date, ct);
            await copy.WriteAsync(e.OccurredOn.ToString(), NpgsqlDbType.Text, ct);
            await copy.WriteAsync(e.Actor, NpgsqlDbType.Text, ct);
            if (weigher is null) { await copy.WriteNullAsync(ct); await copy.WriteNullAsync(ct); }
            else
            {
                var (goldstein, momentum) = WeightsOf(e, weigher);
                await copy.WriteAsync(goldstein, NpgsqlDbType.Double, ct);
                await copy.WriteAsync(momentum, NpgsqlDbType.Double, ct);
            }
            await copy.WriteAsync(LastOfWrite(i, events.Count, recordedAt), NpgsqlDbType.Boolean, ct);
            if (recordedAt is not null) await copy.WriteAsync(recordedAt[i].ToUniversalTime(), NpgsqlDbType.TimestampTz, ct);
        }
        await copy.CompleteAsync(ct);
    }

    /// <summary>
    /// The <c>last_of_write</c> flag of the <paramref name="i"/>-th of <paramref name="count"/> rows copied in version order:
    /// true unless the next row has the same <c>recorded_at</c> — then that row answers "as known at" for both. Without
    /// <paramref name="recordedAt"/> every row gets the transaction's <c>now()</c>, so only the last is flagged.
    /// </summary>
    public static bool LastOfWrite(int i, int count, IReadOnlyList<DateTimeOffset>? recordedAt) =>
        i == count - 1 || (recordedAt is not null && recordedAt[i + 1] != recordedAt[i]);

    /// <summary>Whether the stored index rows are exactly those of <paramref name="events"/> (versions from 2) with their resolved statuses.</summary>
    internal static async Task<bool> IndexMatchesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string id, List<NegotiationEvent> events, EffectiveHistory.Result resolved,
        IReadOnlyList<DateTimeOffset> recordedAt, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select event_id, version, type, role, target_event_id, status, sort_key, domain_date, occurred_on, actor, recorded_at
            from nz_events where negotiation_id = @id order by version
            """, conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var i = 0;
        while (await r.ReadAsync(ct))
        {
            if (i >= events.Count) return false;
            var e = events[i];
            Guid? target = e switch { EventRetracted x => x.TargetEventId, EventCorrected x => x.TargetEventId, _ => null };
            var same = r.GetGuid(0) == e.EventId && r.GetInt32(1) == i + 2 && r.GetString(2) == e.Type && r.GetInt16(3) == (short)RoleOf(e)
                && (r.IsDBNull(4) ? target is null : target == r.GetGuid(4)) && r.GetString(5) == StatusOf(e, resolved).Db() && r.GetString(6) == KeyOf(e)
                && r.GetFieldValue<DateOnly>(7) == (e is EventCorrected { Correction: { } c } ? c.Date : e.Date)
                && r.GetString(8) == e.OccurredOn.ToString() && r.GetString(9) == e.Actor
                && r.GetFieldValue<DateTimeOffset>(10) == recordedAt[i];
            if (!same) return false;
            i++;
        }
        return i == events.Count;
    }

}
