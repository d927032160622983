using CsvHelper;

namespace Normalization.Api.Exporting;

/// <summary>How an exported CSV file is laid out.</summary>
public enum CsvDialect
{
    /// <summary>RFC 4180 as written by CsvHelper: UTF-8 without a byte order mark, CRLF line ends, comma separated.</summary>
    Rfc4180,

    /// <summary>
    /// For Excel: UTF-8 <b>with</b> a byte order mark (without it Excel reads the file as the machine's ANSI code page),
    /// CRLF line ends, and text cells that start like a formula (<c>=</c> <c>+</c> <c>-</c> <c>@</c>, tab, CR) written
    /// with an apostrophe in front, as the OWASP "CSV injection" guidance says, so Excel shows them as text instead of
    /// running them. Numbers (a negative Goldstein weight) are numbers, not text, and are written as they are.
    /// </summary>
    Excel,
}

/// <summary>The CsvHelper writer options of each dialect, and the one rule that undoes the formula protection on import.</summary>
public static class CsvDialects
{
    /// <summary>The apostrophe CsvHelper puts in front of a protected cell (its <c>InjectionEscape</c>; Excel reads it as "this cell is text").</summary>
    public const char Apostrophe = '\'';

    /// <summary>The characters that make a cell a possible formula: CsvHelper's OWASP defaults (<c>= @ + -</c>, tab, CR).</summary>
    static readonly string FormulaLeading = CsvWriterOptions.Default.InjectionCharacters;

    /// <summary>
    /// Parses the <c>dialect</c> of a query or the <c>--dialect</c> option: <c>rfc4180</c> (the default) or <c>excel</c>,
    /// case-insensitive, exactly (no surrounding space, like every enum of the input rules); null when unknown.
    /// </summary>
    public static CsvDialect? Parse(string? text) =>
        string.IsNullOrEmpty(text) || string.Equals(text, "rfc4180", StringComparison.OrdinalIgnoreCase) ? CsvDialect.Rfc4180
        : string.Equals(text, "excel", StringComparison.OrdinalIgnoreCase) ? CsvDialect.Excel
        : null;

    /// <summary>CsvHelper's writer options for <paramref name="dialect"/>.</summary>
    public static CsvWriterOptions Options(CsvDialect dialect) => CsvWriterOptions.Default with
    {
        NewLine = "\r\n",
        WriteByteOrderMark = dialect == CsvDialect.Excel,
        Injection = dialect == CsvDialect.Excel ? CsvInjection.Escape : CsvInjection.None,
        InjectionEscape = Apostrophe,
        ValidateFieldCount = true,
    };

    /// <summary>
    /// Writes a text cell. A text that starts with an apostrophe gets one more, in either dialect: CsvHelper then puts one
    /// in front of a formula-leading text (Excel dialect), so removing one leading apostrophe on import
    /// (<see cref="Unprotect"/>) gives back exactly the text that was exported, whatever it was.
    /// </summary>
    public static void WriteText(this CsvWriter csv, string? text) =>
        csv.WriteField(text is { Length: > 0 } && text[0] == Apostrophe ? Apostrophe + text : text ?? "");

    /// <summary>
    /// A cell as it was before export: one leading apostrophe is removed when the next character is an apostrophe or
    /// one that starts a formula. Every export puts it there (<see cref="WriteText"/>, CsvHelper's protection), so
    /// import ∘ export is the identity on every text; a hand-written <c>'=x</c> reads as <c>=x</c>, as Excel shows it.
    /// </summary>
    public static string Unprotect(string cell) =>
        cell.Length >= 2 && cell[0] == Apostrophe && (cell[1] == Apostrophe || FormulaLeading.Contains(cell[1])) ? cell[1..] : cell;
}
