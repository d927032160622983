using Normalization.Domain.Catalog;

namespace Normalization.Api.Http;

/// <summary>Responses in the product's JSON contract (camelCase, enums as strings, flat events with "type").</summary>
public static class ApiJson
{
    public static IResult Ok(object value) => Results.Json(value, EventJson.Options);
    public static IResult Created(string location, object value) => new CreatedJson(location, value);

    sealed class CreatedJson(string location, object value) : IResult
    {
        public Task ExecuteAsync(HttpContext http)
        {
            http.Response.Headers.Location = location;
            return Results.Json(value, EventJson.Options, statusCode: StatusCodes.Status201Created).ExecuteAsync(http);
        }
    }
}

/// <summary>Query-string parsing with field-named errors.</summary>
public static class Query
{
    public static bool TryDate(string? value, string name, out DateOnly? date, out IResult? problem)
    {
        date = null; problem = null;
        if (string.IsNullOrEmpty(value)) return true;
        if (DomainDate.TryParse(value, out var d) && d.Year is >= 1 and <= 9998) { date = d.End; return true; }
        problem = Problems.Field(name, "invalid_date", $"{name} must be a date: YYYY-MM-DD (or YYYY-MM / YYYY, meaning the end of that period).");
        return false;
    }

    public static bool TryInstant(string? value, string name, out DateTimeOffset? instant, out IResult? problem)
    {
        instant = null; problem = null;
        if (string.IsNullOrEmpty(value)) return true;
        if (DateTimeOffset.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var i)) { instant = i; return true; }
        problem = Problems.Field(name, "invalid_instant", $"{name} must be an ISO 8601 instant, e.g. 2025-04-01T00:00:00Z.");
        return false;
    }

    public static bool TryInt(string? value, string name, int min, int max, int fallback, out int result, out IResult? problem)
    {
        result = fallback; problem = null;
        if (string.IsNullOrEmpty(value)) return true;
        if (int.TryParse(value, out var i) && i >= min && i <= max) { result = i; return true; }
        problem = Problems.Field(name, "out_of_range", $"{name} must be an integer from {min} to {max}.");
        return false;
    }

    public static bool TryEnum<T>(string? value, string name, out T? result, out IResult? problem) where T : struct, Enum
    {
        result = null; problem = null;
        if (string.IsNullOrEmpty(value)) return true;
        if (Enum.TryParse<T>(value, ignoreCase: true, out var e) && Enum.IsDefined(e)) { result = e; return true; }
        problem = Problems.Field(name, "unknown_value", $"{name} must be one of: {string.Join(", ", Enum.GetNames<T>())}.");
        return false;
    }
}
