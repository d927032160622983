using Microsoft.Extensions.Primitives;
using Normalization.Api.Http;
using Normalization.Domain.Validation;

namespace Normalization.Api.Exporting;

/// <summary>What an export query asks for: <c>format</c>, <c>dialect</c> and (CAMEO rows) <c>party</c>.</summary>
public enum ExportMedia { Json, Csv, Ndjson, Xlsx }

/// <summary>Parses the export parameters of the timeline and CAMEO endpoints, with the errors naming the parameter (400 ProblemDetails).</summary>
public static class ExportQuery
{
    /// <summary>
    /// <c>?format=json|csv|ndjson|xlsx</c>; absent: the <c>Accept</c> header decides (text/csv, application/x-ndjson), else
    /// JSON. <paramref name="allowed"/> lists the formats the endpoint offers.
    /// </summary>
    public static bool TryFormat(StringValues values, string accept, ExportMedia[] allowed, out ExportMedia media, List<FieldError> errors)
    {
        media = allowed[0];
        if (!Query.TryText(values, "format", out var text, errors)) return false;
        if (text is null)
        {
            media = accept.Contains("text/csv") ? ExportMedia.Csv : accept.Contains("application/x-ndjson") ? ExportMedia.Ndjson : allowed[0];
            if (Array.IndexOf(allowed, media) < 0) media = allowed[0];
            return true;
        }
        // A name of the list, case-insensitive, exactly (Enum.TryParse would take " csv" and "1").
        var named = allowed.Where(a => string.Equals(a.ToString(), text, StringComparison.OrdinalIgnoreCase)).ToList();
        if (named.Count == 1) { media = named[0]; return true; }
        errors.Add(new("format", "unknown_value", $"format must be one of: {string.Join(", ", allowed.Select(a => a.ToString().ToLowerInvariant()))}."));
        return false;
    }

    /// <summary>
    /// <c>?dialect=rfc4180|excel</c> (default rfc4180), for a CSV answer only: with <paramref name="csv"/> false (JSON,
    /// NDJSON, XLSX) a dialect means nothing and is refused (<c>not_applicable</c>) rather than silently ignored.
    /// </summary>
    public static bool TryDialect(StringValues values, bool csv, out CsvDialect dialect, List<FieldError> errors)
    {
        dialect = CsvDialect.Rfc4180;
        if (!Query.TryText(values, "dialect", out var text, errors)) return false;
        if (CsvDialects.Parse(text) is { } d)
        {
            if (text is not null && !csv)
            {
                errors.Add(new("dialect", "not_applicable", "dialect applies to CSV only (format=csv); leave it out for this format."));
                return false;
            }
            dialect = d;
            return true;
        }
        // An unknown dialect is that, whatever the format.
        errors.Add(new("dialect", "unknown_value", "dialect must be rfc4180 (the default) or excel (UTF-8 with BOM, CRLF, formula-leading cells protected)."));
        return false;
    }

    /// <summary><c>?party=US=USA&amp;party=TB=AFGTAL</c>: the party → actor-code mapping, every bad pair reported at once.</summary>
    public static bool TryActorCodes(StringValues values, out ActorCodes codes, List<FieldError> errors)
    {
        // ?party= alone means no mapping, like every empty parameter; repeated, each value must be a pair.
        var (parsed, problems) = ActorCodes.Parse(values.Count == 1 && string.IsNullOrEmpty(values[0]) ? [] : values.ToArray());
        codes = parsed ?? ActorCodes.Identity;
        if (problems.Count == 0) return true;
        errors.AddRange(problems.Select(e => new FieldError("party", "invalid_party_mapping", e)));
        return false;
    }

    /// <summary>An attachment answer: the file name says what it holds (negotiation, view, extension).</summary>
    public static IResult File(byte[] bytes, string contentType, string fileName) => Results.File(bytes, contentType, fileName);
}
