using JasperFx.Events;
using System.Text.Json;
using Marten;
using SessionOptions = Marten.Services.SessionOptions;
using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Negotiations;
using Npgsql;
using NpgsqlTypes;

namespace Normalization.Api.Storage;

/// <summary>What a bulk append did.</summary>
public abstract record BulkOutcome
{
    public sealed record Stored(int Version, int Count, int Duplicates) : BulkOutcome;
    public sealed record NotFound : BulkOutcome;
    /// <summary>Someone else wrote to the negotiation (or created it) after the caller validated against it.</summary>
    public sealed record Changed(int CurrentVersion) : BulkOutcome;
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

    static readonly System.Diagnostics.Stopwatch TraceClock = System.Diagnostics.Stopwatch.StartNew();
    static void Trace(string what) { if (Environment.GetEnvironmentVariable("NORMALIZATION_TRACE_BULK") == "1") Console.Error.WriteLine($"[bulk {TraceClock.Elapsed.TotalSeconds:F1}s] {what}"); }

    /// <summary>Above this many rows the index is written with COPY instead of one multi-row insert.</summary>
    const int CopyThreshold = 1_000;
    const int CopyChunk = 20_000;
    /// <summary>A load of at least this many events refreshes the planner's statistics of the tables it wrote.</summary>
    const int AnalyzeAfter = 10_000;
    /// <summary>A COPY of a large record may keep the server busy longer than the default 30 s command timeout.</summary>
    static readonly TimeSpan BulkTimeout = TimeSpan.FromMinutes(30);

    /// <summary>
    /// Appends validated events in one transaction: all of them or none. <paramref name="expectedVersion"/> is the version the
    /// caller validated against (null with <paramref name="create"/>): if the stream moved since, nothing is written.
    /// Events already stored, or repeated, are skipped and counted as duplicates.
    /// </summary>
    /// <remarks>
    /// With <paramref name="create"/> the stream is started, so the transaction runs at REPEATABLE READ and is run again on a
    /// serialization failure, like <see cref="CreateAsync"/> (the inline <see cref="PartyProfileProjection"/>; see
    /// NegotiationStore.Starting.cs); <paramref name="progress"/> then counts the copied events again from the start.
    /// </remarks>
    public Task<BulkOutcome> BulkAppendAsync(NegotiationOpened opening, bool create, int? expectedVersion, IReadOnlyList<NegotiationEvent> events,
        string postedBy, string? correlationId = null, IProgress<int>? progress = null, CancellationToken ct = default) =>
        create
            ? RetryOnSerializationFailureAsync(() => BulkAppendOnceAsync(opening, create, expectedVersion, events, postedBy, correlationId, progress, ct), ct)
            : BulkAppendOnceAsync(opening, create, expectedVersion, events, postedBy, correlationId, progress, ct);

    async Task<BulkOutcome> BulkAppendOnceAsync(NegotiationOpened opening, bool create, int? expectedVersion, IReadOnlyList<NegotiationEvent> events,
        string postedBy, string? correlationId, IProgress<int>? progress, CancellationToken ct)
    {
        var id = opening.Id;
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(create ? StartIsolation : System.Data.IsolationLevel.ReadCommitted, ct);
        await using var session = store.LightweightSession(SessionOptions.ForTransaction(tx));
        session.LastModifiedBy = postedBy;
        if (correlationId is not null) session.CorrelationId = correlationId;

        int version;
        var stored = new HashSet<Guid>();
        if (create)
        {
            session.Events.StartStream(id, opening);
            try { await session.SaveChangesAsync(ct); }
            catch (Marten.Exceptions.ExistingStreamIdCollisionException) { return new BulkOutcome.Changed(await VersionAsync(id, ct) ?? 0); }
            version = 1;
        }
        else
        {
            if (await LockStreamAsync(session, id, ct) is not { } v) return new BulkOutcome.NotFound();
            version = v;
            if (expectedVersion is { } expected && expected != version) return new BulkOutcome.Changed(version);
            await using var ids = new NpgsqlCommand("select event_id from nz_events where negotiation_id = @id", conn, tx);
            ids.Parameters.AddWithValue("id", id);
            await using var r = await ids.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) stored.Add(r.GetGuid(0));
        }

        var fresh = new List<NegotiationEvent>(events.Count);
        var seen = new HashSet<Guid>();
        foreach (var e in events)
        {
            var withId = e.EventId == Guid.Empty ? e with { EventId = Guid.NewGuid() } : e;
            if (!stored.Contains(withId.EventId) && seen.Add(withId.EventId)) fresh.Add(withId);
        }
        var duplicates = events.Count - fresh.Count;
        if (fresh.Count == 0)
        {
            if (create) StoreReadModels(session, id, version, FoldAccumulator.Start(opening));
            await session.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            return new BulkOutcome.Stored(version, 0, duplicates);
        }

        Trace($"ids checked, {fresh.Count} fresh");
        // A record held whole in memory (nothing stored yet): resolve it and fold it on another core while the rows are copied.
        var resolved = stored.Count == 0 ? EffectiveHistory.Resolve(fresh) : null;
        var folding = resolved is null ? null : Task.Run(() => FoldRecord(opening, resolved), ct);
        await EventCopy.AppendAsync(conn, id, version, fresh, postedBy, correlationId, progress, BulkTimeout, ct);
        Trace("events copied");
        var firstVersion = version;
        version += fresh.Count;

        FoldAccumulator head;
        if (resolved is not null)
            // The whole record is in hand: resolved and folded once, in memory.
            head = await IndexAndFoldAsync(conn, tx, id, firstVersion, fresh, resolved, folding!, ct);
        else
        {
            // Onto an existing record: index like an append (statuses of touched families re-resolved), then refold from
            // the earliest position the new events change.
            var dirtyKey = await IndexAsync(conn, tx, id, firstVersion, fresh, ct);
            head = dirtyKey is null ? (await session.LoadAsync<NegotiationView>(id, ct))!.Head : await RefoldFromAsync(conn, tx, id, opening, dirtyKey, ct);
        }
        Trace("read models");
        StoreReadModels(session, id, version, head);
        await session.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        Trace("committed");
        if (fresh.Count >= AnalyzeAfter)
        {
            // The planner's statistics do not know about rows this large a load added until autovacuum gets to them; until
            // then it can pick a scan of the whole table for a small negotiation's reads (measured: 10× slower time travel).
            await using (var analyze = new NpgsqlCommand("analyze nz_events; analyze nz_checkpoints;", conn) { CommandTimeout = 600 })
                await analyze.ExecuteNonQueryAsync(ct);
            await EventCopy.AnalyzeAsync(conn, ct);
            Trace("analyzed");
        }
        return new BulkOutcome.Stored(version, fresh.Count, duplicates);
    }

    /// <summary>The domain-order index rows of <paramref name="events"/> (versions after <paramref name="version"/>), with COPY.</summary>
    static async Task CopyIndexAsync(NpgsqlConnection conn, string id, int version, IReadOnlyList<NegotiationEvent> events, Func<NegotiationEvent, string>? status, CancellationToken ct)
    {
        await using var copy = await conn.BeginBinaryImportAsync("""
            copy nz_events (event_id, negotiation_id, version, type, role, target_event_id, status, sort_key, domain_date, occurred_on, actor)
            from stdin (format binary)
            """, ct);
        copy.Timeout = BulkTimeout;
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
            await copy.WriteAsync(status?.Invoke(e) ?? "active", NpgsqlDbType.Text, ct);
            await copy.WriteAsync(KeyOf(e), NpgsqlDbType.Text, ct);
            await copy.WriteAsync(e is EventCorrected { Correction: { } c } ? c.Date : e.Date, NpgsqlDbType.Date, ct);
            await copy.WriteAsync(e.OccurredOn.ToString(), NpgsqlDbType.Text, ct);
            await copy.WriteAsync(e.Actor, NpgsqlDbType.Text, ct);
        }
        await copy.CompleteAsync(ct);
    }

    /// <summary>The fold of a whole resolved record: the head and every checkpoint (pure work, no I/O).</summary>
    static (FoldAccumulator Head, List<(string, DateOnly, int, byte[])> Checkpoints) FoldRecord(NegotiationOpened opening, EffectiveHistory.Result resolved)
    {
        var effective = resolved.Events.ToList();
        DomainOrder.Sort(effective);
        var acc = FoldAccumulator.Start(opening);
        var checkpoints = new List<(string, DateOnly, int, byte[])>();
        foreach (var e in effective) ApplyWithCheckpoint(acc, e, checkpoints);
        return (acc, checkpoints);
    }

    /// <summary>
    /// For a record held whole in memory (a new negotiation's import, a rebuild): writes the index with the statuses of
    /// <paramref name="resolved"/> and the references, then the checkpoints of <paramref name="folding"/> with COPY.
    /// </summary>
    async Task<FoldAccumulator> IndexAndFoldAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string id, int firstVersion,
        IReadOnlyList<NegotiationEvent> events, EffectiveHistory.Result resolved, Task<(FoldAccumulator Head, List<(string, DateOnly, int, byte[])> Checkpoints)> folding,
        CancellationToken ct)
    {
        Trace("index: start");
        await InsertIndexRowsAsync(conn, tx, id, firstVersion, events, e => StatusOf(e, resolved), ct);
        Trace("index: copied");
        await InsertReferencesAsync(conn, tx, id, events, ct);
        Trace("refs");
        var (head, checkpoints) = await folding;
        Trace($"folded, {checkpoints.Count} checkpoints, {checkpoints.Sum(c => (long)c.Item4.Length) / 1024 / 1024} MiB compressed");
        await CopyCheckpointsAsync(conn, id, checkpoints, ct);
        Trace("checkpoints copied");
        return head;
    }

    static async Task CopyCheckpointsAsync(NpgsqlConnection conn, string id, List<(string Key, DateOnly Date, int Count, byte[] Json)> checkpoints, CancellationToken ct)
    {
        if (checkpoints.Count == 0) return;
        await using var copy = await conn.BeginBinaryImportAsync(
            "copy nz_checkpoints (negotiation_id, sort_key, domain_date, event_count, accumulator) from stdin (format binary)", ct);
        copy.Timeout = BulkTimeout;
        foreach (var (key, date, count, json) in checkpoints)
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

    /// <summary>
    /// Rebuilds every <see cref="PartyProfile"/> with Marten's own projection rebuild (what <c>projections rebuild</c> does):
    /// the daemon deletes the profiles and replays every stream's <c>NegotiationOpened</c> through <see cref="PartyProfileProjection"/>.
    /// A profile depends only on openings, which never change, so <see cref="RebuildAsync"/> of one negotiation leaves profiles alone.
    /// </summary>
    public async Task RebuildPartyProfilesAsync(CancellationToken ct = default)
    {
        using var daemon = await store.BuildProjectionDaemonAsync();
        await daemon.RebuildProjectionAsync<PartyProfileProjection>(ct);
    }

    /// <summary>
    /// Rebuilds several negotiations, <paramref name="parallelism"/> at a time (default: one per core plus one; each is its own
    /// transaction, so while one folds in this process another's rows are being written by the server). Reports each id done.
    /// </summary>
    public async Task RebuildAllAsync(IReadOnlyList<string> ids, IProgress<string>? progress = null, int? parallelism = null, CancellationToken ct = default)
    {
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = parallelism ?? Environment.ProcessorCount + 1, CancellationToken = ct },
            async (id, token) =>
            {
                await RebuildAsync(id, token);
                progress?.Report(id);
            });
    }

    /// <summary>
    /// Rebuilds every read model of one negotiation from its raw events in Marten: the domain-order index, statuses,
    /// references, checkpoints, head, board row and party profiles; the result equals the live one. It holds the
    /// stream's row lock (Marten's, as appends do: they wait), recomputes everything, and writes the index, references and checkpoints only
    /// where they differ from what is stored. Derived data only, so it commits without waiting for the WAL flush: a crash
    /// loses at most the last rebuilds, which the next rebuild redoes.
    /// </summary>
    public async Task RebuildAsync(string id, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var cmd = new NpgsqlCommand("set local synchronous_commit = off", conn, tx)) await cmd.ExecuteNonQueryAsync(ct);
        await using var session = store.LightweightSession(SessionOptions.ForTransaction(tx));
        if (await LockStreamAsync(session, id, ct) is null) throw new InvalidOperationException($"No negotiation '{id}'.");
        var history = await LoadHistoryAsync(tx, id, null, ct) ?? throw new InvalidOperationException($"No negotiation '{id}'.");
        var events = history.Events.Select(r => r.Event).ToList();
        var version = events.Count + 1;
        var resolved = EffectiveHistory.Resolve(events);
        var folding = Task.Run(() => FoldRecord(history.Opening, resolved), ct);

        if (!await IndexMatchesAsync(conn, tx, id, events, resolved, ct))
        {
            await DeleteAsync(conn, tx, "delete from nz_events where negotiation_id = @id", id, ct);
            await InsertIndexRowsAsync(conn, tx, id, 1, events, e => StatusOf(e, resolved), ct);
        }
        if (!await ReferencesMatchAsync(conn, tx, id, events, ct))
        {
            await DeleteAsync(conn, tx, "delete from nz_references where negotiation_id = @id", id, ct);
            await InsertReferencesAsync(conn, tx, id, events, ct);
        }
        var (head, checkpoints) = await folding;
        if (!await CheckpointsMatchAsync(conn, tx, id, checkpoints, ct))
        {
            await DeleteAsync(conn, tx, "delete from nz_checkpoints where negotiation_id = @id", id, ct);
            await CopyCheckpointsAsync(conn, id, checkpoints, ct);
        }
        StoreReadModels(session, id, version, head);
        await session.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    static async Task DeleteAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, string id, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Whether the stored index rows are exactly those of <paramref name="events"/> (versions from 2) with their resolved statuses.</summary>
    static async Task<bool> IndexMatchesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string id, List<NegotiationEvent> events, EffectiveHistory.Result resolved, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            select event_id, version, type, role, target_event_id, status, sort_key, domain_date, occurred_on, actor
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
            var same = r.GetGuid(0) == e.EventId && r.GetInt32(1) == i + 2 && r.GetString(2) == e.Type && r.GetInt16(3) == RoleOf(e)
                && (r.IsDBNull(4) ? target is null : target == r.GetGuid(4)) && r.GetString(5) == StatusOf(e, resolved) && r.GetString(6) == KeyOf(e)
                && r.GetFieldValue<DateOnly>(7) == (e is EventCorrected { Correction: { } c } ? c.Date : e.Date)
                && r.GetString(8) == e.OccurredOn.ToString() && r.GetString(9) == e.Actor;
            if (!same) return false;
            i++;
        }
        return i == events.Count;
    }

    static async Task<bool> ReferencesMatchAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string id, List<NegotiationEvent> events, CancellationToken ct)
    {
        var expected = References(events).ToHashSet();
        var stored = new HashSet<(string, string)>();
        await using var cmd = new NpgsqlCommand("select kind, ref_id from nz_references where negotiation_id = @id", conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) stored.Add((r.GetString(0), r.GetString(1)));
        return stored.SetEquals(expected);
    }

    static async Task<bool> CheckpointsMatchAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string id, List<(string Key, DateOnly Date, int Count, byte[] Packed)> checkpoints, CancellationToken ct)
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
