using Microsoft.AspNetCore.Mvc;
using Normalization.Domain.Catalog;
using Normalization.Domain.Validation;

namespace Normalization.Api.Http;

/// <summary>RFC 7807 answers with a machine-readable <c>code</c> and, for validation, every field error with its path.</summary>
public static class Problems
{
    public static IResult Of(int status, string code, string title, string? detail = null, IDictionary<string, object?>? extra = null)
    {
        var p = new ProblemDetails { Status = status, Title = title, Detail = detail is null ? null : Printable(detail), Type = $"https://normalization.dev/problems/{code}" };
        p.Extensions["code"] = code;
        if (extra is not null) foreach (var (k, v) in extra) p.Extensions[k] = v;
        return Results.Json(p, EventJson.Options, "application/problem+json", status);
    }

    /// <summary>
    /// <paramref name="status"/> <c>validation_failed</c> with every field error. One error per field path: the first rule
    /// that found the value wrong wins, and a rule that runs after it does not report the same field a second time
    /// (docs/api.md, "Errors": <c>target</c> both <c>same_as_actor</c> and <c>not_a_party</c> is listed once, as
    /// <c>same_as_actor</c>). Done here, where every endpoint's errors meet, so no validator can break the rule.
    /// </summary>
    /// <param name="errors">The errors listed.</param>
    /// <param name="status">400 or 422.</param>
    /// <param name="errorCount">How many errors were found, given when <paramref name="errors"/> is cut short (an import keeps its
    /// first <see cref="Importing.ImportRequest.MaxErrors"/>): carried as <c>errorCount</c> and said in the detail, so a long
    /// list cut short is never taken for the whole.</param>
    public static IResult Validation(IEnumerable<FieldError> errors, int status = StatusCodes.Status400BadRequest, int? errorCount = null)
    {
        var listed = Listed(errors);
        var extra = new Dictionary<string, object?> { ["errors"] = listed };
        var detail = "See errors: each names the field path, a code and what to do.";
        if (errorCount is { } count)
        {
            extra["errorCount"] = count;
            detail = $"{count} errors found; errors lists the first {listed.Count}: each names the field path, a code and what to do.";
        }
        return Of(status, "validation_failed", "The request is not valid.", detail, extra);
    }

    /// <summary>
    /// The <c>errors</c> of a problem as it lists them: the first of each path (<see cref="OnePerPath"/>), each message made
    /// <see cref="Printable"/>. Public so the command line's <c>what-if --json</c> prints the very list HTTP answers.
    /// </summary>
    public static IReadOnlyList<FieldError> Listed(IEnumerable<FieldError> errors) =>
        [.. OnePerPath(errors).Select(e => e with { Message = Printable(e.Message) })];

    /// <summary>The first error of each path, in the order found (a path with no error of its own is not dropped).</summary>
    public static IEnumerable<FieldError> OnePerPath(IEnumerable<FieldError> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in errors) if (seen.Add(e.Path)) yield return e;
    }

    public static IResult Field(string path, string code, string message) => Validation([new FieldError(path, code, message)]);

    public static IResult NegotiationNotFound(string id) =>
        Of(StatusCodes.Status404NotFound, "negotiation_not_found", "No such negotiation.", $"There is no negotiation '{Trim(id)}'.");

    /// <summary>
    /// 404 <c>not_known_then</c>: a view asked "as known at" an instant before the negotiation was recorded. It says when the
    /// negotiation was first recorded (<c>firstRecordedAt</c>, also in the detail), so the asker can retry from that instant
    /// rather than guess it.
    /// </summary>
    public static async Task<IResult> NotKnownThenAsync(Storage.NegotiationStore store, string id, DateTimeOffset? knownAt, CancellationToken ct)
    {
        var first = await store.FirstRecordedAtAsync(id, ct);
        if (first is null) return NegotiationNotFound(id); // deleted between the middleware's check and this answer
        return Of(StatusCodes.Status404NotFound, "not_known_then", "The negotiation was not yet recorded at knownAt.",
            Storage.NegotiationStore.NotKnownThenMessage(id, knownAt, first.Value, "knownAt="),
            new Dictionary<string, object?> { ["firstRecordedAt"] = first.Value.ToUniversalTime() });
    }

    public static IResult Conflict(string code, string detail, IDictionary<string, object?>? extra = null) =>
        Of(StatusCodes.Status409Conflict, code, "Conflict.", detail, extra);

    /// <summary>
    /// 409 <c>version_conflict</c>: the write's expected version (body <c>expectedVersion</c> or <c>If-Match</c>) is not the
    /// stream's; carries <c>currentVersion</c> and <c>expectedVersion</c> so the client can reload and retry.
    /// </summary>
    public static IResult VersionConflict(Storage.AppendOutcome.VersionConflict c) =>
        Conflict("version_conflict", $"The negotiation is at version {c.CurrentVersion}, not {c.ExpectedVersion}: reload and retry.",
            new Dictionary<string, object?> { ["currentVersion"] = c.CurrentVersion, ["expectedVersion"] = c.ExpectedVersion });

    /// <summary>
    /// 409 <c>eventid_reused</c>: an eventId already stored (or used earlier in the batch) for a different event. Carries
    /// <c>errors</c> like a validation problem, each naming the eventId's path (<c>events[i].eventId</c>).
    /// </summary>
    public static IResult EventIdReused(IEnumerable<FieldError> errors) =>
        Of(StatusCodes.Status409Conflict, "eventid_reused", "An eventId is reused for a different event.",
            "A retried post must send the same event with the same eventId; a different event needs a new eventId. See errors.",
            new Dictionary<string, object?> { ["errors"] = Listed(errors) });

    static string Trim(string s) => Printable(s.Length > 80 ? s[..80] + "…" : s);

    /// <summary>
    /// <paramref name="s"/> safe to echo in a <c>detail</c>: a control character (Cc) or an invisible format character (Cf:
    /// bidi overrides such as U+202E, zero-width space, byte-order mark) is written as <c>\uXXXX</c>, so an odd id cannot
    /// reorder or hide the text a reader sees (docs/api.md, "Errors").
    /// </summary>
    public static string Printable(string s)
    {
        if (!s.Any(c => char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.Control or System.Globalization.UnicodeCategory.Format)) return s;
        var b = new System.Text.StringBuilder(s.Length + 8);
        foreach (var c in s)
            if (char.GetUnicodeCategory(c) is System.Globalization.UnicodeCategory.Control or System.Globalization.UnicodeCategory.Format) b.Append($"\\u{(int)c:X4}");
            else b.Append(c);
        return b.ToString();
    }
}
