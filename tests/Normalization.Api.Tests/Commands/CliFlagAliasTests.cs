using System.Text.RegularExpressions;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;

namespace Normalization.Api.Tests.Commands;

/// <summary>
/// Each short flag a data command's <c>help</c> lists names one of its options. JasperFx gives every option the first
/// letter of its name unless told otherwise, and the first option declared takes a letter two share: <c>timeline</c>
/// listed <c>-t</c> for <c>--to</c> and <c>--type</c> (<c>-t TalksHeld</c> was refused as a bad <c>--to</c> date), <c>what-if</c>
/// <c>-a</c> for <c>--as-of</c> and <c>--add</c> (<c>--as-of D -a file</c> read the file as the branch date), <c>import</c>
/// <c>-p</c> for <c>--parties</c>, <c>--party</c> and <c>--party-map</c>, <c>-c</c> for <c>--covered-until</c> and <c>--commit</c>.
/// The later option of each pair is now long-only. The host's own options (JasperFx's <c>--contentroot</c>,
/// <c>--applicationname</c>, <c>--environment</c>, …) are not ours and are left out of the count.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class CliFlagAliasTests(AppFixture app)
{
    static readonly HashSet<string> HostOptions = ["config", "env-variable", "contentroot", "applicationname", "environment", "verbose", "log-level"];

    [Theory]
    [InlineData("import")]
    [InlineData("export")]
    [InlineData("state")]
    [InlineData("stages")]
    [InlineData("timeline")]
    [InlineData("what-if")]
    [InlineData("library")]
    public async Task Given_a_data_command_When_its_help_is_read_Then_each_short_flag_names_one_option(string command)
    {
        // Given the command's help, as a user reads it
        var help = await AppCommandLine.RunAsync(app.ConnectionString, null, "help", command);
        help.Stdout.ShouldContain("--json", customMessage: help.Stderr); // JasperFx's help exits 1 after printing the usage

        // When its short flags are paired with the options they are listed for
        var listed = Regex.Matches(help.Stdout, @"\[-(\w), --([\w-]+)")
            .Select(m => (Letter: m.Groups[1].Value, Option: m.Groups[2].Value))
            .Where(f => !HostOptions.Contains(f.Option))
            .Distinct() // the usage lines and the table list each option
            .ToList();
        listed.ShouldNotBeEmpty(help.Stdout);

        // Then no letter is listed for two of the command's options
        listed.GroupBy(f => f.Letter).Where(g => g.Count() > 1)
            .Select(g => $"-{g.Key}: {string.Join(", ", g.Select(f => "--" + f.Option))}")
            .ShouldBeEmpty(help.Stdout);
    }

    [Fact]
    public async Task Given_the_timeline_command_When_asked_with_the_short_to_and_the_long_type_Then_both_apply()
    {
        // Given a negotiation with talks and two releases
        var id = await app.GivenNegotiation("cli-flags");
        await app.GivenEvents(id, ApiScenarios.Talks(ApiScenarios.Day(30)), ApiScenarios.Release(ApiScenarios.Day(29), "TB", "US"),
            ApiScenarios.Release(ApiScenarios.Day(10), "US", "TB"));

        // When the timeline is asked up to 20 days ago (-t), of one type (--type)
        var result = await AppCommandLine.RunAsync(app.ConnectionString, null, "timeline", id, "-t", ApiScenarios.Day(20), "--type", "PrisonerReleased", "--json");

        // Then the one release of that range is listed
        result.ExitCode.ShouldBe(0, result.Stderr);
        var body = System.Text.Json.Nodes.JsonNode.Parse(result.Stdout)!;
        body["total"]!.GetValue<int>().ShouldBe(1, result.Stdout);
        body["items"]![0]!["type"]!.GetValue<string>().ShouldBe("PrisonerReleased");
    }
}
