using Marten;
using Npgsql;

namespace Normalization.Api.Storage;

/// <summary>
/// Keeps every stream start (an API create, an import or the seed that starts a negotiation: the transactions in which the
/// inline <see cref="PartyProfileProjection"/> writes profiles) apart from a rebuild of <see cref="PartyProfile"/>
/// (<c>projections rebuild</c> of it or of every projection, the <c>rebuild</c> command's profile step). One advisory lock:
/// a stream start shares it for its transaction (<see cref="Share"/>, beside its parties' turns), a rebuild holds it alone
/// on a connection of its own from before Marten reads its starting point until its last profile is written
/// (<see cref="HoldForRebuildAsync"/>).
/// </summary>
/// <remarks>
/// Why: Marten's rebuild reads the event store's committed high-water mark, deletes every profile and replays the openings
/// up to that mark. A create that committed after the mark had its inline profile write deleted with the others, or
/// overwritten by the replay's copy of the profile, and its opening was not replayed: the negotiation was missing from its
/// parties' profiles until the next rebuild (a trial: 5–7 of 950 creates in one of five rebuilds; 2–668 per run in
/// <c>ProfileRebuildUnderCreatesTests</c>). Under the lock every create commits either before the rebuild starts — its
/// opening is then below the mark and replayed — or after it ends, onto the rebuilt profile. Repairing afterwards instead
/// (recomputing the profiles of the parties of streams started past the mark) would need the mark Marten used, which its
/// rebuild API does not return, and a second pass racing the creates that run during it.
/// A create waits for the rebuild: on an app node's request pool at most the request's lock bound
/// (<see cref="MartenSetup.RequestLockTimeoutMilliseconds"/>, then 503 <c>negotiation_busy</c>, nothing stored); an import
/// or the seed (the long-work pool, the command line) as long as it takes. A rebuild waits for the creates in flight.
/// </remarks>
public static class ProfileRebuildLock
{
    /// <summary>The lock's key among PostgreSQL's one-key advisory locks ("NZPRFRBL"; Marten's and Wolverine's are small numbers).</summary>
    public const long Id = 0x4E5A_5052_4652_424C;

    /// <summary>The statement a stream-starting transaction runs before its parties' turns: the lock, shared, until it ends.</summary>
    internal static NpgsqlBatchCommand Share()
    {
        var share = new NpgsqlBatchCommand("select pg_advisory_xact_lock_shared(@rebuild)");
        share.Parameters.AddWithValue("rebuild", Id);
        return share;
    }

    /// <summary>
    /// For a rebuild of the profiles: Marten's daemon lock (<see cref="MartenLocks.Projections"/>: one rebuild at a time, the
    /// second told it waits), then this lock alone (the creates in flight finish, the next ones wait); disposing releases both.
    /// </summary>
    public static async Task<IAsyncDisposable> HoldForRebuildAsync(NpgsqlDataSource dataSource, IDocumentStore store, CancellationToken ct = default)
    {
        var daemon = await MartenLocks.HoldAsync(dataSource, MartenLocks.Projections(store),
            () => Console.Error.WriteLine("Another process is rebuilding projections on this database; waiting for it to finish."), ct);
        try
        {
            var alone = await MartenLocks.HoldAsync(dataSource, Id,
                () => Console.Error.WriteLine("Negotiations are being created on this database; the party profiles are rebuilt once they are stored."), ct);
            return new Both(daemon, alone);
        }
        catch
        {
            await daemon.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Whether the Critter Stack command line <paramref name="args"/> (<c>projections rebuild …</c>) rebuilds the profiles:
    /// unless <c>-p</c>/<c>--projection</c> names another projection (JasperFx matches the name ignoring case), it does.
    /// </summary>
    public static bool RebuildsProfiles(IReadOnlyList<string> args)
    {
        for (var i = 0; i < args.Count; i++)
        {
            var a = args[i];
            string? named = a is "-p" or "--projection" && i + 1 < args.Count ? args[i + 1]
                : a.StartsWith("--projection=", StringComparison.Ordinal) ? a["--projection=".Length..]
                : null;
            if (named is not null) return named.Equals(PartyProfileProjection.ProjectionName, StringComparison.OrdinalIgnoreCase);
        }
        return true;
    }

    sealed class Both(IAsyncDisposable outer, IAsyncDisposable inner) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try { await inner.DisposeAsync(); }
            finally { await outer.DisposeAsync(); }
        }
    }
}
