using System.Text.Json;
using System.Text.Json.Nodes;
using Normalization.Api.Timeline;
using Normalization.Domain.Histories;

namespace Normalization.Api.Importing;

/// <summary>The formats a history can be imported from: ours (NDJSON, CSV) and the event-data sets (docs/event-data.md).</summary>
public enum HistoryFormat { Ndjson, Csv, Gdelt, Icews, Polecat }

/// <summary>
/// Reads a history file record by record, streamed: NDJSON lines as they are, CSV rows (the timeline layout,
/// <see cref="TimelineEndpoint.CsvColumns"/>) turned into the same flat event JSON, then parsed by
/// <see cref="NdjsonHistory.ParseLine"/>. Events without an eventId get one derived from their text, so
/// re-importing the same file is idempotent.
/// </summary>
public static partial class HistoryFile
{
    /// <summary>Columns that are computed on export and ignored on import.</summary>
    public static readonly string[] IgnoredCsvColumns = ["status", "cameo", "goldstein", "plover"];

    /// <summary>The format named by <paramref name="format"/>, else by the file's name: CSV for <c>.csv</c> and <c>.csv.gz</c>, else NDJSON.</summary>
    /// <exception cref="ImportException">An unknown format name.</exception>
    public static HistoryFormat FormatOf(string path, string? format)
    {
        if (!string.IsNullOrWhiteSpace(format))
            return format.ToLowerInvariant() switch
            {
                "ndjson" or "jsonl" => HistoryFormat.Ndjson,
                "csv" => HistoryFormat.Csv,
                "gdelt" => HistoryFormat.Gdelt,
                "icews" => HistoryFormat.Icews,
                "polecat" => HistoryFormat.Polecat,
                _ => throw new ImportException($"Unknown format '{format}': use ndjson, csv, gdelt, icews or polecat."),
            };
        // A gzip file is named for what it holds plus .gz (events.csv.gz): the format is the name's before it.
        var name = Path.GetFileName(path);
        if (name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)) name = name[..^3];
        return Path.GetExtension(name).Equals(".csv", StringComparison.OrdinalIgnoreCase) ? HistoryFormat.Csv : HistoryFormat.Ndjson;
    }

    /// <summary>The records of an NDJSON text, parsed, in file order (blank lines skipped).</summary>
    public static IEnumerable<NdjsonHistory.Line> Read(TextReader reader) => ReadNdjson(reader, 0);

    /// <summary>Lines of NDJSON from <paramref name="reader"/>, numbered after <paramref name="before"/> lines already read.</summary>
    internal static IEnumerable<NdjsonHistory.Line> ReadNdjson(TextReader reader, int before)
    {
        // Lines are independent: parse a block of them on every core, then hand them out in file order.
        const int block = 4_096;
        var texts = new List<(int Number, string Text)>(block);
        var number = before;
        var end = false;
        while (!end)
        {
            texts.Clear();
            while (texts.Count < block)
            {
                if (reader.ReadLine() is not { } text) { end = true; break; }
                number++;
                if (!string.IsNullOrWhiteSpace(text)) texts.Add((number, text));
            }
            var parsed = new NdjsonHistory.Line[texts.Count];
            if (texts.Count < 64)
                for (var i = 0; i < texts.Count; i++) parsed[i] = WithId(NdjsonHistory.ParseLine(texts[i].Number, texts[i].Text), texts[i].Text);
            else
                Parallel.For(0, texts.Count, i => parsed[i] = WithId(NdjsonHistory.ParseLine(texts[i].Number, texts[i].Text), texts[i].Text));
            foreach (var line in parsed) yield return line;
        }
    }

    static NdjsonHistory.Line WithId(NdjsonHistory.Line line, string text) => NdjsonHistory.WithDerivedId(line, text);

    /// <summary>A stable id for an event given without one: a name-based GUID of its text (<see cref="NdjsonHistory.DerivedId"/>, the package's too).</summary>
    public static Guid DerivedId(string text) => NdjsonHistory.DerivedId(text);

    static NdjsonHistory.Line Fail(int line, string path, string code, string message) => new(line, null, null, [new LineError(line, path, code, message)]);

    /// <summary>
    /// A CSV row as the flat JSON event it stands for, and the problems of its cells found on the way (paths as the
    /// columns are named, line 0: the caller sets it). A bad cell is reported and left out, and the row is still built
    /// from the rest, so that the event reader judges the other cells too (every error at once, docs/api.md);
    /// <paramref name="fieldsUnread"/> says the fields cell could not be read, so its type's own fields cannot be judged.
    /// </summary>
    static JsonObject RowToJson(string[] fields, Dictionary<string, int> columns, List<LineError> problems, out bool fieldsUnread)
    {
        // A cell an export protected from spreadsheets (a leading apostrophe, Exporting/CsvDialect.cs) reads as it was exported.
        string? Get(string name) => columns.TryGetValue(name, out var i) && fields[i].Length > 0 ? Exporting.CsvDialects.Unprotect(fields[i]) : null;
        fieldsUnread = false;
        var obj = new JsonObject();
        var fieldsJson = Get("fields");
        try
        {
            var node = fieldsJson is null ? new JsonObject() : JsonNode.Parse(fieldsJson);
            if (node is JsonObject o) obj = o;
            else { fieldsUnread = true; problems.Add(new LineError(0, "fields", "wrong_type", "The fields column must hold a JSON object.")); }
        }
        catch (JsonException ex) { fieldsUnread = true; problems.Add(new LineError(0, "fields", "malformed_json", "The fields column is not valid JSON: " + (JsonQuotes.Advice(fieldsJson ?? "", ex) ?? ex.Message))); }

        var ordered = new JsonObject();
        if (Get("eventId") is { } id) ordered["eventId"] = id;
        if (Get("type") is { } type) ordered["type"] = type;
        if (Get("occurredOn") is { } on)
        {
            if (EventData.EventDataReaders.LooksLikeExcel(on.Trim()))
                problems.Add(new LineError(0, "occurredOn", "excel_date", EventData.EventDataReaders.HistoryDateProblem("occurredOn", on.Trim())));
            else ordered["occurredOn"] = on;
        }
        if (Get("actor") is { } actor) ordered["actor"] = actor;
        if (Get("target") is { } target) ordered["target"] = target;
        if (Get("confidence") is { } confidence) ordered["confidence"] = confidence;
        if (Get("sources") is { } sources)
        {
            try { ordered["sources"] = JsonNode.Parse(sources); }
            catch (JsonException ex) { problems.Add(new LineError(0, "sources", "malformed_json", "The sources column is not valid JSON: " + (JsonQuotes.Advice(sources, ex) ?? ex.Message))); }
        }
        if (Get("note") is { } note) ordered["note"] = note;
        foreach (var (k, v) in obj.ToList())
        {
            obj.Remove(k);
            if (ordered.ContainsKey(k) || problems.Any(p => p.Path == k))
                problems.Add(new LineError(0, "fields." + k, "duplicate_field", $"'{k}' is a column of its own; it must not be repeated in fields."));
            else ordered[k] = v;
        }
        return ordered;
    }

}

/// <summary>A problem with the import as a whole (bad options, unknown format, no negotiation to import into).</summary>
public sealed class ImportException(string message, string? parameter = null, string? httpMessage = null, int? currentVersion = null) : Exception(message)
{
    /// <summary>
    /// Set when the import gave up because the negotiation kept changing under it (other writers appending while the file was
    /// validated, every try): the stream version it was last seen at. Over HTTP a 409 <c>version_conflict</c> — a conflict
    /// with other writers that a later try may not meet, not a fault of the request.
    /// </summary>
    public int? CurrentVersion { get; } = currentVersion;

    /// <summary>What the refusal is about over HTTP: the query parameter (<c>party</c>, <c>scenario</c>, …) or <c>body</c>; null: not said.</summary>
    public string? Parameter { get; } = parameter;

    /// <summary>The message in the HTTP endpoint's words (<c>party=CODE=ACTOR</c>), when the command's options differ; null: <see cref="Exception.Message"/>.</summary>
    public string? HttpMessage { get; } = httpMessage;
}
