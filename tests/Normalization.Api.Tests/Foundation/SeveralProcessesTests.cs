using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Normalization.Api.Database;
using Normalization.Api.Tests.Alerts;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Foundation;

/// <summary>
/// Several processes on one database at once (a user's trial of the deploy and the command line): schema application,
/// projection rebuilds, first-run seeding and imports into a negotiation that an app node is writing to. Each test runs the
/// built app as real processes on a database of its own (docs/architecture.md, "Several processes on one database").
/// </summary>
[Collection(ApiCollection.Name)] // ApiProcess reads the collection's key
public sealed class SeveralProcessesTests(AppFixture app)
{
    static string SeedFile => Path.Combine(AppContext.BaseDirectory, "Seed", "us-taliban.ndjson");

    static readonly PostgresLocator Locator = new(configuration: null, NullLogger<PostgresLocator>.Instance);

    /// <summary>A never-used database of its own, dropped after <paramref name="body"/>.</summary>
    static async Task OnNewDatabase(Func<string, Task> body)
    {
        var name = $"normalization_test_{Guid.NewGuid():N}"[..27];
        var cs = await Locator.EnsureDatabaseAsync(name);
        try { await body(cs); }
        finally
        {
            Npgsql.NpgsqlConnection.ClearAllPools();
            await Locator.DropDatabaseAsync(name);
        }
    }

    [Theory]
    [InlineData("db-apply")]      // the deploy step twice (two deploys, or a retried migrate job)
    [InlineData("import")]        // a Development command applying the schema itself, which holds Marten's lock
    public async Task Given_a_never_used_database_When_db_apply_and_another_schema_step_run_at_once_Then_both_succeed_and_nothing_differs(string other)
    {
        // Found by a trial: db-apply ran Weasel's apply without Marten's ApplyChangesLockId, so with another process applying the
        // same schema one of them failed with "42P07: relation … already exists" (5 of 8 tries). Three tries, each on a new database.
        _ = app;
        for (var attempt = 0; attempt < 3; attempt++)
            await OnNewDatabase(async cs =>
            {
                var apply = AppCommandLine.RunAsync(cs, null, "db-apply");
                var second = other == "db-apply"
                    ? AppCommandLine.RunAsync(cs, null, "db-apply")
                    : AppCommandLine.RunAsync(cs, "Development", "import", SeedFile, "--into", "applied-copy", "--json");
                var results = await Task.WhenAll(apply, second);

                results[0].ExitCode.ShouldBe(0, results[0].Stdout + results[0].Stderr);
                results[1].ExitCode.ShouldBe(0, results[1].Stdout + results[1].Stderr);
                var assert = await AppCommandLine.RunAsync(cs, null, "db-assert");
                assert.ExitCode.ShouldBe(0, assert.Stdout + assert.Stderr);
            });
    }

    [Fact]
    public async Task Given_a_negotiation_When_two_Marten_projection_rebuilds_run_at_once_Then_both_succeed_and_the_answers_are_unchanged()
    {
        // Found by a trial: the second of two `projections rebuild -p NegotiationFold` failed with "duplicate key … pk_mt_event_progression"
        // and a stack trace (3 of 4 tries). Both now hold Marten's daemon lock: the second waits, says so, and succeeds.
        _ = app;
        await OnNewDatabase(async cs =>
        {
            (await AppCommandLine.RunAsync(cs, "Development", "import", SeedFile, "--into", "rebuilt-twice", "--json")).ExitCode.ShouldBe(0);
            var before = (await AppCommandLine.RunAsync(cs, null, "stages", "rebuilt-twice", "--json")).Stdout;

            for (var attempt = 0; attempt < 3; attempt++)
            {
                var results = await Task.WhenAll(
                    AppCommandLine.RunAsync(cs, null, "projections", "rebuild", "-p", "NegotiationFold"),
                    AppCommandLine.RunAsync(cs, null, "projections", "rebuild", "-p", "NegotiationFold"));

                results[0].ExitCode.ShouldBe(0, results[0].Stdout + results[0].Stderr);
                results[1].ExitCode.ShouldBe(0, results[1].Stdout + results[1].Stderr);
                (results[0].Stdout + results[1].Stdout).ShouldNotContain("pk_mt_event_progression");
            }
            (await AppCommandLine.RunAsync(cs, null, "stages", "rebuilt-twice", "--json")).Stdout.ShouldBe(before);
        });
    }

    [Fact]
    public async Task Given_an_empty_store_When_two_app_nodes_start_at_once_with_the_seed_on_Then_it_is_loaded_once_and_neither_logs_a_failure()
    {
        // Found by a trial: both nodes saw the store empty and imported the seed; the loser logged "The seed history was not
        // loaded" with an ImportException stack trace (9 of 9 tries), though the other node had loaded it.
        _ = app;
        await OnNewDatabase(async cs =>
        {
            var seedOn = new Dictionary<string, string> { ["Normalization__LoadSeedData"] = "true" };
            var nodes = await Task.WhenAll(ApiProcess.StartAsync(cs, seedOn), ApiProcess.StartAsync(cs, seedOn));
            await using var first = nodes[0];
            await using var second = nodes[1];

            var board = JsonNode.Parse(await first.Http.GetStringAsync("/api/negotiations"))!["items"]!.AsArray();
            board.Select(n => n!["id"]!.GetValue<string>()).ShouldBe(["us-taliban"]);
            var log = first.Output + second.Output;
            log.ShouldNotContain("was not loaded");
            log.ShouldNotContain("ImportException");
            log.ShouldContain("loaded the seed history first");
        });
    }

    [Fact]
    public async Task Given_an_app_node_taking_posts_When_the_command_line_imports_into_the_same_negotiation_Then_it_succeeds_and_nothing_is_lost()
    {
        // Found by a trial: an import into a negotiation an app node was appending to failed every time (4 of 4) with "changed
        // while the file was being validated" (a post every ~50 ms); it validates again against the new record now (Importer.Attempts).
        await OnNewDatabase(async cs =>
        {
            await using var node = await ApiProcess.StartAsync(cs);
            const string id = "live-import";
            (await node.PostJson("/api/negotiations", Negotiation(id))).Status.ShouldBe(201);
            var file = Path.Combine(Path.GetTempPath(), $"{id}-{Guid.NewGuid():N}.ndjson");
            var lines = Enumerable.Range(0, 30).Select(i => Json(Talks($"2024-{i % 12 + 1:00}-{i % 28 + 1:00}", eventId: Guid.NewGuid())));
            await File.WriteAllLinesAsync(file, lines);

            using var stop = new CancellationTokenSource();
            var posted = 0;
            var posting = Task.Run(async () =>
            {
                while (!stop.IsCancellationRequested)
                {
                    var (status, body) = await node.PostJson($"/api/negotiations/{id}/events", new { events = new[] { Talks("2023-05-01") } });
                    status.ShouldBe(201, body);
                    posted++;
                    await Task.Delay(50); // a steady writer (20 posts a second), as the trial's script posted
                }
            });
            (int ExitCode, string Stdout, string Stderr) import;
            try { import = await AppCommandLine.RunAsync(cs, null, "import", file, "--into", id, "--json"); }
            finally { await stop.CancelAsync(); await posting; }

            import.ExitCode.ShouldBe(0, import.Stderr);
            JsonNode.Parse(import.Stdout)!["stored"]!.GetValue<int>().ShouldBe(30);
            var state = JsonNode.Parse(await node.Http.GetStringAsync($"/api/negotiations/{id}"))!;
            state["version"]!.GetValue<int>().ShouldBe(1 + posted + 30); // the opening, every post, every imported event
            var exported = (await node.Http.GetStringAsync($"/api/negotiations/{id}/export")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            exported.Length.ShouldBe(1 + posted + 30);
        });
    }
}
