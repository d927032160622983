using System.Text;
using Normalization.Api.Exporting;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;

namespace Normalization.Api.Tests.Exporting;

/// <summary>The XLSX export of the timeline (read back with the Open XML SDK) and the CAMEO/PLOVER rows.</summary>
[Collection(ApiCollection.Name)]
public sealed class XlsxAndCameoTests(AppFixture app)
{
    [Fact]
    public async Task Given_a_record_When_the_timeline_is_exported_as_XLSX_Then_codes_and_dates_are_text_cells_weights_numbers_and_each_type_has_its_sheet()
    {
        var (id, talks, month, retracted) = await app.GivenRecord();

        var (status, bytes, contentType) = await app.GetBytes($"/api/negotiations/{id}/timeline?format=xlsx");

        status.ShouldBe(200);
        contentType.ShouldBe(TimelineWorkbook.MediaType);
        var book = ExportSupport.ReadWorkbook(bytes);
        book.Keys.ShouldBe(["Timeline", "Stages", "EventRetracted", "PrisonerReleased", "TalksHeld", "ThreatIssued"]);

        var timeline = ExportSupport.Records(book["Timeline"]);
        book["Timeline"][0].Select(c => c.Text).ShouldBe(TimelineWorkbook.TimelineColumns);
        timeline.Count.ShouldBe(7);
        var t = timeline.Single(r => r["eventId"].Text == talks.ToString());
        t["cameo"].ShouldBe(new XlsxCell("inlineStr", "046")); // a text cell: the leading zero survives
        t["goldstein"].Kind.ShouldBe("n");
        double.Parse(t["goldstein"].Text, System.Globalization.CultureInfo.InvariantCulture).ShouldBe(7.0);
        t["note"].ShouldBe(new XlsxCell("inlineStr", ExportSupport.FormulaNotes[0])); // text, never a formula
        var m = timeline.Single(r => r["eventId"].Text == month.ToString());
        m["occurredOn"].ShouldBe(new XlsxCell("inlineStr", "2025-03"));
        m["precision"].Text.ShouldBe("Month");
        m["sources"].Text.ShouldBe("CNN (2025-03) https://edition.cnn.com/");
        timeline.Single(r => r["eventId"].Text == retracted.ToString())["status"].Text.ShouldBe("retracted");
        timeline.ShouldAllBe(r => r["version"].Kind == "n");

        var stages = ExportSupport.Records(book["Stages"]);
        book["Stages"][0].Select(c => c.Text).ShouldBe(TimelineCsv.StageColumns);
        stages.ShouldNotBeEmpty();
        stages[0]["on"].Text.ShouldBe("");

        var talksSheet = ExportSupport.Records(book["TalksHeld"]);
        book["TalksHeld"][0].Select(c => c.Text).ShouldContain("participants");
        talksSheet.Count.ShouldBe(3);
        talksSheet.Single(r => r["eventId"].Text == talks.ToString())["participants"].ShouldBe(new XlsxCell("inlineStr", "US; TB"));
        talksSheet.ShouldAllBe(r => r["location"].Text == "Doha");
        ExportSupport.Records(book["PrisonerReleased"]).ShouldAllBe(r => r["person"].Text == "someone" && r["terms"].Text == "Goodwill");
    }

    [Fact]
    public async Task Given_a_record_When_exported_as_CAMEO_rows_with_an_actor_mapping_Then_one_row_per_effective_event_with_codes_weights_and_PLOVER()
    {
        var (id, talks, month, retracted) = await app.GivenRecord();

        var (status, bytes, contentType) = await app.GetBytes($"/api/negotiations/{id}/cameo?party=US%3DUSA&party=TB%3DAFGTAL");

        status.ShouldBe(200);
        contentType.ShouldStartWith("text/csv");
        var lines = Encoding.UTF8.GetString(bytes).TrimEnd('\r', '\n').Split("\r\n");
        lines[0].ShouldBe(string.Join(",", CameoExport.Columns));
        lines.Length.ShouldBe(1 + 5); // six events posted, one retracted (and the retraction itself is no event of the record)
        lines.ShouldNotContain(l => l.StartsWith(retracted.ToString()));
        var talksRow = lines.Single(l => l.StartsWith(talks.ToString())).Split(',');
        talksRow[4..11].ShouldBe(["USA", "AFGTAL", "046", "046", "04", "7", "CONSULT"]);
        var monthRow = lines.Single(l => l.StartsWith(month.ToString())).Split(',');
        monthRow[1..4].ShouldBe(["20250331", "2025-03", "Month"]);
        monthRow[4..6].ShouldBe(["AFGTAL", "USA"]);
        lines.Single(l => l.Contains(",ThreatIssued,")).ShouldContain(",USA,AFGTAL,138,138,13,-7,THREATEN,");
    }

    [Fact]
    public async Task Given_no_mapping_When_exported_as_CAMEO_XLSX_Then_the_party_codes_are_the_actor_codes_and_codes_are_text()
    {
        var (id, talks, _, _) = await app.GivenRecord();

        var (status, bytes, _) = await app.GetBytes($"/api/negotiations/{id}/cameo?format=xlsx");

        status.ShouldBe(200);
        var rows = ExportSupport.Records(ExportSupport.ReadWorkbook(bytes)["Events"]);
        var t = rows.Single(r => r["GLOBALEVENTID"].Text == talks.ToString());
        t["Actor1Code"].Text.ShouldBe("US");
        t["EventCode"].ShouldBe(new XlsxCell("inlineStr", "046"));
        t["SQLDATE"].IsText().ShouldBeTrue();
        t["GoldsteinScale"].Kind.ShouldBe("n");
    }

    [Theory]
    [InlineData("party=US", "party", "invalid_party_mapping")]
    [InlineData("party=US%3DUSA&party=US%3DAFG", "party", "invalid_party_mapping")]
    [InlineData("format=ndjson", "format", "unknown_value")]
    [InlineData("knownAt=yesterday", "knownAt", "invalid_instant")]
    [InlineData("actor=US", "actor", "unknown_parameter")]
    public async Task Given_a_bad_CAMEO_query_Then_400_naming_the_parameter(string query, string path, string code)
    {
        var id = await app.GivenNegotiation("cq");

        var (status, body) = await app.GetJson($"/api/negotiations/{id}/cameo?{query}");

        status.ShouldBe(400);
        body.ShouldHaveError(path, code);
    }

    [Fact]
    public async Task Given_no_such_negotiation_When_asking_for_CAMEO_rows_Then_404()
    {
        var (status, body) = await app.GetJson("/api/negotiations/no-such-thing/cameo");

        status.ShouldBe(404);
        body.ShouldBeProblem("negotiation_not_found");
    }
}
