using System.Text.Json.Nodes;
using Alba;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Normalization.Api.Database;
using Normalization.Api.Readers;
using Normalization.Api.Security;
using Normalization.Api.Tests.Infrastructure;

namespace Normalization.Api.Tests.Alerts;

/// <summary>
/// API nodes on a database of their own (not the collection's), all on one <see cref="FakeTimeProvider"/>: no node with the
/// real clock (the fixture's host) polls its scheduled messages, so a test decides which nodes run, and when. Needs the
/// collection's AppFixture up (its API key and alert settings are process-wide). Drops the database at the end.
/// </summary>
public sealed class IsolatedNodes : IAsyncDisposable
{
    readonly PostgresLocator _locator = new(configuration: null, NullLogger<PostgresLocator>.Instance);
    readonly string _database = $"normalization_test_{Guid.NewGuid():N}"[..27];
    readonly List<IAlbaHost> _running = [];
    string _connectionString = "";

    /// <summary>The isolated database's connection string (for a node run as a separate process: <see cref="ApiProcess"/>).</summary>
    public string ConnectionString => _connectionString;

    /// <summary>The nodes' shared reference clock (wrapped by each node's <see cref="ReaderClock"/>).</summary>
    public FakeTimeProvider Clock { get; }

    IsolatedNodes(DateTimeOffset now) => Clock = new FakeTimeProvider(now);

    public static async Task<IsolatedNodes> CreateAsync(DateTimeOffset now)
    {
        var nodes = new IsolatedNodes(now);
        nodes._connectionString = await nodes._locator.EnsureDatabaseAsync(nodes._database);
        return nodes;
    }

    /// <summary>Starts a node on the database; dispose it (or <see cref="StopAsync"/>) to take it down.</summary>
    public async Task<IAlbaHost> StartAsync()
    {
        var host = await AlbaHost.For<Program>(b =>
        {
            // A host setting (not app configuration): Program reads the connection string before the host is built.
            b.UseSetting("ConnectionStrings:" + PostgresLocator.ConnectionStringName, _connectionString);
            b.ConfigureServices(s => s.AddKeyedSingleton<TimeProvider>(ReaderClock.ReferenceKey, Clock));
        });
        _running.Add(host);
        new Npgsql.NpgsqlConnectionStringBuilder(host.Services.GetRequiredService<Npgsql.NpgsqlDataSource>().ConnectionString).Database
            .ShouldBe(_database, "the node should run on the isolated database");
        return host;
    }

    /// <summary>Stops a node (a graceful stop: Wolverine releases what it owned).</summary>
    public async Task StopAsync(IAlbaHost host)
    {
        _running.Remove(host);
        await host.DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _running) await host.DisposeAsync();
        try { await _locator.DropDatabaseAsync(_database); }
        catch (Exception e) { Console.Error.WriteLine($"Could not drop test database {_database}: {e.Message}"); }
    }

    /// <summary>GETs JSON; returns the status and the parsed body.</summary>
    public static async Task<(int Status, JsonNode? Body)> GetJson(IAlbaHost node, string url)
    {
        var result = await node.Scenario(s => { s.Get.Url(url); s.IgnoreStatusCode(); });
        var text = await result.ReadAsTextAsync();
        return (result.Context.Response.StatusCode, string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text));
    }

    /// <summary>POSTs JSON with the tests' API key; returns the status and the parsed body.</summary>
    public static async Task<(int Status, JsonNode? Body)> PostJson(IAlbaHost node, string url, object body)
    {
        var result = await node.Scenario(s =>
        {
            s.Post.Json(body).ToUrl(url);
            s.WithRequestHeader(ApiKeys.Header, AppFixture.ApiKey);
            s.IgnoreStatusCode();
        });
        var text = await result.ReadAsTextAsync();
        return (result.Context.Response.StatusCode, string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text));
    }
}
