using Microsoft.AspNetCore.Mvc;
using Normalization.Domain.Catalog;
using Normalization.Domain.Validation;

namespace Normalization.Api.Http;

/// <summary>RFC 7807 answers with a machine-readable <c>code</c> and, for validation, every field error with its path.</summary>
public static class Problems
{
    public static IResult Of(int status, string code, string title, string? detail = null, IDictionary<string, object?>? extra = null)
    {
        var p = new ProblemDetails { Status = status, Title = title, Detail = detail, Type = $"https://normalization.dev/problems/{code}" };
        p.Extensions["code"] = code;
        if (extra is not null) foreach (var (k, v) in extra) p.Extensions[k] = v;
        return Results.Json(p, EventJson.Options, "application/problem+json", status);
    }

    public static IResult Validation(IEnumerable<FieldError> errors, int status = StatusCodes.Status400BadRequest) =>
        Of(status, "validation_failed", "The request is not valid.", "See errors: each names the field path, a code and what to do.",
            new Dictionary<string, object?> { ["errors"] = errors.Select(e => new { path = e.Path, code = e.Code, message = e.Message }).ToList() });

    public static IResult Field(string path, string code, string message) => Validation([new FieldError(path, code, message)]);

    public static IResult NegotiationNotFound(string id) =>
        Of(StatusCodes.Status404NotFound, "negotiation_not_found", "No such negotiation.", $"There is no negotiation '{Trim(id)}'.");

    /// <summary>404 <c>not_known_then</c>: a view asked "as known at" an instant before the negotiation was recorded.</summary>
    public static IResult NotKnownThen(DateTimeOffset? knownAt) =>
        Of(StatusCodes.Status404NotFound, "not_known_then", "The negotiation was not yet recorded at knownAt.",
            $"knownAt {knownAt:O} is before the negotiation was created.");

    public static IResult Conflict(string code, string detail, IDictionary<string, object?>? extra = null) =>
        Of(StatusCodes.Status409Conflict, code, "Conflict.", detail, extra);

    /// <summary>
    /// 409 <c>eventid_reused</c>: an eventId already stored (or used earlier in the batch) for a different event. Carries
    /// <c>errors</c> like a validation problem, each naming the eventId's path (<c>events[i].eventId</c>).
    /// </summary>
    public static IResult EventIdReused(IEnumerable<FieldError> errors) =>
        Of(StatusCodes.Status409Conflict, "eventid_reused", "An eventId is reused for a different event.",
            "A retried post must send the same event with the same eventId; a different event needs a new eventId. See errors.",
            new Dictionary<string, object?> { ["errors"] = errors.Select(e => new { path = e.Path, code = e.Code, message = e.Message }).ToList() });

    static string Trim(string s) => s.Length > 80 ? s[..80] + "…" : s;
}
