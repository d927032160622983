using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Normalization.Api.Storage;
using Normalization.Domain.Catalog;
using Normalization.Domain.Stages;
using SpreadCheetah;
using SpreadCheetah.Worksheets;

namespace Normalization.Api.Exporting;

/// <summary>
/// The timeline and the stage history as an XLSX workbook, written with SpreadCheetah:
/// <list type="bullet">
/// <item><b>Timeline</b>: one row per event, one column per field every event has (<see cref="TimelineColumns"/>);
/// sources as one readable cell (<c>publisher (date) url</c>, several joined by a line break), no JSON.</item>
/// <item><b>Stages</b>: one row per stage transition (<see cref="TimelineCsv.StageColumns"/>).</item>
/// <item>One sheet per event type present (named after the type, cut to Excel's 31 characters), with the eventId, the
/// date and the type's own fields spread into columns, in the order of the catalog's JSON. A field holding a list of
/// plain values (participants, names) is one cell with the values joined by <c>"; "</c>; a field holding objects
/// (a correction's replacement event) stays JSON text.</item>
/// </list>
/// Every text is a text cell (CAMEO <c>046</c>, the date <c>2025-03</c>, an eventId stay as written; Excel converts
/// nothing and runs no formula); Goldstein weights, versions and numbers in the fields are number cells; the instant an
/// event was recorded is a text cell in ISO 8601 UTC so no time zone is applied.
/// </summary>
public static class TimelineWorkbook
{
    /// <summary>The Timeline sheet's columns.</summary>
    public static readonly string[] TimelineColumns =
        ["eventId", "type", "occurredOn", "precision", "actor", "target", "confidence", "status", "cameo", "goldstein", "plover", "sources", "note", "retractedBy", "correctedBy", "version", "recordedAt", "postedBy"];

    /// <summary>The media type of an XLSX file.</summary>
    public const string MediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>Writes the workbook to <paramref name="output"/> (asynchronously: an HTTP body can take it directly).</summary>
    public static async Task WriteAsync(Stream output, IReadOnlyList<TimelineEntry> items, IReadOnlyList<StageTransition> stages, CancellationToken ct = default)
    {
        await using var book = await Spreadsheet.CreateNewAsync(output, cancellationToken: ct);
        await book.StartWorksheetAsync("Timeline", Frozen(), ct);
        await book.AddRowAsync(Texts(TimelineColumns), ct);
        foreach (var i in items) await book.AddRowAsync(TimelineRow(i), ct);

        await book.StartWorksheetAsync("Stages", Frozen(), ct);
        await book.AddRowAsync(Texts(TimelineCsv.StageColumns), ct);
        foreach (var t in stages)
            await book.AddRowAsync(Texts([t.On?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "", t.From?.ToString() ?? "", t.To.ToString(), t.Rule, string.Join(" ", t.EventIds), t.Projected == true ? "true" : ""]), ct);

        foreach (var group in items.GroupBy(i => i.Event.Type).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var rows = group.Select(i => (i.Event, Fields: TimelineCsv.OwnFields(i.Event))).ToList();
            // The union of the fields present, in first-seen order (optional fields may be absent from some events).
            var names = rows.SelectMany(r => r.Fields.Select(p => p.Key)).Distinct().ToList();
            await book.StartWorksheetAsync(SheetName(group.Key), Frozen(), ct);
            await book.AddRowAsync(Texts(["eventId", "occurredOn", "actor", "target", .. names]), ct);
            foreach (var (e, fields) in rows)
            {
                var cells = new List<DataCell> { new(e.EventId.ToString()), new(e.OccurredOn.ToString()), new(e.Actor), new(e.Target ?? "") };
                cells.AddRange(names.Select(n => Spread(fields[n])));
                await book.AddRowAsync(cells, ct);
            }
        }
        await book.FinishAsync(ct);
    }

    /// <summary>A sheet name Excel accepts: at most 31 characters (type names are letters only).</summary>
    public static string SheetName(string type) => type.Length <= 31 ? type : type[..31];

    static WorksheetOptions Frozen() => new() { FrozenRows = 1 };

    static DataCell[] Texts(IEnumerable<string> values) => values.Select(v => new DataCell(v)).ToArray();

    static DataCell[] TimelineRow(TimelineEntry i)
    {
        var e = i.Event;
        return
        [
            new(e.EventId.ToString()), new(e.Type), new(e.OccurredOn.ToString()), new(e.OccurredOn.Precision.ToString()),
            new(e.Actor), new(e.Target ?? ""), new(e.Confidence.ToString()), new(i.Status.Db()),
            new(EventCatalog.CameoOf(e)), new(EventCatalog.GoldsteinOf(e)), new(EventCatalog.Of(e).Plover),
            new(string.Join("\n", e.Sources.Select(SourceText))), new(e.Note ?? ""),
            new(i.RetractedBy?.ToString() ?? ""), new(i.CorrectedBy?.ToString() ?? ""), new(i.Version),
            new(i.RecordedAt.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)), new(i.PostedBy ?? ""),
        ];
    }

    /// <summary>A source as one line of text: publisher, date, attribution, URL (those given).</summary>
    public static string SourceText(Source s) => string.Join(" ", new[]
    {
        s.Publisher, s.PublishedOn is null ? null : $"({s.PublishedOn})", string.IsNullOrEmpty(s.Attribution) ? null : $"— {s.Attribution}", s.Url,
    }.Where(x => !string.IsNullOrEmpty(x)));

    /// <summary>One field's value as a cell: text as text, numbers as numbers, booleans as booleans, a list of plain values joined, anything else JSON text.</summary>
    public static DataCell Spread(JsonNode? value) => value switch
    {
        null => new DataCell((string?)null),
        JsonValue v when v.GetValueKind() == JsonValueKind.String => new DataCell(v.GetValue<string>()),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => new DataCell(v.GetValue<decimal>()),
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => new DataCell(v.GetValue<bool>()),
        JsonArray a when a.All(x => x is JsonValue) => new DataCell(string.Join("; ", a.Select(x => x!.GetValueKind() == JsonValueKind.String ? x.GetValue<string>() : x.ToJsonString()))),
        _ => new DataCell(value.ToJsonString(EventJson.Options)),
    };
}
