using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Normalization.Api.Timeline;
using Normalization.Domain.Histories;

namespace Normalization.Api.Importing;

public enum HistoryFormat { Ndjson, Csv }

/// <summary>
/// Reads a history file record by record, streamed: NDJSON lines as they are, CSV rows (the timeline layout,
/// <see cref="TimelineEndpoint.CsvColumns"/>) turned into the same flat event JSON, then parsed by
/// <see cref="NdjsonHistory.ParseLine"/>. Events without an eventId get one derived from their text, so
/// re-importing the same file is idempotent.
/// </summary>
public static class HistoryFile
{
    /// <summary>Columns that are computed on export and ignored on import.</summary>
    public static readonly string[] IgnoredCsvColumns = ["status", "cameo", "goldstein", "plover"];

    public static HistoryFormat FormatOf(string path, string? format)
    {
        if (!string.IsNullOrWhiteSpace(format))
            return format.ToLowerInvariant() switch
            {
                "ndjson" or "jsonl" => HistoryFormat.Ndjson,
                "csv" => HistoryFormat.Csv,
                _ => throw new ImportException($"Unknown format '{format}': use ndjson or csv."),
            };
        return Path.GetExtension(path).Equals(".csv", StringComparison.OrdinalIgnoreCase) ? HistoryFormat.Csv : HistoryFormat.Ndjson;
    }

    /// <summary>The records of a file, parsed, in file order.</summary>
    public static IEnumerable<NdjsonHistory.Line> Read(TextReader reader, HistoryFormat format) =>
        format == HistoryFormat.Csv ? ReadCsv(reader) : ReadNdjson(reader);

    static IEnumerable<NdjsonHistory.Line> ReadNdjson(TextReader reader)
    {
        // Lines are independent: parse a block of them on every core, then hand them out in file order.
        const int block = 4_096;
        var texts = new List<(int Number, string Text)>(block);
        var number = 0;
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

    static NdjsonHistory.Line WithId(NdjsonHistory.Line line, string text) =>
        line.Event is { } e && e.EventId == Guid.Empty ? line with { Event = e with { EventId = DerivedId(text) } } : line;

    /// <summary>A stable id for an event given without one: a name-based GUID of its text.</summary>
    public static Guid DerivedId(string text)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), hash);
        var bytes = hash[..16].ToArray();
        bytes[7] = (byte)((bytes[7] & 0x0F) | 0x50); // version 5-like (name-based)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 4122 variant
        return new Guid(bytes);
    }

    static IEnumerable<NdjsonHistory.Line> ReadCsv(TextReader reader)
    {
        string[]? header = null;
        Dictionary<string, int> columns = new(StringComparer.OrdinalIgnoreCase);
        foreach (var (line, fields, error) in CsvRows(reader))
        {
            if (error is not null) { yield return Fail(line, "", "malformed_csv", error); continue; }
            if (header is null)
            {
                header = fields;
                var problems = new List<LineError>();
                for (var i = 0; i < header.Length; i++)
                {
                    var name = header[i].Trim();
                    if (!TimelineEndpoint.CsvColumns.Contains(name, StringComparer.OrdinalIgnoreCase))
                        problems.Add(new LineError(line, name, "unknown_column", $"Unknown column '{name}'. Columns: {string.Join(",", TimelineEndpoint.CsvColumns)}."));
                    else if (!columns.TryAdd(name, i))
                        problems.Add(new LineError(line, name, "duplicate_column", $"Column '{name}' appears twice."));
                }
                foreach (var required in new[] { "type", "occurredOn", "actor" })
                    if (!columns.ContainsKey(required)) problems.Add(new LineError(line, required, "missing_column", $"The header must have a '{required}' column."));
                if (problems.Count > 0) { yield return new NdjsonHistory.Line(line, null, null, problems); yield break; }
                continue;
            }
            if (fields.Length == 1 && fields[0].Length == 0) continue;
            if (fields.Length != header.Length)
            {
                yield return Fail(line, "", "wrong_column_count", $"The row has {fields.Length} columns; the header has {header.Length}.");
                continue;
            }
            var (json, err) = RowToJson(fields, columns);
            if (err is not null) { yield return new NdjsonHistory.Line(line, null, null, [err with { Line = line }]); continue; }
            var text = json!.ToJsonString();
            yield return WithId(NdjsonHistory.ParseLine(line, text), text);
        }
    }

    static NdjsonHistory.Line Fail(int line, string path, string code, string message) => new(line, null, null, [new LineError(line, path, code, message)]);

    static (JsonObject?, LineError?) RowToJson(string[] fields, Dictionary<string, int> columns)
    {
        // A cell an export protected from spreadsheets (a leading apostrophe, Exporting/CsvDialect.cs) reads as it was exported.
        string? Get(string name) => columns.TryGetValue(name, out var i) && fields[i].Length > 0 ? Exporting.CsvDialects.Unprotect(fields[i]) : null;
        JsonObject obj;
        try
        {
            var fieldsJson = Get("fields");
            var node = fieldsJson is null ? new JsonObject() : JsonNode.Parse(fieldsJson);
            if (node is not JsonObject o) return (null, new LineError(0, "fields", "wrong_type", "The fields column must hold a JSON object."));
            obj = o;
        }
        catch (JsonException ex) { return (null, new LineError(0, "fields", "malformed_json", "The fields column is not valid JSON: " + ex.Message)); }

        var ordered = new JsonObject();
        if (Get("eventId") is { } id) ordered["eventId"] = id;
        if (Get("type") is { } type) ordered["type"] = type;
        if (Get("occurredOn") is { } on) ordered["occurredOn"] = on;
        if (Get("actor") is { } actor) ordered["actor"] = actor;
        if (Get("target") is { } target) ordered["target"] = target;
        if (Get("confidence") is { } confidence) ordered["confidence"] = confidence;
        if (Get("sources") is { } sources)
        {
            try { ordered["sources"] = JsonNode.Parse(sources); }
            catch (JsonException ex) { return (null, new LineError(0, "sources", "malformed_json", "The sources column is not valid JSON: " + ex.Message)); }
        }
        if (Get("note") is { } note) ordered["note"] = note;
        foreach (var (k, v) in obj.ToList())
        {
            obj.Remove(k);
            if (ordered.ContainsKey(k)) return (null, new LineError(0, "fields." + k, "duplicate_field", $"'{k}' is a column of its own; it must not be repeated in fields."));
            ordered[k] = v;
        }
        return (ordered, null);
    }

    /// <summary>RFC 4180 rows (quoted fields may hold commas, quotes and line breaks), with the line each row starts on.</summary>
    public static IEnumerable<(int Line, string[] Fields, string? Error)> CsvRows(TextReader reader)
    {
        var number = 0;
        while (reader.ReadLine() is { } text)
        {
            number++;
            var start = number;
            var fields = new List<string>();
            var sb = new StringBuilder();
            var i = 0;
            string? error = null;
            while (true)
            {
                if (i < text.Length && text[i] == '"')
                {
                    i++;
                    while (true)
                    {
                        if (i >= text.Length)
                        {
                            if (reader.ReadLine() is not { } next) { error = "A quoted field is not closed."; break; }
                            number++;
                            if (sb.Length > NdjsonHistory.MaxLineLength) { error = "A quoted field is too long."; break; }
                            sb.Append('\n');
                            text = next;
                            i = 0;
                            continue;
                        }
                        if (text[i] == '"')
                        {
                            if (i + 1 < text.Length && text[i + 1] == '"') { sb.Append('"'); i += 2; continue; }
                            i++;
                            break;
                        }
                        sb.Append(text[i++]);
                    }
                    if (error is not null) break;
                    if (i < text.Length && text[i] != ',') { error = $"Unexpected character after a quoted field at column {i + 1}."; break; }
                }
                else
                {
                    var comma = text.IndexOf(',', i);
                    var end = comma < 0 ? text.Length : comma;
                    sb.Append(text, i, end - i);
                    i = end;
                }
                fields.Add(sb.ToString());
                sb.Clear();
                if (i >= text.Length) break;
                i++; // the comma
                if (i == text.Length) { fields.Add(""); break; }
            }
            yield return (start, fields.ToArray(), error);
        }
    }
}

/// <summary>A problem with the import as a whole (bad options, unknown format, no negotiation to import into).</summary>
public sealed class ImportException(string message) : Exception(message);
