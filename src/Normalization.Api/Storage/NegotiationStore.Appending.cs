using Marten;
using SessionOptions = Marten.Services.SessionOptions;
using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Validation;
using ValidationContext = Normalization.Domain.Validation.ValidationContext;
using Npgsql;
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
    /// Starts the negotiation's stream with its opening (false when the id is taken). The inline <see cref="PartyProfileProjection"/>
    /// rewrites the parties' profiles, so it first takes their turns (and shares <see cref="ProfileRebuildLock"/>), and is run
    /// again on a deadlock (see NegotiationStore.Starting.cs).
    /// </summary>
    public Task<bool> CreateAsync(NegotiationOpened opening, string postedBy, CancellationToken ct = default) =>
        RetryOnSerializationFailureAsync(() => CreateOnceAsync(opening, postedBy, ct), ct);

    async Task<bool> CreateOnceAsync(NegotiationOpened opening, string postedBy, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(StartIsolation, ct);
        await TakeProfileTurnsAsync(conn, tx, opening, unbounded: false, ct);
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
        var withIds = batch.Select(e => e.WithId()).ToList();
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
}
