using Normalization.Domain.Folding;
using Normalization.Domain.Catalog;
using SessionOptions = Marten.Services.SessionOptions;
using static Normalization.Api.Storage.FoldCheckpoints;

namespace Normalization.Api.Storage;

/// <summary>
/// Completing the checkpoints a late event left to Wolverine (<see cref="DeferredCheckpoints"/>): the current checkpoints
/// are always right for the current record but may have gaps; this writes the missing ones.
/// </summary>
public sealed partial class NegotiationStore
{
    /// <summary>How many checkpoints one locked write of <see cref="CompleteCheckpointsAsync"/> inserts: appends wait for the stream lock at most that long.</summary>
    const int CompleteChunk = 8;

    /// <summary>
    /// Writes the current checkpoints of <paramref name="id"/> that are missing — one after every
    /// <see cref="CheckpointEvery"/> folded events. Their states are folded in a repeatable-read snapshot without the stream
    /// lock (from the last current checkpoint before the first gap to the end, from the <see cref="TailCache"/> when it holds
    /// the record); then, <see cref="CompleteChunk"/> at a time in domain order, packed and inserted under the stream lock,
    /// valid from the version read there, only where no current checkpoint of that key exists — and only while no event
    /// recorded since the snapshot sorts before them and no retraction or correction was (such a change closed them again
    /// and recorded its own <see cref="CheckpointsDue"/>: the rest is left to it, unpacked). Idempotent; nothing when there
    /// is no gap or no such negotiation.
    /// </summary>
    /// <returns>How many checkpoints were written.</returns>
    public async Task<int> CompleteCheckpointsAsync(string id, CancellationToken ct = default)
    {
        using var span = Telemetry.TelemetrySetup.Source.StartActivity("checkpoints-complete");
        span?.SetTag("negotiation.id", id);
        int version;
        List<(string Key, DateOnly Date, int Count, FoldAccumulator State)> missing = [];
        TailCache.Tail tail;
        await using (var conn = await longWork.OpenConnectionAsync(ct))
        await using (var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct))
        {
            await using (var session = ReadSession(tx))
                if (await session.Events.FetchStreamStateAsync(id, ct) is { } state) version = (int)state.Version; else return 0;
            if (await HeadAsync(conn, tx, id, version, ct) is not { } head) return 0;
            var current = await CurrentCheckpointsAsync(conn, tx, id, ct);
            // The first checkpoint out of place: the k-th current one should hold k × CheckpointEvery events.
            var first = 0;
            while (first < current.Count && current[first].Count == (first + 1) * CheckpointEvery) first++;
            if (first == current.Count && current.Count == head.EventCount / CheckpointEvery) return 0;

            var beforeKey = first < current.Count ? current[first].Key : "~"; // "~" sorts after every key (they start with digits)
            var (acc, fromKey) = await CheckpointBeforeAsync(conn, tx, id, head.Negotiation, beforeKey, ct);
            if (tails.TryGet(id, version, fromKey) is { } cached) tail = cached;
            else
            {
                var read = new List<(string, NegotiationEvent)>();
                await foreach (var x in KeyedEffectiveEventsAsync(conn, tx, id, fromKey, null, ct)) read.Add(x);
                tail = TailCache.Tail.Of(version, fromKey, read);
            }
            // The states at the missing positions are kept as clones and packed chunk by chunk below, only while still needed.
            var have = current.Select(c => c.Key).ToHashSet(StringComparer.Ordinal);
            foreach (var e in tail.After(fromKey))
            {
                var count = acc!.EventCount;
                acc.Apply(e);
                if (acc.EventCount != count && acc.EventCount % CheckpointEvery == 0 && !have.Contains(acc.LastSortKey!))
                    missing.Add((acc.LastSortKey!, e.Date, acc.EventCount, acc.Clone()));
            }
        }
        tails.Set(id, tail);
        Trace("folded");
        var written = 0;
        foreach (var chunk in missing.Chunk(CompleteChunk))
        {
            await using var conn = await longWork.OpenConnectionAsync(ct);
            // A later late event that made these stale recorded its own CheckpointsDue: stop before packing them.
            if (await ChangedBeforeAsync(conn, null, id, version, chunk[^1].Key, ct)) break;
            var packed = chunk.Select(c => new Checkpoint(c.Key, c.Date, c.Count, CheckpointPacking.Pack(c.State))).ToList();
            using var turn = await gate.EnterAsync(id, ct);
            await using var tx = await conn.BeginTransactionAsync(ct);
            await using var session = store.LightweightSession(SessionOptions.ForTransaction(tx));
            if (await LockStreamAsync(session, id, ct) is not { } now) break;
            if (now != version && await ChangedBeforeAsync(conn, tx, id, version, chunk[^1].Key, ct)) break;
            written += await InsertMissingCheckpointsAsync(conn, tx, id, packed, now, ct);
            await tx.CommitAsync(ct);
        }
        Trace("written");
        span?.SetTag("checkpoints.written", written);
        return written;
    }

    /// <summary>Whether the current checkpoints of <paramref name="id"/> have no gap (what <see cref="CompleteCheckpointsAsync"/> would leave).</summary>
    public async Task<bool> CheckpointsCompleteAsync(string id, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        int version;
        await using (var session = ReadSession(tx))
            if (await session.Events.FetchStreamStateAsync(id, ct) is { } state) version = (int)state.Version; else return true;
        if (await HeadAsync(conn, tx, id, version, ct) is not { } head) return true;
        var current = await CurrentCheckpointsAsync(conn, tx, id, ct);
        return current.Count == head.EventCount / CheckpointEvery
            && current.Select((c, i) => c.Count == (i + 1) * CheckpointEvery).All(ok => ok);
    }
}
