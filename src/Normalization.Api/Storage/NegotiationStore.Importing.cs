using SessionOptions = Marten.Services.SessionOptions;
using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Negotiations;
using Npgsql;
using static Normalization.Api.Storage.DomainIndex;
using static Normalization.Api.Storage.FoldCheckpoints;

namespace Normalization.Api.Storage;

/// <summary>What a bulk append did.</summary>
public abstract record BulkOutcome
{
    public sealed record Stored(int Version, int Count, int Duplicates) : BulkOutcome;
    public sealed record NotFound : BulkOutcome;
    /// <summary>Someone else wrote to the negotiation (or created it) after the caller validated against it.</summary>
    public sealed record Changed(int CurrentVersion) : BulkOutcome;
    /// <summary>
    /// The negotiation moved since the caller validated, and the caller's <c>revalidate</c>, run against it as it stands
    /// under the stream's lock, refused the events now: nothing stored (the caller holds the errors).
    /// </summary>
    public sealed record Refused(int CurrentVersion) : BulkOutcome;
}

/// <summary>
/// The bulk write path (imports, rebuilds): the same tables and the same fold as <see cref="AppendAsync"/>, but rows go in
/// with PostgreSQL COPY and the fold runs once over the whole record instead of once per batch. Events must already be
/// validated (the importer's first pass does that against the stored stream and the file).
/// </summary>
public sealed partial class NegotiationStore
{
    /// <summary>The adapter that writes imported events into Marten's tables (built from Marten's schema objects on first use).</summary>
    MartenEventCopy EventCopy => _eventCopy ??= new MartenEventCopy(store);
    MartenEventCopy? _eventCopy;

    /// <summary>Marks a phase of the bulk path as an event of the current span (<c>import.store</c>; see TelemetrySetup).</summary>
    static void Trace(string what) => System.Diagnostics.Activity.Current?.AddEvent(new System.Diagnostics.ActivityEvent(what));

    const int CopyChunk = 20_000;
    /// <summary>A load of at least this many events refreshes the planner's statistics of the tables it wrote.</summary>
    const int AnalyzeAfter = 10_000;
    /// <summary>A COPY of a large record may keep the server busy longer than the default 30 s command timeout.</summary>
    internal static readonly TimeSpan BulkTimeout = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Appends validated events in one transaction: all of them or none. <paramref name="expectedVersion"/> is the version the
    /// caller validated against (null with <paramref name="create"/>). If the stream moved since, the events are judged again
    /// with <paramref name="revalidate"/> against the record as it now stands, under the stream's lock (so no writer moves it
    /// again before this commit): stored when it returns true, <see cref="BulkOutcome.Refused"/> with nothing written when
    /// false; without <paramref name="revalidate"/>, <see cref="BulkOutcome.Changed"/> with nothing written.
    /// Events already stored, or repeated, are skipped and counted as duplicates.
    /// </summary>
    /// <remarks>
    /// With <paramref name="create"/> the stream is started, so the transaction first takes its parties' profile turns and is
    /// run again on a deadlock, like <see cref="CreateAsync"/> (the inline <see cref="PartyProfileProjection"/>; see
    /// NegotiationStore.Starting.cs); <paramref name="progress"/> then counts the copied events again from the start.
    /// </remarks>
    public Task<BulkOutcome> BulkAppendAsync(NegotiationOpened opening, bool create, int? expectedVersion, IReadOnlyList<NegotiationEvent> events,
        string postedBy, string? correlationId = null, IProgress<int>? progress = null, Func<History, bool>? revalidate = null, CancellationToken ct = default) =>
        create
            ? RetryOnSerializationFailureAsync(() => BulkAppendOnceAsync(opening, create, expectedVersion, events, postedBy, correlationId, progress, revalidate, ct), ct)
            : BulkAppendOnceAsync(opening, create, expectedVersion, events, postedBy, correlationId, progress, revalidate, ct);

    async Task<BulkOutcome> BulkAppendOnceAsync(NegotiationOpened opening, bool create, int? expectedVersion, IReadOnlyList<NegotiationEvent> events,
        string postedBy, string? correlationId, IProgress<int>? progress, Func<History, bool>? revalidate, CancellationToken ct)
    {
        var id = opening.Id;
        using var turn = await gate.EnterAsync(id, ct);
        await using var conn = await longWork.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(create ? StartIsolation : System.Data.IsolationLevel.ReadCommitted, ct);
        await using var session = store.LightweightSession(SessionOptions.ForTransaction(tx));
        session.LastModifiedBy = postedBy;
        if (correlationId is not null) session.CorrelationId = correlationId;

        int version;
        var stored = new HashSet<Guid>();
        if (create)
        {
            await TakeProfileTurnsAsync(conn, tx, opening, unbounded: true, ct);
            session.Events.StartStream(id, opening);
            try { await session.SaveChangesAsync(ct); }
            catch (Marten.Exceptions.ExistingStreamIdCollisionException) { return new BulkOutcome.Changed(await VersionAsync(id, ct) ?? 0); }
            version = 1;
        }
        else
        {
            if (await LockStreamAsync(session, id, ct) is not { } v) return new BulkOutcome.NotFound();
            version = v;
            if (expectedVersion is { } expected && expected != version)
            {
                if (revalidate is null) return new BulkOutcome.Changed(version);
                // The record moved since the caller validated (another node's posts): judge the events again against it as it
                // stands, under the lock just taken, instead of sending the caller round again to be outpaced again by writers
                // that append back to back. Writers of this negotiation wait meanwhile (docs/architecture.md, "Several processes").
                Trace("moved: judged again under the lock");
                if (await LoadHistoryAsync(tx, id, null, ct) is not { } now) return new BulkOutcome.NotFound();
                if (!revalidate(now)) return new BulkOutcome.Refused(version);
            }
            await using var ids = new NpgsqlCommand("select event_id from nz_events where negotiation_id = @id", conn, tx);
            ids.Parameters.AddWithValue("id", id);
            await using var r = await ids.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) stored.Add(r.GetGuid(0));
        }

        var fresh = new List<NegotiationEvent>(events.Count);
        var seen = new HashSet<Guid>();
        foreach (var e in events)
        {
            var withId = e.WithId();
            if (!stored.Contains(withId.EventId) && seen.Add(withId.EventId)) fresh.Add(withId);
        }
        var duplicates = events.Count - fresh.Count;
        if (fresh.Count == 0)
        {
            if (create) StoreReadModels(session, id, version, FoldAccumulator.Start(opening));
            await session.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            if (create) heads.Set(id, version, FoldAccumulator.Start(opening));
            return new BulkOutcome.Stored(version, 0, duplicates);
        }

        Trace($"ids checked, {fresh.Count} fresh");
        // The head before the import, for the alerts hook (a new negotiation: its opening alone).
        var before = create ? FoldAccumulator.Start(opening)
            : await HeadAsync(conn, tx, id, version, ct) ?? throw new InvalidOperationException($"Stream '{id}' is not a negotiation.");
        // A record held whole in memory (nothing stored yet): resolve it and fold it on another core while the rows are copied.
        var resolved = stored.Count == 0 ? EffectiveHistory.Resolve(fresh) : null;
        var folding = resolved is null ? null : Task.Run(() => FoldRecord(opening, resolved), ct);
        await EventCopy.AppendAsync(conn, id, version, fresh, postedBy, correlationId, progress, BulkTimeout, ct);
        Trace("events copied");
        var firstVersion = version;
        version += fresh.Count;

        FoldAccumulator head;
        TailCache.Tail? tail = null;
        var checkpointsLeft = Alerts.Notifying.StageChangeAlerts.Enlisted.Nothing;
        if (resolved is not null)
            // The whole record is in hand: resolved and folded once, in memory.
            head = await IndexAndFoldAsync(conn, tx, opening, firstVersion, fresh, resolved, folding!, version, ct);
        else
        {
            // Onto an existing record: index like an append (statuses of touched families re-resolved), then refold from
            // the earliest position the new events change.
            var (dirtyKey, _) = await IndexAsync(conn, tx, id, firstVersion, fresh, ct);
            // (dirtyKey is the smallest key of the new events, so it is never null here.)
            var refold = await RefoldFromAsync(conn, tx, id, opening, dirtyKey!, firstVersion, version, null, () => Task.CompletedTask, ct);
            (head, tail) = (refold.Head, refold.Tail);
            if (refold.CheckpointsLeft) checkpointsLeft = await deferred.EnlistAsync(tx, id);
        }
        Trace("read models");
        StoreReadModels(session, id, version, head);
        // Alerts: the import's latest stage change and the expiries it foresees, in this transaction (docs/alerts.md, "Imports").
        var alerted = await alerts.EnlistAsync(tx, id, before, Today, head, Today, fresh, version, latestOnly: true);
        await session.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        heads.Set(id, version, head);
        if (tail is not null) tails.Set(id, tail);
        await alerted.FlushAsync();
        await checkpointsLeft.FlushAsync();
        Trace("committed");
        if (fresh.Count >= AnalyzeAfter)
        {
            // The planner's statistics do not know about rows this large a load added until autovacuum gets to them; until
            // then it can pick a scan of the whole table for a small negotiation's reads (measured: 10× slower time travel).
            // Only the tables whose statistics count fewer rows than the load added (PlannerStatistics); each on its own
            // connection (the load is committed; each ANALYZE is one backend's work).
            var stale = await PlannerStatistics.StaleAsync(conn,
                [(Schema.Events, fresh.Count), (Schema.Checkpoints, fresh.Count / CheckpointEvery), (EventCopy.EventsTable, fresh.Count)], ct);
            async Task AnalyzeAsync(string table)
            {
                await using var c = await longWork.OpenConnectionAsync(ct);
                if (table == EventCopy.EventsTable) { await EventCopy.AnalyzeAsync(c, ct); return; }
                await using var analyze = new NpgsqlCommand($"select {Schema.Analyze}(@table::regclass)", c) { CommandTimeout = 600 };
                analyze.Parameters.AddWithValue("table", table);
                await analyze.ExecuteNonQueryAsync(ct);
            }
            // The load is committed: statistics only speed reads up (autovacuum refreshes them anyway), so a failure here — a
            // database whose db-apply predates nz_analyze — must not turn a stored import into an error.
            try { await Task.WhenAll(stale.Select(AnalyzeAsync)); }
            catch (PostgresException e) { Trace($"statistics not refreshed: {e.SqlState} {e.MessageText}"); }
            Trace($"analyzed, {stale.Count} table(s)");
        }
        return new BulkOutcome.Stored(version, fresh.Count, duplicates);
    }


    /// <summary>The fold of a whole resolved record: the head and every checkpoint (pure work, no I/O).</summary>
    static (FoldAccumulator Head, List<Checkpoint> Checkpoints) FoldRecord(NegotiationOpened opening, EffectiveHistory.Result resolved)
    {
        var effective = resolved.Events.ToList();
        DomainOrder.Sort(effective);
        var acc = FoldAccumulator.Start(opening);
        var checkpoints = new List<Checkpoint>();
        foreach (var e in effective) ApplyWithCheckpoint(acc, e, checkpoints);
        return (acc, checkpoints);
    }

    /// <summary>
    /// For a record held whole in memory (a new negotiation's import, a rebuild): writes the index with the statuses of
    /// <paramref name="resolved"/> and the references, then the checkpoints of <paramref name="folding"/> with COPY.
    /// </summary>
    async Task<FoldAccumulator> IndexAndFoldAsync(NpgsqlConnection conn, NpgsqlTransaction tx, NegotiationOpened opening, int firstVersion,
        IReadOnlyList<NegotiationEvent> events, EffectiveHistory.Result resolved, Task<(FoldAccumulator Head, List<Checkpoint> Checkpoints)> folding,
        int version, CancellationToken ct)
    {
        var id = opening.Id;
        Trace("index: start");
        await InsertIndexRowsAsync(conn, tx, id, firstVersion, events, e => StatusOf(e, resolved), ct, opening);
        Trace("index: copied");
        await InsertReferencesAsync(conn, tx, id, events, ct);
        Trace("refs");
        var (head, checkpoints) = await folding;
        Trace($"folded, {checkpoints.Count} checkpoints, {checkpoints.Sum(c => (long)c.Packed.Length) / 1024 / 1024} MiB compressed");
        await CopyCheckpointsAsync(conn, id, checkpoints, version, ct);
        Trace("checkpoints copied");
        return head;
    }








}
