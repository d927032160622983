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
using static Normalization.Api.Storage.FoldCheckpoints;
using Normalization.Api.Alerts.Notifying;

namespace Normalization.Api.Storage;

/// <summary>
/// Writing one batch: a negotiation is started (its stream opened), or events are appended — at the end without a lock
/// when this process holds the head (NegotiationStore.EndAppend.cs), otherwise under Marten's stream lock —
/// duplicates by eventId reported, validated against the stream through the index, appended, indexed in domain order, the
/// fold continued (or refolded from the checkpoint before a late event) and the read models staged, in one transaction.
/// </summary>
public sealed partial class NegotiationStore
{
    /// <summary>
    /// Starts the negotiation's stream with its opening (false when the id is taken). Runs at REPEATABLE READ and is retried
    /// on a serialization failure: the inline <see cref="PartyProfileProjection"/> rewrites the parties' profiles (see
    /// NegotiationStore.Starting.cs).
    /// </summary>
    public Task<bool> CreateAsync(NegotiationOpened opening, string postedBy, CancellationToken ct = default) =>
        RetryOnSerializationFailureAsync(() => CreateOnceAsync(opening, postedBy, ct), ct);

    async Task<bool> CreateOnceAsync(NegotiationOpened opening, string postedBy, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(StartIsolation, ct);
        await using var session = store.LightweightSession(SessionOptions.ForTransaction(tx));
        session.LastModifiedBy = postedBy;
        session.Events.StartStream(opening.Id, opening);
        var head = FoldAccumulator.Start(opening);
        StoreReadModels(session, opening.Id, 1, head);
        try { await session.SaveChangesAsync(ct); }
        catch (Marten.Exceptions.ExistingStreamIdCollisionException) { return false; } // the id is taken (also by a create that won a race)
        await tx.CommitAsync(ct);
        heads.Set(opening.Id, 1, head);
        return true;
    }

    /// <summary>
    /// Appends a batch in one transaction (see the class summary). An eventId already stored, or repeated in the batch, is
    /// reported as a duplicate and not written again. Writers of one negotiation take turns in this process (<see cref="WriterGate"/>).
    /// </summary>
    /// <remarks>
    /// <para>
    /// <b>Without the lock round trip</b> when it can be: a batch of catalog events dated after everything folded, on a
    /// negotiation whose head this process holds at version <i>v</i>, is appended with Marten's expected version
    /// (<c>Append(id, v + n, …)</c>: Marten's append function refuses it if the stream moved past <i>v</i>) instead of
    /// taking the stream row first. Anything else — no head in memory, an expectedVersion other than <i>v</i>, a late
    /// event, a duplicate, a refusal, the stream moved on (another process wrote), a deadlock with another process's
    /// locked writer — runs again under the lock, which decides every answer but the plain success
    /// (docs/architecture.md, "The end append without a lock round trip").
    /// </para>
    /// <para>
    /// A batch of catalog events is first tried <b>without</b> asking the index which of its ids are stored (one round trip
    /// saved on every append): the index's primary key <c>(negotiation_id, event_id)</c> refuses a stored id when the
    /// rows are written, and the whole transaction is then run again with the check. Every other answer that could depend
    /// on a stored duplicate — a version conflict, a validation error — is re-decided with the check, in the same
    /// transaction, before it is given. A retraction or correction checks first (it is indexed statement by statement).
    /// </para>
    /// </remarks>
    public async Task<AppendOutcome> AppendAsync(string id, int? expectedVersion, IReadOnlyList<NegotiationEvent> batch,
        string postedBy, string? correlationId = null, CancellationToken ct = default)
    {
        using var span = Telemetry.TelemetrySetup.Source.StartActivity("append");
        span?.SetTag("negotiation.id", id);
        span?.SetTag("events.count", batch.Count);
        // Ids are given once, so a second try writes the same ones.
        var withIds = batch.Select(e => e.EventId == Guid.Empty ? e with { EventId = Guid.NewGuid() } : e).ToList();
        var checkStored = withIds.Any(e => RoleOf(e) != EventRole.Event);
        using var turn = await gate.EnterAsync(id, ct);
        if (!checkStored)
        {
            try
            {
                if (await TryUnlockedAsync(id, expectedVersion, withIds, postedBy, correlationId) is { } done) return done;
            }
            catch (Exception e) when (IsStoredEventId(e))
            {
                Trace("stored eventId: again with the check");
                return await AppendOnceAsync(id, expectedVersion, withIds, postedBy, correlationId, checkStored: true, ct);
            }
        }
        span?.SetTag("append.locked", true);
        for (var attempt = 1; ; attempt++)
        {
            try { return await AppendOnceAsync(id, expectedVersion, withIds, postedBy, correlationId, checkStored, ct); }
            catch (Exception e) when (!checkStored && IsStoredEventId(e))
            {
                Trace("stored eventId: again with the check");
                checkStored = true;
            }
            // Another process's unlocked writer of this stream can deadlock with this locked one (WriterGate's remarks);
            // PostgreSQL aborts one of the two, and nothing of the victim was committed: run it again.
            catch (Exception e) when (IsDeadlock(e) && attempt < LockedAttempts)
            {
                Trace("deadlock with another process's writer: again under the lock");
            }
        }
    }

    /// <summary>Tries of a locked append that PostgreSQL chose as a deadlock's victim (only another process's unlocked writer can cause one).</summary>
    const int LockedAttempts = 3;

    /// <summary>
    /// Whether an unlocked append failed because the stream is not where this process's head said: Marten's expected-version
    /// check (another process appended), or PostgreSQL's deadlock detection against another process's locked writer (40P01).
    /// </summary>
    internal static bool IsStreamMovedOn(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is JasperFx.Events.EventStreamUnexpectedMaxEventIdException or JasperFx.ConcurrencyException) return true;
        return IsDeadlock(e);
    }

    /// <summary>Whether <paramref name="e"/> (or an exception it wraps, as Marten does) is PostgreSQL's deadlock detection (40P01).</summary>
    internal static bool IsDeadlock(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected }) return true;
        return false;
    }

    /// <summary>Whether <paramref name="e"/> is the index refusing an eventId the negotiation already has (its primary key).</summary>
    internal static bool IsStoredEventId(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } p && p.ConstraintName == Schema.Events + "_pkey") return true;
        return false;
    }

    async Task<AppendOutcome> AppendOnceAsync(string id, int? expectedVersion, List<NegotiationEvent> withIds, string postedBy, string? correlationId,
        bool checkStored, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using var session = store.LightweightSession(SessionOptions.ForTransaction(tx));
        if (await LockStreamAsync(session, id, ct) is not { } version) return new AppendOutcome.NotFound();
        Trace("locked");
        // The head at the locked version: from memory when this process wrote or read it last, else from the last checkpoint.
        var before = await HeadAsync(conn, tx, id, version, ct) ?? throw new InvalidOperationException($"Stream '{id}' is not a negotiation.");
        // The stage history before, built once: the stage this write reports as previous and the alerts' comparison.
        var beforeHistory = before.StageHistoryAt(Today);
        var previousStage = beforeHistory[^1].To;
        Trace("head");

        List<StoredEventId> results;
        List<(NegotiationEvent Event, int Index)> fresh;
        var errors = new List<FieldError>();
        while (true)
        {
            // Idempotency: an eventId already stored (or repeated in the batch) is reported as a duplicate.
            var stored = checkStored ? await ExistingAsync(conn, tx, id, withIds.Select(e => e.EventId).ToArray(), ct) : [];
            results = new List<StoredEventId>(withIds.Count);
            fresh = [];
            var seen = new HashSet<Guid>();
            for (var i = 0; i < withIds.Count; i++)
            {
                var e = withIds[i];
                var duplicate = stored.Contains(e.EventId) || !seen.Add(e.EventId);
                results.Add(new StoredEventId(e.EventId, duplicate));
                if (!duplicate) fresh.Add((e, i));
            }
            // A duplicate must be the same event: an eventId reused for other content is refused (EventIdReuse, 409).
            if (results.Exists(r => r.Duplicate) && await EventIdReuse.FindAsync(session, conn, tx, id, withIds, results, stored, ct) is { } reused) return reused;
            if (fresh.Count == 0) return new AppendOutcome.Appended(version, results, previousStage, previousStage);
            AppendOutcome? refused = null;
            if (expectedVersion is { } expected && expected != version) refused = new AppendOutcome.VersionConflict(version, expected);
            else
            {
                // Validation against the stream, without loading it: references come from the index (no round trip when the
                // batch names none).
                var ctx = new ValidationContext(before.Negotiation, Today);
                var known = await RegisterReferencesAsync(conn, tx, id, fresh.Select(f => f.Event).ToList(), ctx, ct, before);
                // What the index and the head cannot judge (KnownReferences.NeedWholeRecord) is judged on the whole record,
                // as an import of the same events is: the same answer either way.
                if (known.NeedWholeRecord(fresh.Select(f => f.Event).ToList()))
                {
                    Trace("whole record read for validation");
                    await using var reader = ReadSession(tx);
                    ctx = await WholeRecordValidation.ContextAsync(reader, conn, tx, id, before.Negotiation, Today, ct);
                }
                errors.Clear();
                // Judged as a whole: a closing listed before its opening in the batch waits for it (BatchValidator).
                var batchValidator = new BatchValidator(ctx);
                var tagged = new List<(int Tag, FieldError Error)>();
                foreach (var (e, i) in fresh) batchValidator.Validate(e, $"events[{i}]", i, tagged);
                batchValidator.Finish(tagged);
                errors.AddRange(tagged.OrderBy(t => t.Tag).Select(t => t.Error));
                if (errors.Count > 0) refused = new AppendOutcome.Invalid(errors);
            }
            if (refused is null) break;
            // A refusal may come from an event that is in fact stored (a retried post): decide again knowing which are.
            if (checkStored) return refused;
            checkStored = true;
            Trace("refused: again with the check");
        }
        Trace("validated");

        session.LastModifiedBy = postedBy;
        // The correlation id of a write is its trace id when the request is traced (docs/architecture.md, "Telemetry").
        if ((System.Diagnostics.Activity.Current?.TraceId.ToHexString() ?? correlationId) is { } correlation) session.CorrelationId = correlation;
        var events = fresh.Select(f => f.Event).ToList();
        session.Events.Append(id, events.Cast<object>().ToArray());
        // The appended events are flushed before anything reads them back through Marten — re-resolving a retracted or
        // corrected family, or a refold after a late event; an append at the end goes out with the read models in one batch.
        var flushed = false;
        async Task FlushAsync() { if (!flushed) { await session.SaveChangesAsync(ct); flushed = true; } }
        if (events.Any(e => RoleOf(e) != EventRole.Event)) await FlushAsync();

        // Catalog events only (the usual case): the index rows go out in Marten's batch below and the earliest position they
        // touch is known in memory. A retraction or correction re-resolves its family against the index first.
        var plain = events.All(e => RoleOf(e) == EventRole.Event);
        string? dirtyKey;
        TailCache.Edit edit;
        if (plain)
        {
            QueueIndexRows(session, id, version, events);
            dirtyKey = events.Select(KeyOf).Min(StringComparer.Ordinal);
            edit = new([], events.Select(e => (KeyOf(e), e)).ToList());
        }
        else (dirtyKey, edit) = await IndexAsync(conn, tx, id, version, events, ct);
        version += events.Count;

        var head = before;
        var checkpoints = new List<Checkpoint>();
        TailCache.Tail? tail = null;
        var checkpointsLeft = StageChangeAlerts.Enlisted.Nothing;
        var versionBefore = version - events.Count;
        if (dirtyKey is null) { }
        else if (plain && (head.LastSortKey is null || string.CompareOrdinal(dirtyKey, head.LastSortKey) > 0))
        {
            // Appended after everything folded so far: constant work, continue a copy of the head (the cached one stays
            // as it was if this transaction fails). (A batch with a retraction or a correction refolds from its dirty key
            // instead: it may retract or replace an event of the same batch.)
            head = before.Clone();
            var effective = events.Where(e => e is not EventRetracted and not EventCorrected).OrderBy(e => e, DomainOrder.Instance).ToList();
            foreach (var e in effective) ApplyWithCheckpoint(head, e, checkpoints);
            await WriteCheckpointsAsync(conn, tx, id, checkpoints, version, ct);
            // A cached tail of this record continues too (its buffer is shared: no copy).
            tail = tails.TryGet(id, versionBefore)?.Appended(version, effective.Select(e => (KeyOf(e), e)).ToList());
        }
        else
        {
            // Late event (or a retraction/correction of an earlier one): refold from the checkpoint before it — from the
            // cached tail when this process holds the record at the locked version, else from the index and Marten once the
            // queued index rows and the events are on the server.
            var refold = await RefoldFromAsync(conn, tx, id, head.Negotiation, dirtyKey, versionBefore, version, edit, FlushAsync, ct);
            (head, tail) = (refold.Head, refold.Tail);
            if (refold.CheckpointsLeft) checkpointsLeft = await deferred.EnlistAsync(tx, id);
        }

        Trace("folded");
        // The stage history after, built once: the board row (when its day is the same), the alerts' comparison, the stage reported.
        var afterDay = Today;
        var afterHistory = head.StageHistoryAt(afterDay);
        StoreReadModels(session, id, version, head, (afterDay, afterHistory));
        Trace("board");
        // Alerts: the stage changes of this append, recorded in this transaction through Wolverine's outbox (docs/alerts.md).
        var alerted = await alerts.EnlistAsync(tx, id, before, beforeHistory, head, afterHistory, afterDay, events, version);
        Trace("alerts");
        await session.SaveChangesAsync(ct);
        Trace("saved");
        await tx.CommitAsync(ct);
        Trace("committed");
        heads.Set(id, version, head);
        if (tail is not null) tails.Set(id, tail);
        await alerted.FlushAsync();
        await checkpointsLeft.FlushAsync();
        return new AppendOutcome.Appended(version, results, afterHistory[^1].To, previousStage);
    }

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
