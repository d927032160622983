using System.Data;
using Npgsql;

namespace Normalization.Api.Storage;

/// <summary>
/// Starting a stream: the transaction in which <see cref="PartyProfileProjection"/> (inline) reads and rewrites the profiles
/// of the negotiation's two parties.
/// </summary>
/// <remarks>
/// Marten's inline projection loads each profile, applies the opening and upserts it inside our transaction; it takes no
/// lock and (a projection target being revisioned by Marten itself) offers no optimistic-concurrency check, so at READ
/// COMMITTED two negotiations of one party started at once both read the profile without the other's entry and the
/// last commit silently dropped the first's. A transaction that starts a stream therefore runs at REPEATABLE READ:
/// PostgreSQL then refuses the second writer of the same profile row with a serialization failure (40001, or a deadlock
/// 40P01 when two openings name the same two parties in opposite orders) instead of losing the update, and the whole
/// transaction is run again, now seeing the first one's commit. Appends of later events never touch a profile and stay
/// at READ COMMITTED, serialized per stream by Marten's stream row lock (AppendExclusive, see LockStreamAsync) or, for an
/// end append without the lock, by Marten's expected version.
/// </remarks>
public sealed partial class NegotiationStore
{
    /// <summary>How many times a stream-starting transaction is tried before its serialization failure is let through.</summary>
    public const int StartAttempts = 10;

    /// <summary>The isolation of a transaction that starts a stream (see the remarks of this class).</summary>
    const IsolationLevel StartIsolation = IsolationLevel.RepeatableRead;

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
