using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Normalization.Api.Database;
using Normalization.Api.Storage;
using Normalization.Api.Tests.Alerts;
using Normalization.Api.Tests.Infrastructure;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Foundation;

/// <summary>
/// Issue 16 (3): in Production the app reads its connection string and nothing else, and does not create or migrate its
/// schema at start — the deploy does, with <c>db-apply</c> (Storage/SchemaAtStart.cs).
/// </summary>
[Collection(ApiCollection.Name)] // ApiProcess reads the collection's key and alert settings
public sealed class ProductionStartTests(AppFixture app)
{
    [Fact]
    public async Task Given_Production_and_no_connection_string_When_the_app_starts_Then_it_exits_2_with_one_line_saying_what_to_set()
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Normalization.Api.dll"));
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        psi.Environment.Remove("ConnectionStrings__Normalization"); // the test fixture sets it for the whole test process
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);

        process.ExitCode.ShouldBe(2);
        var error = (await stderr).Trim();
        error.ShouldContain("ConnectionStrings__Normalization");
        error.Split('\n').Length.ShouldBe(1);
        (await stdout).ShouldNotContain("PostgreSQL:"); // no server was looked for or started
    }

    [Fact]
    public async Task Given_Production_and_a_database_never_migrated_When_the_app_starts_Then_it_exits_with_one_line_naming_db_apply_and_creates_nothing()
    {
        _ = app;
        await using var database = await ThrowawayDatabase.CreateAsync();

        var (exitCode, _, stderr) = await BuiltApi.RunAsync(database.ConnectionString);

        exitCode.ShouldBe(SchemaAtStart.NotMigratedExitCode);
        var error = stderr.Trim();
        error.Split('\n').Length.ShouldBe(1, error);
        error.ShouldContain("db-apply");
        error.ShouldContain(Schema.Events);
        error.ShouldNotContain("Exception"); // a message, not a stack trace
        error.ShouldNotContain("   at ");
        (await database.TablesAsync()).ShouldBeEmpty("a Production start creates nothing");
    }

    [Fact]
    public async Task Given_a_table_of_an_older_schema_When_Production_starts_Then_the_line_names_the_missing_column()
    {
        _ = app;
        await using var database = await ThrowawayDatabase.CreateAsync();
        await BuiltApi.ApplySchemaAsync(database.ConnectionString);
        await database.ExecuteAsync($"alter table {Schema.Events} drop column momentum"); // as a build before that column left it

        var (exitCode, _, stderr) = await BuiltApi.RunAsync(database.ConnectionString);

        exitCode.ShouldBe(SchemaAtStart.NotMigratedExitCode);
        stderr.Trim().ShouldContain($"{Schema.Events}.momentum");
        stderr.Trim().ShouldContain("db-apply");
    }

    [Theory]
    [InlineData("mt_doc_boardentry")]             // a Marten document table (a build before that document type)
    [InlineData("wolverine_incoming_envelopes")]  // one of Wolverine's message tables
    public async Task Given_a_table_Marten_or_Wolverine_declares_is_missing_When_Production_starts_Then_one_line_names_it_and_db_apply(string table)
    {
        // Found by a new-user trial: only our own tables were checked, so a missing document table gave a 500 on every
        // request and a missing Wolverine table a 155-line stack trace.
        _ = app;
        await using var database = await ThrowawayDatabase.CreateAsync();
        await BuiltApi.ApplySchemaAsync(database.ConnectionString);
        await database.ExecuteAsync($"drop table {table} cascade");

        var (exitCode, _, stderr) = await BuiltApi.RunAsync(database.ConnectionString);

        exitCode.ShouldBe(SchemaAtStart.NotMigratedExitCode, stderr);
        stderr.Trim().ShouldContain(table);
        stderr.Trim().ShouldContain("db-apply");
        stderr.ShouldNotContain("   at ");
    }

    [Theory]
    [InlineData()]           // the app
    [InlineData("import")]   // a data command: the same check
    public async Task Given_the_schema_applied_by_a_superuser_and_never_granted_When_the_app_role_starts_Then_one_line_names_the_role_and_the_grants_not_db_apply(params string[] command)
    {
        // An operator trial: db-patch's scripts applied with psql as a superuser, the grants run before them (so the
        // default privileges "for role normalization_owner" never applied). The start said the schema was missing
        // (information_schema hides tables a role has no right on) and sent the operator to db-apply.
        _ = app;
        await using var database = await ThrowawayDatabase.CreateAsync();
        await BuiltApi.ApplySchemaAsync(database.ConnectionString); // as the fixture's superuser: the superuser owns every table
        var role = $"nz_nogrant_{Guid.NewGuid():N}"[..20];
        await database.ExecuteAsync($"create role {role} login password 'pw'; grant connect on database \"{database.Name}\" to {role}; grant usage on schema public to {role};");
        try
        {
            var asRole = new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = role, Password = "pw" }.ConnectionString;
            var args = command.Length == 0 ? command : [.. command, Path.Combine(BuiltApi.ProjectDir, "Seed", "us-taliban.ndjson")];

            var (exitCode, _, stderr) = await BuiltApi.RunAsync(asRole, args);

            exitCode.ShouldBe(SchemaAtStart.NotMigratedExitCode, stderr);
            var error = stderr.Trim();
            error.Split('\n').Length.ShouldBe(1, error);
            error.ShouldContain($"the role {role} may not read and write");
            error.ShouldContain("mt_doc_"); // the first few tables, by name
            error.ShouldContain("docs/reliability.md");
            error.ShouldNotContain("does not have this version's schema");
            error.ShouldNotContain("   at ");
        }
        finally
        {
            await database.ExecuteAsync($"drop owned by {role}; ");
            await using var maintenance = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(database.ConnectionString) { Database = "postgres" }.ConnectionString);
            await maintenance.OpenAsync();
            await using var drop = new Npgsql.NpgsqlCommand($"drop role if exists {role}", maintenance);
            try { await drop.ExecuteNonQueryAsync(); } catch (Npgsql.PostgresException) { /* still referenced by the database, dropped with it */ }
        }
    }

    [Fact]
    public async Task Given_the_app_started_from_another_folder_When_it_starts_Then_it_still_reads_its_own_appsettings()
    {
        // An operator trial ran `dotnet /path/Normalization.Api.dll` from another folder: the app ran without its
        // appsettings.json (Wolverine's Information lines on stdout, which appsettings.json silences) and without its web page.
        _ = app;
        await using var database = await ThrowawayDatabase.CreateAsync();
        await BuiltApi.ApplySchemaAsync(database.ConnectionString);
        var elsewhere = Directory.CreateTempSubdirectory("nz-cwd-").FullName;
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = elsewhere, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(BuiltApi.Dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add("http://127.0.0.1:0");
        start.Environment["ConnectionStrings__Normalization"] = database.ConnectionString;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Normalization__LoadSeedData"] = "false";
        var output = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var started = new TaskCompletionSource();
        using var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => { if (e.Data is null) return; output.Enqueue(e.Data); if (e.Data.Contains("Application started")) started.TrySetResult(); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) output.Enqueue(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await Task.WhenAny(started.Task, process.WaitForExitAsync(), Task.Delay(TimeSpan.FromSeconds(90)));
            started.Task.IsCompleted.ShouldBeTrue(string.Join('\n', output));
            output.ShouldNotContain(line => line.StartsWith("info: Wolverine", StringComparison.Ordinal), string.Join('\n', output));
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            Directory.Delete(elsewhere, recursive: true);
        }
    }

    [Fact]
    public async Task Given_db_apply_ran_When_the_app_starts_in_Production_Then_it_serves_a_201()
    {
        _ = app;
        await using var database = await ThrowawayDatabase.CreateAsync();
        var (applied, applyOut, applyErr) = await BuiltApi.RunAsync(database.ConnectionString, "db-apply");
        applied.ShouldBe(0, applyOut + applyErr);

        await using var api = await ApiProcess.StartAsync(database.ConnectionString);
        var (status, body) = await api.PostJson("/api/negotiations", Negotiation(Normalization.Api.Tests.Support.TestApi.NewId("deployed")));

        status.ShouldBe(201, body + "\n" + api.Output);
    }
}
