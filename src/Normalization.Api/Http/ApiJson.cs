using System.Text.Json;
using Normalization.Domain.Catalog;
using Normalization.Domain.Validation;

namespace Normalization.Api.Http;

/// <summary>Responses in the product's JSON contract (camelCase, enums as strings, flat events with "type").</summary>
public static class ApiJson
{
    public static IResult Ok(object value) => Results.Json(value, EventJson.Options);

    /// <summary>
    /// 201 with a Location header. Give it a location made by <see cref="Location"/> <b>before</b> the write commits: a
    /// header that cannot be set (a raw line break, say) must fail the request before anything is stored, never after.
    /// The body is serialized here, so writing the answer can no longer throw.
    /// </summary>
    public static IResult Created(PreparedLocation location, object value) =>
        new CreatedJson(location.Value, JsonSerializer.SerializeToUtf8Bytes(value, EventJson.Options));

    /// <summary>A Location path from its segments, each percent-escaped (so it is always a valid header value).</summary>
    public static PreparedLocation Location(params string[] segments) =>
        new("/" + string.Join('/', segments.Select(Uri.EscapeDataString)));

    /// <summary>A Location header value known to be valid (built by <see cref="Location"/>).</summary>
    public readonly record struct PreparedLocation(string Value);

    sealed class CreatedJson(string location, byte[] body) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.StatusCode = StatusCodes.Status201Created;
            http.Response.Headers.Location = location;
            http.Response.ContentType = "application/json; charset=utf-8";
            http.Response.ContentLength = body.Length;
            return http.Response.Body.WriteAsync(body).AsTask();
        }
    }
}

/// <summary>
/// Query-string parsing with field-named errors, by the rules of <see cref="Strict"/> (docs/reliability.md, "Input
/// rules"): ASCII digits, whole-text patterns, ISO 8601 instants with a zone, enum names only. An absent or empty
/// parameter (<c>?asOf=</c>) means the default; anything else that does not parse is a 400 naming the parameter.
/// </summary>
public static class Query
{
    public static bool TryDate(string? value, string name, out DateOnly? date, out IResult? problem)
    {
        date = null; problem = null;
        if (string.IsNullOrEmpty(value)) return true;
        if (DomainDate.TryParse(value, out var d) && d.Year is >= 1 and <= 9998) { date = d.End; return true; }
        problem = Problems.Field(name, "invalid_date", $"{name} must be a date: YYYY-MM-DD (or YYYY-MM / YYYY, meaning the end of that period), ASCII digits.");
        return false;
    }

    public static bool TryInstant(string? value, string name, out DateTimeOffset? instant, out IResult? problem)
    {
        instant = null; problem = null;
        if (string.IsNullOrEmpty(value)) return true;
        if (Strict.TryInstant(value, out var i)) { instant = i; return true; }
        problem = Problems.Field(name, "invalid_instant", $"{name} must be an ISO 8601 instant with Z or an offset, e.g. 2025-04-01T00:00:00Z (a date alone means 00:00 UTC).");
        return false;
    }

    public static bool TryInt(string? value, string name, int min, int max, int fallback, out int result, out IResult? problem)
    {
        result = fallback; problem = null;
        if (string.IsNullOrEmpty(value)) return true;
        if (Strict.TryInt(value, out var i) && i >= min && i <= max) { result = i; return true; }
        problem = Problems.Field(name, "out_of_range", $"{name} must be an integer from {min} to {max}, in ASCII digits.");
        return false;
    }

    public static bool TryEnum<T>(string? value, string name, out T? result, out IResult? problem) where T : struct, Enum
    {
        result = null; problem = null;
        if (string.IsNullOrEmpty(value)) return true;
        if (Strict.TryName<T>(value, out var e)) { result = e; return true; }
        problem = Problems.Field(name, "unknown_value", $"{name} must be one of: {string.Join(", ", Enum.GetNames<T>())} (a name, not a number or a list).");
        return false;
    }

    /// <summary>A party code filter (<c>?actor=</c>, <c>?party=</c>), case-insensitive, upper-cased.</summary>
    public static bool TryPartyCode(string? value, string name, out string? code, out IResult? problem)
    {
        code = null; problem = null;
        if (string.IsNullOrEmpty(value)) return true;
        if (EventReader.PartyCode().IsMatch(value.ToUpperInvariant())) { code = value.ToUpperInvariant(); return true; }
        problem = Problems.Field(name, "invalid_party_code", $"{name} must be a party code: letters, digits, hyphens (e.g. US, TB, ISIS-K).");
        return false;
    }
}
