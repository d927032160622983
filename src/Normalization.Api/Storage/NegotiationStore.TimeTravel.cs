using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Stages;
using Npgsql;
using static Normalization.Api.Storage.DomainIndex;

namespace Normalization.Api.Storage;

/// <summary>
/// Reading the record and the state at a date: the head for dates after the last folded event, otherwise the checkpoint
/// before the date plus the effective events after it (one repeatable-read snapshot); "as known at" folds the record as
/// Marten held it then.
/// </summary>
public sealed partial class NegotiationStore
{
    /// <summary>
    /// The state on <paramref name="asOf"/>. With the default rules it starts from the nearest checkpoint in domain order
    /// (bounded work) — for <paramref name="knownAt"/>, the checkpoint that was current then; with other options it folds the
    /// record as it was at <paramref name="knownAt"/> (or now).
    /// </summary>
    public async Task<NegotiationState?> StateAsOfAsync(string id, DateOnly asOf, DateTimeOffset? knownAt = null, FoldOptions? options = null, CancellationToken ct = default)
    {
        using var span = Telemetry.TelemetrySetup.Source.StartActivity("state-as-of");
        span?.SetTag("negotiation.id", id);
        span?.SetTag("as-of", asOf.ToString("yyyy-MM-dd"));
        if (knownAt is not null) span?.SetTag("known-at", knownAt.Value.ToString("O"));
        options ??= FoldOptions.Default;
        if (knownAt is null && options == FoldOptions.Default)
        {
            await using var conn = await dataSource.OpenConnectionAsync(ct);
            // One snapshot for the index, the checkpoint and the events after it: a concurrent append cannot tear the answer.
            await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
            // The head answers for any date on or after the last folded event; otherwise start from a checkpoint,
            // without loading the (larger) head at all.
            // One round trip: the last folded key and, when asOf is before it, the checkpoint to start from.
            var end = DomainOrder.EndOfDayKey(asOf);
            string? lastKey;
            int? version; // the stream version, from the index (every event after the opening has a row): for the tail cache
            FoldAccumulator? acc = null;
            var fromKey = "";
            await using (var cmd = new NpgsqlCommand("""
                with last as (select sort_key from nz_events where negotiation_id = @id and status = 'active' and role <> 1 order by sort_key desc limit 1)
                select (select sort_key from last), c.sort_key, c.accumulator,
                    (select max(version) from nz_events where negotiation_id = @id) from (select 1) one
                left join lateral (select sort_key, accumulator from nz_checkpoints where negotiation_id = @id and valid_to is null and sort_key < @end
                    and exists (select 1 from last where last.sort_key >= @end) order by sort_key desc limit 1) c on true
                """, conn, tx))
            {
                cmd.Parameters.AddWithValue("id", id);
                cmd.Parameters.AddWithValue("end", end);
                await using var r = await cmd.ExecuteReaderAsync(ct);
                await r.ReadAsync(ct);
                lastKey = r.IsDBNull(0) ? null : r.GetString(0);
                if (!r.IsDBNull(1)) { fromKey = r.GetString(1); acc = CheckpointPacking.Unpack(r.GetFieldValue<byte[]>(2)); }
                version = r.IsDBNull(3) ? null : r.GetInt32(3);
            }
            if (lastKey is null || string.CompareOrdinal(lastKey, end) < 0)
            {
                var view = await LoadViewAsync(id, ct);
                return view?.Head.PendingDate is { } last && last > asOf ? null : view?.Head.StateAt(asOf);
            }
            if (acc is null)
            {
                var opening = await OpeningAsync(tx, id, ct);
                if (opening is null) return null;
                acc = FoldAccumulator.Start(opening);
            }
            // A record refolded here lately (a late event, a what-if, its deferred checkpoints) is held decoded in memory:
            // while a late event's checkpoints are still being written, the checkpoint before it may be far back.
            if (version is { } v && tails.TryGet(id, v, fromKey) is { } tail)
                foreach (var e in tail.Between(fromKey, end)) acc.Apply(e);
            else
                await foreach (var e in EffectiveEventsAsync(conn, tx, id, fromKey, end, ct)) acc.Apply(e);
            return acc.StateAt(asOf);
        }
        // As known at an instant: from the checkpoint that held then (bitemporal checkpoints, NegotiationStore.KnownAt.cs).
        if (knownAt is { } instant && options == FoldOptions.Default) return await StateKnownAtAsync(id, asOf, instant, ct);
        // Other fold options (a confidence threshold): checkpoints hold the default fold, so fold the record as it then stood.
        var history = await LoadHistoryAsync(id, knownAt, ct);
        return history is null ? null : NegotiationFold.StateAsOf(history.Opening, history.Events.Select(r => r.Event), asOf, options);
    }

    /// <summary>
    /// The effective history in domain order after <paramref name="afterKey"/> (and before <paramref name="beforeKey"/>):
    /// the index gives the versions in order, Marten reads the events (in chunks).
    /// </summary>
    /// <summary>How many of a tail's index rows are read from Marten at once: bounds memory on a refold of a long record
    /// while letting <see cref="RecordedEvents.ByVersionsAsync"/> read the mostly consecutive versions as ranges.</summary>
    const int TailChunk = 20_000;

    async IAsyncEnumerable<NegotiationEvent> EffectiveEventsAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string id, string afterKey, string? beforeKey,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var (_, e) in KeyedEffectiveEventsAsync(conn, tx, id, afterKey, beforeKey, ct)) yield return e;
    }

    /// <summary>As <see cref="EffectiveEventsAsync"/>, each event with its index sort key (what a <see cref="TailCache.Tail"/> holds).</summary>
    async IAsyncEnumerable<(string Key, NegotiationEvent Event)> KeyedEffectiveEventsAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string id, string afterKey, string? beforeKey,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var rows = new List<(short Role, Guid? Target, long Version, string Key)>();
        await using (var cmd = new NpgsqlCommand($"""
            select i.role, i.target_event_id, i.version, i.sort_key from nz_events i
            where i.negotiation_id = @id and i.status = 'active' and i.role <> 1 and i.sort_key > @after {(beforeKey is null ? "" : "and i.sort_key < @before")}
            order by i.sort_key
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("id", id);
            cmd.Parameters.AddWithValue("after", afterKey);
            if (beforeKey is not null) cmd.Parameters.AddWithValue("before", beforeKey);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) rows.Add((r.GetInt16(0), r.IsDBNull(1) ? null : r.GetGuid(1), r.GetInt32(2), r.GetString(3)));
        }
        if (rows.Count == 0) yield break;
        await using var session = ReadSession(tx);
        foreach (var chunk in rows.Chunk(TailChunk))
        {
            var stored = await RecordedEvents.ByVersionsAsync(session, id, chunk.Select(x => x.Version).ToList(), ct);
            foreach (var (role, target, version, key) in chunk)
            {
                var e = (NegotiationEvent)stored[version].Data;
                if ((EventRole)role == EventRole.Correction) e = ((EventCorrected)e).Correction! with { EventId = target!.Value };
                yield return (key, e);
            }
        }
    }

    /// <summary>The negotiation's opening (its stream's first event), or null when the stream is not a negotiation or does not exist.</summary>
    public Task<NegotiationOpened?> OpeningOfAsync(string id, CancellationToken ct = default) => OpeningAsync(null, id, ct);

    async Task<NegotiationOpened?> OpeningAsync(NpgsqlTransaction? tx, string id, CancellationToken ct)
    {
        await using var session = ReadSession(tx);
        return await RecordedEvents.OpeningAsync(session, id, ct);
    }

    /// <summary>The whole record of a negotiation in recording order, optionally as it stood at <paramref name="knownAt"/>.</summary>
    public async Task<History?> LoadHistoryAsync(string id, DateTimeOffset? knownAt = null, CancellationToken ct = default)
    {
        await using var session = store.QuerySession();
        return await RecordedEvents.LoadAsync(session, id, knownAt, ct);
    }

    async Task<History?> LoadHistoryAsync(NpgsqlTransaction? tx, string id, DateTimeOffset? knownAt, CancellationToken ct)
    {
        await using var session = ReadSession(tx);
        return await RecordedEvents.LoadAsync(session, id, knownAt, ct);
    }
}
