using System.Net.Sockets;
using Npgsql;

namespace Normalization.Api.Database;

/// <summary>Whether a server just started (private cluster or Docker) answers yet.</summary>
internal static class ServerReadiness
{
    /// <summary>The superuser's connection string to the <c>postgres</c> database of the server at <paramref name="host"/>:<paramref name="port"/> (5 s connect timeout).</summary>
    public static string MaintenanceConnectionString(string host, int port, string password) => new NpgsqlConnectionStringBuilder
    {
        Host = host,
        Port = port,
        Username = PostgresLocator.SuperUser,
        Password = password,
        Database = "postgres",
        Timeout = 5,
    }.ConnectionString;

    /// <summary>
    /// Waits until <paramref name="cs"/> opens, up to <paramref name="timeout"/>; throws <see cref="PostgresStartupException"/>
    /// at once when the server refuses our credentials (another PostgreSQL on the port), or when the time is up.
    /// </summary>
    public static async Task WaitUntilReachableAsync(string cs, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                await using var conn = new NpgsqlConnection(cs);
                await conn.OpenAsync(ct);
                return;
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification)
            {
                var b = new NpgsqlConnectionStringBuilder(cs);
                throw new PostgresStartupException(
                    $"The server on {b.Host}:{b.Port} refused our credentials ({e.SqlState}): is another PostgreSQL " +
                    "using that port? Stop it or set NORMALIZATION_PG_PORT.", e);
            }
            catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(500, ct);
            }
            catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException)
            {
                var b = new NpgsqlConnectionStringBuilder(cs);
                throw new PostgresStartupException($"PostgreSQL on {b.Host}:{b.Port} did not answer within {timeout.TotalSeconds:0} s: {e.Message}", e);
            }
        }
    }
}
