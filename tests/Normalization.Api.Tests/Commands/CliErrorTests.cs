using System.Text.Json.Nodes;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Commands;

/// <summary>
/// Trial 3: the command line reads its options by the HTTP query's rules (one rule: the same value, or the same range
/// running backwards, is refused with the same message), and every error is exactly one line, <c>error: …</c>, on stderr.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class CliErrorTests(AppFixture app)
{
    Task<(int ExitCode, string Stdout, string Stderr)> Run(params string[] args) => AppCommandLine.RunAsync(app.ConnectionString, null, args);

    /// <summary>stderr is one line that starts with <c>error: </c> (and ends with a line break): nothing before it, nothing after.</summary>
    static string OneErrorLine((int ExitCode, string Stdout, string Stderr) result)
    {
        result.ExitCode.ShouldNotBe(0, result.Stderr);
        result.Stderr.ShouldStartWith("error: ", customMessage: $"stderr was [{result.Stderr}]");
        result.Stderr.TrimEnd('\n').ShouldNotContain("\n", customMessage: $"stderr was [{result.Stderr}]");
        return result.Stderr.TrimEnd('\n');
    }

    public static IEnumerable<object[]> Errors()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-{Guid.NewGuid():N}.ndjson");
        yield return [new[] { "timeline", "no-such-negotiation" }, "No negotiation 'no-such-negotiation'"];
        yield return [new[] { "state", "no-such-negotiation", "--as-of", "2025-13-45" }, "--as-of must be a date"];
        yield return [new[] { "state", "no-such-negotiation", "--known-at", "yesterday" }, "--known-at must be an ISO 8601 instant"];
        yield return [new[] { "stages", "no-such-negotiation", "--known-at", "2025-04-15T00:00:00" }, "--known-at must be an ISO 8601 instant"];
        yield return [new[] { "timeline", "no-such-negotiation", "--type", "Nope" }, "--type: Unknown event type"];
        yield return [new[] { "timeline", "no-such-negotiation", "--from", "2019-01-01", "--to", "2018-01-01" }, "--from must not be after --to"];
        yield return [new[] { "export", "no-such-negotiation", "--format", "nope" }, "nope"];
        yield return [new[] { "export", "no-such-negotiation", "--known-at", "2025-04" }, "--known-at must be an ISO 8601 instant"];
        yield return [new[] { "export", "no-such-negotiation", "--format", "ndjson", "--dialect", "excel" }, "--dialect applies to CSV only (--format csv)"];
        yield return [new[] { "export", "no-such-negotiation", "--format", "xlsx", "--dialect", "excel" }, "--dialect applies to CSV only"];
        yield return [new[] { "export", "no-such-negotiation", "--format", "csv", "--dialect", "bogus" }, "--dialect must be rfc4180"];
        yield return [new[] { "what-if", "no-such-negotiation", "--as-of", "2025-02-30", "--add", missing }, "--as-of must be a date"];
        yield return [new[] { "what-if", "no-such-negotiation", "--as-of", "2025-02-01", "--add", missing }, "No negotiation 'no-such-negotiation'"];
        yield return [new[] { "what-if", "no-such-negotiation", "--as-of", "2025-02-01", "--project-to", "2025-01-01", "--remove", missing }, "--project-to must not be before --as-of"];
        yield return [new[] { "what-if", "no-such-negotiation", "--as-of", "2025-02-01", "--project-to", "2025-02-30", "--remove", missing }, "--project-to must be a date"];
        yield return [new[] { "what-if", "no-such-negotiation", "--known-at", "2025-02-01T25:00:00Z", "--remove", missing }, "--known-at must be"];
        yield return [new[] { "timeline", "US-DPRK" }, "The negotiation id must be 3–64 characters"];
        var noFolder = Path.Combine(Path.GetTempPath(), $"no-such-folder-{Guid.NewGuid():N}");
        yield return [new[] { "export", "no-such-negotiation", "--out", Path.Combine(noFolder, "x.csv") }, $"--out: there is no folder '{noFolder}'"];
        yield return [new[] { "export", "no-such-negotiation", "--out", Path.GetTempPath() }, "is a folder: name a file in it"];
    }

    [Theory]
    [MemberData(nameof(Errors))]
    public async Task Given_a_command_with_a_bad_option_or_id_When_run_Then_exactly_one_error_line_on_stderr_and_a_non_zero_exit(string[] args, string expected)
    {
        // Given a command the user got wrong; When run
        var result = await Run(args);

        // Then one line, `error: …`, naming what is wrong
        OneErrorLine(result).ShouldContain(expected);
        result.Stdout.ShouldBeEmpty();
    }

    [Fact]
    public async Task Given_a_missing_file_When_what_if_runs_on_a_negotiation_Then_one_error_line_naming_the_file()
    {
        var id = await app.GivenNegotiation("cli-err");
        var missing = Path.Combine(Path.GetTempPath(), $"no-such-{Guid.NewGuid():N}.ndjson");

        var result = await Run("what-if", id, "--as-of", "2025-02-01", "--add", missing);

        OneErrorLine(result).ShouldBe($"error: No file '{missing}'.");
    }

    [Fact]
    public async Task Given_a_range_running_backwards_When_asked_of_the_CLI_and_of_HTTP_Then_both_refuse_it_with_the_same_message()
    {
        // Given a negotiation with events
        var id = await app.GivenNegotiation("cli-range");
        await app.GivenEvents(id, Talks("2018-06-01"));

        // When the timeline is asked from 2019 to 2018
        var cli = await Run("timeline", id, "--from", "2019-01-01", "--to", "2018-01-01");
        var (status, body) = await app.GetJson($"/api/negotiations/{id}/timeline?from=2019-01-01&to=2018-01-01");

        // Then HTTP answers 400 out_of_range at from, and the CLI fails with HTTP's message, its parameters named as options
        status.ShouldBe(400);
        var error = body.Errors().ShouldHaveSingleItem();
        (error.Path, error.Code).ShouldBe(("from", "out_of_range"));
        OneErrorLine(cli).ShouldStartWith("error: --" + error.Message.Replace("after to", "after --to"));
    }

    [Fact]
    public async Task Given_an_id_that_cannot_exist_When_asked_of_the_CLI_and_of_HTTP_Then_both_say_it_is_not_a_negotiation_id()
    {
        var cli = await Run("timeline", "US-DPRK");
        var (status, body) = await app.GetJson("/api/negotiations/US-DPRK/timeline");

        status.ShouldBe(400);
        body.ShouldHaveError("route.id", "invalid_slug");
        var line = OneErrorLine(cli);
        line.ShouldNotContain("No negotiation");
        line.ShouldContain("US-DPRK");
        line.ShouldContain("lower-case letters, digits and single hyphens");
    }

    [Fact]
    public async Task Given_month_and_year_bounds_When_the_timeline_is_asked_from_the_CLI_Then_day_dated_events_in_the_period_are_listed()
    {
        // Given events dated by day, month and year in July 2015, and one in 2016
        var id = await app.GivenNegotiation("cli-period");
        await app.GivenEvents(id, Talks("2015-07-01"), Talks("2015-07-20"), Talks("2015-07"), Talks("2015"), Talks("2016-01-05"));

        // When the CLI is asked for 2015-07 .. 2015-07, and 2015 .. 2015
        var month = await Run("timeline", id, "--from", "2015-07", "--to", "2015-07", "--json");
        var year = await Run("timeline", id, "--from", "2015", "--to", "2015", "--json");

        // Then a from bound is the start of its period and a to bound its end
        month.ExitCode.ShouldBe(0, month.Stderr);
        JsonNode.Parse(month.Stdout)!["items"]!.AsArray().Select(i => i!["occurredOn"]!.GetValue<string>()).ShouldBe(["2015-07-01", "2015-07-20", "2015-07"], ignoreOrder: true);
        year.ExitCode.ShouldBe(0, year.Stderr);
        JsonNode.Parse(year.Stdout)!["total"]!.GetValue<int>().ShouldBe(4);
    }
}
