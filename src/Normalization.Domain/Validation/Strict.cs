using System.Globalization;
using System.Text.RegularExpressions;

namespace Normalization.Domain.Validation;

/// <summary>
/// The one set of parsing rules for everything a client sends — bodies, query strings, CSV/NDJSON files and CLI
/// options (docs/reliability.md, "Input rules"). Each rule closes a whole kind of fault that .NET's lenient defaults
/// let through:
/// <list type="bullet">
/// <item><b>Digits</b> are ASCII <c>0–9</c> only: in .NET <c>\d</c> matches every Unicode decimal digit (Persian,
///   Arabic-Indic, full-width…) and <c>int.Parse</c> then throws; <see cref="TryInt"/> takes no sign, space or other digit.</item>
/// <item><b>Patterns</b> match the whole text: <c>$</c> also matches before a final <c>\n</c>, so every pattern is
///   anchored with <c>\A…\z</c> (a test scans every <c>[GeneratedRegex]</c> of the product for it).</item>
/// <item><b>Instants</b> are RFC 3339 / ISO 8601 with <c>Z</c> or an offset (<see cref="TryInstant"/>); a date alone means its
///   start in UTC. No culture-dependent forms (<c>01/12/2026</c>, <c>Dec 31 2026</c>).</item>
/// <item><b>JSON integers</b> are read by value (<see cref="ReadInteger"/>): <c>1e3</c> is 1000, <c>1e20</c> out of range.</item>
/// <item><b>Enum values</b> are names only, case-insensitive (<see cref="TryName{T}"/>): no numbers, lists or padding.</item>
/// <item><b>GUIDs</b> are the 36-character hyphenated form only (<see cref="TryGuid"/>), not empty.</item>
/// <item><b>Text</b> is trimmed and free of control and invisible format characters (<see cref="TextProblem"/>).</item>
/// </list>
/// </summary>
public static partial class Strict
{
    /// <summary>True when <paramref name="text"/> is one or more ASCII digits and nothing else.</summary>
    public static bool IsAsciiDigits(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty) return false;
        foreach (var c in text) if (c is < '0' or > '9') return false;
        return true;
    }

    /// <summary>
    /// A non-negative integer written in ASCII digits only (at most 9 digits, so it always fits an <see cref="int"/>):
    /// no sign, no spaces, no exponent, no other script's digits. False otherwise; never throws.
    /// </summary>
    public static bool TryInt(string? text, out int value)
    {
        value = 0;
        if (text is null || text.Length is 0 or > 9 || !IsAsciiDigits(text)) return false;
        value = int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        return true;
    }

    /// <summary>
    /// How many decimal places the value of a JSON number (<c>12.50</c>, <c>1e-30</c>, <c>125e-2</c>) has, trailing
    /// zeros ignored: <c>12.50</c> has 1, <c>1e-30</c> has 30, <c>1e3</c> has 0. Read from the text, since a
    /// <see cref="decimal"/> silently rounds <c>1e-30</c> to 0. Saturates instead of overflowing on huge exponents.
    /// </summary>
    public static long DecimalPlaces(string jsonNumber)
    {
        var e = jsonNumber.IndexOfAny(['e', 'E']);
        var mantissa = e < 0 ? jsonNumber : jsonNumber[..e];
        long exponent = 0;
        if (e >= 0)
        {
            var exp = jsonNumber[(e + 1)..].TrimStart('+');
            var negative = exp.StartsWith('-');
            var digits = exp.TrimStart('-').TrimStart('0');
            exponent = digits.Length > 15 ? 1_000_000_000_000_000 : digits.Length == 0 ? 0 : long.Parse(digits, CultureInfo.InvariantCulture);
            if (negative) exponent = -exponent;
        }
        var dot = mantissa.IndexOf('.');
        var fraction = dot < 0 ? "" : mantissa[(dot + 1)..];
        var all = (dot < 0 ? mantissa : mantissa[..dot]).TrimStart('-') + fraction;
        var trailingZeros = all.Length - all.TrimEnd('0').Length;
        if (trailingZeros == all.Length) return 0; // the value is zero
        return Math.Max(0, fraction.Length - exponent - trailingZeros);
    }

    // RFC 3339 §5.6: the "T" and "Z" may be lower case (its NOTE); any number of fractional digits (time-secfrac).
    [GeneratedRegex(@"\A(?<date>[0-9]{4}-[0-9]{2}-[0-9]{2})(?:[Tt](?<hm>[0-9]{2}:[0-9]{2})(?::(?<s>[0-9]{2})(?:\.(?<f>[0-9]+))?)?(?<zone>[Zz]|[+-][0-9]{2}:[0-9]{2}))?\z")]
    private static partial Regex InstantShape();

    /// <summary>
    /// The one instant parser of the product (every <c>knownAt</c>, in bodies, query strings and CLI options). RFC 3339 /
    /// ISO 8601: <c>2025-04-01T12:00:00Z</c>, <c>2025-04-01T12:00+04:30</c>; the <c>T</c> and <c>Z</c> in either case
    /// (<c>2025-04-01t12:00:00z</c>, as RFC 3339 §5.6 allows); any number of fractional-second digits, <b>truncated</b> (not
    /// rounded) to .NET's 100 ns ticks — 7 digits — so <c>…00.123456789Z</c> is <c>…00.1234567Z</c>; or a date alone,
    /// <c>2025-04-01</c>, meaning 00:00 UTC that day. The time needs its zone (<c>Z</c> or an offset): a local time without
    /// one would depend on the server. Returned in UTC. Never throws.
    /// </summary>
    public static bool TryInstant(string? text, out DateTimeOffset instant) => ReadInstant(text, out instant) == InstantReading.Ok;

    /// <summary>The first instant a record can be known at: 1900-01-01T00:00:00Z, the first day a record may hold.</summary>
    public static readonly DateTimeOffset FirstInstant = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);
    /// <summary>The last instant that can be asked: the end of 9998-12-31 UTC, the last date any date field takes.</summary>
    public static readonly DateTimeOffset LastInstant = new DateTimeOffset(9999, 1, 1, 0, 0, 0, TimeSpan.Zero).AddTicks(-1);
    /// <summary>The allowed range as the <c>out_of_range</c> message names it.</summary>
    public const string InstantRange = "from 1900-01-01T00:00:00Z through 9998-12-31T23:59:59.9999999Z";

    /// <summary>What <see cref="ReadInstant"/> found in a text.</summary>
    public enum InstantReading
    {
        /// <summary>A well-formed instant in range; the value is set.</summary>
        Ok,
        /// <summary>Not an instant (<c>invalid_instant</c>): another shape, or a day or time the calendar and clock do not have.</summary>
        Invalid,
        /// <summary>
        /// A well-formed instant outside <see cref="FirstInstant"/> … <see cref="LastInstant"/> (<c>out_of_range</c>): year 0001,
        /// 9999-12-31T23:59:59Z, or one whose offset takes it past what .NET can hold (<c>9999-12-31T23:59:59-01:00</c>).
        /// </summary>
        OutOfRange,
    }

    /// <summary>
    /// <see cref="TryInstant"/> telling a text that is no instant from one that is but lies outside the range every view
    /// answers for (<see cref="FirstInstant"/> … <see cref="LastInstant"/>, as dates run 1900-01-01 … 9998-12-31): the user then
    /// hears the range, not that the form is wrong. Never throws.
    /// </summary>
    public static InstantReading ReadInstant(string? text, out DateTimeOffset instant)
    {
        instant = default;
        if (text is null) return InstantReading.Invalid;
        var m = InstantShape().Match(text);
        if (!m.Success) return InstantReading.Invalid;
        // Rebuild the canonical form from the parts (upper-case T and Z, at most 7 fractional digits), so the culture and
        // .NET's own limits cannot change the reading; TryParse still checks the calendar and the clock.
        var canonical = m.Groups["date"].Value;
        if (m.Groups["hm"].Success)
        {
            var f = m.Groups["f"].Value;
            canonical += "T" + m.Groups["hm"].Value + (m.Groups["s"].Success ? ":" + m.Groups["s"].Value : "")
                + (f.Length > 0 ? "." + (f.Length > 7 ? f[..7] : f) : "")
                + (m.Groups["zone"].Value is "z" or "Z" ? "Z" : m.Groups["zone"].Value);
        }
        if (!DateTimeOffset.TryParse(canonical, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
            // A real day and time whose offset carries it past .NET's range (year 0001 east of UTC, 9999 west of it) is out of
            // range, not malformed; a day or time the calendar has not (02-30, 25:00, an offset of 24 hours) stays invalid.
            return ValidLocal(m) ? InstantReading.OutOfRange : InstantReading.Invalid;
        if (parsed < FirstInstant || parsed > LastInstant) return InstantReading.OutOfRange;
        instant = parsed;
        return InstantReading.Ok;
    }

    /// <summary>Whether the matched instant's day, time and offset exist on their own (read without applying the offset).</summary>
    static bool ValidLocal(Match m)
    {
        if (!DateOnly.TryParseExact(m.Groups["date"].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)) return false;
        if (m.Groups["hm"].Success && !TimeOnly.TryParseExact(m.Groups["hm"].Value + (m.Groups["s"].Success ? ":" + m.Groups["s"].Value : ":00"),
                "HH:mm:ss", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)) return false;
        var zone = m.Groups["zone"].Value;
        if (zone.Length != 6) return true;
        var (hours, minutes) = (int.Parse(zone.AsSpan(1, 2), CultureInfo.InvariantCulture), int.Parse(zone.AsSpan(4, 2), CultureInfo.InvariantCulture));
        return minutes < 60 && hours * 60 + minutes <= 14 * 60; // .NET's (and the world's) offsets run to ±14:00
    }

    /// <summary>What <see cref="ReadInteger"/> found in a JSON value.</summary>
    public enum IntegerReading
    {
        /// <summary>An integer in range; the value is set.</summary>
        Ok,
        /// <summary>Not a JSON number, or a number with a fractional part (<c>1.5</c>, <c>15e-1</c>): <c>wrong_type</c>.</summary>
        NotAnInteger,
        /// <summary>An integer outside [min, max], however large (<c>1e20</c>, <c>1e400</c>): <c>out_of_range</c>.</summary>
        OutOfRange,
    }

    /// <summary>
    /// The one reading of a JSON integer field (an event's counts, <c>expectedVersion</c>): the JSON number's <b>value</b>
    /// counts, not its spelling, as for JSON Schema's <c>integer</c> (2020-12, which OpenAPI 3.1 uses: "a number with a zero
    /// fractional part"): <c>1000</c>, <c>1e3</c>, <c>1E+3</c>, <c>1.0e3</c> and <c>1000.0</c> are all 1000. A fractional value
    /// is <see cref="IntegerReading.NotAnInteger"/> (read from the text, so <c>1e-30</c> is not rounded to 0); a value outside
    /// [<paramref name="min"/>, <paramref name="max"/>] — whatever its size — is <see cref="IntegerReading.OutOfRange"/>.
    /// </summary>
    public static IntegerReading ReadInteger(System.Text.Json.JsonElement v, long min, long max, out long value)
    {
        value = 0;
        if (v.ValueKind != System.Text.Json.JsonValueKind.Number) return IntegerReading.NotAnInteger;
        if (v.TryGetInt64(out var plain)) { value = plain; return plain >= min && plain <= max ? IntegerReading.Ok : IntegerReading.OutOfRange; }
        if (DecimalPlaces(v.GetRawText()) > 0) return IntegerReading.NotAnInteger;
        // Integral but not plain digits (1e3, 1.0) or beyond long: its value decides; past decimal's range it is out of range.
        if (!v.TryGetDecimal(out var d) || d < min || d > max) return IntegerReading.OutOfRange;
        value = (long)d;
        return IntegerReading.Ok;
    }

    /// <summary>One of <typeparamref name="T"/>'s names, ignoring case; never a number, a comma list or a padded value.</summary>
    public static bool TryName<T>(string? text, out T value) where T : struct, Enum
    {
        value = default;
        if (text is null) return false;
        foreach (var name in Enum.GetNames<T>())
            if (string.Equals(name, text, StringComparison.OrdinalIgnoreCase))
            {
                value = Enum.Parse<T>(name);
                return true;
            }
        return false;
    }

    /// <summary>A non-empty GUID in its 36-character hyphenated form (<c>xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx</c>), nothing around it.</summary>
    public static bool TryGuid(string? text, out Guid value)
    {
        value = default;
        // Guid.TryParseExact trims white space and accepts braces in other formats: check the length and edges first.
        if (text is not { Length: 36 } || char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1])) return false;
        return Guid.TryParseExact(text, "D", out value) && value != Guid.Empty;
    }

    /// <summary>
    /// What is wrong with a piece of text a client sent, or null: <c>untrimmed</c> (leading or trailing white space,
    /// a line break or an invisible mark), <c>control_character</c> (a C0/C1 control, or an invisible format character —
    /// Unicode category Cf: zero-width space U+200B, byte-order mark U+FEFF, bidirectional overrides and isolates
    /// U+202A–U+202E and U+2066–U+2069, word joiner U+2060, U+180E… — except the joiners U+200C/U+200D, which Persian,
    /// Arabic and Indic text needs, and the direction marks U+200E/U+200F). Line breaks (<c>\n</c>, <c>\r</c>, U+2028,
    /// U+2029) and tabs are allowed inside <paramref name="multiline"/> text only. Emptiness (<see cref="IsBlank"/>) is
    /// the caller's rule.
    /// </summary>
    public static (string Code, string Message)? TextProblem(string text, bool multiline = false)
    {
        if (text.Length == 0) return null;
        if (IsEdgeBlank(text[0]) || IsEdgeBlank(text[^1]))
            return ("untrimmed", "must not start or end with white space, a line break or an invisible character.");
        foreach (var c in text)
        {
            if (multiline && c is '\n' or '\r' or '\t' or '\u2028' or '\u2029') continue;
            if (char.IsControl(c) || c is '\u2028' or '\u2029' || IsForbiddenFormat(c))
                return ("control_character", multiline
                    ? "must not hold control characters or invisible format characters such as U+200B or U+202E (line breaks and tabs are allowed)."
                    : "must be one line without control characters or invisible format characters such as U+200B or U+202E (no line breaks or tabs).");
        }
        return null;
    }

    /// <summary>True when <paramref name="text"/> is null, empty, or only white space and invisible characters (U+200B, U+FEFF…).</summary>
    public static bool IsBlank([System.Diagnostics.CodeAnalysis.NotNullWhen(false)] string? text)
    {
        if (text is null) return true;
        foreach (var c in text) if (!IsInvisible(c)) return false;
        return true;
    }

    /// <summary>White space, a line break or a format character (Cf): nothing that shows.</summary>
    static bool IsInvisible(char c) => char.IsWhiteSpace(c) || char.GetUnicodeCategory(c) == UnicodeCategory.Format;

    /// <summary>What makes text untrimmed at either end: white space, a line break, an (allowed) joiner or direction mark.</summary>
    static bool IsEdgeBlank(char c) => char.IsWhiteSpace(c) || c is >= '\u200C' and <= '\u200F';

    /// <summary>A format character (Cf) other than the joiners U+200C/U+200D and the direction marks U+200E/U+200F.</summary>
    static bool IsForbiddenFormat(char c) =>
        char.GetUnicodeCategory(c) == UnicodeCategory.Format && c is not ('\u200C' or '\u200D' or '\u200E' or '\u200F');
}
