using JasperFx.Events;
using Marten;
using SessionOptions = Marten.Services.SessionOptions;
using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Stages;
using Normalization.Domain.Validation;
using ValidationContext = Normalization.Domain.Validation.ValidationContext;
using Npgsql;
using NpgsqlTypes;
using static Normalization.Api.Storage.DomainIndex;

namespace Normalization.Api.Storage;

/// <summary>
/// Fold checkpoints (<c>nz_checkpoints</c>): the packed <see cref="FoldAccumulator"/> after every
/// <see cref="NegotiationStore.CheckpointEvery"/> events in domain order, so a state at any date starts from the nearest
/// one. All SQL on that table.
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

    internal static async Task WriteCheckpointsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string id, List<Checkpoint> checkpoints, CancellationToken ct)
    {
        foreach (var (key, date, count, json) in checkpoints.Select(c => (c.Key, c.Date, c.EventCount, c.Packed)))
        {
            await using var cmd = new NpgsqlCommand("""
                insert into nz_checkpoints (negotiation_id, sort_key, domain_date, event_count, accumulator) values (@id, @k, @d, @c, @a)
                on conflict (negotiation_id, sort_key) do update set accumulator = excluded.accumulator, event_count = excluded.event_count
                """, conn, tx);
            cmd.Parameters.AddWithValue("id", id);
            cmd.Parameters.AddWithValue("k", key);
            cmd.Parameters.AddWithValue("d", date);
            cmd.Parameters.AddWithValue("c", count);
            cmd.Parameters.Add(new NpgsqlParameter("a", NpgsqlDbType.Bytea) { Value = json });
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    internal static async Task<(FoldAccumulator? Acc, string FromKey)> CheckpointBeforeAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string id, NegotiationOpened? opening, string beforeKey, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("select sort_key, accumulator from nz_checkpoints where negotiation_id = @id and sort_key < @k order by sort_key desc limit 1", conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("k", beforeKey);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (await r.ReadAsync(ct))
            return (CheckpointPacking.Unpack(r.GetFieldValue<byte[]>(1)), r.GetString(0));
        return (opening is null ? null : FoldAccumulator.Start(opening), "");
    }

    /// <summary>The last checkpoint in domain order and its sort key, or (null, "") when the negotiation has none yet.</summary>
    internal static async Task<(FoldAccumulator? Acc, string FromKey)> LastCheckpointAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string id, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("select sort_key, accumulator from nz_checkpoints where negotiation_id = @id order by sort_key desc limit 1", conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? (CheckpointPacking.Unpack(r.GetFieldValue<byte[]>(1)), r.GetString(0)) : (null, "");
    }

    internal static async Task CopyCheckpointsAsync(NpgsqlConnection conn, string id, List<Checkpoint> checkpoints, CancellationToken ct)
    {
        if (checkpoints.Count == 0) return;
        await using var copy = await conn.BeginBinaryImportAsync(
            "copy nz_checkpoints (negotiation_id, sort_key, domain_date, event_count, accumulator) from stdin (format binary)", ct);
        copy.Timeout = NegotiationStore.BulkTimeout;
        foreach (var (key, date, count, json) in checkpoints.Select(c => (c.Key, c.Date, c.EventCount, c.Packed)))
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(id, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(key, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(date, NpgsqlDbType.Date, ct);
            await copy.WriteAsync(count, NpgsqlDbType.Integer, ct);
            await copy.WriteAsync(json, NpgsqlDbType.Bytea, ct);
        }
        await copy.CompleteAsync(ct);
    }

    internal static async Task<bool> CheckpointsMatchAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string id, List<Checkpoint> checkpoints, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("select sort_key, domain_date, event_count, accumulator from nz_checkpoints where negotiation_id = @id order by sort_key", conn, tx);
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
