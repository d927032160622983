using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Normalization.Api.Exporting;
using Normalization.Api.Importing;
using Normalization.Api.Storage;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using Normalization.Domain.Catalog;

namespace Normalization.Api.Tests.Exporting;

/// <summary>CSV for Excel: UTF-8 with BOM, CRLF, formula-leading cells protected, and read back by the importer unchanged.</summary>
[Collection(ApiCollection.Name)]
public sealed class ExcelCsvTests(AppFixture app)
{
    NegotiationStore Store => app.Host.Services.GetRequiredService<NegotiationStore>();

    [Fact]
    public async Task Given_formula_like_notes_When_the_timeline_is_exported_in_the_Excel_dialect_Then_BOM_CRLF_and_every_such_cell_starts_with_an_apostrophe()
    {
        var (id, _, _, _) = await app.GivenRecord();

        var (status, bytes, contentType) = await app.GetBytes($"/api/negotiations/{id}/timeline?format=csv&dialect=excel");

        status.ShouldBe(200);
        contentType.ShouldStartWith("text/csv");
        bytes.Take(3).ShouldBe(new byte[] { 0xEF, 0xBB, 0xBF });
        var text = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 3);
        text.ShouldEndWith("\r\n");
        text.Replace("\r\n", "").ShouldNotContain("\n"); // no bare LF: every record ends with CRLF
        foreach (var note in ExportSupport.FormulaNotes)
        {
            // CsvHelper quotes the cells it protects; a leading apostrophe is doubled (unquoted) so the import can undo both.
            var quoted = note[0] == '\'' ? "'" + note : "\"'" + note.Replace("\"", "\"\"") + "\"";
            text.ShouldContain("," + quoted + ",", customMessage: $"the note {note} is protected");
        }
        // A threat weighs -7: a number, not text, so it is not protected.
        text.ShouldContain(",ThreatIssued,");
        text.ShouldContain(",138,-7,THREATEN,");
        text.ShouldNotContain("'-7");
    }

    [Fact]
    public async Task Given_the_plain_dialect_Then_no_BOM_and_formulas_as_written_but_a_leading_apostrophe_is_doubled()
    {
        var (id, _, _, _) = await app.GivenRecord();

        var (status, bytes, _) = await app.GetBytes($"/api/negotiations/{id}/timeline?format=csv");

        status.ShouldBe(200);
        bytes[0].ShouldBe((byte)'e'); // "eventId,…": no byte order mark
        var text = Encoding.UTF8.GetString(bytes);
        text.ShouldContain(",+1+1,");
        text.ShouldContain(",''quoted,");
    }

    [Fact]
    public async Task Given_an_Excel_dialect_export_When_imported_into_a_new_negotiation_Then_every_event_is_the_same_record()
    {
        var (source, _, _, _) = await app.GivenRecord();
        var path = Path.Combine(Path.GetTempPath(), $"{source}.{Guid.NewGuid():N}.csv");
        var exporter = app.Host.Services.GetRequiredService<Exporter>();
        await using (var file = File.Create(path))
            await exporter.ExportAsync(source, ExportFormat.Csv, null, file, new ExportOptions(CsvDialect.Excel));
        var opening = (await Store.LoadHistoryAsync(source))!.Opening;
        var target = TestApi.NewId("xlrt");

        var report = await app.Host.Services.GetRequiredService<Importer>().ImportAsync(new ImportRequest
            { Path = path, Into = target, Title = opening.Title, Parties = opening.Parties, Mediators = opening.Mediators });

        report.Errors.ShouldBeEmpty();
        var before = (await Store.LoadHistoryAsync(source))!.Events.Select(e => EventJson.Serialize(e.Event)).ToList();
        var after = (await Store.LoadHistoryAsync(target))!.Events.Select(e => EventJson.Serialize(e.Event)).ToList();
        after.ShouldBe(before);
        (await Store.LoadHistoryAsync(target))!.Events.Where(e => e.Event is not EventRetracted).Select(e => e.Event.Note)
            .ShouldBe(ExportSupport.FormulaNotes, ignoreOrder: true);
    }

    [Theory]
    [InlineData("dialect=lotus", "dialect")]
    [InlineData("format=pdf", "format")]
    public async Task Given_a_bad_export_parameter_When_reading_the_timeline_Then_400_naming_it(string query, string path)
    {
        var id = await app.GivenNegotiation("xlq");

        var (status, body) = await app.GetJson($"/api/negotiations/{id}/timeline?{query}");

        status.ShouldBe(400);
        body.ShouldHaveError(path, "unknown_value");
    }

    [Theory]
    [InlineData("=1+1")]
    [InlineData("'=1+1")]
    [InlineData("''")]
    [InlineData("'tis")]
    [InlineData("-")]
    [InlineData("plain")]
    [InlineData("'")]
    public void Given_any_text_When_protected_by_the_Excel_dialect_and_unprotected_Then_it_is_unchanged(string text)
    {
        var bytes = TimelineCsv.ToBytes(CsvDialect.Excel, csv => { csv.WriteText(text); csv.EndRecord(); });
        var cell = Encoding.UTF8.GetString(bytes, 3, bytes.Length - 5);
        if (cell.StartsWith('"')) cell = cell[1..^1].Replace("\"\"", "\"");

        CsvDialects.Unprotect(cell).ShouldBe(text);
    }
}
