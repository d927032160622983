using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Negotiations;
using Npgsql;
using NpgsqlTypes;

namespace Normalization.Api.Storage;

/// <summary>
/// Fold checkpoints (<c>nz_checkpoints</c>): the packed <see cref="FoldAccumulator"/> after every
/// <see cref="NegotiationStore.CheckpointEvery"/> events in domain order, so a state at any date starts from the nearest
/// one. Checkpoints are <b>bitemporal</b>: a row holds for the stream versions <c>[valid_from, valid_to)</c>. When a late
/// event, a retraction or a correction changes history at some point of domain order, the current checkpoints after that
/// point are closed (<c>valid_to</c> = the new stream version) and their successors are inserted beside them, never
/// overwritten — so "as of D, as known at T" starts from the checkpoint that was current at T (docs/time-travel.md).
/// All SQL on that table.
/// </summary>
internal static class FoldCheckpoints
{
    /// <summary>One checkpoint: the fold after the event at <paramref name="Key"/> (its sort key), dated <paramref name="Date"/>,
    /// <paramref name="EventCount"/> events folded, the accumulator packed by <see cref="CheckpointPacking"/>.</summary>
    public sealed record Checkpoint(string Key, DateOnly Date, int EventCount, byte[] Packed);

    internal static void ApplyWithCheckpoint(FoldAccumulator acc, NegotiationEvent e, List<Checkpoint> checkpoints)
    {
        var before = acc.EventCount;
        acc.Apply(e);
        if (acc.EventCount != before && acc.EventCount % NegotiationStore.CheckpointEvery == 0)
            checkpoints.Add(new Checkpoint(acc.LastSortKey!, e.Date, acc.EventCount, CheckpointPacking.Pack(acc)));
    }

    /// <summary>
    /// Inserts <paramref name="checkpoints"/> as current versions valid from stream version <paramref name="validFrom"/>, in
    /// one statement. A row of the same key and version (a rebuild at the version that wrote it) is replaced.
    /// </summary>
    internal static async Task WriteCheckpointsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string id, IReadOnlyList<Checkpoint> checkpoints, int validFrom, CancellationToken ct)
    {
        if (checkpoints.Count == 0) return;
        await using var cmd = new NpgsqlCommand("""
            insert into nz_checkpoints (negotiation_id, sort_key, valid_from, valid_to, domain_date, event_count, accumulator)
            select @id, k, @from, null, d, c, a from unnest(@keys, @dates, @counts, @packed) as x(k, d, c, a)
            on conflict (negotiation_id, sort_key, valid_from) do update
              set accumulator = excluded.accumulator, event_count = excluded.event_count, domain_date = excluded.domain_date, valid_to = null
            """, conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("from", validFrom);
        cmd.Parameters.AddWithValue("keys", checkpoints.Select(c => c.Key).ToArray());
        cmd.Parameters.AddWithValue("dates", checkpoints.Select(c => c.Date).ToArray());
        cmd.Parameters.AddWithValue("counts", checkpoints.Select(c => c.EventCount).ToArray());
        cmd.Parameters.Add(new NpgsqlParameter("packed", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = checkpoints.Select(c => c.Packed).ToArray() });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Inserts those of <paramref name="checkpoints"/> whose key has no current checkpoint, valid from stream version
    /// <paramref name="validFrom"/>, in one statement; returns how many.
    /// </summary>
    internal static async Task<int> InsertMissingCheckpointsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string id, IReadOnlyList<Checkpoint> checkpoints, int validFrom, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            insert into nz_checkpoints (negotiation_id, sort_key, valid_from, valid_to, domain_date, event_count, accumulator)
            select @id, k, @from, null, d, c, a from unnest(@keys, @dates, @counts, @packed) as x(k, d, c, a)
            where not exists (select 1 from nz_checkpoints p where p.negotiation_id = @id and p.sort_key = x.k and p.valid_to is null)
            on conflict (negotiation_id, sort_key, valid_from) do nothing
            """, conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("from", validFrom);
        cmd.Parameters.AddWithValue("keys", checkpoints.Select(c => c.Key).ToArray());
        cmd.Parameters.AddWithValue("dates", checkpoints.Select(c => c.Date).ToArray());
        cmd.Parameters.AddWithValue("counts", checkpoints.Select(c => c.EventCount).ToArray());
        cmd.Parameters.Add(new NpgsqlParameter("packed", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = checkpoints.Select(c => c.Packed).ToArray() });
        return await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// Whether an event recorded after stream version <paramref name="version"/> sorts at or before <paramref name="key"/>, or
    /// is a retraction or a correction: a change that makes checkpoints folded at that version up to that key stale.
    /// </summary>
    internal static async Task<bool> ChangedBeforeAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string id, int version, string key, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "select exists (select 1 from nz_events where negotiation_id = @id and version > @v and (role <> 0 or sort_key <= @k))", conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("v", version);
        cmd.Parameters.AddWithValue("k", key);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// Closes the current checkpoints at or after <paramref name="fromKey"/> ("" = all of them) as of stream version
    /// <paramref name="version"/>: they stay readable for "as known at" an earlier instant. Rows that version itself wrote
    /// (valid for no version once closed) are deleted instead.
    /// </summary>
    internal static async Task CloseCheckpointsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string id, string fromKey, int version, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            delete from nz_checkpoints where negotiation_id = @id and valid_to is null and sort_key >= @k and valid_from >= @v;
            update nz_checkpoints set valid_to = @v where negotiation_id = @id and valid_to is null and sort_key >= @k;
            """, conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("k", fromKey);
        cmd.Parameters.AddWithValue("v", version);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The last current checkpoint before <paramref name="beforeKey"/> and its key, or the opening's start and "".</summary>
    internal static async Task<(FoldAccumulator? Acc, string FromKey)> CheckpointBeforeAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string id, NegotiationOpened? opening, string beforeKey, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("select sort_key, accumulator from nz_checkpoints where negotiation_id = @id and valid_to is null and sort_key < @k order by sort_key desc limit 1", conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("k", beforeKey);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (await r.ReadAsync(ct))
            return (CheckpointPacking.Unpack(r.GetFieldValue<byte[]>(1)), r.GetString(0));
        return (opening is null ? null : FoldAccumulator.Start(opening), "");
    }

    /// <summary>
    /// As <see cref="CheckpointBeforeAsync"/>, also giving the checkpoint's <c>valid_from</c> (0 for the opening's start), and
    /// unpacking it only when <paramref name="tail"/> does not already hold that checkpoint version's state
    /// (<see cref="TailCache.Tail.StartOf"/>): then a copy of the tail's start is returned instead.
    /// </summary>
    internal static async Task<(FoldAccumulator Acc, string FromKey, int ValidFrom)> CheckpointBeforeAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string id,
        NegotiationOpened opening, string beforeKey, TailCache.Tail? tail, CancellationToken ct)
    {
        // The packed state (tens of KiB) is sent only when the tail does not hold it: transferring it was most of this query.
        await using var cmd = new NpgsqlCommand("""
            select sort_key, valid_from, case when sort_key = @tk and valid_from = @tv then null else accumulator end
            from nz_checkpoints where negotiation_id = @id and valid_to is null and sort_key < @k order by sort_key desc limit 1
            """, conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("k", beforeKey);
        cmd.Parameters.AddWithValue("tk", tail?.FromKey ?? "");
        cmd.Parameters.AddWithValue("tv", tail?.StartValidFrom ?? -1);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (!await r.ReadAsync(ct)) return (tail?.StartOf("", 0)?.Clone() ?? FoldAccumulator.Start(opening), "", 0);
        var (key, validFrom) = (r.GetString(0), r.GetInt32(1));
        return (tail?.StartOf(key, validFrom)?.Clone() ?? CheckpointPacking.Unpack(r.GetFieldValue<byte[]>(2)), key, validFrom);
    }

    /// <summary>
    /// The last checkpoint before <paramref name="beforeKey"/> that held at stream version <paramref name="version"/> (the
    /// record as known at some instant) and its key, or (null, "") when none did: fold from the opening.
    /// </summary>
    internal static async Task<(FoldAccumulator? Acc, string FromKey)> CheckpointValidAtAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string id, string beforeKey, int version, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select sort_key, accumulator from nz_checkpoints
            where negotiation_id = @id and sort_key < @k and valid_from <= @v and (valid_to is null or valid_to > @v)
            order by sort_key desc limit 1
            """, conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("k", beforeKey);
        cmd.Parameters.AddWithValue("v", version);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? (CheckpointPacking.Unpack(r.GetFieldValue<byte[]>(1)), r.GetString(0)) : (null, "");
    }

    /// <summary>The current checkpoints' sort keys and event counts, in domain order (no accumulators).</summary>
    internal static async Task<List<(string Key, int Count)>> CurrentCheckpointsAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string id, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("select sort_key, event_count from nz_checkpoints where negotiation_id = @id and valid_to is null order by sort_key", conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var list = new List<(string, int)>();
        while (await r.ReadAsync(ct)) list.Add((r.GetString(0), r.GetInt32(1)));
        return list;
    }

    /// <summary>The last current checkpoint in domain order and its sort key, or (null, "") when the negotiation has none yet.</summary>
    internal static async Task<(FoldAccumulator? Acc, string FromKey)> LastCheckpointAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string id, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("select sort_key, accumulator from nz_checkpoints where negotiation_id = @id and valid_to is null order by sort_key desc limit 1", conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? (CheckpointPacking.Unpack(r.GetFieldValue<byte[]>(1)), r.GetString(0)) : (null, "");
    }

    /// <summary>Writes <paramref name="checkpoints"/> with COPY as current versions valid from <paramref name="validFrom"/> (a new record or a rebuild; the caller closed or deleted what they replace).</summary>
    internal static async Task CopyCheckpointsAsync(NpgsqlConnection conn, string id, List<Checkpoint> checkpoints, int validFrom, CancellationToken ct)
    {
        if (checkpoints.Count == 0) return;
        await using var copy = await conn.BeginBinaryImportAsync(
            "copy nz_checkpoints (negotiation_id, sort_key, valid_from, domain_date, event_count, accumulator) from stdin (format binary)", ct);
        copy.Timeout = NegotiationStore.BulkTimeout;
        foreach (var (key, date, count, json) in checkpoints.Select(c => (c.Key, c.Date, c.EventCount, c.Packed)))
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(id, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(key, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(validFrom, NpgsqlDbType.Integer, ct);
            await copy.WriteAsync(date, NpgsqlDbType.Date, ct);
            await copy.WriteAsync(count, NpgsqlDbType.Integer, ct);
            await copy.WriteAsync(json, NpgsqlDbType.Bytea, ct);
        }
        await copy.CompleteAsync(ct);
    }

    /// <summary>Whether the current checkpoints are exactly <paramref name="checkpoints"/>.</summary>
    internal static async Task<bool> CheckpointsMatchAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string id, List<Checkpoint> checkpoints, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("select sort_key, domain_date, event_count, accumulator from nz_checkpoints where negotiation_id = @id and valid_to is null order by sort_key", conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        var i = 0;
        while (await r.ReadAsync(ct))
        {
            if (i >= checkpoints.Count) return false;
            var (key, date, count, packed) = checkpoints[i++];
            if (r.GetString(0) != key || r.GetFieldValue<DateOnly>(1) != date || r.GetInt32(2) != count || !r.GetFieldValue<byte[]>(3).AsSpan().SequenceEqual(packed)) return false;
        }
        return i == checkpoints.Count;
    }
}
