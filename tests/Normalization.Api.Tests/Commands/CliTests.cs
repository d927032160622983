using Microsoft.Extensions.DependencyInjection;
using System.Text.Json.Nodes;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;

namespace Normalization.Api.Tests.Commands;

/// <summary>Runs the built app's command line as a process against this run's test database.</summary>
[Collection(ApiCollection.Name)]
public class CliTests(AppFixture app)
{
    static string SeedFile => Path.Combine(AppContext.BaseDirectory, "Seed", "us-taliban.ndjson");

    Task<(int ExitCode, string Stdout, string Stderr)> Run(params string[] args) => RunOn(app.ConnectionString, args);

    /// <summary>The command in the Production environment (no ASPNETCORE_ENVIRONMENT: the schema is db-apply's).</summary>
    static Task<(int ExitCode, string Stdout, string Stderr)> RunOn(string connectionString, params string[] args) => RunIn(null, connectionString, args);

    /// <summary>
    /// The command as <c>dotnet run --project src/Normalization.Api -- …</c> runs it (the Development launch profile): the data
    /// commands create or migrate the schema themselves.
    /// </summary>
    static Task<(int ExitCode, string Stdout, string Stderr)> RunInDevelopmentOn(string connectionString, params string[] args) =>
        RunIn("Development", connectionString, args);

    static Task<(int ExitCode, string Stdout, string Stderr)> RunIn(string? environment, string connectionString, string[] args) =>
        AppCommandLine.RunAsync(connectionString, environment, args);

    [Fact]
    public async Task Given_the_seed_file_When_imported_and_queried_from_the_command_line_Then_the_output_shows_the_stages()
    {
        var id = TestApi.NewId("cli");

        var import = await Run("import", SeedFile, "--into", id, "--json");
        import.ExitCode.ShouldBe(0, import.Stderr);
        var report = JsonNode.Parse(import.Stdout)!;
        report["stored"]!.GetValue<int>().ShouldBe(TestApi.SeedEvents().Count);
        report["negotiationId"]!.GetValue<string>().ShouldBe(id);

        var state = await Run("state", id, "--as-of", "2025-04-15", "--json");
        state.ExitCode.ShouldBe(0, state.Stderr);
        var body = JsonNode.Parse(state.Stdout)!;
        body["stage"]!.GetValue<string>().ShouldBe("ConfidenceBuilding");
        body["why"]!["rule"]!.GetValue<string>().ShouldBe("talks-and-mutual-gestures");

        var stages = await Run("stages", id);
        stages.ExitCode.ShouldBe(0, stages.Stderr);
        stages.Stdout.ShouldContain("2020-02-29");
        stages.Stdout.ShouldContain("talks-and-mutual-gestures");

        var export = await Run("export", id, "--format", "stages");
        export.ExitCode.ShouldBe(0, export.Stderr);
        export.Stdout.ShouldStartWith("on,from,to,rule,eventIds,projected\r\n"); // RFC 4180 (CsvHelper): CRLF
        export.Stdout.ShouldContain("2025-03-20,Estrangement,ConfidenceBuilding,talks-and-mutual-gestures,");
    }

    [Fact]
    public async Task Given_output_into_a_pipe_When_the_state_is_shown_Then_its_panel_is_as_wide_as_its_longest_row_not_the_pipes_240_columns()
    {
        // Given a negotiation, and the command's output read from a pipe (240 columns wide, so that tables do not wrap)
        var id = TestApi.NewId("clipanel");
        (await Run("import", SeedFile, "--into", id, "--json")).ExitCode.ShouldBe(0);

        // When its state is shown
        var state = await Run("state", id, "--as-of", "2025-04-15");

        // Then every line of the panel is as wide as its top border, which is its longest row plus the frame (a panel filling
        // 240 columns wrapped every line of an 80- or 120-column terminal it was pasted into)
        state.ExitCode.ShouldBe(0, state.Stderr);
        var lines = state.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToList();
        var rows = lines.Where(l => l.StartsWith('│')).ToList();
        rows.ShouldNotBeEmpty(state.Stdout);
        var longest = rows.Max(r => r.TrimEnd('│').TrimEnd().Length) + 2;
        lines.First(l => l.StartsWith('┌')).Length.ShouldBeLessThanOrEqualTo(longest + 1, state.Stdout);
        lines.ShouldAllBe(l => l.Length < 160, state.Stdout);
    }

    [Theory]
    [InlineData("state", "no-such-negotiation")]
    [InlineData("import", "no-such-file.ndjson", "--into", "nowhere")]
    [InlineData("help")]
    public async Task Given_a_command_When_it_runs_Then_neither_stream_shows_the_command_discovery_banner(params string[] args)
    {
        var result = await Run(args);

        (result.Stdout + result.Stderr).ShouldNotBeEmpty();
        // JasperFx's banner reads "Searching '<assembly full name>' for commands", once per Critter Stack assembly.
        result.Stdout.ShouldNotContain("Searching '");
        result.Stderr.ShouldNotContain("Searching '");
        result.Stdout.ShouldNotContain("' for commands");
        result.Stderr.ShouldNotContain("' for commands");
    }

    [Fact]
    public async Task Regression_Given_an_id_with_a_line_break_When_asked_for_its_state_Then_the_error_is_one_line_with_the_break_escaped()
    {
        var result = await Run("state", "us-taliban\n");

        result.ExitCode.ShouldNotBe(0);
        var lines = result.Stderr.TrimEnd('\n').Split('\n');
        lines.Last().ShouldStartWith("error: ");
        lines.Last().ShouldContain("us-taliban\\n");
        lines.Count(l => l.StartsWith("error:", StringComparison.Ordinal)).ShouldBe(1);
        result.Stderr.TrimEnd('\n').ShouldNotEndWith("'.\n'.");
    }

    [Fact]
    public async Task Given_an_unknown_negotiation_When_asked_for_its_state_Then_the_exit_code_is_non_zero_with_a_one_line_message()
    {
        var result = await Run("state", "no-such-negotiation");

        result.ExitCode.ShouldNotBe(0);
        result.Stdout.Trim().ShouldBeEmpty();
        result.Stderr.Trim().Split('\n').Last().ShouldBe("error: No negotiation 'no-such-negotiation'.");
    }

    [Fact]
    public async Task Given_a_bad_file_When_imported_from_the_command_line_Then_the_errors_are_listed_with_line_numbers_and_the_exit_code_is_non_zero()
    {
        var id = TestApi.NewId("clibad");
        var path = Path.Combine(Path.GetTempPath(), $"{id}.ndjson");
        await File.WriteAllLinesAsync(path, [File.ReadLines(SeedFile).First(), "{not json"]);

        var result = await Run("import", path, "--into", id, "--json");

        result.ExitCode.ShouldNotBe(0);
        var report = JsonNode.Parse(result.Stdout)!;
        report["errors"]![0]!["line"]!.GetValue<int>().ShouldBe(2);
        report["stored"]!.GetValue<int>().ShouldBe(0);
        // The README's promise for every command: the JSON report on stdout, one `error:` line on stderr.
        result.Stderr.Trim().Split('\n').Where(l => l.StartsWith("error: ")).ShouldHaveSingleItem().ShouldContain("nothing was stored");
    }

    [Fact]
    public async Task Given_options_that_describe_a_bad_negotiation_When_a_CSV_is_imported_from_the_command_line_Then_the_table_shows_no_line_0_for_them()
    {
        // Given a CSV history and --parties naming one party only (a negotiation has two)
        var id = TestApi.NewId("clioptions");
        var path = Path.Combine(Path.GetTempPath(), $"{id}.csv");
        await File.WriteAllTextAsync(path, "type,occurredOn,actor,target,fields\nStatementIssued,2025-03-20,US,TB,\"{\"\"tone\"\":\"\"Positive\"\"}\"\n");

        // When it is imported into a new id from the command line (the table, not --json)
        var result = await Run("import", path, "--into", id, "--title", "Options", "--parties", "US=United States");

        // Then the error about the option is listed without a line of the file (it showed "0", a line no file has)
        result.ExitCode.ShouldNotBe(0);
        var row = result.Stdout.Split('\n').First(l => l.Contains("parties"));
        row.ShouldContain("—");
        row.ShouldNotMatch(@"^\W*0\W");
    }

    [Fact]
    public async Task Given_a_party_whose_official_name_holds_a_comma_When_a_CSV_is_imported_with_parties_from_the_command_line_Then_the_name_stays_whole()
    {
        // Given a CSV history between the US and Venezuela, and --parties with ISO 3166's name of Venezuela
        var id = TestApi.NewId("clicomma");
        var path = Path.Combine(Path.GetTempPath(), $"{id}.csv");
        await File.WriteAllTextAsync(path, "type,occurredOn,actor,target,fields\nStatementIssued,2023-10-18,US,VE,\"{\"\"tone\"\":\"\"Positive\"\"}\"\n");

        // When it is imported into a new id from the command line
        var result = await Run("import", path, "--into", id, "--title", "US – Venezuela", "--parties", "US=United States,VE=Venezuela, Bolivarian Republic of", "--json");

        // Then the negotiation has two parties, the second with its whole name (it was cut into a third party)
        result.ExitCode.ShouldBe(0, result.Stdout + result.Stderr);
        var (_, negotiation) = await app.GetJson($"/api/negotiations/{id}");
        negotiation!["parties"]!.AsArray().Select(p => ((string)p!["code"]!, (string)p["name"]!))
            .ShouldBe([("US", "United States"), ("VE", "Venezuela, Bolivarian Republic of")]);
    }

    [Fact]
    public async Task Given_read_models_wiped_When_Martens_rebuild_command_runs_as_documented_Then_exit_0_and_every_answer_is_as_before()
    {
        // Given the seed imported into a database of its own (the test database also holds the test host's own event types,
        // which the app cannot read), its answers, and then our read models of it deleted
        var locator = new Normalization.Api.Database.PostgresLocator(configuration: null, Microsoft.Extensions.Logging.Abstractions.NullLogger<Normalization.Api.Database.PostgresLocator>.Instance);
        var name = $"normalization_test_{Guid.NewGuid():N}"[..27];
        var cs = await locator.EnsureDatabaseAsync(name);
        try
        {
            var import = await RunInDevelopmentOn(cs, "import", SeedFile, "--into", "rebuilt-seed", "--json");
            import.ExitCode.ShouldBe(0, import.Stdout + import.Stderr);
            async Task<string> Answers() => string.Join("\n",
                (await RunOn(cs, "state", "rebuilt-seed", "--as-of", "2025-04-15", "--json")).Stdout,
                (await RunOn(cs, "stages", "rebuilt-seed", "--json")).Stdout,
                (await RunOn(cs, "timeline", "rebuilt-seed", "--json")).Stdout);
            var before = await Answers();
            await using (var conn = new Npgsql.NpgsqlConnection(cs))
            {
                await conn.OpenAsync();
                await using var wipe = new Npgsql.NpgsqlCommand("delete from nz_events; delete from nz_checkpoints; delete from nz_references", conn);
                await wipe.ExecuteNonQueryAsync();
            }

            // When Marten's rebuild command runs, exactly as README gives it
            var rebuild = await RunOn(cs, "projections", "rebuild", "-p", "NegotiationFold");

            // Then it succeeds and the record answers as before
            rebuild.ExitCode.ShouldBe(0, rebuild.Stdout + rebuild.Stderr);
            (await Answers()).ShouldBe(before);
        }
        finally { await locator.DropDatabaseAsync(name); }
    }

    [Fact]
    public async Task Given_a_never_used_database_When_two_imports_start_at_once_Then_both_succeed()
    {
        // Issue 15: the second of two simultaneous imports used to fail while both created Marten's schema
        // ("pk_mt_events_stream_and_version already exists"). Tried three times, each on a database of its own.
        var locator = new Normalization.Api.Database.PostgresLocator(configuration: null, Microsoft.Extensions.Logging.Abstractions.NullLogger<Normalization.Api.Database.PostgresLocator>.Instance);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var name = $"normalization_test_{Guid.NewGuid():N}"[..27];
            var cs = await locator.EnsureDatabaseAsync(name);
            try
            {
                var first = RunInDevelopmentOn(cs, "import", SeedFile, "--into", "first-copy", "--json");
                var second = RunInDevelopmentOn(cs, "import", SeedFile, "--into", "second-copy", "--json");
                var results = await Task.WhenAll(first, second);

                results[0].ExitCode.ShouldBe(0, results[0].Stderr);
                results[1].ExitCode.ShouldBe(0, results[1].Stderr);
            }
            finally { await locator.DropDatabaseAsync(name); }
        }
    }

    [Fact]
    public async Task Given_Production_and_a_never_migrated_database_When_a_data_command_runs_Then_it_fails_with_one_line_naming_db_apply()
    {
        var locator = new Normalization.Api.Database.PostgresLocator(configuration: null, Microsoft.Extensions.Logging.Abstractions.NullLogger<Normalization.Api.Database.PostgresLocator>.Instance);
        var name = $"normalization_test_{Guid.NewGuid():N}"[..27];
        var cs = await locator.EnsureDatabaseAsync(name);
        try
        {
            var (exitCode, stdout, stderr) = await RunOn(cs, "import", SeedFile, "--into", "never-migrated", "--json");

            exitCode.ShouldBe(Normalization.Api.Storage.SchemaAtStart.NotMigratedExitCode, stderr);
            stderr.Trim().Split('\n').Length.ShouldBe(1, stderr);
            stderr.ShouldStartWith("error: ");
            stderr.ShouldContain("db-apply");
            stdout.ShouldNotContain("stored");
        }
        finally { await locator.DropDatabaseAsync(name); }
    }

    [Fact]
    public async Task Given_a_negotiation_When_stages_and_what_if_run_with_json_Then_the_output_is_the_HTTP_answer_s_JSON()
    {
        var id = TestApi.NewId("clijson");
        (await app.Host.Services.GetRequiredService<Normalization.Api.Importing.Importer>()
            .ImportAsync(new Normalization.Api.Importing.ImportRequest { Path = SeedFile, Into = id })).Errors.ShouldBeEmpty();
        var talks = new JsonObject
        {
            ["eventId"] = Guid.NewGuid().ToString(), ["type"] = "TalksHeld", ["occurredOn"] = "2025-04-10", ["actor"] = "US", ["target"] = "TB",
            ["confidence"] = "Confirmed", ["participants"] = new JsonArray("US", "TB"), ["location"] = "Doha",
        };
        var file = Path.Combine(Path.GetTempPath(), $"{id}-add.ndjson");
        await File.WriteAllTextAsync(file, talks.ToJsonString() + "\n");

        var cliStages = await Run("stages", id, "--json");
        var httpStages = await app.GetJson($"/api/negotiations/{id}/stages");
        var cliWhatIf = await Run("what-if", id, "--as-of", "2025-04-15", "--add", file, "--json");
        var httpWhatIf = await app.PostJson($"/api/negotiations/{id}/what-if", new { asOf = "2025-04-15", add = new[] { talks } });

        cliStages.ExitCode.ShouldBe(0, cliStages.Stderr);
        var stages = JsonNode.Parse(cliStages.Stdout)!;
        stages.AsObject().ContainsKey("from").ShouldBeTrue("a property without a value is null, as over HTTP");
        JsonNode.DeepEquals(stages, httpStages.Body).ShouldBeTrue($"CLI {stages.ToJsonString()}\nHTTP {httpStages.Body?.ToJsonString()}");
        cliWhatIf.ExitCode.ShouldBe(0, cliWhatIf.Stderr);
        httpWhatIf.Status.ShouldBe(200, httpWhatIf.Body?.ToJsonString());
        JsonNode.DeepEquals(JsonNode.Parse(cliWhatIf.Stdout), httpWhatIf.Body).ShouldBeTrue($"CLI {cliWhatIf.Stdout}\nHTTP {httpWhatIf.Body?.ToJsonString()}");
    }

    [Fact]
    public async Task Given_hypothetical_events_without_ids_When_the_CLI_and_HTTP_answer_one_what_if_Then_they_name_the_events_alike()
    {
        // Given a negotiation, and two hypothetical events without eventIds (a trial, US–North Korea: the CLI named them by
        // the import's line rule, HTTP by the body's — two ids for one event, and --json was not the HTTP answer)
        var id = TestApi.NewId("cliids");
        (await app.Host.Services.GetRequiredService<Normalization.Api.Importing.Importer>()
            .ImportAsync(new Normalization.Api.Importing.ImportRequest { Path = SeedFile, Into = id })).Errors.ShouldBeEmpty();
        JsonObject Talks(string on) => new()
        {
            ["type"] = "TalksHeld", ["occurredOn"] = on, ["actor"] = "US", ["target"] = "TB", ["participants"] = new JsonArray("US", "TB"),
        };
        var add = new[] { Talks("2025-04-10"), Talks("2025-04-12") };
        var file = Path.Combine(Path.GetTempPath(), $"{id}-add.ndjson");
        await File.WriteAllTextAsync(file, string.Join("\n", add.Select(e => e.ToJsonString())) + "\n");

        // When the CLI and HTTP answer the same what-if
        var cli = await Run("what-if", id, "--as-of", "2025-04-15", "--add", file, "--json");
        var http = await app.PostJson($"/api/negotiations/{id}/what-if", new { asOf = "2025-04-15", add });

        // Then the answers are one JSON, the hypothetical events' ids included
        cli.ExitCode.ShouldBe(0, cli.Stderr);
        http.Status.ShouldBe(200, http.Body?.ToJsonString());
        var cliIds = JsonNode.Parse(cli.Stdout)!["hypothetical"]!.AsArray().Select(h => h!["eventId"]!.GetValue<string>()).ToArray();
        cliIds.ShouldBe(http.Body!["hypothetical"]!.AsArray().Select(h => h!["eventId"]!.GetValue<string>()).ToArray());
        JsonNode.DeepEquals(JsonNode.Parse(cli.Stdout), http.Body).ShouldBeTrue($"CLI {cli.Stdout}\nHTTP {http.Body?.ToJsonString()}");
    }
}
