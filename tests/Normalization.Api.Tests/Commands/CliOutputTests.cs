using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;

namespace Normalization.Api.Tests.Commands;

/// <summary>
/// What the command line writes when its output is not a terminal (piped, redirected — as here): plain text, no ANSI escape
/// codes even where the terminal type says colours are supported, and no Spectre markup shown as text.
/// </summary>
[Collection(ApiCollection.Name)]
public class CliOutputTests(AppFixture app)
{
    static string SeedFile => Path.Combine(AppContext.BaseDirectory, "Seed", "us-taliban.ndjson");
    const char Escape = '\u001b';

    /// <summary>A terminal type that makes colour detection say yes: only redirection (or NO_COLOR) may turn colours off.</summary>
    static readonly Dictionary<string, string> ColourTerminal = new() { ["TERM"] = "xterm-256color", ["COLORTERM"] = "truecolor" };

    [Fact]
    public async Task Given_a_colour_terminal_type_When_a_table_command_writes_to_a_pipe_Then_neither_stream_holds_ANSI_escape_codes()
    {
        // Given the seed imported
        var id = TestApi.NewId("cliplain");
        var import = await AppCommandLine.RunAsync(app.ConnectionString, null, 2, ColourTerminal, "import", SeedFile, "--into", id);
        import.ExitCode.ShouldBe(0, import.Stderr);

        // When its stages and state are printed as tables into a pipe, under a terminal type with colours
        var stages = await AppCommandLine.RunAsync(app.ConnectionString, null, 2, ColourTerminal, "stages", id);
        var state = await AppCommandLine.RunAsync(app.ConnectionString, null, 2, ColourTerminal, "state", id, "--as-of", "2025-04-15");

        // Then the tables are there, as plain text
        stages.ExitCode.ShouldBe(0, stages.Stderr);
        stages.Stdout.ShouldContain("talks-and-mutual-gestures");
        state.ExitCode.ShouldBe(0, state.Stderr);
        state.Stdout.ShouldContain("ConfidenceBuilding");
        foreach (var output in new[] { import.Stdout, import.Stderr, stages.Stdout, stages.Stderr, state.Stdout, state.Stderr })
            output.ShouldNotContain(Escape.ToString());
    }

    [Fact]
    public async Task Given_a_seeded_database_When_Martens_rebuild_command_runs_Then_its_message_is_rendered_not_shown_as_markup()
    {
        // Given the seed imported into a database of its own (the test database also holds the test host's own event types)
        var locator = new Normalization.Api.Database.PostgresLocator(configuration: null, Microsoft.Extensions.Logging.Abstractions.NullLogger<Normalization.Api.Database.PostgresLocator>.Instance);
        var name = $"normalization_test_{Guid.NewGuid():N}"[..27];
        var cs = await locator.EnsureDatabaseAsync(name);
        try
        {
            var import = await AppCommandLine.RunAsync(cs, "Development", 2, ColourTerminal, "import", SeedFile, "--into", "markup-seed", "--json");
            import.ExitCode.ShouldBe(0, import.Stdout + import.Stderr);

            // When Marten's rebuild command runs into a pipe
            var rebuild = await AppCommandLine.RunAsync(cs, null, 2, ColourTerminal, "projections", "rebuild", "-p", "NegotiationFold");

            // Then its closing message is plain text: no markup tags, no escape codes
            rebuild.ExitCode.ShouldBe(0, rebuild.Stdout + rebuild.Stderr);
            var all = rebuild.Stdout + rebuild.Stderr;
            all.ShouldContain("Finished rebuild");
            all.ShouldNotContain("[purple]", customMessage: all);
            all.ShouldNotContain("[/]");
            all.ShouldNotContain(Escape.ToString());
        }
        finally { await locator.DropDatabaseAsync(name); }
    }
}
