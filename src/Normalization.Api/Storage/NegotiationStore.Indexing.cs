using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Negotiations;
using Npgsql;
using static Normalization.Api.Storage.DomainIndex;
using static Normalization.Api.Storage.FoldCheckpoints;

namespace Normalization.Api.Storage;
/// <summary>
/// A locked batch indexed in domain order — the statuses of the records its retractions and corrections touch re-resolved —
/// and the fold continued from the checkpoint before a late event. Split from NegotiationStore.Appending.cs by job.
/// </summary>
public sealed partial class NegotiationStore
{
    /// <summary>
    /// Indexes new events in domain order and re-resolves the records touched by retractions and corrections.
    /// Returns the smallest sort key whose fold result may have changed (null when nothing the fold reads changed), and what
    /// changed in the effective record as tail entries (a cached tail takes it instead of being read again).
    /// </summary>
    async Task<(string? Dirty, TailCache.Edit Edit)> IndexAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string id, int version, List<NegotiationEvent> events, CancellationToken ct)
    {
        await InsertIndexRowsAsync(conn, tx, id, version, events, null, ct);
        await InsertReferencesAsync(conn, tx, id, events, ct);

        string? dirty = null;
        void Dirty(string key) { if (dirty is null || string.CompareOrdinal(key, dirty) < 0) dirty = key; }
        // Every new event's position: a correction's is where the corrected event now sits (it may move it earlier
        // than the original, and earlier than a checkpoint).
        foreach (var e in events) Dirty(KeyOf(e));

        // Retractions and corrections: re-resolve each touched record family (the root event and everything aimed at it).
        var roots = new HashSet<Guid>();
        foreach (var e in events.Where(e => RoleOf(e) != EventRole.Event))
            roots.Add(await RootOfAsync(conn, tx, id, e is EventRetracted r ? r.TargetEventId : ((EventCorrected)e).TargetEventId, ct));
        var fresh = events.Select(e => e.EventId).ToHashSet();
        var removed = new List<string>();
        var added = new List<(string, NegotiationEvent)>();
        var inFamilies = new HashSet<Guid>();
        foreach (var root in roots)
            foreach (var (key, e, before, after) in await ResolveFamilyAsync(conn, tx, id, root, fresh, ct))
            {
                inFamilies.Add(e.EventId);
                if (before != after) Dirty(key);
                if (e is EventRetracted || before == after) continue;
                if (before) removed.Add(key);
                else added.Add((key, e is EventCorrected { Correction: { } c } x ? c with { EventId = x.TargetEventId } : e));
            }
        // New catalog events no retraction or correction of the batch touches enter the record as they are.
        added.AddRange(events.Where(e => RoleOf(e) == EventRole.Event && !inFamilies.Contains(e.EventId)).Select(e => (KeyOf(e), e)));
        return (dirty, new TailCache.Edit(removed, added));
    }

    /// <summary>
    /// Recomputes the status of a root event and of every retraction/correction aimed at it (transitively). Returns each
    /// member — sort key, event, whether it was in the effective record before this write (a member of <paramref name="fresh"/>,
    /// the write's own events, was not) and whether it is after.
    /// </summary>
    async Task<List<(string Key, NegotiationEvent Event, bool Before, bool After)>> ResolveFamilyAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string id, Guid root,
        HashSet<Guid> fresh, CancellationToken ct)
    {
        var rows = new List<(IndexStatus Status, string Key, long Version)>();
        await using (var cmd = new NpgsqlCommand("""
            with recursive fam as (
                select event_id from nz_events where negotiation_id = @n and event_id = @root
                union select c.event_id from nz_events c join fam on c.negotiation_id = @n and c.target_event_id = fam.event_id)
            select i.status, i.sort_key, i.version from nz_events i join fam on i.negotiation_id = @n and fam.event_id = i.event_id
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("root", root);
            cmd.Parameters.AddWithValue("n", id);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) rows.Add((StatusFromDb(r.GetString(0)), r.GetString(1), r.GetInt32(2)));
        }
        await using var session = ReadSession(tx);
        var stored = await RecordedEvents.ByVersionsAsync(session, id, rows.Select(x => x.Version).ToList(), ct);
        var family = rows.Select(x => (Event: (NegotiationEvent)stored[x.Version].Data, x.Status, x.Key)).ToList();
        var resolved = EffectiveHistory.Resolve(family.Select(f => f.Event));
        var members = new List<(string, NegotiationEvent, bool, bool)>();
        foreach (var (e, oldStatus, oldKey) in family)
        {
            var status = StatusOf(e, resolved);
            members.Add((oldKey, e, !fresh.Contains(e.EventId) && oldStatus == IndexStatus.Active, status == IndexStatus.Active));
            if (status == oldStatus) continue;
            await using var u = new NpgsqlCommand("update nz_events set status = @s where negotiation_id = @n and event_id = @id", conn, tx);
            u.Parameters.AddWithValue("n", id);
            u.Parameters.AddWithValue("s", status.Db());
            u.Parameters.AddWithValue("id", e.EventId);
            await u.ExecuteNonQueryAsync(ct);
        }
        return members;
    }

    /// <summary>A refold's result: the new head, the tail it folded (to cache after the commit), whether checkpoints were left to <see cref="DeferredCheckpoints"/>.</summary>
    readonly record struct Refold(FoldAccumulator Head, TailCache.Tail Tail, bool CheckpointsLeft);

    /// <summary>
    /// Refolds from the last current checkpoint before <paramref name="dirtyKey"/> to the end. The current checkpoints at or
    /// after it are closed as of stream version <paramref name="version"/> (history of the checkpoints is kept for "as known
    /// at"); their successors are written valid from it — by this transaction when Wolverine does not run, else after the
    /// commit by <see cref="CheckpointsDueHandler"/> (packing ~90 checkpoints cost more than the fold).
    /// </summary>
    /// <remarks>
    /// The events come from the <see cref="TailCache"/> when it holds the record at <paramref name="versionBefore"/> from that
    /// checkpoint on: <paramref name="edit"/> — the batch's catalog events, and what its retractions and corrections take out
    /// of the effective record or put in it — is applied to it (no round trip); otherwise (no edit given, or one the tail
    /// cannot take) <paramref name="flush"/> sends the batch and its index rows and they are read through the index and Marten.
    /// </remarks>
    async Task<Refold> RefoldFromAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string id, NegotiationOpened opening, string dirtyKey,
        int versionBefore, int version, TailCache.Edit? edit, Func<Task> flush, CancellationToken ct)
    {
        using var span = Telemetry.TelemetrySetup.Source.StartActivity("refold");
        span?.SetTag("negotiation.id", id);
        span?.SetTag("refold.from", dirtyKey);
        // The checkpoint's state is copied from the cached tail when it starts from that very checkpoint version (an unpack costs more).
        var (acc, fromKey, validFrom) = await CheckpointBeforeAsync(conn, tx, id, opening, dirtyKey, tails.TryGet(id, versionBefore), ct);
        Trace("checkpoint read");
        await CloseCheckpointsAsync(conn, tx, id, dirtyKey, version, ct);
        Trace("checkpoints closed");
        TailCache.Tail tail;
        var cached = edit is null ? null : tails.TryGet(id, versionBefore, fromKey);
        var edited = cached?.Edited(version, edit!);
        var fromCache = edited is not null;
        if (edited is not null)
        {
            tail = edited;
            // (A tail starting before this checkpoint keeps the start it has: a start belongs to the tail's own first key.)
            if (cached!.FromKey == fromKey && cached.StartOf(fromKey, validFrom) is null) tail = tail.StartingWith(validFrom, acc.Clone());
        }
        else
        {
            await flush();
            var read = new List<(string, NegotiationEvent)>();
            await foreach (var x in KeyedEffectiveEventsAsync(conn, tx, id, fromKey, null, ct)) read.Add(x);
            tail = TailCache.Tail.Of(version, fromKey, read).StartingWith(validFrom, acc.Clone());
        }
        span?.SetTag("refold.cached", fromCache);
        Trace(fromCache ? "tail from memory" : "tail read");
        if (deferred.Available)
        {
            foreach (var e in tail.After(fromKey)) acc.Apply(e);
            Trace("folded");
            return new Refold(acc, tail, CheckpointsLeft: true);
        }
        var checkpoints = new List<Checkpoint>();
        foreach (var e in tail.After(fromKey)) ApplyWithCheckpoint(acc, e, checkpoints);
        await WriteCheckpointsAsync(conn, tx, id, checkpoints.Where(c => string.CompareOrdinal(c.Key, dirtyKey) >= 0).ToList(), version, ct);
        return new Refold(acc, tail, CheckpointsLeft: false);
    }
}
