using JasperFx.Events;
using System.Text.Json;
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

namespace Normalization.Api.Storage;

/// <summary>
/// The event store of negotiations on Marten + PostgreSQL. Every append runs in one transaction: the
/// negotiation row is locked (optimistic concurrency against expectedVersion, serialized writers), duplicates
/// are filtered by eventId, events are validated against the stream, appended to Marten, indexed in domain
/// order, and the read models (the fold's head, checkpoints, board) are updated before commit; Marten's inline projection
/// <see cref="PartyProfileProjection"/> updates the party profiles in the same transaction.
/// </summary>
public sealed partial class NegotiationStore(IDocumentStore store, NpgsqlDataSource dataSource, TimeProvider clock)
{
    /// <summary>A fold checkpoint is written every this-many folded events, in domain order.</summary>
    public const int CheckpointEvery = 500;

    public DateOnly Today => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

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
        return true;
    }

    /// <summary>
    /// Serializes the writers of one negotiation on Marten's own stream row and returns its version (null: no such stream).
    /// <c>AppendExclusive</c> takes the row lock (<c>select … for update</c>) in this session's transaction and reads the
    /// version; the empty append it registers is dropped at once, the lock stays until commit. So the version every
    /// check uses is Marten's — there is no second counter — and no two appends of one negotiation interleave.
    /// </summary>
    static async Task<int?> LockStreamAsync(IDocumentSession session, string id, CancellationToken ct)
    {
        try { await session.Events.AppendExclusive(id, ct); }
        catch (Marten.Exceptions.NonExistentStreamException) { return null; }
        var version = session.PendingChanges.Streams().Single(s => s.Key == id).ExpectedVersionOnServer
            ?? throw new InvalidOperationException($"Marten did not report the version of stream '{id}'.");
        session.EjectAllPendingChanges();
        return (int)version;
    }

    public async Task<AppendOutcome> AppendAsync(string id, int? expectedVersion, IReadOnlyList<NegotiationEvent> batch,
        string postedBy, string? correlationId = null, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using var session = store.LightweightSession(SessionOptions.ForTransaction(tx));
        if (await LockStreamAsync(session, id, ct) is not { } version) return new AppendOutcome.NotFound();

        // Idempotency: an eventId already stored (or repeated in the batch) is reported as a duplicate.
        var withIds = batch.Select(e => e.EventId == Guid.Empty ? e with { EventId = Guid.NewGuid() } : e).ToList();
        var stored = await ExistingAsync(conn, tx, id, withIds.Select(e => e.EventId).ToArray(), ct);
        var results = new List<StoredEventId>(withIds.Count);
        var fresh = new List<(NegotiationEvent Event, int Index)>();
        var seen = new HashSet<Guid>();
        var errors = new List<FieldError>();
        for (var i = 0; i < withIds.Count; i++)
        {
            var e = withIds[i];
            var duplicate = stored.Contains(e.EventId) || !seen.Add(e.EventId);
            results.Add(new StoredEventId(e.EventId, duplicate));
            if (!duplicate) fresh.Add((e, i));
        }
        var view = await session.LoadAsync<NegotiationView>(id, ct) ?? throw new InvalidOperationException($"Negotiation {id} has no read model; run rebuild.");
        var previousStage = view.Head.StateAt(StageDay(view.Head)).Stage;
        if (fresh.Count == 0) return new AppendOutcome.Appended(version, results, previousStage, previousStage);
        if (expectedVersion is { } expected && expected != version) return new AppendOutcome.VersionConflict(version, expected);

        // Validation against the stream, without loading it: references come from the index.
        var ctx = new ValidationContext(view.Head.Negotiation, Today);
        await RegisterReferencesAsync(conn, tx, id, fresh.Select(f => f.Event).ToList(), ctx, ct);
        foreach (var (e, i) in fresh) EventValidator.Validate(e, $"events[{i}]", ctx, errors);
        if (errors.Count > 0) return new AppendOutcome.Invalid(errors);

        session.LastModifiedBy = postedBy;
        if (correlationId is not null) session.CorrelationId = correlationId;
        var events = fresh.Select(f => f.Event).ToList();
        session.Events.Append(id, events.Cast<object>().ToArray());
        await session.SaveChangesAsync(ct);

        var dirtyKey = await IndexAsync(conn, tx, id, version, events, ct);
        version += events.Count;

        var head = view.Head;
        var checkpoints = new List<(string Key, DateOnly Date, int Count, byte[] Json)>();
        if (dirtyKey is null) { }
        else if (events.All(e => RoleOf(e) == 0) && (head.LastSortKey is null || string.CompareOrdinal(dirtyKey, head.LastSortKey) > 0))
        {
            // Appended after everything folded so far: constant work, continue the head. (A batch with a retraction or
            // a correction refolds from its dirty key instead: it may retract or replace an event of the same batch.)
            var effective = events.Where(e => e is not EventRetracted and not EventCorrected).OrderBy(e => e, DomainOrder.Instance);
            foreach (var e in effective) ApplyWithCheckpoint(head, e, checkpoints);
            await WriteCheckpointsAsync(conn, tx, id, checkpoints, ct);
        }
        else
        {
            // Late event (or a retraction/correction of an earlier one): refold from the checkpoint before it.
            head = await RefoldFromAsync(conn, tx, id, head.Negotiation, dirtyKey, ct);
        }

        StoreReadModels(session, id, version, head);
        await session.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new AppendOutcome.Appended(version, results, head.StateAt(StageDay(head)).Stage, previousStage);
    }

    DateOnly StageDay(FoldAccumulator head) => head.PendingDate is { } p && p > Today ? p : Today;

    static void ApplyWithCheckpoint(FoldAccumulator acc, NegotiationEvent e, List<(string, DateOnly, int, byte[])> checkpoints)
    {
        var before = acc.EventCount;
        acc.Apply(e);
        if (acc.EventCount != before && acc.EventCount % CheckpointEvery == 0)
            checkpoints.Add((acc.LastSortKey!, e.Date, acc.EventCount, CheckpointPacking.Pack(acc)));
    }

    static async Task WriteCheckpointsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string id, List<(string Key, DateOnly Date, int Count, byte[] Json)> checkpoints, CancellationToken ct)
    {
        foreach (var (key, date, count, json) in checkpoints)
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

    static async Task<HashSet<Guid>> ExistingAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string id, Guid[] ids, CancellationToken ct)
    {
        var result = new HashSet<Guid>();
        await using var cmd = new NpgsqlCommand("select event_id from nz_events where negotiation_id = @id and event_id = any(@ids)", conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("ids", ids);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct)) result.Add(r.GetGuid(0));
        return result;
    }

    static async Task RegisterReferencesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string id, List<NegotiationEvent> events, ValidationContext ctx, CancellationToken ct)
    {
        // Only the ids this batch names (made, resolved, signed or closed): the work grows with the batch, not with the history.
        var named = events.Select(e => e is EventCorrected { Correction: { } c } ? c : e).ToList();
        var demands = named.Select(e => e switch
        {
            DemandMade d => d.DemandId, DemandMet m => m.DemandId, DemandRefused r => r.DemandId, DemandWithdrawn w => w.DemandId, _ => null,
        }).OfType<string>().Distinct().ToArray();
        var commitments = named.SelectMany(e => e switch
        {
            AgreementSigned a => a.Commitments.Select(c => c.CommitmentId),
            CommitmentFulfilled f => [f.CommitmentId],
            CommitmentBreached b => [b.CommitmentId],
            _ => [],
        }).Distinct().ToArray();
        if (demands.Length + commitments.Length > 0)
        {
            await using var cmd = new NpgsqlCommand("""
            select kind, ref_id from nz_references where negotiation_id = @id
              and ((kind = 'demand' and ref_id = any(@demands)) or (kind = 'commitment' and ref_id = any(@commitments)))
            """, conn, tx);
            cmd.Parameters.AddWithValue("id", id);
            cmd.Parameters.AddWithValue("demands", demands);
            cmd.Parameters.AddWithValue("commitments", commitments);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
                if (r.GetString(0) == "demand") ctx.RegisterDemandId(r.GetString(1)); else ctx.RegisterCommitmentId(r.GetString(1));
        }
        var targets = events.Select(e => e switch { EventRetracted x => x.TargetEventId, EventCorrected x => x.TargetEventId, _ => Guid.Empty })
            .Where(g => g != Guid.Empty).Distinct().ToArray();
        if (targets.Length == 0) return;
        await using var q = new NpgsqlCommand("select event_id, type, status from nz_events where negotiation_id = @id and event_id = any(@ids)", conn, tx);
        q.Parameters.AddWithValue("id", id);
        q.Parameters.AddWithValue("ids", targets);
        await using var rr = await q.ExecuteReaderAsync(ct);
        while (await rr.ReadAsync(ct)) ctx.RegisterKnownEvent(rr.GetGuid(0), rr.GetString(1), rr.GetString(2) == "retracted");
    }

    static int RoleOf(NegotiationEvent e) => e switch { EventRetracted => 1, EventCorrected => 2, _ => 0 };

    static string KeyOf(NegotiationEvent e) => e switch
    {
        EventCorrected { Correction: { } c } x => DomainOrder.SortKey(c with { EventId = x.TargetEventId }),
        _ => DomainOrder.SortKey(e),
    };

    /// <summary>
    /// Indexes new events in domain order and re-resolves the records touched by retractions and corrections.
    /// Returns the smallest sort key whose fold result may have changed (null when nothing the fold reads changed).
    /// </summary>
    async Task<string?> IndexAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string id, int version, List<NegotiationEvent> events, CancellationToken ct)
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
        foreach (var e in events.Where(e => RoleOf(e) != 0))
            roots.Add(await RootOfAsync(conn, tx, id, e is EventRetracted r ? r.TargetEventId : ((EventCorrected)e).TargetEventId, ct));
        foreach (var root in roots)
            foreach (var key in await ResolveFamilyAsync(conn, tx, id, root, ct)) Dirty(key);
        return dirty;
    }

    /// <summary>The index rows of new events (versions after <paramref name="version"/>): one insert, or COPY for many.</summary>
    static async Task InsertIndexRowsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string id, int version, IReadOnlyList<NegotiationEvent> events,
        Func<NegotiationEvent, string>? status, CancellationToken ct)
    {
        if (events.Count > CopyThreshold) await CopyIndexAsync(conn, id, version, events, status, ct);
        else await using (var cmd = new NpgsqlCommand("""
            insert into nz_events (event_id, negotiation_id, version, type, role, target_event_id, status, sort_key, domain_date, occurred_on, actor)
            select * from unnest(@ids, @negs, @versions, @types, @roles, @targets, @statuses, @keys, @dates, @occurred, @actors)
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("ids", events.Select(e => e.EventId).ToArray());
            cmd.Parameters.AddWithValue("negs", events.Select(_ => id).ToArray());
            cmd.Parameters.AddWithValue("versions", events.Select((_, i) => version + i + 1).ToArray());
            cmd.Parameters.AddWithValue("types", events.Select(e => e.Type).ToArray());
            cmd.Parameters.AddWithValue("roles", events.Select(e => (short)RoleOf(e)).ToArray());
            cmd.Parameters.Add(new NpgsqlParameter("targets", NpgsqlDbType.Array | NpgsqlDbType.Uuid)
                { Value = events.Select(e => e switch { EventRetracted x => (Guid?)x.TargetEventId, EventCorrected x => x.TargetEventId, _ => null }).ToArray() });
            cmd.Parameters.AddWithValue("statuses", events.Select(e => status?.Invoke(e) ?? "active").ToArray());
            cmd.Parameters.AddWithValue("keys", events.Select(KeyOf).ToArray());
            cmd.Parameters.AddWithValue("dates", events.Select(e => e is EventCorrected { Correction: { } c } ? c.Date : e.Date).ToArray());
            cmd.Parameters.AddWithValue("occurred", events.Select(e => e.OccurredOn.ToString()).ToArray());
            cmd.Parameters.AddWithValue("actors", events.Select(e => e.Actor).ToArray());
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>The demand and commitment ids the events introduce (kind, id).</summary>
    static IEnumerable<(string Kind, string Id)> References(IEnumerable<NegotiationEvent> events) => events.SelectMany(e => e switch
        {
            DemandMade d => [("demand", d.DemandId)],
            AgreementSigned a => a.Commitments.Select(c => ("commitment", c.CommitmentId)),
            EventCorrected { Correction: DemandMade d } => [("demand", d.DemandId)],
            EventCorrected { Correction: AgreementSigned a } => a.Commitments.Select(c => ("commitment", c.CommitmentId)),
            _ => [],
        }).Distinct();

    static async Task InsertReferencesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string id, IReadOnlyList<NegotiationEvent> events, CancellationToken ct)
    {
        var refs = References(events).ToList();
        if (refs.Count > 0)
        {
            await using var cmd = new NpgsqlCommand("insert into nz_references select @id, * from unnest(@kinds, @refs) on conflict do nothing", conn, tx);
            cmd.Parameters.AddWithValue("id", id);
            cmd.Parameters.AddWithValue("kinds", refs.Select(r => r.Item1).ToArray());
            cmd.Parameters.AddWithValue("refs", refs.Select(r => r.Item2).ToArray());
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    static async Task<Guid> RootOfAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string negotiationId, Guid target, CancellationToken ct)
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

    /// <summary>Recomputes the status of a root event and of every retraction/correction aimed at it (transitively).</summary>
    async Task<List<string>> ResolveFamilyAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string id, Guid root, CancellationToken ct)
    {
        var rows = new List<(string Status, string Key, long Version)>();
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
            while (await r.ReadAsync(ct)) rows.Add((r.GetString(0), r.GetString(1), r.GetInt32(2)));
        }
        await using var session = ReadSession(tx);
        var stored = await RecordedEvents.ByVersionsAsync(session, id, rows.Select(x => x.Version).ToList(), ct);
        var family = rows.Select(x => (Event: (NegotiationEvent)stored[x.Version].Data, x.Status, x.Key)).ToList();
        var resolved = EffectiveHistory.Resolve(family.Select(f => f.Event));
        var touched = new List<string>();
        foreach (var (e, oldStatus, oldKey) in family)
        {
            var status = StatusOf(e, resolved);
            if (status == oldStatus) continue;
            touched.Add(oldKey);
            await using var u = new NpgsqlCommand("update nz_events set status = @s where negotiation_id = @n and event_id = @id", conn, tx);
            u.Parameters.AddWithValue("n", id);
            u.Parameters.AddWithValue("s", status);
            u.Parameters.AddWithValue("id", e.EventId);
            await u.ExecuteNonQueryAsync(ct);
        }
        return touched;
    }

    /// <summary>The index status of an event in a resolved record: active, retracted, corrected (replaced by a correction) or superseded (a correction replaced by a later one).</summary>
    static string StatusOf(NegotiationEvent e, EffectiveHistory.Result resolved)
    {
        resolved.Statuses.TryGetValue(e.EventId, out var s);
        return e switch
        {
            EventRetracted => s is { Retracted: true } ? "retracted" : "active",
            EventCorrected c => s is { Retracted: true } ? "retracted"
                : resolved.Statuses.TryGetValue(c.TargetEventId, out var ts) && ts.CorrectedBy == c.EventId ? "active" : "superseded",
            _ => s is { Retracted: true } ? "retracted" : s is { CorrectedBy: not null } ? "corrected" : "active",
        };
    }

    /// <summary>Refolds from the last checkpoint before <paramref name="dirtyKey"/>, rewriting the checkpoints after it.</summary>
    async Task<FoldAccumulator> RefoldFromAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string id, NegotiationOpened opening, string dirtyKey, CancellationToken ct)
    {
        var (found, fromKey) = await CheckpointBeforeAsync(conn, tx, id, opening, dirtyKey, ct);
        var acc = found!;
        await using (var del = new NpgsqlCommand("delete from nz_checkpoints where negotiation_id = @id and sort_key >= @k", conn, tx))
        {
            del.Parameters.AddWithValue("id", id);
            del.Parameters.AddWithValue("k", dirtyKey);
            await del.ExecuteNonQueryAsync(ct);
        }
        var checkpoints = new List<(string, DateOnly, int, byte[])>();
        await foreach (var e in EffectiveEventsAsync(conn, tx, id, fromKey, null, ct)) ApplyWithCheckpoint(acc, e, checkpoints);
        await WriteCheckpointsAsync(conn, tx, id, checkpoints, ct);
        return acc;
    }

    static async Task<(FoldAccumulator? Acc, string FromKey)> CheckpointBeforeAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string id, NegotiationOpened? opening, string beforeKey, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("select sort_key, accumulator from nz_checkpoints where negotiation_id = @id and sort_key < @k order by sort_key desc limit 1", conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("k", beforeKey);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        if (await r.ReadAsync(ct))
            return (CheckpointPacking.Unpack(r.GetFieldValue<byte[]>(1)), r.GetString(0));
        return (opening is null ? null : FoldAccumulator.Start(opening), "");
    }

    async Task<NegotiationOpened?> OpeningAsync(NpgsqlTransaction? tx, string id, CancellationToken ct)
    {
        await using var session = ReadSession(tx);
        return await RecordedEvents.OpeningAsync(session, id, ct);
    }

    /// <summary>
    /// A Marten query session on our transaction (so it sees the same snapshot and this transaction's own writes), or
    /// on its own connection when there is none.
    /// </summary>
    IQuerySession ReadSession(NpgsqlTransaction? tx) => tx is null ? store.QuerySession() : store.QuerySession(SessionOptions.ForTransaction(tx));

    /// <summary>
    /// The effective history in domain order after <paramref name="afterKey"/> (and before <paramref name="beforeKey"/>):
    /// the index gives the versions in order, Marten reads the events (in chunks).
    /// </summary>
    async IAsyncEnumerable<NegotiationEvent> EffectiveEventsAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string id, string afterKey, string? beforeKey,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var rows = new List<(short Role, Guid? Target, long Version)>();
        await using (var cmd = new NpgsqlCommand($"""
            select i.role, i.target_event_id, i.version from nz_events i
            where i.negotiation_id = @id and i.status = 'active' and i.role <> 1 and i.sort_key > @after {(beforeKey is null ? "" : "and i.sort_key < @before")}
            order by i.sort_key
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("id", id);
            cmd.Parameters.AddWithValue("after", afterKey);
            if (beforeKey is not null) cmd.Parameters.AddWithValue("before", beforeKey);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) rows.Add((r.GetInt16(0), r.IsDBNull(1) ? null : r.GetGuid(1), r.GetInt32(2)));
        }
        if (rows.Count == 0) yield break;
        await using var session = ReadSession(tx);
        foreach (var chunk in rows.Chunk(RecordedEvents.Chunk))
        {
            var stored = await RecordedEvents.ByVersionsAsync(session, id, chunk.Select(x => x.Version).ToList(), ct);
            foreach (var (role, target, version) in chunk)
            {
                var e = (NegotiationEvent)stored[version].Data;
                if (role == 2) e = ((EventCorrected)e).Correction! with { EventId = target!.Value };
                yield return e;
            }
        }
    }

    /// <summary>
    /// Stages the negotiation's head and board row in <paramref name="session"/> (written by its next SaveChangesAsync). The
    /// party profiles are not here: <see cref="PartyProfileProjection"/> projects them inline from the stream's opening.
    /// </summary>
    void StoreReadModels(IDocumentSession session, string id, int version, FoldAccumulator head)
    {
        session.Store(new NegotiationView { Id = id, Version = version, Head = head, UpdatedAt = clock.GetUtcNow() });
        var at = head.PendingDate ?? DateOnly.MinValue;
        var state = head.StateAt(at);
        var future = head.StateAt(at == DateOnly.MinValue ? at : at.AddDays(head.Options.WindowDays + 1));
        session.Store(new BoardEntry
        {
            Id = id, Title = head.Negotiation.Title, Parties = head.Negotiation.Parties,
            Stage = state.Stage, StageSince = state.StageSince, LastEventOn = state.LastEventOn, Momentum = state.Momentum with { Contributions = [] },
            Version = version, Upcoming = future.StageHistory.Where(t => t.On > at).ToList(),
        });
    }

    // ---------------------------------------------------------------- reads

    public async Task<NegotiationView?> LoadViewAsync(string id, CancellationToken ct = default)
    {
        await using var q = store.QuerySession();
        return await q.LoadAsync<NegotiationView>(id, ct);
    }

    /// <summary>
    /// The state on <paramref name="asOf"/>. With the default rules and no knownAt it starts from the nearest
    /// checkpoint in domain order (bounded work); otherwise it folds the record as it was at <paramref name="knownAt"/>.
    /// </summary>
    public async Task<NegotiationState?> StateAsOfAsync(string id, DateOnly asOf, DateTimeOffset? knownAt = null, FoldOptions? options = null, CancellationToken ct = default)
    {
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
            FoldAccumulator? acc = null;
            var fromKey = "";
            await using (var cmd = new NpgsqlCommand("""
                with last as (select sort_key from nz_events where negotiation_id = @id and status = 'active' and role <> 1 order by sort_key desc limit 1)
                select (select sort_key from last), c.sort_key, c.accumulator from (select 1) one
                left join lateral (select sort_key, accumulator from nz_checkpoints where negotiation_id = @id and sort_key < @end
                    and exists (select 1 from last where last.sort_key >= @end) order by sort_key desc limit 1) c on true
                """, conn, tx))
            {
                cmd.Parameters.AddWithValue("id", id);
                cmd.Parameters.AddWithValue("end", end);
                await using var r = await cmd.ExecuteReaderAsync(ct);
                await r.ReadAsync(ct);
                lastKey = r.IsDBNull(0) ? null : r.GetString(0);
                if (!r.IsDBNull(1)) { fromKey = r.GetString(1); acc = CheckpointPacking.Unpack(r.GetFieldValue<byte[]>(2)); }
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
            await foreach (var e in EffectiveEventsAsync(conn, tx, id, fromKey, end, ct)) acc.Apply(e);
            return acc.StateAt(asOf);
        }
        var history = await LoadHistoryAsync(id, knownAt, ct);
        return history is null ? null : NegotiationFold.StateAsOf(history.Opening, history.Events.Select(r => r.Event), asOf, options);
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

    public async Task<(IReadOnlyList<TimelineEntry> Items, int Total)> TimelineAsync(string id, DateOnly? from, DateOnly? to, string? type, string? actor,
        int offset, int limit, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var where = "i.negotiation_id = @id" + (from is null ? "" : " and i.domain_date >= @from") + (to is null ? "" : " and i.domain_date <= @to")
            + (type is null ? "" : " and i.type = @type") + (actor is null ? "" : " and i.actor = @actor");
        void Bind(NpgsqlCommand c)
        {
            c.Parameters.AddWithValue("id", id);
            if (from is not null) c.Parameters.AddWithValue("from", from.Value);
            if (to is not null) c.Parameters.AddWithValue("to", to.Value);
            if (type is not null) c.Parameters.AddWithValue("type", type);
            if (actor is not null) c.Parameters.AddWithValue("actor", actor);
        }
        int total;
        await using (var count = new NpgsqlCommand($"select count(*) from nz_events i where {where}", conn))
        {
            Bind(count);
            total = Convert.ToInt32(await count.ExecuteScalarAsync(ct));
        }
        var rows = new List<(string Status, long Version, Guid? RetractedBy, Guid? CorrectedBy)>();
        await using (var cmd = new NpgsqlCommand($"""
            select i.status, i.version,
              (select r.event_id from nz_events r where r.negotiation_id = i.negotiation_id and r.target_event_id = i.event_id and r.role = 1 and r.status = 'active' limit 1),
              (select c.event_id from nz_events c where c.negotiation_id = i.negotiation_id and c.target_event_id = i.event_id and c.role = 2 and c.status = 'active' limit 1)
            from nz_events i
            where {where} order by i.sort_key, i.version offset @offset limit @limit
            """, conn))
        {
            Bind(cmd);
            cmd.Parameters.AddWithValue("offset", offset);
            cmd.Parameters.AddWithValue("limit", limit);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
                rows.Add((r.GetString(0), r.GetInt32(1), r.IsDBNull(2) ? null : r.GetGuid(2), r.IsDBNull(3) ? null : r.GetGuid(3)));
        }
        await using var session = store.QuerySession();
        var stored = await RecordedEvents.ByVersionsAsync(session, id, rows.Select(x => x.Version).ToList(), ct);
        var items = rows.Select(x =>
        {
            var e = stored[x.Version];
            return new TimelineEntry((NegotiationEvent)e.Data, x.Status, x.RetractedBy, x.CorrectedBy, (int)e.Version, e.Timestamp, e.UserName);
        }).ToList();
        return (items, total);
    }

    /// <summary>The negotiation's stream version (Marten's), or null when there is no such negotiation.</summary>
    public async Task<int?> VersionAsync(string id, CancellationToken ct = default)
    {
        await using var session = store.QuerySession();
        return await session.Events.FetchStreamStateAsync(id, ct) is { } state ? (int)state.Version : null;
    }

    /// <summary>Every negotiation's id, from the events themselves (each stream opens with a NegotiationOpened), in ordinal order.</summary>
    public async Task<IReadOnlyList<string>> NegotiationIdsAsync(CancellationToken ct = default)
    {
        await using var session = store.QuerySession();
        var ids = await session.Events.QueryRawEventDataOnly<NegotiationOpened>().Select(o => o.Id).ToListAsync(ct);
        return ids.Order(StringComparer.Ordinal).ToList();
    }

    // ---------------------------------------------------------------- rebuild


}