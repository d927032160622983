using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Normalization.Api.Database;
using Normalization.Api.Importing;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;

namespace Normalization.Api.Tests.Library;

/// <summary>The shipped library (docs/library.md): loaded by one command on a fresh database, listed on the board, offered on the first run.</summary>
[Collection(ApiCollection.Name)]
public sealed class LibraryTests(AppFixture app)
{
    static readonly string[] Names = ["israel-uae", "saudi-iran", "turkey-armenia", "uk-iran", "us-china", "us-cuba", "us-libya", "us-vietnam"];

    // As `dotnet run --project src/Normalization.Api -- library …` runs it (Development): the command applies the schema of a
    // fresh database itself (in Production db-apply does, docs/architecture.md "Production start").
    static Task<(int ExitCode, string Stdout, string Stderr)> Cli(string connectionString, params string[] args) =>
        AppCommandLine.RunAsync(connectionString, "Development", 3, args);

    [Fact]
    public async Task Given_a_fresh_database_When_library_load_runs_twice_Then_eight_histories_are_stored_once_and_a_state_reads_from_them()
    {
        var locator = new PostgresLocator();
        var database = $"normalization_test_{Guid.NewGuid():N}"[..27];
        var connectionString = await locator.EnsureDatabaseAsync(database);
        try
        {
            var list = await Cli(connectionString, "library", "list", "--json");
            list.ExitCode.ShouldBe(0, list.Stderr);
            JsonNode.Parse(list.Stdout)!.AsArray().Select(n => n!.GetValue<string>()).ShouldBe(Names);

            var first = await Cli(connectionString, "library", "load", "--json");
            first.ExitCode.ShouldBe(0, first.Stderr);
            var reports = JsonNode.Parse(first.Stdout)!.AsArray();
            reports.Select(r => r!["negotiationId"]!.GetValue<string>()).ShouldBe(Names);
            reports.ShouldAllBe(r => r!["created"]!.GetValue<bool>() && r["stored"]!.GetValue<int>() > 0);

            var again = await Cli(connectionString, "library", "load", "uk-iran", "--json");
            again.ExitCode.ShouldBe(0, again.Stderr);
            JsonNode.Parse(again.Stdout)![0]!["stored"]!.GetValue<int>().ShouldBe(0);

            var state = await Cli(connectionString, "state", "uk-iran", "--as-of", "2012-01-01", "--json");
            state.ExitCode.ShouldBe(0, state.Stderr);
            var body = JsonNode.Parse(state.Stdout)!;
            body["stage"]!.GetValue<string>().ShouldBe("Recognition");
            body["why"]!["rule"]!.GetValue<string>().ShouldBe("relations-without-envoys");
            body["representation"]!.AsArray().Select(r => r!["level"]!.GetValue<string>()).ShouldBe(["None", "None"]);

            var unknown = await Cli(connectionString, "library", "load", "atlantis");
            unknown.ExitCode.ShouldNotBe(0);
            unknown.Stderr.ShouldContain("Not in the library: atlantis");
        }
        finally { await locator.DropDatabaseAsync(database); }
    }

    [Fact]
    public async Task Given_the_library_loaded_When_the_board_is_filtered_to_it_Then_it_lists_the_eight_with_their_coverage()
    {
        var reports = await app.Host.Services.GetRequiredService<Normalization.Api.Importing.Library>().LoadAsync([], "test");
        reports.ShouldAllBe(r => r.Succeeded);

        var (status, board) = await app.GetJson("/api/negotiations?tag=library");

        status.ShouldBe(200);
        var items = board!["items"]!.AsArray();
        items.Select(i => i!["id"]!.GetValue<string>()).ShouldBe(Names);
        items.ShouldAllBe(i => i!["extrapolated"]!.GetValue<bool>() && i["coveredUntil"] != null);
        var (_, libya) = await app.GetJson("/api/negotiations/us-libya/state?asOf=1990-01-01");
        libya!["stage"]!.GetValue<string>().ShouldBe("Recognition");
        libya["why"]!["rule"]!.GetValue<string>().ShouldBe("relations-without-envoys");
        libya["ledger"]!["representationChanges"]!.AsArray().Count.ShouldBe(2);
    }

    [Fact]
    public async Task Given_an_empty_store_and_LoadOnFirstRun_When_the_app_starts_Then_the_seed_says_extrapolated_and_the_library_is_on_the_board()
    {
        var locator = new PostgresLocator();
        var database = $"normalization_test_{Guid.NewGuid():N}"[..27];
        var connectionString = await locator.EnsureDatabaseAsync(database);
        var port = FreePort();
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Normalization.Api.dll"));
        psi.ArgumentList.Add("--urls");
        psi.ArgumentList.Add($"http://127.0.0.1:{port}");
        psi.Environment["ConnectionStrings__Normalization"] = connectionString;
        psi.Environment.Remove("Normalization__LoadSeedData");
        psi.Environment["Normalization__Library__LoadOnFirstRun"] = "true";
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Development"; // a new user's first run (`dotnet run`): the app creates the schema
        using var process = Process.Start(psi)!;
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        try
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            JsonNode? board = null;
            for (var deadline = DateTime.UtcNow.AddSeconds(120); DateTime.UtcNow < deadline && (board?["total"]?.GetValue<int>() ?? 0) < Names.Length;)
            {
                await Task.Delay(500);
                try { board = JsonNode.Parse(await http.GetStringAsync("/api/negotiations?tag=library")); } catch (HttpRequestException) { }
            }
            board!["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ShouldBe(Names);

            var seed = JsonNode.Parse(await http.GetStringAsync("/api/negotiations/us-taliban"))!;
            seed["extrapolated"]!.GetValue<bool>().ShouldBeTrue();
            seed["coveredUntil"]!.GetValue<string>().ShouldBe("2025-04-03");
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            await locator.DropDatabaseAsync(database);
        }
    }

    static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }
}
