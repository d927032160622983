using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Normalization.Api.Health;

/// <summary>
/// Healthy when the database answers <c>select 1</c> within 3 seconds. Uses the process's one data source (its pool,
/// <see cref="Storage.MartenSetup.MaxPoolSize"/>), so a health probe never opens connections beyond the cap.
/// </summary>
public sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(Timeout);
        try
        {
            // The cancellation token bounds the wait for a connection (pool or server) and the command to 3 seconds.
            await using var conn = await dataSource.OpenConnectionAsync(cts.Token);
            await using var cmd = new NpgsqlCommand(Storage.PooledPlans.Probe, conn) { CommandTimeout = (int)Timeout.TotalSeconds };
            await cmd.ExecuteScalarAsync(cts.Token);
            var target = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
            return HealthCheckResult.Healthy($"{target.Host}:{target.Port}/{target.Database} answers");
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException or System.Net.Sockets.SocketException)
        {
            return HealthCheckResult.Unhealthy("database does not answer", e is OperationCanceledException ? null : e);
        }
    }
}

public static class HealthResponse
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Writes <c>{"status":"Healthy","checks":[{"name":..,"status":..,"description":..,"durationMs":..}]}</c>.</summary>
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        var body = new
        {
            status = report.Status.ToString(),
            totalDurationMs = Math.Round(report.TotalDuration.TotalMilliseconds, 1),
            checks = report.Entries.Select(e => new
            {
                name = e.Key,
                status = e.Value.Status.ToString(),
                description = e.Value.Description,
                durationMs = Math.Round(e.Value.Duration.TotalMilliseconds, 1),
            }),
        };
        return context.Response.WriteAsync(JsonSerializer.Serialize(body, Json));
    }
}
