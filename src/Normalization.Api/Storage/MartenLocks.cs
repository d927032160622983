using Marten;
using Npgsql;

namespace Normalization.Api.Storage;

/// <summary>
/// The PostgreSQL advisory locks Marten itself takes, held by a process for the whole of a step that must not run in two
/// processes at once on one database (docs/architecture.md, "Several processes on one database"). Marten's own ids:
/// <list type="bullet">
/// <item><see cref="ApplyChanges"/> — <c>StoreOptions.ApplyChangesLockId</c>, the lock Marten's
/// <c>ApplyAllDatabaseChangesOnStartup</c> takes to apply the schema. The data commands (Development) and <c>db-apply</c>
/// hold it while they apply the schema: two of them, or one and an app starting in Development, on a never-used database
/// both created the same objects and the second failed with "… already exists" (<c>db-apply</c> runs Weasel's apply, which
/// takes no lock).</item>
/// <item><see cref="Projections"/> — <c>Projections.DaemonLockId</c>, the lock Marten's async daemon takes to be the one
/// process running projections. A projection rebuild (<c>projections rebuild</c>, the <c>rebuild</c> command's party
/// profiles) holds it: two rebuilds of one projection at once both wrote its progress row and the second failed with
/// "duplicate key … pk_mt_event_progression".</item>
/// </list>
/// Each is a session-level lock on a connection of its own, released explicitly at the end. A rebuild of the party profiles
/// also holds our one lock, <see cref="ProfileRebuildLock"/>, after the daemon lock.
/// </summary>
public static class MartenLocks
{
    /// <summary>Marten's schema-application lock id (<c>StoreOptions.ApplyChangesLockId</c>).</summary>
    public static long ApplyChanges(IDocumentStore store) => ((StoreOptions)store.Options).ApplyChangesLockId;

    /// <summary>Marten's projection daemon lock id (<c>StoreOptions.Projections.DaemonLockId</c>).</summary>
    public static long Projections(IDocumentStore store) => ((StoreOptions)store.Options).Projections.DaemonLockId;

    /// <summary>
    /// Takes the advisory lock <paramref name="lockId"/> on a connection of its own, waiting for the process that holds it
    /// (when one does, <paramref name="waiting"/> is told once, so a command does not seem to hang); disposing releases it.
    /// </summary>
    public static async Task<IAsyncDisposable> HoldAsync(NpgsqlDataSource dataSource, long lockId, Action? waiting = null, CancellationToken ct = default)
    {
        var conn = await dataSource.OpenConnectionAsync(ct);
        try
        {
            await using (var tryLock = new NpgsqlCommand("select pg_try_advisory_lock(@id)", conn))
            {
                tryLock.Parameters.AddWithValue("id", lockId);
                if (await tryLock.ExecuteScalarAsync(ct) is true) return new Held(conn, lockId);
            }
            waiting?.Invoke();
            // No command timeout: the other process's step (a migration, a rebuild of millions of events) may take long.
            await using (var wait = new NpgsqlCommand("select pg_advisory_lock(@id)", conn) { CommandTimeout = 0 })
            {
                wait.Parameters.AddWithValue("id", lockId);
                await wait.ExecuteNonQueryAsync(ct);
            }
            return new Held(conn, lockId);
        }
        catch
        {
            await conn.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// For a Critter Stack command that applies the schema (<c>db-apply</c>, <c>resources setup</c>) or rebuilds projections
    /// (<c>projections rebuild</c>): the Marten lock it must hold while it runs, taken — with <see cref="ProfileRebuildLock"/>
    /// when the party profiles are among the projections rebuilt; null for any other command.
    /// </summary>
    public static async Task<IAsyncDisposable?> ForFrameworkCommandAsync(string[] args, IServiceProvider services)
    {
        if (args.Length == 0) return null;
        bool Has(string word) => args.Skip(1).Any(a => a.Equals(word, StringComparison.OrdinalIgnoreCase));
        long? lockId = args[0] switch
        {
            "db-apply" => ApplyChanges(services.GetRequiredService<IDocumentStore>()),
            "resources" when Has("setup") => ApplyChanges(services.GetRequiredService<IDocumentStore>()),
            "projections" when Has("rebuild") => Projections(services.GetRequiredService<IDocumentStore>()),
            _ => null,
        };
        if (lockId is null) return null;
        if (args[0] == "projections" && ProfileRebuildLock.RebuildsProfiles(args))
        {
            // The party profiles among the projections rebuilt: no stream may start meanwhile (ProfileRebuildLock).
            try { return await ProfileRebuildLock.HoldForRebuildAsync(services.GetRequiredService<NpgsqlDataSource>(), services.GetRequiredService<IDocumentStore>()); }
            catch (NpgsqlException) { return null; } // as below
        }
        var what = args[0] == "projections" ? "rebuilding projections" : "applying the schema";
        try
        {
            return await HoldAsync(services.GetRequiredService<NpgsqlDataSource>(), lockId.Value,
                () => Console.Error.WriteLine($"Another process is {what} on this database; waiting for it to finish."));
        }
        catch (NpgsqlException)
        {
            return null; // the database stopped answering since DatabaseProbe's query (Program.cs): the command itself says so
        }
    }

    sealed class Held(NpgsqlConnection conn, long lockId) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            try
            {
                await using var unlock = new NpgsqlCommand("select pg_advisory_unlock(@id)", conn);
                unlock.Parameters.AddWithValue("id", lockId);
                await unlock.ExecuteNonQueryAsync();
            }
            catch (NpgsqlException) { } // the connection is gone: so is its session's lock
            finally { await conn.DisposeAsync(); }
        }
    }
}
