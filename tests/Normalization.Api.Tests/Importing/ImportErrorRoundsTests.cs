using System.Text.Json.Nodes;
using Normalization.Api.Security;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;

namespace Normalization.Api.Tests.Importing;

/// <summary>
/// An import with several bad rows answers once with all of them: the shape errors of rows that cannot be read (a bad date,
/// a wrong column count) and the rule errors (in_future, …) of the rows that were read, in one 422.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ImportErrorRoundsTests(AppFixture app)
{
    const string Fields = "\"{\"\"participants\"\":[\"\"US\"\",\"\"TB\"\"]}\"";

    [Theory]
    [InlineData("csv")]
    [InlineData("ndjson")]
    public async Task Given_a_file_with_shape_errors_and_rule_errors_When_imported_Then_one_422_lists_both(string format)
    {
        // Given a file: a row with an impossible date, a row of the wrong shape, a row dated in the future, a good row
        var id = await app.GivenNegotiation("rounds");
        var file = format == "csv"
            ? string.Join("\n",
                "type,occurredOn,actor,target,fields",
                $"TalksHeld,2025-02-30,US,TB,{Fields}",
                "TalksHeld,2025-03-01,US",
                $"TalksHeld,2999-01-01,US,TB,{Fields}",
                $"TalksHeld,2025-03-02,US,TB,{Fields}") + "\n"
            : string.Join("\n",
                """{"type":"TalksHeld","occurredOn":"2025-02-30","actor":"US","target":"TB","participants":["US","TB"]}""",
                """{"type":"TalksHeld","occurredOn":"2025-03-01","actor":"US","target":"TB","participants":"US"}""",
                """{"type":"TalksHeld","occurredOn":"2999-01-01","actor":"US","target":"TB","participants":["US","TB"]}""",
                """{"type":"TalksHeld","occurredOn":"2025-03-02","actor":"US","target":"TB","participants":["US","TB"]}""") + "\n";
        var offset = format == "csv" ? 1 : 0;

        // When it is posted
        using var client = app.Host.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/negotiations/{id}/imports?format={format}") { Content = new StringContent(file) };
        request.Headers.Add(ApiKeys.Header, AppFixture.ApiKey);
        using var response = await client.SendAsync(request);
        var (status, body) = ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()));

        // Then one 422 names the two unreadable rows and the future date of the row that was read
        status.ShouldBe(422, body?.ToJsonString());
        var errors = body.Errors().Select(e => (e.Path, e.Code)).ToList();
        errors.ShouldContain(e => e.Path == $"lines[{1 + offset}].occurredOn" && e.Code == "invalid_date", body!.ToJsonString());
        errors.ShouldContain(e => e.Path.StartsWith($"lines[{2 + offset}]"), body!.ToJsonString());
        errors.ShouldContain(e => e.Path == $"lines[{3 + offset}].occurredOn" && e.Code == "in_future", body!.ToJsonString());
        errors.ShouldNotContain(e => e.Path.StartsWith($"lines[{4 + offset}]"));
    }

    [Fact]
    public async Task Given_event_data_with_a_bad_date_row_and_a_future_row_When_imported_Then_one_422_lists_both()
    {
        // Given the GDELT fixture with line 1's date impossible and line 4's (another event) in the future
        var (_, json) = await app.PostJson("/api/negotiations", TestApi.UsTaliban(TestApi.NewId("rounds-ed")));
        var id = (string)json!["id"]!;
        var lines = File.ReadAllLines(Normalization.Api.Tests.Importing.EventData.EventDataImportTests.Fixture("gdelt-2.0-us-taliban.tsv"));
        string WithDate(string line, string date) { var cells = line.Split('\t'); cells[1] = date; return string.Join('\t', cells); }
        lines[0] = WithDate(lines[0], "20250230");
        lines[3] = WithDate(lines[3], "29990101");

        using var client = app.Host.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/negotiations/{id}/imports?format=gdelt&party=US%3DUSA&party=TB%3DAFGTAL&commit=true")
            { Content = new StringContent(string.Join('\n', lines) + "\n") };
        request.Headers.Add(ApiKeys.Header, AppFixture.ApiKey);
        using var response = await client.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());

        // Then one 422 names the unreadable date and the future date of the event the readable rows give
        ((int)response.StatusCode).ShouldBe(422, body?.ToJsonString());
        var errors = body.Errors();
        errors.ShouldContain(e => e.Path.StartsWith("lines[1]"), body!.ToJsonString());
        errors.ShouldContain(e => e.Code == "in_future", body!.ToJsonString());
    }

    [Theory]
    [InlineData(3)]
    [InlineData(250)]
    public async Task Given_a_file_with_more_bad_rows_than_an_answer_lists_When_imported_Then_the_422_says_how_many_there_are(int bad)
    {
        // Given a CSV file of which `bad` rows have an impossible date, among good rows
        var id = await app.GivenNegotiation("many-errors");
        var rows = Enumerable.Range(0, bad * 2).Select(i => $"TalksHeld,{(i % 2 == 0 ? "2025-02-30" : "2025-03-01")},US,TB,{Fields}");
        var file = string.Join("\n", rows.Prepend("type,occurredOn,actor,target,fields")) + "\n";

        // When it is posted
        using var client = app.Host.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/negotiations/{id}/imports?format=csv") { Content = new StringContent(file) };
        request.Headers.Add(ApiKeys.Header, AppFixture.ApiKey);
        using var response = await client.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        // Then the answer lists the first errors (at most the importer's limit) and, when that is not all of them, says how many there are
        ((int)response.StatusCode).ShouldBe(422, body.ToJsonString());
        var limit = new Normalization.Api.Importing.ImportRequest { Path = "" }.MaxErrors;
        var listed = body.Errors().ToList();
        listed.Count.ShouldBe(Math.Min(bad, limit));
        listed[0].Path.ShouldBe("lines[2].occurredOn");
        if (bad > limit)
        {
            ((int)body["errorCount"]!).ShouldBe(bad);
            ((string)body["detail"]!).ShouldContain($"{bad} errors found");
        }
        else body["errorCount"].ShouldBeNull();
    }
}
