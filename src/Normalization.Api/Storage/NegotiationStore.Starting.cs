using System.Data;
using Npgsql;

namespace Normalization.Api.Storage;

/// <summary>
/// Starting a stream: the transaction in which <see cref="PartyProfileProjection"/> (inline) reads and rewrites the profiles
/// of the negotiation's two parties.
/// </summary>
/// <remarks>
/// Marten's inline projection loads each profile, applies the opening and upserts it inside our transaction; it takes no
/// lock and (a projection target being revisioned by Marten itself) offers no optimistic-concurrency check, so two
/// negotiations of one party started at once could both read the profile without the other's entry and the last commit
/// silently drop the first's. A transaction that starts a stream therefore first takes its parties' turns
/// (<see cref="TakeProfileTurnsAsync"/>: one transaction-scoped advisory lock per party code, in code order, so two openings
/// naming the same parties in opposite orders cannot deadlock) and runs at READ COMMITTED: Marten's load of a profile,
/// after the turn, sees the previous writer's commit. Before, such transactions ran at REPEATABLE READ and were tried
/// again on a serialization failure, up to ten times: writers creating negotiations of one busy party back to back exhausted
/// the ten tries and answered 500 (16 writers of 10 creates: 16 of 160; <c>PartyProfileTests</c>). The retry stays for a
/// deadlock with another kind of writer. Appends of later events never touch a profile and stay at READ COMMITTED,
/// serialized per stream by Marten's stream row lock (AppendExclusive, see LockStreamAsync) or, for an end append without
/// the lock, by Marten's expected version. Before its parties' turns a stream start shares <see cref="ProfileRebuildLock"/>,
/// so that it never overlaps a rebuild of the profiles (which would lose its profile entry).
/// </remarks>
public sealed partial class NegotiationStore
{
    /// <summary>How many times a stream-starting transaction is tried before its serialization failure is let through.</summary>
    public const int StartAttempts = 10;

    /// <summary>The isolation of a transaction that starts a stream (see the remarks of this class).</summary>
    const IsolationLevel StartIsolation = IsolationLevel.ReadCommitted;

    /// <summary>Namespace of the profile turns among advisory locks (two-key form: this, and the code's hash).</summary>
    const int ProfileTurnSpace = 0x6E7A7070; // "nzpp"

    /// <summary>
    /// Takes, for the rest of <paramref name="tx"/>, <see cref="ProfileRebuildLock"/> shared (no rebuild of the profiles runs
    /// until the transaction ends), then the turn of each principal party's profile that <paramref name="opening"/> adds to
    /// (see the remarks of this class): a transaction-scoped advisory lock per code, taken in ordinal code order.
    /// <paramref name="unbounded"/> (the long-work pool: an import, the seed) waits for them as long as it takes, like every
    /// lock of long work; otherwise the connection's bounds hold (an app node's request: 503 <c>negotiation_busy</c> past the lock bound).
    /// </summary>
    static async Task TakeProfileTurnsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Normalization.Domain.Negotiations.NegotiationOpened opening,
        bool unbounded, CancellationToken ct)
    {
        var codes = opening.Parties.Select(p => p.Code).Distinct().Order(StringComparer.Ordinal).ToList();
        // One statement per lock, in order, in one round trip (the statements of a batch run one after another).
        await using var batch = new NpgsqlBatch(conn, tx);
        // A rebuild of the profiles may hold the lock for as long as it replays: long work waits it out rather than fail after 30 s.
        if (unbounded) batch.Timeout = 0;
        batch.BatchCommands.Add(ProfileRebuildLock.Share());
        foreach (var code in codes)
        {
            var lockOne = new NpgsqlBatchCommand("select pg_advisory_xact_lock(@space, hashtext(@code))");
            lockOne.Parameters.AddWithValue("space", ProfileTurnSpace);
            lockOne.Parameters.AddWithValue("code", code);
            batch.BatchCommands.Add(lockOne);
        }
        await batch.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Runs <paramref name="attempt"/> (one whole transaction) again while PostgreSQL reports a serialization failure or deadlock.</summary>
    static async Task<T> RetryOnSerializationFailureAsync<T>(Func<Task<T>> attempt, CancellationToken ct)
    {
        for (var n = 1; ; n++)
        {
            try
            {
                return await attempt();
            }
            catch (Exception e) when (n < StartAttempts && IsSerializationFailure(e))
            {
                // A short, jittered pause: the competing transaction has committed or is about to.
                await Task.Delay(Random.Shared.Next(5, 20 * n), ct);
            }
        }
    }

    /// <summary>Whether <paramref name="e"/> (or an exception it wraps, as Marten's do) is PostgreSQL's 40001 or 40P01.</summary>
    internal static bool IsSerializationFailure(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is PostgresException { SqlState: PostgresErrorCodes.SerializationFailure or PostgresErrorCodes.DeadlockDetected }) return true;
        return false;
    }
}
