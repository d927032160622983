using System.Buffers.Text;
using System.Globalization;
using Normalization.Api.Importing.Files;
using Normalization.Domain.EventData;
using Normalization.Domain.Histories;

namespace Normalization.Api.Importing.EventData;

/// <summary>
/// Reads GDELT, ICEWS and POLECAT files into the <see cref="CodedRow"/>s between the two parties. Every row is counted; only
/// the columns needed to match the actors are looked at for the rows between other actors (most of a file), so reading
/// and filtering stays fast (docs/benchmarks.md). Column layouts are those of the code books (docs/event-data.md).
/// </summary>
public static class EventDataReaders
{
    /// <summary>Columns of the GDELT 2.0 event export (61, no header) that are read; the 1.0 layout (58, or 57 before April 2013) has the same first 35.</summary>
    public const int GdeltColumns = 61, Gdelt1Columns = 58, Gdelt1BackfileColumns = 57;
    const int GlobalEventId = 0, Day = 1, Actor1Code = 5, Actor1Country = 7, Actor1Group = 8, Actor2Code = 15, Actor2Country = 17,
        Actor2Group = 18, EventCode = 26, NumSources = 32;

    /// <summary>The ICEWS coded event data header names read (others are ignored).</summary>
    public static readonly string[] IcewsColumns = ["Event ID", "Event Date", "Source Name", "Source Country", "CAMEO Code", "Target Name", "Target Country", "Publisher"];

    /// <summary>The POLECAT header names read (others are ignored); <c>Source</c> is the publisher.</summary>
    public static readonly string[] PolecatColumns = ["Event ID", "Event Date", "Event Type", "Event Mode", "Actor Name", "Actor Country", "Recipient Name", "Recipient Country", "Source"];

    /// <summary>Columns a file may lack: without them the rows have no publisher, or no PLOVER mode.</summary>
    static readonly string[] OptionalColumns = ["Publisher", "Event Mode", "Source"];

    /// <summary>The rows of <paramref name="file"/> between the two parties, in file order; every row is counted in <paramref name="tally"/>, bad ones as its errors.</summary>
    /// <param name="gdeltHeader">GDELT only: the file starts with the codebook's header line (<see cref="GdeltLayout"/>).</param>
    public static IEnumerable<CodedRow> Read(EventDataFormat format, TabularReader file, PartyMatcher parties, EventDataTally tally, bool gdeltHeader = false) => format switch
    {
        EventDataFormat.Gdelt => Gdelt(file, parties, tally, gdeltHeader),
        EventDataFormat.Icews => WithHeader(file, parties, tally, IcewsColumns, EventDataFormat.Icews),
        _ => WithHeader(file, parties, tally, PolecatColumns, EventDataFormat.Polecat),
    };

    static IEnumerable<CodedRow> Gdelt(TabularReader file, PartyMatcher parties, EventDataTally tally, bool header)
    {
        // With the codebook's header line (a BigQuery export): the columns by name, every row as wide as the header.
        int[]? named = null;
        if (header && (named = GdeltLayout.Columns(file.Headers, tally.Errors)) is null) yield break;
        var width = header ? file.Headers.Count : 0;
        var first = true;
        while (file.Read())
        {
            tally.Errors.AddRange(file.TakeMalformed()); // a comma-separated export's quoting gone wrong (a stray quote)
            tally.Rows++;
            var n = file.FieldCount;
            // A comma-separated file without the header: every row would be one cell. One error says why, not one per row.
            if (first && !header && n == 1 && file.Text(0).Contains(','))
            {
                tally.Errors.Add(new LineError(file.Line, "", "wrong_column_count",
                    $"The file is comma-separated: a GDELT export as GDELT publishes it is tab-separated ({GdeltColumns} columns, no header); " +
                    $"a comma-separated one (a BigQuery export) must start with the codebook's header line ({GdeltLayout.FirstColumn},SQLDATE,…)."));
                yield break;
            }
            first = false;
            if (header ? n != width : n is not (GdeltColumns or Gdelt1Columns or Gdelt1BackfileColumns))
            {
                tally.Errors.Add(new LineError(file.Line, "", "wrong_column_count", header
                    ? $"The row has {n} columns; the GDELT header has {width}."
                    : $"The row has {n} tab-separated columns: a GDELT 2.0 event export has {GdeltColumns}, a GDELT 1.0 one {Gdelt1Columns} (no header)."));
                continue;
            }
            var at = named ?? [GlobalEventId, Day, Actor1Code, Actor2Code, EventCode, Actor1Country, Actor1Group, Actor2Country, Actor2Group,
                NumSources, n == Gdelt1BackfileColumns ? -1 : n - 1];
            var a = parties.Match(Cell(file, at[2]), Cell(file, at[5]), Cell(file, at[6]));
            if (a == PartyMatcher.None) { tally.OtherActors++; continue; }
            var b = parties.Match(Cell(file, at[3]), Cell(file, at[7]), Cell(file, at[8]));
            if (!Dyad(a, b, tally)) continue;
            if (!GdeltDay(Cell(file, at[1]), out var date))
            {
                var column = header ? file.Headers[at[1]].Trim() : "Day";
                tally.Errors.Add(new LineError(file.Line, column, "invalid_date",
                    $"{column} (column {at[1] + 1}) must be a date YYYYMMDD, not '{Cut(file.Text(at[1]))}'."));
                continue;
            }
            var code = CameoCode(file.Text(at[4]));
            if (CodeProblem(file.Line, header ? file.Headers[at[4]].Trim() : "EventCode", at[4], file.Text(at[4]), code) is { } bad)
            {
                tally.Errors.Add(bad);
                continue;
            }
            Utf8Parser.TryParse(Cell(file, at[9]), out int sources, out _);
            var url = at[10] < 0 ? null : file.Text(at[10]);
            yield return new CodedRow(file.Line, file.Text(at[0]), date, a, b, CodeScheme.Cameo, code, null,
                null, string.IsNullOrEmpty(url) ? null : url, sources);
        }
        tally.Errors.AddRange(file.TakeMalformed());
    }

    /// <summary>Field <paramref name="i"/> as UTF-8 bytes, empty for a column the file does not have (-1).</summary>
    static ReadOnlySpan<byte> Cell(TabularReader file, int i) => i < 0 ? default : file.Span(i);

    static IEnumerable<CodedRow> WithHeader(TabularReader file, PartyMatcher parties, EventDataTally tally, string[] names, EventDataFormat format)
    {
        var headers = file.Headers;
        var at = names.Select(name => headers.ToList().FindIndex(h => string.Equals(h.Trim(), name, StringComparison.OrdinalIgnoreCase))).ToArray();
        var missing = names.Where((name, i) => at[i] < 0 && !OptionalColumns.Contains(name)).ToList();
        if (missing.Count > 0)
        {
            tally.Errors.Add(new LineError(1, "", "missing_column",
                $"The {format.ToString().ToUpperInvariant()} header lacks {string.Join(", ", missing.Select(m => $"'{m}'"))}: the first line must be the file's tab-separated header ({string.Join(", ", names)}, …)."));
            yield break;
        }
        // A column read twice in the header (two files' headers pasted side by side, a renamed copy): which one holds the
        // value would be a guess, as in our CSV.
        var repeated = names.Where(name => headers.Count(h => string.Equals(h.Trim(), name, StringComparison.OrdinalIgnoreCase)) > 1).ToList();
        if (repeated.Count > 0)
        {
            foreach (var name in repeated) tally.Errors.Add(new LineError(1, name, "duplicate_column", $"Column '{name}' appears twice in the header."));
            yield break;
        }
        int id = at[0], day = at[1];
        // ICEWS: source name/country, CAMEO code, target name/country, publisher. POLECAT: type, mode, actor, recipient, source.
        var icews = format == EventDataFormat.Icews;
        int aName = icews ? at[2] : at[4], aCountry = icews ? at[3] : at[5], bName = icews ? at[5] : at[6], bCountry = icews ? at[6] : at[7];
        var width = headers.Count;
        while (file.Read())
        {
            tally.Rows++;
            // A row cut short (a truncated last line, a lost tab) would read its missing cells as empty and be counted among
            // "other actors" or imported without its code or publisher; one with a cell too many (a tab inside a text)
            // has every cell after it shifted. Either way which cell is which is a guess: the row is an error, as in GDELT.
            if (file.FieldCount != width)
            {
                tally.Errors.Add(new LineError(file.Line, "", "wrong_column_count",
                    $"The row has {file.FieldCount} tab-separated columns; the {format.ToString().ToUpperInvariant()} header has {width}."));
                continue;
            }
            var a = parties.Match(default, file.Span(aName), file.Span(aCountry));
            if (a == PartyMatcher.None) { tally.OtherActors++; continue; }
            var b = parties.Match(default, file.Span(bName), file.Span(bCountry));
            if (!Dyad(a, b, tally)) continue;
            var dateText = file.Text(day);
            if (!IsoDay(dateText, out var date))
            {
                tally.Errors.Add(new LineError(file.Line, names[1], LooksLikeExcel(dateText) ? "excel_date" : "invalid_date", DateProblem(names[1], dateText)));
                continue;
            }
            // The code of a row between the parties must be one: an empty or malformed cell is the row's error, named by column.
            var code = icews ? CameoCode(file.Text(at[4])) : file.Text(at[2]);
            var bad = icews ? CodeProblem(file.Line, names[4], at[4], file.Text(at[4]), code)
                : code.Trim().Length == 0 ? new LineError(file.Line, names[2], "required",
                    $"{names[2]} (column {at[2] + 1}) is empty: a row between the parties needs its PLOVER type (CONSULT, AID, THREATEN, …).")
                : null;
            if (bad is not null)
            {
                tally.Errors.Add(bad);
                continue;
            }
            var publisher = icews ? Optional(file, at[7]) : Optional(file, at[8]);
            yield return icews
                ? new CodedRow(file.Line, file.Text(id), date, a, b, CodeScheme.Cameo, code, null, publisher, null, 0)
                : new CodedRow(file.Line, file.Text(id), date, a, b, CodeScheme.Plover, code.ToUpperInvariant(), Optional(file, at[3]), publisher, null, 0);
        }
    }

    static string? Optional(TabularReader file, int column) => column < 0 || file.Text(column) is not { Length: > 0 } t ? null : t;

    static bool Dyad(int a, int b, EventDataTally tally)
    {
        if (b == PartyMatcher.None) { tally.OtherActors++; return false; }
        if (a == PartyMatcher.Ambiguous || b == PartyMatcher.Ambiguous) { tally.Ambiguous++; return false; }
        if (a == b) { tally.SameParty++; return false; }
        return true;
    }

    static bool GdeltDay(ReadOnlySpan<byte> text, out DateOnly date)
    {
        date = default;
        if (text.Length != 8 || !Utf8Parser.TryParse(text, out int value, out var used) || used != 8) return false;
        var (y, m, d) = (value / 10000, value / 100 % 100, value % 100);
        if (y is < 1 or > 9998 || m is < 1 or > 12 || d < 1 || d > DateTime.DaysInMonth(y, m)) return false;
        date = new DateOnly(y, m, d);
        return true;
    }

    /// <summary>A day as <c>YYYY-MM-DD</c>, optionally followed by a time (<c>2025-03-20T10:00:00</c> or <c>2025-03-20 10:00</c>).</summary>
    public static bool IsoDay(string text, out DateOnly date)
    {
        var day = text.Length > 10 && text[10] is 'T' or ' ' ? text[..10] : text;
        return DateOnly.TryParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
    }

    /// <summary>
    /// A date as spreadsheets re-save it: <c>3/20/2025</c>, <c>20.03.2025</c>, <c>20-03-2025</c> (day or month first), or with the
    /// month's name — Excel shows a month <c>2025-03</c> as <c>Mar-25</c> and a day as <c>20-Mar-25</c>, and saves it so, in the
    /// language of the machine: a French Excel writes <c>août-19</c>, <c>févr.-24</c>, <c>déc.-23</c>, a German one <c>Mär 25</c>,
    /// so a month's name is any letters, not only ASCII ones.
    /// </summary>
    public static bool LooksLikeExcel(string text) =>
        SpreadsheetNumber(text) is not null
        || System.Text.RegularExpressions.Regex.IsMatch(text, @"\A[ \t]*[0-9]{1,2}[/.\-][0-9]{1,2}[/.\-][0-9]{2,4}([ \tT].*)?\z")
        || System.Text.RegularExpressions.Regex.IsMatch(text, @"\A[ \t]*([0-9]{1,2}\.?[\- ])?\p{L}{3,9}\.?[\- ][0-9]{2,4}[ \t]*\z")
        || System.Text.RegularExpressions.Regex.IsMatch(text, @"\A[ \t]*[0-9]{1,2}\.?[\- ]\p{L}{3,9}\.?[ \t]*\z");

    /// <summary>
    /// A date a spreadsheet saved as a number, read back: a day number (a date cell formatted General — Excel and LibreOffice
    /// count days from 1899-12-30, so <c>43488</c> is 2019-01-23; five digits, 1927–2173) as <c>YYYY-MM-DD</c>, or a year saved
    /// as a decimal number (<c>2019.0</c>, as pandas writes a year column with gaps) as <c>YYYY</c>. Null for anything else.
    /// </summary>
    public static string? SpreadsheetNumber(string text)
    {
        var serial = System.Text.RegularExpressions.Regex.Match(text, @"\A[ \t]*([1-9][0-9]{4})(\.0+)?[ \t]*\z");
        if (serial.Success) return new DateOnly(1899, 12, 30).AddDays(int.Parse(serial.Groups[1].Value, CultureInfo.InvariantCulture)).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var year = System.Text.RegularExpressions.Regex.Match(text, @"\A[ \t]*([0-9]{4})\.0+[ \t]*\z");
        return year.Success ? year.Groups[1].Value : null;
    }

    /// <summary>The advice for a date <see cref="SpreadsheetNumber"/> reads back, or null.</summary>
    static string? NumberProblem(string column, string text) => SpreadsheetNumber(text) is not { } meant ? null
        : meant.Length == 4
            ? $"{column} '{Cut(text)}' is a year saved as a decimal number: write it as {meant}."
            : $"{column} '{Cut(text)}' looks like a spreadsheet's day number (a date cell saved as a number, counted from 1899-12-30: {meant}): " +
              $"write the date as YYYY-MM-DD ({meant}). In Excel, format the column as Text or as yyyy-mm-dd before saving.";

    /// <summary>The error message for a date column that is not <c>YYYY-MM-DD</c>, naming the expected form.</summary>
    public static string DateProblem(string column, string text) => NumberProblem(column, text) ?? (LooksLikeExcel(text)
        ? $"{column} '{Cut(text)}' looks like a date re-saved by a spreadsheet (month/day/year or day.month.year, which cannot be told apart; Mar-25 for March 2025 or 25 March): " +
          "write it as YYYY-MM-DD (e.g. 2025-03-20). In Excel, format the column as Text or as yyyy-mm-dd before saving."
        : $"{column} must be a date YYYY-MM-DD, not '{Cut(text)}'.");

    /// <summary>
    /// The error of a row between the parties whose CAMEO cell is empty (<c>required</c>) or no CAMEO code
    /// (<c>invalid_code</c>, <see cref="EventDataMapping.IsCameoCode"/>), naming the column; null for a code (mapped or not:
    /// a real code the table lacks is counted as unmapped).
    /// </summary>
    static LineError? CodeProblem(int line, string column, int index, string cell, string code)
    {
        if (cell.Trim().Length == 0)
            return new LineError(line, column, "required", $"{column} (column {index + 1}) is empty: a row between the parties needs its CAMEO code (e.g. 046).");
        if (EventDataMapping.IsCameoCode(code)) return null;
        return new LineError(line, column, "invalid_code",
            $"{column} (column {index + 1}) '{Cut(cell)}' is not a CAMEO code: three or four digits, a root 01–20 and a base code that root has (046, 0841, 1384).");
    }

    /// <summary>
    /// A CAMEO code as a string: leading zeros a spreadsheet stripped are put back (CAMEO's root codes run 01–20, so <c>46</c> is
    /// <c>046</c> and <c>841</c> is <c>0841</c>).
    /// </summary>
    public static string CameoCode(string code)
    {
        if (code.Length is < 2 or > 3 || !code.All(char.IsAsciiDigit)) return code;
        if (code.Length == 2) return "0" + code;
        return int.Parse(code.AsSpan(0, 2), CultureInfo.InvariantCulture) > 20 ? "0" + code : code;
    }

    /// <summary>
    /// The error message for a history file's <c>occurredOn</c> that <see cref="LooksLikeExcel"/>: as
    /// <see cref="DateProblem"/>, but a history date may be a month or a year, so the message names <c>YYYY-MM</c> and
    /// <c>YYYY</c> too — a month Excel re-saved as <c>Mar-25</c>, or typed as <c>July 1971</c>, is to be written
    /// <c>YYYY-MM</c>, not given a day it never had. A month's name with a four-digit year is read back as the month it
    /// names (<c>July 1971</c> → <c>1971-07</c>).
    /// </summary>
    public static string HistoryDateProblem(string column, string text)
    {
        if (NumberProblem(column, text) is { } number) return number;
        var month = System.Text.RegularExpressions.Regex.Match(text, @"\A[ \t]*(\p{L}{3,9})\.?[\- ]([0-9]{4})[ \t]*\z");
        var named = month.Success && MonthNumber(month.Groups[1].Value) is { } m ? $" ('{Cut(text)}' is {month.Groups[2].Value}-{m:00})" : "";
        return $"{column} '{Cut(text)}' is not YYYY-MM-DD, YYYY-MM or YYYY: it looks like a date typed or re-saved by a spreadsheet (month/day/year or " +
               "day.month.year, which cannot be told apart; Mar-25 for March 2025 or 25 March). Write a day as YYYY-MM-DD (e.g. 2025-03-20), " +
               $"a date known only to its month as YYYY-MM (2025-03), to its year as YYYY (2025){named}. In Excel, format the column as Text before saving.";
    }

    static int? MonthNumber(string name)
    {
        for (var i = 1; i <= 12; i++)
        {
            var full = CultureInfo.InvariantCulture.DateTimeFormat.GetMonthName(i);
            if (name.Equals(full, StringComparison.OrdinalIgnoreCase) || (name.Length == 3 && full.StartsWith(name, StringComparison.OrdinalIgnoreCase))
                || name.Equals("Sept", StringComparison.OrdinalIgnoreCase) && i == 9)
                return i;
        }
        return null;
    }

    static string Cut(string s) => s.Length > 40 ? s[..40] + "…" : s;

    /// <summary>The host of a URL without <c>www.</c> (the publisher of a GDELT row), or null when it is not an http(s) URL.</summary>
    public static string? HostOf(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps)
            ? (u.Host.StartsWith("www.", StringComparison.OrdinalIgnoreCase) ? u.Host[4..] : u.Host) : null;
}
