using CsvHelper;
using Normalization.Domain.Histories;

namespace Normalization.Api.Importing.Files;

/// <summary>
/// Records of a delimited text file (our CSV, GDELT / ICEWS / POLECAT tab-separated files) through CsvHelper, with the rules
/// every format shares: the line each record starts on (as in errors), strict UTF-8 (a record whose bytes are not UTF-8 throws
/// <see cref="TextFault"/> naming its line; with <c>--encoding</c> or a UTF-16/32 byte-order mark CsvHelper transcodes), NUL
/// characters refused (UTF-16 without a byte-order mark), and rows whose cells are all empty or blank — <c>,,,,</c>, <c>;;;</c>,
/// tabs, <c>" ",""</c>, an empty line — skipped and counted in <see cref="BlankRows"/>.
/// </summary>
public sealed class TabularReader : IDisposable
{
    readonly CsvReader _csv;
    readonly List<LineError> _malformed = [];

    /// <summary>Rows skipped because every cell was empty or blank.</summary>
    public int BlankRows { get; private set; }

    /// <summary>The 1-based line the current record starts on.</summary>
    public int Line => (int)_csv.LineNumber;

    public int FieldCount => _csv.FieldCount;

    /// <summary>The separator in use (detected among <c>,</c> <c>;</c> tab and <c>|</c> unless given).</summary>
    public char Separator => _csv.Separator;

    TabularReader(CsvReader csv) => _csv = csv;

    /// <summary>
    /// Opens the records of <paramref name="file"/>. <paramref name="separator"/> null: detected from the first lines (CsvHelper).
    /// <paramref name="quoted"/>: RFC 4180 quoting (our CSV); otherwise no quoting at all (the event-data files, whose text may hold a stray <c>"</c>).
    /// </summary>
    public static TabularReader Open(InputFile file, char? separator, bool header, bool quoted)
    {
        TabularReader? reader = null;
        var options = CsvReaderOptions.Default with
        {
            Separator = separator,
            HasHeader = header,
            Mode = quoted ? CsvMode.Rfc4180 : CsvMode.NoEscape,
            TrackLineNumbers = true,
            SkipEmptyLines = false,
            Encoding = file.Encoding,
            MalformedData = CsvMalformedDataHandling.Skip,
            DetectSeparatorHint = true,
            OnMalformedRecord = m => reader!._malformed.Add(new LineError((int)m.LineNumber, "", "malformed_csv", m.Reason switch
            {
                CsvMalformedReason.UnterminatedQuote => "A quoted field is not closed.",
                CsvMalformedReason.TextAfterClosingQuote => "Text follows the closing quote of a field (quote the whole field and double the quotes inside).",
                CsvMalformedReason.StrayQuote => "A quote inside an unquoted field (quote the whole field and double the quotes inside).",
                _ => $"The row is malformed ({m.Reason}).",
            })),
        };
        reader = new TabularReader(CsvReader.Create(file.Stream, options, leaveOpen: true));
        return reader;
    }

    /// <summary>The header's names (read on first use); a name that is not UTF-8 throws <see cref="TextFault"/>.</summary>
    public IReadOnlyList<string> Headers
    {
        get
        {
            var headers = _csv.Headers;
            if (headers.Any(h => h.Contains('\uFFFD'))) throw TextFault.InvalidUtf8(1, 0);
            if (headers.Any(h => h.Contains('\0'))) throw TextFault.NulCharacters(1);
            return headers;
        }
    }

    /// <summary>Records CsvHelper skipped as malformed since the last call (bad quoting), each with its line.</summary>
    public IReadOnlyList<LineError> TakeMalformed()
    {
        if (_malformed.Count == 0) return [];
        var list = _malformed.ToList();
        _malformed.Clear();
        return list;
    }

    /// <summary>Moves to the next record that is not blank; false at the end.</summary>
    /// <exception cref="TextFault">The record is not UTF-8, or holds NUL characters.</exception>
    public bool Read()
    {
        while (_csv.Read())
        {
            var raw = _csv.RawRecord;
            if (!System.Text.Unicode.Utf8.IsValid(raw))
                throw TextFault.InvalidUtf8(Line, raw[FirstInvalid(raw)]);
            if (raw.Contains((byte)0)) throw TextFault.NulCharacters(Line);
            if (raw.IndexOfAnyExcept(" \t\r,;|\""u8) < 0 && IsBlank()) { BlankRows++; continue; }
            return true;
        }
        return false;
    }

    bool IsBlank()
    {
        for (var i = 0; i < _csv.FieldCount; i++)
            if (!_csv.GetSpan(i).Trim(" \t\r"u8).IsEmpty) return false;
        return true;
    }

    static int FirstInvalid(ReadOnlySpan<byte> raw)
    {
        System.Text.Unicode.Utf8.ToUtf16(raw, new char[raw.Length], out var consumed, out _, replaceInvalidSequences: false);
        return Math.Min(consumed, raw.Length - 1);
    }

    /// <summary>Field <paramref name="i"/> as UTF-8 bytes (valid until the next read); empty when the record has no such field.</summary>
    public ReadOnlySpan<byte> Span(int i) => i < _csv.FieldCount ? _csv.GetSpan(i) : default;

    /// <summary>Field <paramref name="i"/> as text, trimmed; empty when the record has no such field.</summary>
    public string Text(int i) => i < _csv.FieldCount ? _csv.GetString(i).Trim() : "";

    public string[] Fields() => Enumerable.Range(0, _csv.FieldCount).Select(i => _csv.GetString(i)).ToArray();

    public void Dispose() => _csv.Dispose();
}
