using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;

namespace Normalization.Api.Tests.Commands;

/// <summary>
/// The command line's <c>what-if</c> asks every question <c>POST …/what-if</c> can: <c>--remove</c>, <c>--replace</c>,
/// <c>--known-at</c>, <c>--project-to</c> and an optional <c>--as-of</c> beside <c>--add</c> (a trial could not ask "no Kabul
/// talks" from it: it only added events). Each answer is compared with HTTP's for the same body, error answers included.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class CliWhatIfTests(AppFixture app)
{
    /// <summary>The seed's Kabul talks of 2025-03-20, and the release of George Glezmann that day.</summary>
    const string KabulTalks = "ccb61481-8e6c-57f0-9bce-f80ff38d29ea", GlezmannRelease = "c0202f7d-a556-5135-a521-74f848ce088b";

    Task<(int ExitCode, string Stdout, string Stderr)> Run(params string[] args) => AppCommandLine.RunAsync(app.ConnectionString, null, args);

    async Task<string> GivenTheSeed(string prefix)
    {
        var id = TestApi.NewId(prefix);
        (await app.Host.Services.GetRequiredService<Normalization.Api.Importing.Importer>()
            .ImportAsync(new Normalization.Api.Importing.ImportRequest { Path = Path.Combine(AppContext.BaseDirectory, "Seed", "us-taliban.ndjson"), Into = id }))
            .Errors.ShouldBeEmpty();
        return id;
    }

    static string FileOf(string id, string name, params JsonNode[] lines)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{id}-{name}.ndjson");
        File.WriteAllText(path, string.Join("\n", lines.Select(l => l.ToJsonString())) + "\n");
        return path;
    }

    static void ShouldBeTheHttpAnswer((int ExitCode, string Stdout, string Stderr) cli, (int Status, JsonNode? Body) http)
    {
        http.Status.ShouldBe(200, http.Body?.ToJsonString());
        cli.ExitCode.ShouldBe(0, cli.Stderr);
        JsonNode.DeepEquals(JsonNode.Parse(cli.Stdout), http.Body).ShouldBeTrue($"CLI {cli.Stdout}\nHTTP {http.Body?.ToJsonString()}");
    }

    [Fact]
    public async Task Given_the_seed_When_two_recorded_events_are_removed_from_the_CLI_Then_its_json_is_the_HTTP_answer_for_the_same_body()
    {
        // Given the US–Taliban seed
        var id = await GivenTheSeed("cliwi-rm");

        // When "no Kabul talks, no release" is asked of the CLI (--remove repeated) and of HTTP
        var cli = await Run("what-if", id, "--as-of", "2025-04-15", "--remove", KabulTalks, "--remove", GlezmannRelease, "--json");
        var http = await app.PostJson($"/api/negotiations/{id}/what-if", new JsonObject { ["asOf"] = "2025-04-15", ["remove"] = new JsonArray(KabulTalks, GlezmannRelease) });

        // Then the answers are one JSON: both events left out, the stage without them
        ShouldBeTheHttpAnswer(cli, http);
        http.Body!["removed"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldBe([KabulTalks, GlezmannRelease]);
    }

    [Fact]
    public async Task Given_the_seed_When_a_recorded_event_is_replaced_from_the_CLI_without_as_of_Then_its_json_is_the_HTTP_answer_for_the_same_body()
    {
        // Given the seed, and a file replacing the Kabul talks with a hostile statement (sent without an eventId)
        var id = await GivenTheSeed("cliwi-rp");
        var item = new JsonObject
        {
            ["eventId"] = KabulTalks,
            ["event"] = new JsonObject { ["type"] = "StatementIssued", ["occurredOn"] = "2025-03-20", ["actor"] = "US", ["target"] = "TB", ["tone"] = "Negative" },
        };
        var file = FileOf(id, "replace", item);

        // When the CLI and HTTP are asked, neither naming a branch point (today, on both)
        var cli = await Run("what-if", id, "--replace", file, "--json");
        var http = await app.PostJson($"/api/negotiations/{id}/what-if", new JsonObject { ["replace"] = new JsonArray(item.DeepClone()) });

        // Then the answers are one JSON, the replacing event's derived id included
        ShouldBeTheHttpAnswer(cli, http);
        http.Body!["hypothetical"]![0]!["replaces"]!.GetValue<string>().ShouldBe(KabulTalks);
    }

    [Fact]
    public async Task Given_an_event_posted_after_an_instant_When_the_CLI_asks_known_at_that_instant_Then_its_json_is_the_HTTP_answer_for_the_same_body()
    {
        // Given the seed, an instant, and talks posted after it
        var id = await GivenTheSeed("cliwi-ka");
        await Task.Delay(50);
        var knownAt = DateTimeOffset.UtcNow.ToString("O");
        await Task.Delay(50);
        await app.GivenEvents(id, ApiScenarios.Talks("2025-04-10"));

        // When the CLI and HTTP answer "no Kabul talks" as known at that instant
        var cli = await Run("what-if", id, "--as-of", "2025-04-15", "--known-at", knownAt, "--remove", KabulTalks, "--json");
        var body = new JsonObject { ["asOf"] = "2025-04-15", ["knownAt"] = knownAt, ["remove"] = new JsonArray(KabulTalks) };
        var http = await app.PostJson($"/api/negotiations/{id}/what-if", body);

        // Then the answers are one JSON — the record as it stood then, without the later talks (the answer on today's
        // record differs, so an ignored --known-at would be seen)
        ShouldBeTheHttpAnswer(cli, http);
        body.Remove("knownAt");
        var today = await app.PostJson($"/api/negotiations/{id}/what-if", body);
        today.Body!["baseline"]!["eventCount"]!.GetValue<int>().ShouldBe(http.Body!["baseline"]!["eventCount"]!.GetValue<int>() + 1);
    }

    [Theory]
    [InlineData("6f1c3a52-1d0e-4c55-9a7e-2b1f0c9d8e71", 422, "unknown_reference")] // no such recorded event
    [InlineData("not-an-event-id", 400, null)] // not a GUID: the body cannot be read
    public async Task Given_an_event_id_to_remove_that_HTTP_refuses_When_the_CLI_is_asked_Then_it_prints_HTTPs_errors_and_exits_1(string remove, int status, string? code)
    {
        // Given the seed
        var id = await GivenTheSeed("cliwi-bad");

        // When the same removal is asked of the CLI and of HTTP
        var cli = await Run("what-if", id, "--as-of", "2025-04-15", "--remove", remove, "--json");
        var http = await app.PostJson($"/api/negotiations/{id}/what-if", new JsonObject { ["asOf"] = "2025-04-15", ["remove"] = new JsonArray(remove) });

        // Then HTTP refuses it at remove[0], and the CLI prints the very errors HTTP lists, one error line, exit code 1
        http.Status.ShouldBe(status, http.Body?.ToJsonString());
        http.Body.ShouldHaveError("remove[0]", code);
        cli.ExitCode.ShouldBe(1, cli.Stderr);
        var printed = JsonNode.Parse(cli.Stdout)!;
        printed["valid"]!.GetValue<bool>().ShouldBeFalse();
        JsonNode.DeepEquals(printed["errors"], http.Body!["errors"]).ShouldBeTrue($"CLI {cli.Stdout}\nHTTP {http.Body.ToJsonString()}");
        cli.Stderr.TrimEnd('\n').ShouldNotContain("\n", customMessage: cli.Stderr);
        cli.Stderr.ShouldStartWith($"error: the changes are not valid: remove[0] (--remove {remove}): ");
    }

    [Fact]
    public async Task Given_no_change_When_what_if_is_asked_from_the_CLI_Then_one_error_line_names_the_three_options()
    {
        // Given the seed; When a what-if names no change at all
        var id = await GivenTheSeed("cliwi-none");
        var cli = await Run("what-if", id, "--as-of", "2025-04-15", "--json");

        // Then it is refused in one line naming what to give, nothing on stdout
        cli.ExitCode.ShouldBe(1, cli.Stderr);
        cli.Stdout.ShouldBeEmpty();
        cli.Stderr.TrimEnd('\n').ShouldBe("error: Give at least one change: --add events.ndjson, --remove eventId or --replace replacements.ndjson.");
    }
}
