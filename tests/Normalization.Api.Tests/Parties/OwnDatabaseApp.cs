using System.Text.Json.Nodes;
using Alba;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Normalization.Api.Database;
using Normalization.Api.Tests.Alerts;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;

namespace Normalization.Api.Tests.Parties;

/// <summary>
/// The app on a database of its own (<see cref="ThrowawayDatabase"/>, dropped at the end), its log captured and its write
/// rate limit raised as the collection's is: for a test that runs a command-line process (<c>projections rebuild</c>) on the
/// app's database, which must hold only the product's own events. Needs the collection's AppFixture up (its API key and
/// settings are process-wide).
/// </summary>
public sealed class OwnDatabaseApp : IAsyncDisposable
{
    readonly ThrowawayDatabase _database;

    OwnDatabaseApp(ThrowawayDatabase database, IAlbaHost host, LogCapture logs) => (_database, Host, Logs) = (database, host, logs);

    /// <summary>The app.</summary>
    public IAlbaHost Host { get; }

    /// <summary>What the app logged.</summary>
    public LogCapture Logs { get; }

    /// <summary>The database's connection string.</summary>
    public string ConnectionString => _database.ConnectionString;

    /// <summary>Creates the database and starts the app on it.</summary>
    public static async Task<OwnDatabaseApp> StartAsync()
    {
        var database = await ThrowawayDatabase.CreateAsync();
        var logs = new LogCapture();
        IAlbaHost host;
        try
        {
            host = await StartOn(database.ConnectionString, logs);
        }
        catch
        {
            await database.DisposeAsync();
            throw;
        }
        return new OwnDatabaseApp(database, host, logs);
    }

    static Task<IAlbaHost> StartOn(string connectionString, LogCapture logs) =>
        AlbaHost.For<Program>(b =>
        {
            // A host setting (not app configuration): Program reads the connection string before the host is built.
            b.UseSetting("ConnectionStrings:" + PostgresLocator.ConnectionStringName, connectionString);
            b.ConfigureAppConfiguration((_, c) => c.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Normalization:RateLimit:WritesPerSecond"] = "100000",
                ["Normalization:RateLimit:Burst"] = "100000",
            }));
            b.ConfigureServices(s => s.AddSingleton<ILoggerProvider>(logs));
        });

    /// <summary>GETs JSON; the status and the parsed body.</summary>
    public Task<(int Status, JsonNode? Body)> GetJson(string url) => IsolatedNodes.GetJson(Host, url);

    /// <summary>POSTs JSON with the tests' API key; the status and the parsed body.</summary>
    public Task<(int Status, JsonNode? Body)> PostJson(string url, object body) => IsolatedNodes.PostJson(Host, url, body);

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        await _database.DisposeAsync();
    }
}
