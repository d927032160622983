using Alba;
using JasperFx.CommandLine;
using Marten;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Normalization.Api.Database;

namespace Normalization.Api.Tests.Infrastructure;

/// <summary>Every API test class joins this collection: <c>[Collection(ApiCollection.Name)]</c>.</summary>
[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<AppFixture>
{
    public const string Name = "api";
}

/// <summary>
/// The API host (Alba) on a fresh database of its own, <c>normalization_test_&lt;8 hex&gt;</c>, created on the server the
/// <see cref="PostgresLocator"/> finds or starts (the private cluster by default) and dropped at the end of the run.
/// </summary>
public sealed class AppFixture : IAsyncLifetime
{
    private const string ConnectionStringVariable = "ConnectionStrings__" + PostgresLocator.ConnectionStringName;

    private readonly ILoggerFactory _logging = LoggerFactory.Create(l => l.AddSimpleConsole(o => o.SingleLine = true));
    private PostgresLocator? _locator;
    private string? _previousConnectionString;

    public IAlbaHost Host { get; private set; } = null!;

    /// <summary>The connection string of this run's test database.</summary>
    public string ConnectionString { get; private set; } = "";

    public string DatabaseName { get; } = $"normalization_test_{Guid.NewGuid():N}"[..27];

    /// <summary>The key every test write sends in X-Api-Key (its hash is configured as ApiKeys:tests).</summary>
    public const string ApiKey = "test-key-for-normalization";

    /// <summary>Extra keys for load tests: each has its own rate-limit bucket.</summary>
    public const int LoadKeys = 32;
    public static string LoadKey(int i) => $"load-key-{i % LoadKeys}-for-normalization";

    public IDocumentStore Store => Host.Services.GetRequiredService<IDocumentStore>();

    /// <summary>What the app logged (at its configured levels), for the tests that look at the log.</summary>
    public Support.LogCapture Logs { get; } = new();

    public async Task InitializeAsync()
    {
        // Program ends with RunJasperFxCommands: let Alba start the host it builds.
        JasperFxEnvironment.AutoStartHost = true;

        _locator = new PostgresLocator(configuration: null, _logging.CreateLogger<PostgresLocator>());
        ConnectionString = await _locator.EnsureDatabaseAsync(DatabaseName);

        // Program reads ConnectionStrings:Normalization and then uses that database and nothing else.
        _previousConnectionString = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        Environment.SetEnvironmentVariable(ConnectionStringVariable, ConnectionString);

        Environment.SetEnvironmentVariable("ApiKeys__tests", Normalization.Api.Security.ApiKeys.Hash(ApiKey));
        Environment.SetEnvironmentVariable("Normalization__LoadSeedData", "false");
        // Alerts: the tests' webhook receivers listen on loopback; retries 1 s apart, 3 of them (docs/alerts.md).
        Environment.SetEnvironmentVariable("Normalization__Alerts__AllowedHosts__0", "127.0.0.1");
        // …and one on IPv6 loopback, written as an address is listed (no brackets): Alerts/Ipv6TargetTests.
        Environment.SetEnvironmentVariable("Normalization__Alerts__AllowedHosts__1", "::1");
        for (var i = 0; i < 3; i++) Environment.SetEnvironmentVariable($"Normalization__Alerts__RetryDelaysSeconds__{i}", "1");
        // Load tests send from several keys (the write rate limit is per key).
        for (var i = 0; i < LoadKeys; i++) Environment.SetEnvironmentVariable($"ApiKeys__load{i}", Normalization.Api.Security.ApiKeys.Hash(LoadKey(i)));
        Host = await AlbaHost.For<Program>(b =>
        {
            // Every test of the collection writes with the one test key, so they share one token bucket: at the default
            // 100/s (burst 200) a test that bursts left the next ones 429 (a CI run: 11 tests of IdempotencyTrialTests).
            // The limiter itself is tested on its own host (HardenedHost: 1/s, burst 2).
            b.ConfigureAppConfiguration((_, c) => c.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Normalization:RateLimit:WritesPerSecond"] = "100000",
                ["Normalization:RateLimit:Burst"] = "100000",
            }));
            b.ConfigureServices(s => s.AddSingleton<ILoggerProvider>(Logs));
        });
    }

    /// <summary>Wipes every document and event (for tests that need an empty store).</summary>
    public Task ResetAsync() => Host.ResetAllMartenDataAsync();

    public async Task DisposeAsync()
    {
        if (Host is not null) await Host.DisposeAsync();
        Environment.SetEnvironmentVariable(ConnectionStringVariable, _previousConnectionString);
        if (_locator is not null)
        {
            try
            {
                await _locator.DropDatabaseAsync(DatabaseName);
            }
            catch (Exception e)
            {
                // Leaving a throwaway database behind is not worth failing the run for.
                Console.Error.WriteLine($"Could not drop test database {DatabaseName}: {e.Message}");
            }
        }

        _logging.Dispose();
    }
}
