using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsvHelper;
using Normalization.Api.Storage;
using Normalization.Domain.Catalog;
using Normalization.Domain.Stages;

namespace Normalization.Api.Exporting;

/// <summary>
/// The timeline's CSV layout (docs/data.md, "CSV"), written with CsvHelper: the envelope every event has in a column
/// each, then the type's own fields as one JSON object (a CSV has one header for every type; the XLSX export spreads
/// them into columns per type sheet instead). The stage history's layout is here too.
/// </summary>
public static class TimelineCsv
{
    /// <summary>The columns, in order. The import reads the same names (<c>status</c>, <c>cameo</c>, <c>goldstein</c>, <c>plover</c> are ignored there).</summary>
    public static readonly string[] Columns = ["eventId", "type", "occurredOn", "actor", "target", "confidence", "status", "cameo", "goldstein", "plover", "sources", "note", "fields"];

    /// <summary>The stage history's columns: the day (empty for the stage from the baseline), from, to, the rule, the eventIds (space-separated).</summary>
    public static readonly string[] StageColumns = ["on", "from", "to", "rule", "eventIds", "projected"];

    /// <summary>Envelope properties of the flat event JSON; everything else is the type's own fields.</summary>
    public static readonly string[] EnvelopeProperties = ["type", "eventId", "occurredOn", "actor", "target", "confidence", "sources", "note"];

    /// <summary>The type's own fields of <paramref name="e"/> as a JSON object (the flat event JSON without the envelope).</summary>
    public static JsonObject OwnFields(NegotiationEvent e)
    {
        var node = JsonSerializer.SerializeToNode(e, EventJson.Options)!.AsObject();
        foreach (var k in EnvelopeProperties) node.Remove(k);
        return node;
    }

    /// <summary>Writes the header and one row per entry.</summary>
    public static void Write(CsvWriter csv, IEnumerable<TimelineEntry> items)
    {
        csv.WriteHeader(Columns);
        foreach (var i in items) WriteRow(csv, i);
    }

    /// <summary>One row of the layout.</summary>
    public static void WriteRow(CsvWriter csv, TimelineEntry i)
    {
        var e = i.Event;
        csv.WriteText(e.EventId.ToString());
        csv.WriteText(e.Type);
        csv.WriteText(e.OccurredOn.ToString());
        csv.WriteText(e.Actor);
        csv.WriteText(e.Target ?? "");
        csv.WriteText(e.Confidence.ToString());
        csv.WriteText(i.Status.Db());
        csv.WriteText(EventCatalog.CameoOf(e));
        csv.WriteField(EventCatalog.GoldsteinOf(e), "G");
        csv.WriteText(EventCatalog.Of(e).Plover);
        csv.WriteText(JsonSerializer.Serialize(e.Sources, EventJson.Options));
        csv.WriteText(e.Note ?? "");
        csv.WriteText(OwnFields(e).ToJsonString());
        csv.EndRecord();
    }

    /// <summary>Writes the stage history: header, then one row per transition.</summary>
    public static void WriteStages(CsvWriter csv, IEnumerable<StageTransition> transitions)
    {
        csv.WriteHeader(StageColumns);
        foreach (var t in transitions)
        {
            csv.WriteText(t.On?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "");
            csv.WriteText(t.From?.ToString() ?? "");
            csv.WriteText(t.To.ToString());
            csv.WriteText(t.Rule);
            csv.WriteText(string.Join(" ", t.EventIds));
            csv.WriteText(t.Projected == true ? "true" : ""); // after the record's coveredUntil
            csv.EndRecord();
        }
    }

    /// <summary>A whole CSV document in memory (HTTP answers: the response body takes only asynchronous writes).</summary>
    public static byte[] ToBytes(CsvDialect dialect, Action<CsvWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var csv = CsvWriter.Create(buffer, CsvDialects.Options(dialect), leaveOpen: true)) write(csv);
        return buffer.ToArray();
    }
}
