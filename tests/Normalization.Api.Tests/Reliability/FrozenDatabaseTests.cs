using System.Diagnostics;
using System.Text.Json.Nodes;
using Alba;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Normalization.Api.Http;
using Normalization.Api.Security;
using Normalization.Api.Storage;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using Npgsql;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Reliability;

/// <summary>
/// A database server that stops answering without refusing (PostgreSQL's processes SIGSTOPped, a frozen host, a network
/// partition) under a running app. An operator trial measured 41–44 s before a write or a read answered 503: Npgsql's
/// 30 s command time-out on the pooled connection, its cancel request to the silent server, and Marten's retry of the
/// "transient" time-out on a fresh connection. The documented bound is <see cref="MartenSetup.RequestCommandTimeoutSeconds"/>.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class FrozenDatabaseTests(AppFixture app)
{
    /// <summary>The documented bound (docs/reliability.md) plus slack for a busy 2-core machine.</summary>
    static readonly TimeSpan Bound = TimeSpan.FromSeconds(MartenSetup.RequestWaitBoundSeconds + 3);

    [Fact]
    public async Task Given_a_running_app_whose_database_freezes_When_writing_and_reading_Then_503_with_Retry_After_within_the_documented_bound()
    {
        // Given a Production host on the test database through a proxy, its pool warmed by a write and a read, then the proxy frozen
        var id = await app.GivenNegotiation("frozen");
        var target = new NpgsqlConnectionStringBuilder(app.ConnectionString);
        await using var proxy = new FreezableProxy(target.Host!, target.Port);
        var throughProxy = new NpgsqlConnectionStringBuilder(app.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port }.ConnectionString;
        var logs = new LogCapture();
        await using var host = await ProductionHostOn(throughProxy, logs);
        (await Write(host, id)).Context.Response.StatusCode.ShouldBe(201);
        (await Read(host, id)).Context.Response.StatusCode.ShouldBe(200);
        var mark = logs.Mark();
        proxy.Freeze();

        // When a write and a read are sent, at the same time (one waits on a pooled connection, the other may open one)
        var clock = Stopwatch.StartNew();
        var write = TimedAsync(() => Write(host, id));
        var read = TimedAsync(() => Read(host, id));
        var answers = await Task.WhenAll(write, read);

        // Then each answers 503 database_unavailable with Retry-After, naming the wait, within the documented bound
        foreach (var (result, took) in answers)
        {
            took.ShouldBeLessThan(Bound);
            result.Context.Response.StatusCode.ShouldBe(503, $"after {took.TotalSeconds:0.0} s");
            result.Context.Response.Headers.RetryAfter.ToString().ShouldBe(DatabaseUnavailableHandler.RetryAfterSeconds.ToString());
            var body = JsonNode.Parse(await result.ReadAsTextAsync())!;
            body["code"]!.GetValue<string>().ShouldBe("database_unavailable");
            body["detail"]!.GetValue<string>().ShouldContain($"did not answer in time (a request waits at most {MartenSetup.RequestWaitBoundSeconds} s for it)");
        }
        clock.Elapsed.ShouldBeLessThan(Bound);
    }

    [Theory]
    [InlineData("stopped")]
    [InlineData("frozen")]
    public async Task Given_a_running_app_When_the_database_is_away_for_10_s_Then_the_log_says_so_in_a_few_lines(string fault)
    {
        // Given a Production host on the test database through a relay (cut: refused, as a stopped server) or a proxy (frozen)
        var target = new NpgsqlConnectionStringBuilder(app.ConnectionString);
        await using var outage = new DatabaseOutage(app.ConnectionString);
        await using var proxy = new FreezableProxy(target.Host!, target.Port);
        var throughProxy = new NpgsqlConnectionStringBuilder(app.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port }.ConnectionString;
        var logs = new LogCapture();
        await using var host = await ProductionHostOn(fault == "stopped" ? outage.ConnectionString : throughProxy, logs);
        await Task.Delay(TimeSpan.FromSeconds(2)); // Wolverine's agents started

        // When the database goes away for 10 s, while a reader polls every second
        var mark = logs.Mark();
        if (fault == "stopped") outage.Cut(); else proxy.Freeze();
        var until = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < until)
        {
            await Read(host, "log-probe");
            await Task.Delay(1000);
        }

        // Then the log holds a bounded number of lines: each of the framework's background loops says once that the database is
        // unavailable, without a stack trace, and each kind of consequence (a retried message's "rescheduled to queue") once, in
        // the outage's words
        var lines = logs.Since(mark).Where(e => e.Level >= LogLevel.Warning).ToList();
        // (before: 79 lines in 10 s with the database stopped, 72 of them the framework's, each with its stack trace)
        var all = string.Join("\n", lines.Select(l => l.ToString()));
        lines.Count.ShouldBeLessThanOrEqualTo(20, all);
        var framework = lines.Where(e => !e.Category.StartsWith("Normalization", StringComparison.Ordinal)).ToList();
        framework.ShouldAllBe(e => e.Exception == null, all);
        framework.GroupBy(e => (e.Category, e.EventId)).ShouldAllBe(g => g.Count() == 1, all);
        framework.ShouldAllBe(e => e.Message.StartsWith("Database unavailable", StringComparison.Ordinal), all);
    }

    static async Task<(IScenarioResult Result, TimeSpan Took)> TimedAsync(Func<Task<IScenarioResult>> send)
    {
        var clock = Stopwatch.StartNew();
        var result = await send();
        return (result, clock.Elapsed);
    }

    static Task<IScenarioResult> Write(IAlbaHost host, string id) => host.Scenario(s =>
    {
        s.Post.Text(Json(new { events = new[] { Talks(Day(3), eventId: Guid.NewGuid()) } })).ToUrl($"/api/negotiations/{id}/events");
        s.WithRequestHeader("Content-Type", "application/json");
        s.WithRequestHeader(ApiKeys.Header, AppFixture.ApiKey);
        s.IgnoreStatusCode();
    });

    static Task<IScenarioResult> Read(IAlbaHost host, string id) => host.Scenario(s =>
    {
        // A read that goes to the database every time (a fresh knownAt), not to the in-memory head.
        s.Get.Url($"/api/negotiations/{id}/timeline");
        s.IgnoreStatusCode();
    });

    /// <summary>
    /// A Production host (no schema work at start: the fixture's database has it) whose one data source — Marten's, Wolverine's
    /// through Marten, our tables', the health check's — is on <paramref name="connectionString"/>.
    /// </summary>
    internal static Task<IAlbaHost> ProductionHostOn(string connectionString, LogCapture logs) => AlbaHost.For<Program>(b =>
    {
        b.UseEnvironment("Production");
        b.ConfigureServices(s =>
        {
            s.AddSingleton<ILoggerProvider>(logs);
            s.AddDatabase(connectionString);
        });
    });
}
