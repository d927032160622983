using System.Text.RegularExpressions;
using Normalization.Domain.Validation;

namespace Normalization.Api.Readers;

/// <summary>
/// Time zones by IANA id (<c>Asia/Kabul</c>, <c>Europe/Paris</c>, <c>UTC</c>) from the machine's tz database, under the strict
/// input rules: ASCII letters, digits and <c>_ + - /</c> only, at most 64 characters, then an exact lookup. Windows ids
/// (<c>Romance Standard Time</c>) and offsets (<c>+04:30</c>) are refused: a zone id names the rules, an offset does not.
/// </summary>
public static partial class TimeZones
{
    /// <summary>The query parameter that names the reader's zone.</summary>
    public const string Parameter = "tz";

    [GeneratedRegex(@"\A[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+){0,2}\z")]
    private static partial Regex IdShape();

    /// <summary>
    /// Files of the machine's zoneinfo folder that are not IANA zone ids though the lookup reads them: the machine's own zone
    /// (<c>localtime</c>, which varies by host), the POSIX rules template, the tz database's placeholder zone (<c>Factory</c>,
    /// abbreviation "-00"), and the <c>posix/</c> and <c>right/</c> copies (the latter counts leap seconds).
    /// </summary>
    static readonly string[] NotZones = ["localtime", "posixrules", "Factory"];
    static readonly string[] NotZoneFolders = ["posix/", "right/"];

    /// <summary>The zone named <paramref name="id"/>, when the id has the shape of an IANA id and the tz database knows it.</summary>
    public static bool TryFind(string id, out TimeZoneInfo? zone)
    {
        zone = null;
        if (id.Length is 0 or > 64 || !IdShape().IsMatch(id)) return false;
        if (NotZones.Contains(id, StringComparer.OrdinalIgnoreCase) || NotZoneFolders.Any(f => id.StartsWith(f, StringComparison.OrdinalIgnoreCase))) return false;
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(id, out var found) || !found.HasIanaId) return false;
        zone = found;
        return true;
    }

    /// <summary>
    /// The error for a <c>tz</c> value that names no zone (code <c>unknown_time_zone</c>); given the value sent, it also says
    /// when the zone was meant with a '+' sent unencoded (<c>Etc/GMT+5</c> read as <c>Etc/GMT 5</c>, <see cref="Http.Query.PlusHint"/>).
    /// </summary>
    public static FieldError Unknown(string name, string? sent = null) =>
        new(name, "unknown_time_zone", $"{name} must be an IANA time zone id such as Asia/Kabul, Europe/Paris or UTC (not an offset or a Windows id)."
            + (sent is null ? "" : Http.Query.PlusHint(name, sent, v => TryFind(v, out _))));
}
