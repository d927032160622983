using System.Collections.Concurrent;
using Alba;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Normalization.Api.Tests.Reliability;

/// <summary>Every log line written, formatted with its exception, for "keys never appear in logs".</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);
    public void Dispose() { }

    sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Lines.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception} {state}");
    }
}

/// <summary>
/// A second host in the Production environment, on the same test database, with a tiny write rate limit (1/s, burst 2),
/// one allowed CORS origin, every log captured, and its one data source (Marten's, Wolverine's through Marten, our tables',
/// the health check's) reaching the test database through a <see cref="DatabaseOutage"/> relay that is cut once the host
/// has started (its schema applied): from then on every database call fails as when PostgreSQL is down.
/// Needs the <see cref="Infrastructure.AppFixture"/> of the collection to be up (it sets the connection string and keys).
/// </summary>
public sealed class HardenedHost : IAsyncLifetime
{
    public const string AllowedOrigin = "https://allowed.example";
    public CapturingLoggerProvider Logs { get; } = new();
    public IAlbaHost Host { get; private set; } = null!;
    DatabaseOutage? _outage;

    public async Task InitializeAsync()
    {
        var connectionString = Environment.GetEnvironmentVariable("ConnectionStrings__Normalization");
        connectionString.ShouldNotBeNullOrEmpty();
        _outage = new DatabaseOutage(connectionString);
        Host = await AlbaHost.For<Program>(b =>
        {
            b.UseEnvironment("Production");
            b.ConfigureAppConfiguration((_, c) => c.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Normalization:RateLimit:WritesPerSecond"] = "1",
                ["Normalization:RateLimit:Burst"] = "2",
                ["Normalization:Cors:Origins:0"] = AllowedOrigin,
                ["Logging:LogLevel:Default"] = "Trace",
            }));
            b.ConfigureLogging(l => l.AddProvider(Logs).SetMinimumLevel(LogLevel.Trace));
            b.ConfigureServices(s =>
            {
                // Replaces the app's two pools: Marten takes the request pool from the container, so everything goes through the relay.
                Normalization.Api.Storage.MartenSetup.AddDatabase(s, _outage.ConnectionString);
            });
        });
        _outage.Cut();
    }

    public async Task DisposeAsync()
    {
        if (Host is not null) await Host.DisposeAsync();
        if (_outage is not null) await _outage.DisposeAsync();
    }
}
