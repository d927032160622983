using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;

namespace Normalization.Domain.Catalog;

/// <summary>How precisely a <see cref="DomainDate"/> is known.</summary>
public enum DatePrecision
{
    /// <summary>A day: <c>2025-03-20</c>.</summary>
    Day,
    /// <summary>A month: <c>2025-03</c>.</summary>
    Month,
    /// <summary>A year: <c>2025</c>.</summary>
    Year,
}

/// <summary>
/// The date an event happened, as precisely as it is known: "2025-03-20", "2025-03" or "2025".
/// An event counts as having happened by the last day of its period (<see cref="End"/>).
/// </summary>
/// <param name="Year">The year (1 or later).</param>
/// <param name="Month">The month, 1–12; null for a year.</param>
/// <param name="Day">The day of the month; null for a month or a year.</param>
[JsonConverter(typeof(DomainDateJsonConverter))]
public readonly partial record struct DomainDate(int Year, int? Month = null, int? Day = null) : IComparable<DomainDate>
{
    /// <summary>Day, month or year: which parts are given.</summary>
    public DatePrecision Precision => Day is not null ? DatePrecision.Day : Month is not null ? DatePrecision.Month : DatePrecision.Year;

    /// <summary>The first day of the period.</summary>
    public DateOnly Start => new(Year, Month ?? 1, Day ?? 1);

    /// <summary>The last day of the period: the date on which the event counts as having happened.</summary>
    public DateOnly End => Precision switch
    {
        DatePrecision.Day => new DateOnly(Year, Month!.Value, Day!.Value),
        DatePrecision.Month => new DateOnly(Year, Month!.Value, DateTime.DaysInMonth(Year, Month!.Value)),
        _ => new DateOnly(Year, 12, 31),
    };

    /// <summary>A day-precise date.</summary>
    public static DomainDate FromDate(DateOnly d) => new(d.Year, d.Month, d.Day);

    /// <summary>As written: <c>YYYY-MM-DD</c>, <c>YYYY-MM</c> or <c>YYYY</c>.</summary>
    public override string ToString() => Precision switch
    {
        DatePrecision.Day => $"{Year:D4}-{Month:D2}-{Day:D2}",
        DatePrecision.Month => $"{Year:D4}-{Month:D2}",
        _ => $"{Year:D4}",
    };

    // ASCII digits and the true end of the text (docs/reliability.md, "Input rules"): \d would take any script's digits, $ a final \n.
    [GeneratedRegex(@"\A([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?\z")]
    private static partial Regex Shape();

    /// <summary>Parses <c>YYYY</c>, <c>YYYY-MM</c> or <c>YYYY-MM-DD</c> (ASCII digits, a real day, year 1 or later); false otherwise.</summary>
    public static bool TryParse(string? text, out DomainDate date)
    {
        date = default;
        if (text is null) return false;
        var m = Shape().Match(text);
        if (!m.Success) return false;
        int year = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        if (year < 1) return false;
        int? month = m.Groups[2].Success ? int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) : null;
        int? day = m.Groups[3].Success ? int.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture) : null;
        if (month is < 1 or > 12) return false;
        if (day is not null && (day < 1 || day > DateTime.DaysInMonth(year, month!.Value))) return false;
        date = new DomainDate(year, month, day);
        return true;
    }

    /// <summary>As <see cref="TryParse"/>; throws <see cref="FormatException"/> for anything else.</summary>
    public static DomainDate Parse(string text) =>
        TryParse(text, out var d) ? d : throw new FormatException($"'{text}' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD.");

    /// <summary>Orders by <see cref="End"/>, the day the event counts.</summary>
    public int CompareTo(DomainDate other) => End.CompareTo(other.End);
}

/// <summary>JSON form of a <see cref="DomainDate"/>: a string, <c>YYYY</c>, <c>YYYY-MM</c> or <c>YYYY-MM-DD</c>.</summary>
public sealed class DomainDateJsonConverter : JsonConverter<DomainDate>
{
    /// <summary>Reads the string form; a <see cref="JsonException"/> for anything else.</summary>
    public override DomainDate Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String) throw new JsonException("A date must be a string: YYYY, YYYY-MM or YYYY-MM-DD.");
        var s = reader.GetString();
        return DomainDate.TryParse(s, out var d) ? d : throw new JsonException($"'{s}' is not a date of the form YYYY, YYYY-MM or YYYY-MM-DD.");
    }

    /// <summary>Writes the string form.</summary>
    public override void Write(Utf8JsonWriter writer, DomainDate value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
