using System.Text;
using System.Text.Json;
using Normalization.Api.Importing.EventData;
using Normalization.Api.Importing.Files;
using Normalization.Api.Timeline;
using Normalization.Domain.Catalog;
using Normalization.Domain.Histories;

namespace Normalization.Api.Importing;

public static partial class HistoryFile
{
    /// <summary>
    /// The lines of an NDJSON file as people produce them: one object per line (blank lines skipped and counted in
    /// <paramref name="blank"/>); a JSON array (<c>[{…},{…}]</c>, on one line or pretty-printed) read element by element, each
    /// numbered by the line it starts on; JSON objects spread over several lines (<c>jq .</c>) refused with one
    /// <see cref="TextFault"/> saying so. Text that is not in the file's encoding throws <see cref="TextFault"/> naming its line.
    /// </summary>
    public static IEnumerable<NdjsonHistory.Line> ReadNdjson(InputFile file, Func<InputFile> reopen, Action blank)
    {
        var reader = file.OpenText();
        var number = 0;
        string? first;
        try
        {
            while ((first = reader.ReadLine()) is not null)
            {
                number++;
                if (first.Contains('\0')) throw TextFault.NulCharacters(number);
                if (!string.IsNullOrWhiteSpace(first)) break;
                blank();
            }
        }
        catch (DecoderFallbackException) { throw Located(file, reopen); }
        if (first is null) yield break;

        var trimmed = first.TrimStart();
        if (trimmed.StartsWith('['))
        {
            string rest;
            try { rest = reader.ReadToEnd(); }
            catch (DecoderFallbackException) { throw Located(file, reopen); }
            foreach (var line in ReadArray(first + "\n" + rest, number)) yield return line;
            yield break;
        }
        if (trimmed.StartsWith('{') && IsIncompleteJson(trimmed))
            throw new TextFault(number, "not_ndjson",
                $"Line {number} starts a JSON object that goes on over the next lines (pretty-printed, e.g. by `jq .`), but NDJSON needs one JSON object per line. " +
                "Convert it with `jq -c . file.json > file.ndjson` (a JSON array: `jq -c '.[]'`), or send the JSON array as it is.");

        if (CsvHeader(trimmed) is { } separator)
            throw new TextFault(number, "not_ndjson",
                $"Line {number} is a CSV header ({(separator == '\t' ? "tab" : $"'{separator}'")}-separated, with type and occurredOn): the file is CSV, read here as NDJSON. " +
                "Import it as CSV: format=csv over HTTP, --format csv on the command line (a file named .csv or .csv.gz is read as CSV).");
        if (EventDataLine(trimmed) is { } format)
            throw new TextFault(number, "not_ndjson",
                $"Line {number} is {format.ToUpperInvariant()} event data, read here as NDJSON. Import it as event data: format={format} with a party=CODE=ACTOR " +
                $"for each party and scenario=NAME or commit=true over HTTP; --format {format} --party CODE=ACTOR … and --as-scenario NAME or --commit on the command line (docs/event-data.md).");

        yield return WithId(NdjsonHistory.ParseLine(number, first), first);
        using var lines = Lines(reader, number, blank).GetEnumerator();
        while (true)
        {
            try
            {
                if (!lines.MoveNext()) break;
            }
            catch (DecoderFallbackException) { throw Located(file, reopen); }
            yield return lines.Current;
        }
    }

    static IEnumerable<NdjsonHistory.Line> Lines(TextReader reader, int before, Action blank)
    {
        // The same block-parallel parse as Read, counting blank lines and refusing NUL characters.
        var counting = new CountingReader(reader, before, blank);
        return ReadNdjson(counting, before);
    }

    /// <summary>A reader that counts blank lines and refuses NUL characters, line by line.</summary>
    sealed class CountingReader(TextReader inner, int before, Action blank) : TextReader
    {
        int _number = before;

        public override string? ReadLine()
        {
            var line = inner.ReadLine();
            if (line is null) return null;
            _number++;
            if (line.Contains('\0')) throw TextFault.NulCharacters(_number);
            if (string.IsNullOrWhiteSpace(line)) blank();
            return line;
        }
    }

    /// <summary>
    /// The separator of a first line that is the CSV layout's header (or Excel's <c>sep=;</c> line) rather than JSON: without it,
    /// a CSV posted with no <c>format</c> (which defaults to NDJSON) was answered with one <c>malformed_json</c> per row, none
    /// saying the file was CSV. Null for anything else, which is then read (and judged) as a JSON line.
    /// </summary>
    static char? CsvHeader(string line)
    {
        if (line.StartsWith('{') || line.StartsWith('[')) return null;
        if (line.Length == 5 && line.StartsWith("sep=", StringComparison.OrdinalIgnoreCase)) return line[4];
        foreach (var separator in new[] { ',', ';', '\t' })
        {
            var cells = line.Split(separator).Select(c => c.Trim().Trim('"').Trim()).ToList();
            if (cells.Count > 1 && cells.Contains("type", StringComparer.OrdinalIgnoreCase) && cells.Contains("occurredOn", StringComparer.OrdinalIgnoreCase))
                return separator;
        }
        return null;
    }

    /// <summary>
    /// The event-data format whose file starts with <paramref name="line"/> — a GDELT row as published (57, 58 or 61
    /// tab-separated cells, a numeric GLOBALEVENTID first) or a header naming GLOBALEVENTID, an ICEWS header (Event ID, CAMEO
    /// Code), a POLECAT one (Event ID, Event Type) — or null: such a file read as NDJSON (no format given) would be a
    /// <c>malformed_json</c> per row.
    /// </summary>
    static string? EventDataLine(string line)
    {
        if (line.StartsWith('{') || line.StartsWith('[')) return null;
        var tabs = line.Split('\t');
        if (tabs.Length is EventDataReaders.GdeltColumns or EventDataReaders.Gdelt1Columns or EventDataReaders.Gdelt1BackfileColumns
            && tabs[0].Length > 0 && tabs[0].All(char.IsAsciiDigit)) return "gdelt";
        var cells = line.Split('\t', ',').Select(c => c.Trim().Trim('"').Trim()).ToList();
        bool Has(string name) => cells.Contains(name, StringComparer.OrdinalIgnoreCase);
        if (Has("GLOBALEVENTID")) return "gdelt";
        if (Has("Event ID") && Has("CAMEO Code")) return "icews";
        if (Has("Event ID") && Has("Event Type")) return "polecat";
        return null;
    }

    static TextFault Located(InputFile file, Func<InputFile> reopen)
    {
        using var again = reopen();
        var at = Utf8Check.FirstInvalidLine(again.Stream);
        return at is { } a ? TextFault.InvalidUtf8(a.Line, a.Byte) : new TextFault(0, "invalid_encoding", $"The file is not valid {file.Encoding?.WebName ?? "UTF-8"} text.");
    }

    /// <summary>Whether <paramref name="text"/> is the start of a JSON value that is not complete on this line.</summary>
    static bool IsIncompleteJson(string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var reader = new Utf8JsonReader(bytes, isFinalBlock: false, state: default);
        try
        {
            while (reader.Read())
                if (reader.CurrentDepth == 0 && reader.TokenType is JsonTokenType.EndObject or JsonTokenType.EndArray) return false;
            return true;
        }
        catch (JsonException) { return false; }
    }

    /// <summary>The elements of a JSON array, each parsed as a line numbered by where it starts.</summary>
    static IEnumerable<NdjsonHistory.Line> ReadArray(string text, int firstLine)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var items = new List<(int Line, string Json)>();
        LineError? error = null;
        var reader = new Utf8JsonReader(bytes, new JsonReaderOptions { MaxDepth = 64 });
        var line = firstLine;
        var counted = 0;
        int LineAt(long offset)
        {
            line += bytes.AsSpan(counted, (int)offset - counted).Count((byte)'\n');
            counted = (int)offset;
            return line;
        }
        try
        {
            reader.Read(); // [
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                var at = LineAt(reader.TokenStartIndex);
                using var element = JsonDocument.ParseValue(ref reader);
                items.Add((at, element.RootElement.GetRawText()));
            }
            if (reader.Read()) error = new LineError(LineAt(reader.TokenStartIndex), "", "malformed_json", "Text follows the end of the JSON array.");
        }
        catch (JsonException ex)
        {
            error = new LineError(firstLine + (int)(ex.LineNumber ?? 0), "", "malformed_json", "The JSON array is not valid JSON: " + (JsonQuotes.Advice(bytes, ex) ?? ex.Message));
        }
        foreach (var (at, json) in items) yield return WithId(NdjsonHistory.ParseLine(at, json), json);
        if (error is not null) yield return new NdjsonHistory.Line(error.Line, null, null, [error]);
    }

    /// <summary>
    /// Rows of a CSV file in the timeline layout (<see cref="TimelineEndpoint.CsvColumns"/>), read by CsvHelper: the separator
    /// (<c>,</c> <c>;</c> tab) detected, a byte-order mark accepted, blank rows skipped (counted by the reader), dates a
    /// spreadsheet re-saved (<c>3/20/2025</c>) refused naming the expected form.
    /// </summary>
    public static IEnumerable<NdjsonHistory.Line> ReadCsv(TabularReader csv)
    {
        var header = csv.Headers.ToArray();
        if (header.All(string.IsNullOrWhiteSpace))
        {
            // An empty file, or blank lines above the header: the header's own checks would report every column missing and
            // an unnamed one, which says nothing of the fix.
            yield return Fail(1, "", "missing_header",
                $"Line 1 is blank or the file is empty: the first line must be the header naming the columns ({string.Join(",", TimelineEndpoint.CsvColumns)}; " +
                "type, occurredOn and actor required). Remove any blank lines above it.");
            yield break;
        }
        Dictionary<string, int> columns = new(StringComparer.OrdinalIgnoreCase);
        // Header cells left blank: the empty columns a spreadsheet adds after the last one used. Read as nothing while their cells
        // are empty too; a row with text under one is an error naming the column, since that text would otherwise be lost.
        var unnamed = new List<int>();
        var problems = new List<LineError>();
        for (var i = 0; i < header.Length; i++)
        {
            var name = header[i].Trim();
            if (name.Length == 0) unnamed.Add(i);
            else if (!TimelineEndpoint.CsvColumns.Contains(name, StringComparer.OrdinalIgnoreCase))
                problems.Add(new LineError(1, name, "unknown_column", $"Unknown column '{name}'. Columns: {string.Join(",", TimelineEndpoint.CsvColumns)} (separated by , ; or tab)."));
            else if (!columns.TryAdd(name, i))
                problems.Add(new LineError(1, name, "duplicate_column", $"Column '{name}' appears twice."));
        }
        foreach (var required in new[] { "type", "occurredOn", "actor" })
            if (!columns.ContainsKey(required)) problems.Add(new LineError(1, required, "missing_column", $"The header must have a '{required}' column."));
        if (problems.Count > 0)
        {
            yield return new NdjsonHistory.Line(1, null, null, problems);
            // An unknown column is left out and the rows are still read, so their errors come with the header's; a missing
            // or repeated column stops there: every row would restate it, or which cell counts would be a guess.
            if (problems.Any(p => p.Code != "unknown_column")) yield break;
        }

        while (csv.Read())
        {
            foreach (var m in csv.TakeMalformed()) yield return new NdjsonHistory.Line(m.Line, null, null, [m]);
            var line = csv.Line;
            var fields = csv.Fields();
            if (fields.Length != header.Length)
            {
                yield return Fail(line, "", "wrong_column_count", $"The row has {fields.Length} columns; the header has {header.Length}.");
                continue;
            }
            var cells = new List<LineError>();
            foreach (var i in unnamed)
                if (fields[i].Trim().Length > 0)
                    cells.Add(new LineError(0, "", "unnamed_column",
                        $"Column {i + 1} has no name in the header, but this row has '{(fields[i].Length > 40 ? fields[i][..40] + "…" : fields[i])}' in it: name the column (one of the layout's) or clear it."));
            var json = RowToJson(fields, columns, cells, out var fieldsUnread);
            var text = json.ToJsonString();
            var parsed = WithId(NdjsonHistory.ParseLine(line, text), text);
            if (cells.Count == 0) { yield return parsed; continue; }
            // Every error of the row at once: its bad cells, then what the event reader found in the rest — less what
            // only restates a bad cell (a left-out occurredOn is not also "required") and, when the fields cell could not
            // be read, the type's own fields (they cannot be judged).
            var rest = parsed.Errors.Where(e => !cells.Any(c => e.Path == c.Path || e.Path.StartsWith(c.Path + ".", StringComparison.Ordinal) || e.Path.StartsWith(c.Path + "[", StringComparison.Ordinal))
                && (!fieldsUnread || IsEnvelopePath(e.Path)));
            yield return new NdjsonHistory.Line(line, null, null, [.. cells.Select(c => c with { Line = line }), .. rest]);
        }
        foreach (var m in csv.TakeMalformed()) yield return new NdjsonHistory.Line(m.Line, null, null, [m]);
    }

    /// <summary>True when an error's path is one of the envelope's fields (the same for every type: <see cref="EventCatalog.EnvelopeFields"/>).</summary>
    static bool IsEnvelopePath(string path)
    {
        var name = path.Split('.', '[')[0];
        return name.Length == 0 || EventCatalog.EnvelopeFields.Any(f => f.Name == name);
    }
}
