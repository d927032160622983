using System.Text.Json.Nodes;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Exporting;

/// <summary>A cell read back from an XLSX file: its Open XML type (<c>inlineStr</c>, <c>s</c>, <c>str</c>, <c>n</c>, <c>b</c>) and its text.</summary>
public sealed record XlsxCell(string Kind, string Text);

/// <summary>The Given of the export tests, and reading files back (bytes over HTTP; XLSX with the Open XML SDK).</summary>
public static class ExportSupport
{
    /// <summary>Notes that start like spreadsheet formulas (and one that starts with the protecting apostrophe itself).</summary>
    public static readonly string[] FormulaNotes = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+1+1", "-2+3", "@SUM(A1)", "=cmd|' /C calc'!A0", "'quoted"];

    /// <summary>A negotiation with talks (CAMEO 046, a formula-like note), a release dated by month only, a threat (negative weight) and a retracted release.</summary>
    public static async Task<(string Id, Guid Talks, Guid Month, Guid Retracted)> GivenRecord(this AppFixture app)
    {
        var id = await app.GivenNegotiation("xl");
        var talks = Talks(Day(40));
        talks["note"] = FormulaNotes[0];
        var month = Release("2025-03", "TB", "US");
        month["note"] = FormulaNotes[1];
        var threat = new JsonObject { ["type"] = "ThreatIssued", ["occurredOn"] = Day(30), ["actor"] = "US", ["target"] = "TB", ["confidence"] = "Reported", ["note"] = FormulaNotes[2] };
        var retracted = Release(Day(20), "US", "TB");
        retracted["note"] = FormulaNotes[3];
        var more = Talks(Day(10));
        more["note"] = FormulaNotes[4];
        var last = Talks(Day(5));
        last["note"] = FormulaNotes[5];
        await app.GivenEvents(id, talks, month, threat, retracted, more, last);
        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events/{retracted["eventId"]}/retract", new { reason = "denied" });
        status.ShouldBe(201, body?.ToJsonString());
        return (id, Guid.Parse(talks["eventId"]!.GetValue<string>()), Guid.Parse(month["eventId"]!.GetValue<string>()), Guid.Parse(retracted["eventId"]!.GetValue<string>()));
    }

    public static async Task<(int Status, byte[] Body, string? ContentType)> GetBytes(this AppFixture app, string url)
    {
        var result = await app.Host.Scenario(s => { s.Get.Url(url); s.IgnoreStatusCode(); });
        using var copy = new MemoryStream();
        var body = result.Context.Response.Body;
        if (body.CanSeek) body.Position = 0;
        await body.CopyToAsync(copy);
        return (result.Context.Response.StatusCode, copy.ToArray(), result.Context.Response.ContentType);
    }

    /// <summary>Every sheet of a workbook by name, each as rows of cells (a missing cell is an empty text cell).</summary>
    public static Dictionary<string, List<List<XlsxCell>>> ReadWorkbook(byte[] bytes)
    {
        using var doc = SpreadsheetDocument.Open(new MemoryStream(bytes), false);
        var part = doc.WorkbookPart!;
        var shared = part.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(s => s.InnerText).ToList() ?? [];
        var result = new Dictionary<string, List<List<XlsxCell>>>();
        foreach (var sheet in part.Workbook.Sheets!.Elements<Sheet>())
        {
            var ws = (WorksheetPart)part.GetPartById(sheet.Id!);
            result[sheet.Name!] = ws.Worksheet.Descendants<Row>().Select(r => r.Elements<Cell>().Select(c =>
            {
                var kind = c.DataType?.InnerText ?? "n";
                var text = kind switch
                {
                    "inlineStr" => c.InlineString?.InnerText ?? "",
                    "s" => shared[int.Parse(c.CellValue!.Text)],
                    _ => c.CellValue?.Text ?? "",
                };
                return new XlsxCell(kind, text);
            }).ToList()).ToList();
        }
        return result;
    }

    /// <summary>A sheet as dictionaries keyed by its header row.</summary>
    public static List<Dictionary<string, XlsxCell>> Records(List<List<XlsxCell>> sheet)
    {
        var header = sheet[0].Select(c => c.Text).ToList();
        return sheet.Skip(1).Select(r => header.Select((h, i) => (h, c: i < r.Count ? r[i] : new XlsxCell("inlineStr", ""))).ToDictionary(x => x.h, x => x.c)).ToList();
    }

    public static bool IsText(this XlsxCell c) => c.Kind is "inlineStr" or "s" or "str";
}
