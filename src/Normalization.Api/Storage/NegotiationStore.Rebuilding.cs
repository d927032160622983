using SessionOptions = Marten.Services.SessionOptions;
using Normalization.Domain.Folding;
using Npgsql;
using static Normalization.Api.Storage.DomainIndex;
using static Normalization.Api.Storage.FoldCheckpoints;

namespace Normalization.Api.Storage;

/// <summary>Rebuilding the derived data (index, references, checkpoints, head, board; party profiles through Marten's rebuild) from the events.</summary>
public sealed partial class NegotiationStore
{
    /// <summary>
    /// Rebuilds every <see cref="PartyProfile"/> with Marten's own projection rebuild (what <c>projections rebuild</c> does):
    /// the daemon deletes the profiles and replays every stream's <c>NegotiationOpened</c> through <see cref="PartyProfileProjection"/>.
    /// A profile depends only on openings, which never change, so <see cref="RebuildAsync"/> of one negotiation leaves profiles alone.
    /// </summary>
    public async Task RebuildPartyProfilesAsync(CancellationToken ct = default)
    {
        // Marten's daemon lock, as `projections rebuild` holds it: two rebuilds at once would both write the projection's
        // progress row (MartenLocks); and the profile lock alone: a stream started meanwhile would be lost from its parties'
        // profiles (ProfileRebuildLock).
        await using var held = await ProfileRebuildLock.HoldForRebuildAsync(dataSource, store, ct);
        using var daemon = await store.BuildProjectionDaemonAsync();
        await daemon.RebuildProjectionAsync<PartyProfileProjection>(ct);
    }

    /// <summary>
    /// Rebuilds several negotiations, <paramref name="parallelism"/> at a time (default: one per core plus one; each is its own
    /// transaction, so while one folds in this process another's rows are being written by the server), never more than half the
    /// long-work pool (<see cref="MartenSetup.LongWorkPoolSize"/>: a rebuild waiting for a connection past the connect time-out
    /// would fail). Reports each id done.
    /// </summary>
    public async Task RebuildAllAsync(IReadOnlyList<string> ids, IProgress<string>? progress = null, int? parallelism = null, CancellationToken ct = default)
    {
        await Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = Math.Min(parallelism ?? Environment.ProcessorCount + 1, MartenSetup.LongWorkPoolSize / 2), CancellationToken = ct },
            async (id, token) =>
            {
                await RebuildAsync(id, token);
                progress?.Report(id);
            });
    }

    /// <summary>
    /// Rebuilds every read model of one negotiation from its raw events in Marten: the domain-order index, statuses,
    /// references, checkpoints, head and board row (party profiles depend only on openings: <see cref="RebuildPartyProfilesAsync"/>);
    /// the result equals the live one. It holds the
    /// stream's row lock (Marten's, as appends do: they wait), recomputes everything, and writes the index, references and checkpoints only
    /// where they differ from what is stored. Derived data only, so it commits without waiting for the WAL flush: a crash
    /// loses at most the last rebuilds, which the next rebuild redoes.
    /// </summary>
    public async Task RebuildAsync(string id, CancellationToken ct = default)
    {
        using var turn = await gate.EnterAsync(id, ct);
        await using var conn = await longWork.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var cmd = new NpgsqlCommand("set local synchronous_commit = off", conn, tx)) await cmd.ExecuteNonQueryAsync(ct);
        await using var session = store.LightweightSession(SessionOptions.ForTransaction(tx));
        if (await LockStreamAsync(session, id, ct) is null) throw new InvalidOperationException($"No negotiation '{id}'.");
        var history = await LoadHistoryAsync(tx, id, null, ct) ?? throw new InvalidOperationException($"No negotiation '{id}'.");
        var events = history.Events.Select(r => r.Event).ToList();
        var version = events.Count + 1;
        var resolved = EffectiveHistory.Resolve(events);
        var folding = Task.Run(() => FoldRecord(history.Opening, resolved), ct);

        // Marten's timestamps: "as known at" maps an instant to a stream version through the index (recorded_at).
        var recordedAt = history.Events.Select(r => r.RecordedAt).ToList();
        if (!await IndexMatchesAsync(conn, tx, id, events, resolved, recordedAt, ct))
        {
            await DeleteAsync(conn, tx, "delete from nz_events where negotiation_id = @id", id, ct);
            await InsertIndexRowsAsync(conn, tx, id, 1, events, e => StatusOf(e, resolved), ct, history.Opening, recordedAt);
        }
        if (!await ReferencesMatchAsync(conn, tx, id, events, ct))
        {
            await DeleteAsync(conn, tx, "delete from nz_references where negotiation_id = @id", id, ct);
            await InsertReferencesAsync(conn, tx, id, events, ct);
        }
        var (head, checkpoints) = await folding;
        if (!await CheckpointsMatchAsync(conn, tx, id, checkpoints, ct))
        {
            // The replaced versions stay for "as known at" an earlier instant; the rebuilt ones hold from this version on.
            await CloseCheckpointsAsync(conn, tx, id, "", version, ct);
            await CopyCheckpointsAsync(conn, id, checkpoints, version, ct);
        }
        StoreReadModels(session, id, version, head);
        await session.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        heads.Set(id, version, head);
        tails.Forget(id); // the tail was read through the index this rebuild replaced
    }

    static async Task DeleteAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string sql, string id, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
