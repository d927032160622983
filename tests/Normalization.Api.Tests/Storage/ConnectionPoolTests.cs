using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Normalization.Api.Storage;
using Normalization.Api.Tests.Infrastructure;
using Npgsql;
using Weasel.Postgresql;

namespace Normalization.Api.Tests.Storage;

/// <summary>One Npgsql request pool for the whole process and a small long-work pool beside it, together capped below PostgreSQL's max_connections (MartenSetup.MaxPoolSize).</summary>
[Collection(ApiCollection.Name)]
public sealed class ConnectionPoolTests(AppFixture app)
{
    [Fact]
    public async Task Given_the_started_app_When_Marten_our_store_and_the_health_check_connect_Then_they_share_one_capped_data_source()
    {
        // Given the app's container
        var services = app.Host.Services;
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();

        // When the pieces that talk to PostgreSQL are resolved
        var martens = ((PostgresqlDatabase)app.Store.Storage.Database).DataSource;
        var health = await services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        // Then Marten (and Wolverine through it) uses the very data source in the container, with the documented caps …
        martens.ShouldBeSameAs(dataSource);
        var settings = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        var longWork = new NpgsqlConnectionStringBuilder(services.GetRequiredService<LongWork>().Source.ConnectionString);
        (settings.MaxPoolSize + longWork.MaxPoolSize).ShouldBe(MartenSetup.MaxPoolSize);
        longWork.Timeout.ShouldBeLessThanOrEqualTo(MartenSetup.ConnectTimeoutSeconds);
        // … the app's requests give up on a silent server (FrozenDatabaseTests), long work does not (a 1M-event import's statements) …
        settings.CommandTimeout.ShouldBe(MartenSetup.RequestCommandTimeoutSeconds);
        longWork.CommandTimeout.ShouldBe(new NpgsqlConnectionStringBuilder().CommandTimeout);
        new NpgsqlConnectionStringBuilder(MartenSetup.CreateDataSource(app.ConnectionString, boundCommands: false).ConnectionString)
            .CommandTimeout.ShouldBe(new NpgsqlConnectionStringBuilder().CommandTimeout);
        settings.Timeout.ShouldBeLessThanOrEqualTo(MartenSetup.ConnectTimeoutSeconds);
        settings.MaxAutoPrepare.ShouldBe(0);
        // … leaving room for a second node and psql/CLI under PostgreSQL's default max_connections (100, 3 for superusers).
        (2 * MartenSetup.MaxPoolSize).ShouldBeLessThan(100 - 3 - 10);
        // … and the health check answers through it.
        health.Entries["database"].Status.ShouldBe(HealthStatus.Healthy);
    }
}
