using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Normalization.Api.Health;

/// <summary>
/// Healthy when the database answers <c>select 1</c> within 3 seconds; the answer never waits longer (<see cref="CheckHealthAsync"/>). Uses the process's one data source (its pool,
/// <see cref="Storage.MartenSetup.MaxPoolSize"/>), so a health probe never opens connections beyond the cap.
/// </summary>
public sealed class DatabaseHealthCheck(NpgsqlDataSource dataSource) : IHealthCheck
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(3);

    /// <summary>Healthy when <c>select 1</c> answers within 3 s; Unhealthy, after at most 3 s, otherwise.</summary>
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(Timeout);
        var probe = ProbeAsync(cts.Token);
        try
        {
            // The answer waits at most 3 s whatever the probe does: on a server that stopped answering mid-query (a frozen host,
            // a network partition), Npgsql's cancellation of the pooled connection's query waits for a cancel request of its
            // own and took 13 s in an operator trial. The probe ends in the background (its connection is broken, not reused).
            await probe.WaitAsync(Timeout, cancellationToken);
            var target = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
            return HealthCheckResult.Healthy($"{target.Host}:{target.Port}/{target.Database} answers");
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException or System.Net.Sockets.SocketException)
        {
            _ = probe.ContinueWith(t => t.Exception, TaskScheduler.Default); // observed: a late failure is not an unobserved exception
            return HealthCheckResult.Unhealthy("database does not answer", e is OperationCanceledException or TimeoutException ? null : e);
        }
    }

    async Task ProbeAsync(CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand(Storage.PooledPlans.Probe, conn) { CommandTimeout = (int)Timeout.TotalSeconds };
        await cmd.ExecuteScalarAsync(ct);
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
