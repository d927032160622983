using Normalization.Domain.Folding;
using Npgsql;
using static Normalization.Api.Storage.FoldCheckpoints;

namespace Normalization.Api.Storage;

/// <summary>
/// The fold's head — the state after every effective event — without a stored head document: from the
/// <see cref="HeadCache"/> when it holds the stream's current version, else the last checkpoint plus the effective events
/// after it (at most <see cref="CheckpointEvery"/> folded events, read through the index and Marten).
/// </summary>
public sealed partial class NegotiationStore
{
    /// <summary>
    /// The head of <paramref name="id"/> at <paramref name="version"/>, the version read in <paramref name="tx"/> (under the
    /// stream lock, or in a repeatable-read snapshot), or null when the stream is not a negotiation. Shared: never change it.
    /// </summary>
    async Task<FoldAccumulator?> HeadAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string id, int version, CancellationToken ct)
    {
        if (heads.TryGet(id, version) is { } cached) return cached;
        using var span = Telemetry.TelemetrySetup.Source.StartActivity("head-from-checkpoint");
        span?.SetTag("negotiation.id", id);
        var (acc, fromKey) = await LastCheckpointAsync(conn, tx, id, ct);
        if (acc is null)
        {
            var opening = await OpeningAsync(tx, id, ct);
            if (opening is null) return null;
            acc = FoldAccumulator.Start(opening);
        }
        await foreach (var e in EffectiveEventsAsync(conn, tx, id, fromKey, null, ct)) acc.Apply(e);
        heads.Set(id, version, acc);
        return acc;
    }

    /// <summary>
    /// The head and version of <paramref name="id"/> read in one repeatable-read snapshot (null: no such negotiation). The
    /// returned head is shared with the cache: read it, never change it.
    /// </summary>
    public async Task<NegotiationView?> LoadViewAsync(string id, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, ct);
        int version;
        await using (var session = ReadSession(tx))
            if (await session.Events.FetchStreamStateAsync(id, ct) is { } state) version = (int)state.Version; else return null;
        return await HeadAsync(conn, tx, id, version, ct) is { } head ? new NegotiationView { Id = id, Version = version, Head = head } : null;
    }

    /// <summary>The head of <paramref name="id"/> when the cache holds <paramref name="version"/> (a board row's), else read as <see cref="LoadViewAsync"/> does.</summary>
    public async Task<FoldAccumulator?> HeadAtAsync(string id, int version, CancellationToken ct = default) =>
        heads.TryGet(id, version) ?? (await LoadViewAsync(id, ct))?.Head;
}
