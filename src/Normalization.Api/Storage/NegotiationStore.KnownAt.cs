using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Negotiations;
using Npgsql;
using static Normalization.Api.Storage.DomainIndex;
using static Normalization.Api.Storage.FoldCheckpoints;

namespace Normalization.Api.Storage;

/// <summary>
/// "As of D, as known at T" at checkpoint speed (issue 17, part 1): T becomes the stream version recorded by then (the
/// index's <c>recorded_at</c>, which is Marten's timestamp of the same transaction); the fold starts from the checkpoint
/// that was current at that version before D (bitemporal checkpoints, <see cref="FoldCheckpoints"/>) and folds only the
/// events after it that were recorded by then, each family of retractions and corrections resolved as it stood then.
/// Equal to folding the whole record as it was at T (property-tested against <see cref="NegotiationFold.StateAsOf"/>).
/// </summary>
public sealed partial class NegotiationStore
{
    /// <summary>
    /// The state on <paramref name="asOf"/> as the record stood at <paramref name="knownAt"/>, default fold options; null when
    /// the negotiation does not exist or was not yet recorded then.
    /// </summary>
    async Task<NegotiationState?> StateKnownAtAsync(string id, DateOnly asOf, DateTimeOffset knownAt, CancellationToken ct)
    {
        // Its phases are events of this span (what docs/benchmarks.md section 4 profiles).
        using var span = Telemetry.TelemetrySetup.Source.StartActivity("state-known-at");
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        // One snapshot: a concurrent late event cannot close the checkpoint between reading it and its tail.
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        if (await OpeningKnownAtAsync(tx, id, knownAt, ct) is not { } opening) return null;
        Trace("opening");
        var version = await VersionKnownAtAsync(conn, tx, id, knownAt, ct);
        Trace("version");
        var end = DomainOrder.EndOfDayKey(asOf);
        var (acc, fromKey) = await CheckpointValidAtAsync(conn, tx, id, end, version, ct);
        acc ??= FoldAccumulator.Start(opening);
        Trace("checkpoint");
        var (tail, reviews) = await EffectiveKnownAtAsync(conn, tx, id, version, fromKey, end, ct);
        // How far the record reaches holds at every date (NegotiationFold.StateAsOf): every review known then counts.
        foreach (var review in reviews) acc.Reviewed(review);
        foreach (var e in tail) acc.Apply(e);
        Trace("folded");
        return acc.StateAt(asOf);
    }

    /// <summary>
    /// The stream version of <paramref name="id"/> as it stood at <paramref name="knownAt"/> (1: only the opening) — the
    /// <c>version</c> a state "as known at" reports. The caller has checked the negotiation was recorded by then.
    /// </summary>
    public async Task<int> VersionKnownAtAsync(string id, DateTimeOffset knownAt, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.ReadCommitted, ct);
        return await VersionKnownAtAsync(conn, tx, id, knownAt, ct);
    }

    /// <summary>The negotiation's opening if Marten had recorded it by <paramref name="knownAt"/>, else null (no such negotiation, or not yet).</summary>
    async Task<NegotiationOpened?> OpeningKnownAtAsync(NpgsqlTransaction tx, string id, DateTimeOffset knownAt, CancellationToken ct)
    {
        await using var session = ReadSession(tx);
        var first = (await session.Events.FetchStreamAsync(id, version: 1, token: ct)).FirstOrDefault();
        return first is { Data: NegotiationOpened o } && first.Timestamp <= knownAt ? o : null;
    }

    /// <summary>
    /// The stream version recorded by <paramref name="knownAt"/> (1: only the opening): the highest version among the last
    /// rows of each write (<c>last_of_write</c>, the rows of <c>ix_nz_events_recorded</c>; the rows a write indexed before its
    /// last share its <c>recorded_at</c> and have lower versions, so they never decide the answer).
    /// </summary>
    static async Task<int> VersionKnownAtAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string id, DateTimeOffset knownAt, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "select version from nz_events where negotiation_id = @id and last_of_write and recorded_at <= @t order by recorded_at desc, version desc limit 1", conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("t", knownAt.ToUniversalTime());
        return await cmd.ExecuteScalarAsync(ct) is int v ? v : 1;
    }

    /// <summary>
    /// The effective events strictly between <paramref name="afterKey"/> and <paramref name="beforeKey"/> in domain order, and
    /// every effective <see cref="RecordReviewed"/>, as the record stood at stream <paramref name="version"/>: index rows
    /// recorded by then, the families of retractions and corrections that touch them resolved with the members recorded by
    /// then (<see cref="EffectiveHistory.Resolve"/>, the fold's own rule), the events read through Marten.
    /// </summary>
    async Task<(List<NegotiationEvent> Tail, List<RecordReviewed> Reviews)> EffectiveKnownAtAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string id,
        int version, string afterKey, string beforeKey, CancellationToken ct)
    {
        // Catalog events and corrections in the range (retractions have no place of their own), and the reviews anywhere.
        var seeds = new List<(Guid Id, EventRole Role, long Version, Guid? Target, string Key, bool ActiveNow)>();
        int? current; // the stream version now (every event after the opening has an index row): for the tail cache
        await using (var cmd = new NpgsqlCommand($"""
            select event_id, role, version, target_event_id, sort_key, status = 'active' from nz_events
            where negotiation_id = @id and version <= @v and role <> 1 and sort_key > @after and sort_key < @before
            union
            select event_id, role, version, target_event_id, sort_key, status = 'active' from nz_events where negotiation_id = @id and version <= @v and type in ({ReviewNames});
            select max(version) from nz_events where negotiation_id = @id
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("id", id);
            cmd.Parameters.AddWithValue("v", version);
            cmd.Parameters.AddWithValue("after", afterKey);
            cmd.Parameters.AddWithValue("before", beforeKey);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
                seeds.Add((r.GetGuid(0), (EventRole)r.GetInt16(1), r.GetInt32(2), r.IsDBNull(3) ? null : r.GetGuid(3), r.GetString(4), r.GetBoolean(5)));
            await r.NextResultAsync(ct);
            current = await r.ReadAsync(ct) && !r.IsDBNull(0) ? r.GetInt32(0) : null;
        }
        // Every family a seed belongs to, with its members recorded by then.
        Trace("index rows");
        var members = await FamiliesKnownAtAsync(conn, tx, id, version, seeds.Select(x => (x.Id, x.Target, x.Version)).ToList(), ct);
        Trace("families");
        // A catalog event nothing recorded by then aims at is in force as it is; the other families are resolved.
        var plain = seeds.Where(s => s.Role == EventRole.Event && members.TryGetValue(s.Id, out var m) && m.Count == 1).ToList();
        var families = members.Values.Where(m => m.Count > 1).ToList();
        // A plain event still in force now is held, decoded, by the current record's tail when this process refolded it
        // lately (TailCache: at its sort key, as itself — no correction's replacement can sit at an active event's key);
        // the rest is read through Marten.
        var cached = new List<NegotiationEvent>();
        var tailNow = current is { } now ? tails.TryGet(id, now) : null;
        var toRead = new List<long>();
        foreach (var p in plain)
            if (p.ActiveNow && tailNow?.Recorded(p.Key, p.Id) is { } e) cached.Add(e); else toRead.Add(p.Version);
        await using var session = ReadSession(tx);
        var stored = await RecordedEvents.ByVersionsAsync(session, id, [.. toRead, .. families.SelectMany(f => f)], ct);
        Trace(cached.Count > 0 ? "events (some from memory)" : "events");
        var effective = cached.Concat(toRead.Select(v => (NegotiationEvent)stored[v].Data)).ToList();
        foreach (var family in families)
            effective.AddRange(EffectiveHistory.Resolve(family.Select(v => (NegotiationEvent)stored[v].Data)).Events);

        var tail = effective.Where(e => InRange(DomainOrder.SortKey(e))).DistinctBy(e => e.EventId).ToList();
        DomainOrder.Sort(tail);
        var reviews = effective.OfType<RecordReviewed>().ToList();
        return (tail, reviews);

        bool InRange(string key) => string.CompareOrdinal(key, afterKey) > 0 && string.CompareOrdinal(key, beforeKey) < 0;
    }

    /// <summary>
    /// The families (root catalog event → the versions of its members recorded by stream <paramref name="version"/>, the
    /// root included) of the given index rows (id and target): up to each root through the targets (primary-key reads,
    /// usually none: catalog events are roots and corrections aim at them), then down through everything aimed at the roots
    /// in one recursive query over the small target index (retractions of retractions included).
    /// </summary>
    static async Task<Dictionary<Guid, List<long>>> FamiliesKnownAtAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string id, int version,
        IReadOnlyList<(Guid Id, Guid? Target, long Version)> seeds, CancellationToken ct)
    {
        var seedVersions = new Dictionary<Guid, long>();
        foreach (var s in seeds) seedVersions[s.Id] = s.Version;
        var members = new Dictionary<Guid, List<long>>();
        var roots = seeds.Where(s => s.Target is null).Select(s => s.Id).ToHashSet();
        var pending = seeds.Where(s => s.Target is not null).Select(s => s.Target!.Value).Distinct().ToArray();
        for (var depth = 0; pending.Length > 0 && depth < 64; depth++)
        {
            var next = new HashSet<Guid>();
            await using var up = new NpgsqlCommand("select event_id, target_event_id from nz_events where negotiation_id = @id and event_id = any(@ids)", conn, tx);
            up.Parameters.AddWithValue("id", id);
            up.Parameters.AddWithValue("ids", pending);
            await using (var r = await up.ExecuteReaderAsync(ct))
                while (await r.ReadAsync(ct))
                    if (r.IsDBNull(1)) roots.Add(r.GetGuid(0)); else next.Add(r.GetGuid(1));
            pending = [.. next];
        }
        if (roots.Count == 0) return members;
        // Most roots have no retraction or correction aimed at them: one probe of the (small) target index finds those that
        // do, and only their families are walked; a root nothing aims at is a family of one (its version, from the seeds).
        var aimedAt = new HashSet<Guid>();
        await using (var probe = new NpgsqlCommand("select distinct target_event_id from nz_events where negotiation_id = @id and target_event_id = any(@roots)", conn, tx))
        {
            probe.Parameters.AddWithValue("id", id);
            probe.Parameters.AddWithValue("roots", roots.ToArray());
            await using var r = await probe.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) aimedAt.Add(r.GetGuid(0));
        }
        foreach (var seed in seedVersions)
            if (roots.Contains(seed.Key) && !aimedAt.Contains(seed.Key)) members[seed.Key] = [seed.Value];
        roots.ExceptWith(members.Keys);
        if (roots.Count == 0) return members;
        await using var cmd = new NpgsqlCommand("""
            with recursive fam(event_id, version, root) as (
                select event_id, version, event_id from nz_events where negotiation_id = @id and event_id = any(@roots)
                union select c.event_id, c.version, fam.root from nz_events c join fam on c.negotiation_id = @id and c.target_event_id = fam.event_id)
            select root, version from fam where version <= @v
            """, conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("v", version);
        cmd.Parameters.AddWithValue("roots", roots.ToArray());
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var root = reader.GetGuid(0);
            if (!members.TryGetValue(root, out var list)) members[root] = list = [];
            list.Add(reader.GetInt32(1));
        }
        return members;
    }

    /// <summary>
    /// The timeline as the record stood at <paramref name="knownAt"/> (null: the negotiation was not recorded yet): the
    /// index rows recorded by then, in domain order, filtered and paged like <see cref="TimelineAsync"/>, each with its
    /// status and the retraction or correction in force then — its family resolved with the members recorded by then.
    /// </summary>
    public async Task<(IReadOnlyList<TimelineEntry> Items, int Total)?> TimelineKnownAtAsync(string id, DateTimeOffset knownAt, DateOnly? from, DateOnly? to,
        string? type, string? actor, int offset, int limit, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        if (await OpeningKnownAtAsync(tx, id, knownAt, ct) is null) return null;
        var version = await VersionKnownAtAsync(conn, tx, id, knownAt, ct);
        var (rows, total) = await TimelineRowsAsync(conn, tx, id, from, to, type, actor, offset, limit, version, ct);
        var families = await FamiliesKnownAtAsync(conn, tx, id, version, rows.Select(r => (r.EventId, r.Target, (long)r.Version)).ToList(), ct);
        await using var session2 = ReadSession(tx);
        var stored = await RecordedEvents.ByVersionsAsync(session2, id, [.. rows.Select(r => r.Version), .. families.Values.SelectMany(f => f)], ct);
        var resolved = families.Values.Where(f => f.Count > 1)
            .Select(f => EffectiveHistory.Resolve(f.Select(v => (NegotiationEvent)stored[v].Data)))
            .SelectMany(r => r.Statuses.Values.Select(st => (st, r)))
            .ToDictionary(x => x.st.EventId, x => x.r);
        var items = rows.Select(row =>
        {
            var e = stored[row.Version];
            var data = (NegotiationEvent)e.Data;
            var family = resolved.GetValueOrDefault(data.EventId) ?? (data is EventCorrected c ? resolved.GetValueOrDefault(c.TargetEventId) : null);
            var status = family is null ? IndexStatus.Active : StatusOf(data, family);
            var of = family?.Statuses.GetValueOrDefault(data.EventId);
            return new TimelineEntry(data, status, of?.RetractedBy, data is EventRetracted or EventCorrected ? null : of?.CorrectedBy, (int)e.Version, e.Timestamp, e.UserName);
        }).ToList();
        return (items, total);
    }
}
