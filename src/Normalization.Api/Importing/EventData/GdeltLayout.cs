using System.Text;
using Normalization.Api.Importing.Files;
using Normalization.Domain.Histories;

namespace Normalization.Api.Importing.EventData;

/// <summary>
/// Where the columns of a GDELT file are. A file as GDELT publishes it (<c>.export.CSV</c>) is tab-separated with no header,
/// its columns found by position (61 in GDELT 2.0, 58 or 57 in 1.0). A file exported from GDELT's BigQuery tables (or any
/// tool that writes the codebook's names first) starts with a header line naming its columns — <c>GLOBALEVENTID</c> among them —
/// and is comma-separated (with quoted fields: <c>"Caracas, Distrito Federal, Venezuela"</c>) or tab-separated, and may hold
/// only the columns the query selected: its columns are found by name, as ICEWS and POLECAT's are.
/// </summary>
public sealed record GdeltLayout(bool Header, char Separator)
{
    /// <summary>The first column's name in the codebook, which tells a header line from a data row (whose cells never hold it).</summary>
    public const string FirstColumn = "GLOBALEVENTID";

    /// <summary>Names of the columns read, as the GDELT 2.0 codebook and BigQuery spell them; the day is <c>SQLDATE</c> (1.0, BigQuery) or <c>Day</c> (2.0).</summary>
    public static readonly string[] Required = [FirstColumn, "SQLDATE|Day", "Actor1Code", "Actor2Code", "EventCode"];

    /// <summary>Columns a query may leave out: the actors are then matched on their codes alone, and events have no URL or GDELT source count.</summary>
    public static readonly string[] Optional = ["Actor1CountryCode", "Actor1KnownGroupCode", "Actor2CountryCode", "Actor2KnownGroupCode", "NumSources", "SOURCEURL"];

    /// <summary>
    /// Looks at the file's first line: a header when one of its cells is <see cref="FirstColumn"/> (any case, a byte-order mark
    /// ignored; a query may select its columns in any order), then comma-separated when it holds no tab. Anything else is read as GDELT publishes it: tab-separated, no header.
    /// </summary>
    public static GdeltLayout Sniff(string path, string? encoding, long? maxDecompressed)
    {
        using var file = InputFile.Open(path, encoding, maxDecompressed);
        using var reader = new StreamReader(file.Stream, file.Encoding ?? new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true);
        var buffer = new char[4096];
        var n = reader.ReadBlock(buffer, 0, buffer.Length);
        var first = new string(buffer, 0, n).Split('\n')[0].TrimStart('\uFEFF', ' ').TrimEnd('\r');
        var tab = first.Contains('\t');
        var header = first.Split(tab ? '\t' : ',').Any(cell => cell.Trim().Trim('"').Equals(FirstColumn, StringComparison.OrdinalIgnoreCase));
        return new GdeltLayout(header, header && !tab ? ',' : '\t');
    }

    /// <summary>
    /// The index of each column read (<see cref="Required"/> then <see cref="Optional"/>, -1 for an optional one the header
    /// lacks), from the header's names; a missing required column is <c>missing_column</c>, a column named twice
    /// <c>duplicate_column</c>, both on line 1 — null then.
    /// </summary>
    public static int[]? Columns(IReadOnlyList<string> headers, List<LineError> errors)
    {
        var names = headers.Select(h => h.Trim().Trim('"')).ToList();
        // Our own CAMEO export (GET …/cameo) names its columns as GDELT does, but its rows are events of a record, already coded
        // by the catalog: read as GDELT they would come back as other, merged events beside the ones they were made from.
        if (names.Contains("EventType", StringComparer.OrdinalIgnoreCase) && names.Contains("DatePrecision", StringComparer.OrdinalIgnoreCase))
        {
            errors.Add(new LineError(1, "", "not_event_data",
                "This is a CAMEO export of a negotiation (GET …/cameo, export --format cameo), not GDELT event data: its rows are " +
                "recorded events. To copy them, import the negotiation's NDJSON or CSV export (GET …/export) instead."));
            return null;
        }
        int[] Find(string spelled) => spelled.Split('|')
            .SelectMany(name => names.Select((h, i) => (h, i)).Where(x => x.h.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(x => x.i))
            .ToArray();
        var at = Required.Concat(Optional).Select(Find).ToArray();
        var missing = Required.Where((name, i) => at[i].Length == 0).Select(name => name.Replace("|", " or ")).ToList();
        if (missing.Count > 0)
            errors.Add(new LineError(1, "", "missing_column",
                $"The GDELT header lacks {string.Join(", ", missing.Select(m => $"'{m}'"))}: a GDELT file with a header (a BigQuery export) " +
                $"must name at least {string.Join(", ", Required.Select(r => r.Replace("|", " or ")))}."));
        var all = Required.Concat(Optional).ToArray();
        foreach (var i in Enumerable.Range(0, all.Length).Where(i => at[i].Length > 1))
            errors.Add(new LineError(1, all[i].Split('|')[0], "duplicate_column", $"Column '{all[i].Replace("|", " or ")}' appears twice in the header."));
        return missing.Count > 0 || at.Any(a => a.Length > 1) ? null : at.Select(a => a.Length == 0 ? -1 : a[0]).ToArray();
    }
}
