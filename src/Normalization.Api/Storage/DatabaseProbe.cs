using System.Net.Sockets;
using Normalization.Api.Database;
using Npgsql;

namespace Normalization.Api.Storage;

/// <summary>
/// One <c>select 1</c> before the app or any command that uses the database runs: a wrong password, host, port or database
/// name (or a server that is down) ends the process with exit code <see cref="ExitCode"/> and one line on stderr naming the
/// target and the setting to check. Before, the app's start (in Development), <c>db-apply</c>, <c>db-assert</c>,
/// <c>db-patch</c> and <c>projections rebuild</c> printed a stack trace of 80–100 lines on stdout, or — <c>projections
/// rebuild</c> — only "Errors detected" with no reason (an operator trial; <c>DatabaseConnectionFailureTests</c>).
/// </summary>
public static class DatabaseProbe
{
    /// <summary>Exit code when the database cannot be used (the same as a Production start on an unmigrated database).</summary>
    public const int ExitCode = SchemaAtStart.NotMigratedExitCode;

    /// <summary>Longest wait for the probe: the connect time-out (<see cref="MartenSetup.ConnectTimeoutSeconds"/>) and as long for the query.</summary>
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2 * MartenSetup.ConnectTimeoutSeconds);

    /// <summary>The Critter Stack's commands that never touch the database (code generation, descriptions, help): not probed.</summary>
    static readonly HashSet<string> WithoutDatabase = new(StringComparer.OrdinalIgnoreCase)
    {
        "help", "?", "codegen", "describe", "describe-event-model", "event-model", "openapi", "scaffold", "capabilities",
    };

    /// <summary>Whether the process started with <paramref name="args"/> uses the database: the app (no command, a flag first, <c>run</c>) and every command but <see cref="WithoutDatabase"/>.</summary>
    public static bool Needed(string[] args) => args.Length == 0 || args[0].StartsWith('-') || !WithoutDatabase.Contains(args[0]);

    /// <summary>Null when the database answers <c>select 1</c>; otherwise the one line to print (target, PostgreSQL's or the network's reason, what to check).</summary>
    public static async Task<string?> FailureAsync(NpgsqlDataSource dataSource, bool configured)
    {
        using var cts = new CancellationTokenSource(Timeout);
        try
        {
            await using var conn = await dataSource.OpenConnectionAsync(cts.Token);
            await using var cmd = new NpgsqlCommand(PooledPlans.Probe, conn) { CommandTimeout = (int)Timeout.TotalSeconds };
            await cmd.ExecuteScalarAsync(cts.Token);
            return null;
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException or OperationCanceledException)
        {
            var target = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
            var reason = e is OperationCanceledException ? $"no answer within {Timeout.TotalSeconds:0} s" : e.Message.Split('\n')[0].Trim();
            var check = configured ? $"check ConnectionStrings__{PostgresLocator.ConnectionStringName}" : "check that the server is running";
            return $"Cannot use the database {target.Database} on {target.Host}:{target.Port} ({reason}): {check}.";
        }
    }
}
