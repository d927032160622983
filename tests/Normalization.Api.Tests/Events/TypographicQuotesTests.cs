using System.Text.Json.Nodes;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;

namespace Normalization.Api.Tests.Events;

/// <summary>
/// JSON written or pasted through a word processor, a spreadsheet or a chat client has typographic quotes (“ ” « ») where
/// JSON needs straight ones. Every place that reads JSON a user typed — a POST body, an NDJSON import line, a CSV history's
/// <c>fields</c> and <c>sources</c> columns — said only System.Text.Json's "'0xE2' is an invalid start of a property name"
/// (a researcher's trial); each now names the quote and the straight double quote to write, at the same code and path.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class TypographicQuotesTests(AppFixture app)
{
    Task<(int Status, JsonNode? Body)> ImportAsync(string id, string query, string body, string contentType) =>
        app.PostImportFile(id, query, body, contentType);

    [Fact]
    public async Task Given_a_posted_body_with_typographic_quotes_on_its_second_line_When_posted_Then_400_malformed_json_names_the_quote_and_its_line()
    {
        // Given a body pasted from a word processor: straight quotes on the first line, typographic ones on the second
        var id = await app.GivenNegotiation("smart");
        var body = "{\"events\": [\n  {“type”: “TalksHeld”, \"occurredOn\": \"2025-03-20\", \"actor\": \"US\", \"target\": \"TB\"}]}";

        // When it is posted
        var (status, answer, _) = await app.PostRaw($"/api/negotiations/{id}/events", body);

        // Then 400 malformed_json, its detail naming line 2, the typographic quote and the straight double quote to write
        status.ShouldBe(400, answer?.ToJsonString());
        answer!["code"]!.GetValue<string>().ShouldBe("malformed_json");
        var detail = answer["detail"]!.GetValue<string>();
        detail.ShouldStartWith("Line 2, byte 3: ");
        detail.ShouldContain("typographic quote “");
        detail.ShouldContain("straight double quote (\")");
    }

    [Fact]
    public async Task Given_an_NDJSON_import_whose_line_has_typographic_quotes_When_imported_Then_422_malformed_json_on_that_line_naming_the_quote()
    {
        var id = await app.GivenNegotiation("smart-ndjson");
        var file = ApiScenarios.Talks("2025-03-20").ToJsonString() + "\n" + ApiScenarios.Talks("2025-03-21").ToJsonString().Replace("\"type\"", "«type»") + "\n";

        var (status, answer) = await ImportAsync(id, "format=ndjson", file, "application/x-ndjson");

        status.ShouldBe(422, answer?.ToJsonString());
        var error = answer!["errors"]!.AsArray().Single()!;
        ((string)error["path"]!, (string)error["code"]!).ShouldBe(("lines[2]", "malformed_json"));
        ((string)error["message"]!).ShouldContain("typographic quote «");
    }

    [Theory]
    [InlineData("fields", "StatementIssued;2025-03-20;US;TB;{“tone”:“Positive”};")]
    [InlineData("sources", "StatementIssued;2025-03-20;US;TB;\"{\"\"tone\"\":\"\"Positive\"\"}\";[{“publisher”:“AFP”}]")]
    public async Task Given_a_CSV_history_whose_JSON_column_has_typographic_quotes_When_imported_Then_422_malformed_json_at_that_column_naming_the_quote(string column, string row)
    {
        var id = await app.GivenNegotiation("smart-csv");
        var csv = "type;occurredOn;actor;target;fields;sources\r\n" + row + "\r\n";

        var (status, answer) = await ImportAsync(id, "format=csv", csv, "text/csv");

        status.ShouldBe(422, answer?.ToJsonString());
        var error = answer!["errors"]!.AsArray().First()!;
        ((string)error["path"]!, (string)error["code"]!).ShouldBe(($"lines[2].{column}", "malformed_json"));
        ((string)error["message"]!).ShouldContain("typographic quote “");
    }
}
