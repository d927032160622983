using System.Text;
using System.Text.Json;

namespace Normalization.Domain.Histories;

/// <summary>
/// Why JSON that failed to parse failed, when the cause is its quotes: a typographic quote (<c>“ ” „ ‘ ’ « »</c>) that a
/// word processor, a spreadsheet or a chat client put in place of a straight one — JSON written or pasted from Word or Excel
/// — or a single quote around a name or a string (JavaScript's or Python's way, not JSON's). System.Text.Json then says only
/// "'0xE2' is an invalid start of a property name", which does not tell the writer what to change.
/// </summary>
/// <remarks>
/// The character is the one at the parser's failure position (<see cref="JsonException.LineNumber"/>,
/// <see cref="JsonException.BytePositionInLine"/>, both 0-based, the position in UTF-8 bytes), so a typographic quote
/// inside a string — valid text — is never blamed. Source of the rule: RFC 8259 §7, strings begin and end with U+0022.
/// </remarks>
public static class JsonQuotes
{
    /// <summary>The quotation marks that stand in for U+0022 in typeset text.</summary>
    static readonly HashSet<int> Typographic = ['\u201C', '\u201D', '\u201E', '\u201F', '\u2018', '\u2019', '\u201A', '\u201B', '\u00AB', '\u00BB', '\u2033', '\uFF02'];

    /// <summary>
    /// The advice for <paramref name="ex"/> raised while parsing <paramref name="utf8"/>, or null when the character at the
    /// failure position is not a quote that should be a straight double quote.
    /// </summary>
    public static string? Advice(ReadOnlySpan<byte> utf8, JsonException ex)
    {
        if (ex.LineNumber is not { } line || ex.BytePositionInLine is not { } column) return null;
        var start = 0;
        for (long l = 0; l < line; l++)
        {
            var next = utf8[start..].IndexOf((byte)'\n');
            if (next < 0) return null;
            start += next + 1;
        }
        var at = start + column;
        if (at < 0 || at >= utf8.Length || Rune.DecodeFromUtf8(utf8[(int)at..], out var rune, out _) != System.Buffers.OperationStatus.Done) return null;
        if (Typographic.Contains(rune.Value))
            return $"it holds the typographic quote {rune} where JSON needs a straight double quote (\"): the text was written or pasted " +
                   "through a word processor, spreadsheet or chat client that replaces quotes; save it as plain text, or turn off smart quotes.";
        if (rune.Value == '\'')
            return "it puts a single quote (') around a name or a string: JSON takes straight double quotes (\") only.";
        return null;
    }

    /// <summary><see cref="Advice(ReadOnlySpan{byte}, JsonException)"/> for text held as a string.</summary>
    public static string? Advice(string text, JsonException ex) => Advice(Encoding.UTF8.GetBytes(text), ex);
}
