using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Normalization.Api.Health;
using Normalization.Api.Storage;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using Npgsql;

namespace Normalization.Api.Tests.Foundation;

/// <summary>
/// /health answers within its documented 3 s when the database stops answering without refusing (a frozen host, a network
/// partition). An operator trial (PostgreSQL's processes stopped with SIGSTOP) saw 13 s: the pooled connection's query was
/// cancelled at 3 s, and Npgsql's cancellation then waited for a cancel request of its own to a server that never answers.
/// </summary>
public sealed class HealthUnderFrozenDatabaseTests
{
    [Fact]
    public async Task Given_a_pooled_connection_to_a_server_that_stops_answering_When_health_is_checked_Then_it_is_unhealthy_within_3_s()
    {
        // Given the health check on a pool with one open connection, through a proxy that then freezes
        await using var database = await ThrowawayDatabase.CreateAsync();
        var target = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        await using var proxy = new FreezableProxy(target.Host!, target.Port);
        var throughProxy = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port }.ConnectionString;
        await using var dataSource = MartenSetup.CreateDataSource(throughProxy);
        var check = new DatabaseHealthCheck(dataSource);
        (await check.CheckHealthAsync(new HealthCheckContext())).Status.ShouldBe(HealthStatus.Healthy);
        proxy.Freeze();

        // When /health's check runs
        var clock = Stopwatch.StartNew();
        var result = await check.CheckHealthAsync(new HealthCheckContext());

        // Then it reports Unhealthy, and no later than 3 s (plus scheduling slack on a busy 2-core machine)
        result.Status.ShouldBe(HealthStatus.Unhealthy);
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(4.5));
    }
}
