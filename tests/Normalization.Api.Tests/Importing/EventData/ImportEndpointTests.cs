using System.Text;
using System.Text.Json.Nodes;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;

namespace Normalization.Api.Tests.Importing.EventData;

/// <summary>Issue 19: the import over HTTP (the file's bytes as the body) and from the command line, per event-data format.</summary>
[Collection(ApiCollection.Name)]
public class ImportEndpointTests(AppFixture app)
{
    async Task<(int Status, JsonNode? Body, string? Location)> PostFileAsync(string url, byte[] body, bool withKey = true)
    {
        var (status, text, location) = await app.PostFile(url, body, withKey: withKey);
        return (status, string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text), location);
    }

    async Task<string> NegotiationAsync()
    {
        var id = TestApi.NewId("http");
        (await app.PostJson("/api/negotiations", TestApi.UsTaliban(id))).Status.ShouldBe(201);
        return id;
    }

    static byte[] Fixture(string name) => File.ReadAllBytes(EventDataImportTests.Fixture(name));

    [Theory]
    [InlineData("gdelt", "gdelt-2.0-us-taliban.tsv", "party=US%3DUSA&party=TB%3DAFGTAL", 4)]
    [InlineData("icews", "icews-us-taliban.tab", "party=US%3DUnited%20States&party=TB%3DTaliban", 3)]
    [InlineData("polecat", "polecat-us-taliban.tsv", "party=US%3DUSA&party=TB%3DTaliban", 2)]
    public async Task Given_an_event_data_file_When_posted_as_a_scenario_then_committed_Then_201_with_the_scenario_then_200_with_the_events_stored(
        string format, string file, string parties, int events)
    {
        var id = await NegotiationAsync();

        var scenario = await PostFileAsync($"/api/negotiations/{id}/imports?format={format}&{parties}&scenario=review", Fixture(file));
        var commit = await PostFileAsync($"/api/negotiations/{id}/imports?format={format}&{parties}&commit=true", Fixture(file));
        var again = await PostFileAsync($"/api/negotiations/{id}/imports?format={format}&{parties}&commit=true", Fixture(file));

        scenario.Status.ShouldBe(201, scenario.Body?.ToJsonString());
        scenario.Location.ShouldBe($"/api/negotiations/{id}/scenarios/review");
        ((int)scenario.Body!["scenarioEvents"]!).ShouldBe(events);
        commit.Status.ShouldBe(200, commit.Body?.ToJsonString());
        ((int)commit.Body!["stored"]!).ShouldBe(events);
        ((int)again.Body!["duplicates"]!).ShouldBe(events);
        ((int)again.Body!["stored"]!).ShouldBe(0);
    }

    [Fact]
    public async Task Given_bad_input_When_posted_Then_the_status_and_the_paths_name_what_is_wrong()
    {
        var id = await NegotiationAsync();
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var cp1252 = Encoding.GetEncoding(1252).GetBytes("type,occurredOn,actor,target,fields\nTalksHeld,2025-03-20,US,TB,\"{\"\"participants\"\":[\"\"US\"\",\"\"TB\"\"],\"\"location\"\":\"\"Délégation\"\"}\"\n");

        var excel = await PostFileAsync($"/api/negotiations/{id}/imports?format=icews&party=US%3DUnited%20States&party=TB%3DTaliban&commit=true", Fixture("icews-excel-dates.tab"));
        var encoding = await PostFileAsync($"/api/negotiations/{id}/imports?format=csv", cp1252);
        var options = await PostFileAsync($"/api/negotiations/{id}/imports?format=gdelt&party=US&encoding=klingon&commit=maybe&scenario=Bad_Name", Fixture("gdelt-2.0-us-taliban.tsv"));
        var choose = await PostFileAsync($"/api/negotiations/{id}/imports?format=gdelt&party=US%3DUSA&party=TB%3DAFGTAL", Fixture("gdelt-2.0-us-taliban.tsv"));
        var missing = await PostFileAsync($"/api/negotiations/no-such-{id}/imports?format=csv", cp1252);
        var noKey = await PostFileAsync($"/api/negotiations/{id}/imports?format=csv", cp1252, withKey: false);
        var tooLarge = await PostFileAsync($"/api/negotiations/{id}/imports", new byte[Normalization.Api.Http.JsonBody.MaxBytes + 1]);

        excel.Status.ShouldBe(422);
        excel.Body!["errors"]!.AsArray().Select(e => ((string)e!["path"]!, (string)e["code"]!)).ShouldBe([("lines[2].Event Date", "excel_date")]);
        encoding.Status.ShouldBe(400);
        encoding.Body!["errors"]!.AsArray().Select(e => ((string)e!["path"]!, (string)e["code"]!)).ShouldBe([("lines[2]", "invalid_utf8")]);
        options.Status.ShouldBe(400);
        options.Body!["errors"]!.AsArray().Select(e => (string)e!["path"]!).Order().ShouldBe(["commit", "encoding", "party", "scenario"]);
        choose.Status.ShouldBe(400);
        ((string)choose.Body!["code"]!).ShouldBe("import_refused");
        missing.Status.ShouldBe(404);
        noKey.Status.ShouldBe(401);
        tooLarge.Status.ShouldBe(413);
        var (_, timeline) = await app.GetJson($"/api/negotiations/{id}/timeline");
        ((int)timeline!["total"]!).ShouldBe(0);
    }

    [Fact]
    public async Task Given_a_GDELT_file_When_imported_from_the_command_line_with_repeated_party_options_Then_it_lands_as_a_scenario_then_in_the_record()
    {
        var id = await NegotiationAsync();
        var file = EventDataImportTests.Fixture("gdelt-2.0-us-taliban.tsv");
        var map = Path.Combine(Path.GetTempPath(), $"{id}.parties");
        await File.WriteAllTextAsync(map, "# GDELT actor codes of the parties\nUS=USA\n\nTB\tAFGTAL\n");

        var scenario = await RunAsync("import", file, "--format", "gdelt", "--into", id, "--party", "US=USA", "--party", "TB=AFGTAL", "--as-scenario", "gdelt-march", "--json");
        var commit = await RunAsync("import", file, "--format", "gdelt", "--into", id, "--party-map", map, "--commit", "--json");
        var neither = await RunAsync("import", file, "--format", "gdelt", "--into", id, "--party", "US=USA", "TB=AFGTAL");

        scenario.ExitCode.ShouldBe(0, scenario.Stderr);
        var report = JsonNode.Parse(scenario.Stdout)!;
        ((string)report["scenario"]!).ShouldBe("gdelt-march");
        ((int)report["eventData"]!["unmapped"]!["CAMEO 1056"]!).ShouldBe(1);
        commit.ExitCode.ShouldBe(0, commit.Stderr);
        ((int)JsonNode.Parse(commit.Stdout)!["stored"]!).ShouldBe(4);
        neither.ExitCode.ShouldNotBe(0);
        neither.Stderr.Trim().Split('\n').Last().ShouldStartWith("error: Event data is machine-coded: give --as-scenario NAME");
    }

    [Theory]
    [InlineData("format=gdelt&party=US%3DUSA&party=XX%3DPRK&scenario=xx", "gdelt", "party", "party=XX=")]
    [InlineData("format=gdelt&party=US%3DUSA&scenario=xx", "gdelt", "party", "party=CODE=ACTOR")]
    [InlineData("format=csv&party=US%3DUSA", "csv", "party", "party=CODE=ACTOR")]
    [InlineData("format=csv", "zip", "body", "zip archive")]
    public async Task Given_an_import_the_HTTP_way_cannot_run_When_posted_Then_400_import_refused_naming_the_query_parameter_or_the_body_in_HTTP_words(
        string query, string file, string path, string says)
    {
        // Given a negotiation; a file (a zip archive's first bytes for "zip")
        var id = await NegotiationAsync();
        var body = file switch
        {
            "zip" => [0x50, 0x4B, 0x03, 0x04, 0, 0, 0, 0],
            "csv" => Encoding.UTF8.GetBytes("type,occurredOn,actor,target,fields\n"),
            _ => Fixture("gdelt-2.0-us-taliban.tsv"),
        };

        // When it is posted
        var (status, answer, _) = await PostFileAsync($"/api/negotiations/{id}/imports?{query}", body);

        // Then 400 import_refused: the error names the parameter (or the body), in the query's words, not the command's
        status.ShouldBe(400, answer?.ToJsonString());
        ((string)answer!["code"]!).ShouldBe("import_refused");
        var error = answer["errors"]!.AsArray().Single()!;
        ((string)error["path"]!).ShouldBe(path);
        ((string)error["message"]!).ShouldContain(says);
        ((string)error["message"]!).ShouldNotContain("--");
    }

    [Fact]
    public async Task Given_a_mapping_of_a_code_that_is_not_a_party_When_reading_cameo_rows_Then_400_naming_party_as_imports_do()
    {
        var id = await NegotiationAsync();

        var (status, body) = await app.GetJson($"/api/negotiations/{id}/cameo?party=ZZ%3DPRK");

        status.ShouldBe(400, body?.ToJsonString());
        body.ShouldHaveError("party", "not_a_party");
    }

    Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args) => AppCommandLine.RunAsync(app.ConnectionString, null, args);
}
