using System.Text.Json.Nodes;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;

namespace Normalization.Api.Tests.Importing;

/// <summary>
/// A date a spreadsheet re-saved in the language of its machine: a French Excel shows and saves a month <c>2019-08</c> as
/// <c>août-19</c> (<c>févr.-24</c>, <c>déc.-23</c>), a German one <c>Mär 25</c> or <c>20. März 2025</c>. Only English month
/// names (ASCII letters) were recognised, so these got the bare <c>invalid_date</c> instead of <c>excel_date</c> and its
/// advice (format the column as Text; a month is <c>YYYY-MM</c>) — in a CSV history and in ICEWS/POLECAT dates alike.
/// </summary>
[Collection(ApiCollection.Name)]
public class SpreadsheetMonthNamesTests(AppFixture app)
{
    Task<(int Status, JsonNode? Body)> PostAsync(string id, string query, string body) => app.PostImportFile(id, query, body, "text/csv");

    async Task<string> NegotiationAsync()
    {
        var id = TestApi.NewId("mn");
        (await app.PostJson("/api/negotiations", TestApi.UsTaliban(id))).Status.ShouldBe(201);
        return id;
    }

    public static TheoryData<string> Dates => ["août-19", "févr.-24", "déc.-23", "juil.-24", "20-déc.-23", "Mär 25", "20. März 2025", "décembre 2023"];

    [Theory]
    [MemberData(nameof(Dates))]
    public async Task Given_a_CSV_whose_date_a_non_English_spreadsheet_re_saved_When_imported_Then_excel_date_naming_the_expected_forms(string date)
    {
        // Given a French Excel's CSV (semicolons) with the date as the spreadsheet wrote it
        var id = await NegotiationAsync();
        var csv = $"type;occurredOn;actor;target;fields\r\nStatementIssued;{date};US;TB;\"{{\"\"tone\"\":\"\"Positive\"\"}}\"\r\n";

        // When it is imported
        var (status, answer) = await PostAsync(id, "format=csv", csv);

        // Then excel_date on its line, with the forms to write instead; nothing stored
        status.ShouldBe(422, answer?.ToJsonString());
        var error = answer!["errors"]!.AsArray().Single()!;
        ((string)error["path"]!, (string)error["code"]!).ShouldBe(("lines[2].occurredOn", "excel_date"));
        ((string)error["message"]!).ShouldContain("YYYY-MM");
        ((string)error["message"]!).ShouldContain(date);
    }

    [Fact]
    public async Task Given_an_ICEWS_file_whose_Event_Date_a_French_spreadsheet_re_saved_When_imported_Then_excel_date_on_its_line()
    {
        var id = await NegotiationAsync();
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Importing", "EventData", "Fixtures", "icews-us-taliban.tab"));
        var row = lines[1].Split('\t');
        row[1] = "20-févr.-25";
        var file = string.Join("\n", new[] { lines[0], string.Join('\t', row) }) + "\n";

        var (status, answer) = await PostAsync(id, "format=icews&party=US%3DUnited%20States&party=TB%3DTaliban&scenario=fr", file);

        status.ShouldBe(422, answer?.ToJsonString());
        answer!["errors"]!.AsArray().Select(e => ((string)e!["path"]!, (string)e["code"]!)).ShouldBe([("lines[2].Event Date", "excel_date")]);
    }

    [Theory]
    [InlineData("43488", "2019-01-23")]
    [InlineData("45000.0", "2023-03-15")]
    [InlineData("2019.0", "2019")]
    public async Task Given_a_CSV_whose_date_a_spreadsheet_saved_as_a_number_When_imported_Then_excel_date_with_the_date_it_stands_for(string saved, string meant)
    {
        // Given a CSV history whose occurredOn a spreadsheet saved as a number (a day number, or a year as a decimal)
        var id = await NegotiationAsync();
        var csv = $"type;occurredOn;actor;target;fields\r\nStatementIssued;{saved};US;TB;\"{{\"\"tone\"\":\"\"Positive\"\"}}\"\r\n";

        // When it is imported
        var (status, answer) = await PostAsync(id, "format=csv", csv);

        // Then excel_date on its line, naming the date the number stands for (it was invalid_date, not quoting the value)
        status.ShouldBe(422, answer?.ToJsonString());
        var error = answer!["errors"]!.AsArray().Single()!;
        ((string)error["path"]!, (string)error["code"]!).ShouldBe(("lines[2].occurredOn", "excel_date"));
        ((string)error["message"]!).ShouldContain($"'{saved}'");
        ((string)error["message"]!).ShouldContain(meant);
    }

    [Fact]
    public async Task Given_an_ICEWS_file_whose_Event_Date_a_spreadsheet_saved_as_a_day_number_When_imported_Then_excel_date_naming_the_day()
    {
        var id = await NegotiationAsync();
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Importing", "EventData", "Fixtures", "icews-us-taliban.tab"));
        var row = lines[1].Split('\t');
        row[1] = "45707";
        var file = string.Join("\n", new[] { lines[0], string.Join('\t', row) }) + "\n";

        var (status, answer) = await PostAsync(id, "format=icews&party=US%3DUnited%20States&party=TB%3DTaliban&scenario=serial", file);

        status.ShouldBe(422, answer?.ToJsonString());
        var error = answer!["errors"]!.AsArray().Single()!;
        ((string)error["path"]!, (string)error["code"]!).ShouldBe(("lines[2].Event Date", "excel_date"));
        ((string)error["message"]!).ShouldContain("2025-02-19");
    }
}
