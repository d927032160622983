using Normalization.Domain.Validation;

namespace Normalization.Api.Http.Requests;

/// <summary>
/// The standard precondition <c>If-Match</c> (RFC 9110 §13.1.1) on the writes of one negotiation: <c>"n"</c> — one strong
/// entity tag, the quoted stream version the negotiation's <c>ETag</c> gave — is version n (a stale one is 409
/// <c>version_conflict</c>, as a stale body <c>expectedVersion</c>); <c>*</c> asks only that the negotiation exist. Anything
/// else (unquoted, weak <c>W/"n"</c> — If-Match compares strongly, so a weak tag could never match —, a list, not a version)
/// is 400 <c>invalid_etag</c> at <see cref="Path"/>. Never ignored: a write that takes none refuses it (<see cref="RefuseWhereNotTaken"/>; docs/api.md, POST …/events, If-Match).
/// </summary>
public static class IfMatch
{
    /// <summary>The error path of the header (a header's error is <c>header.&lt;Name&gt;</c>, as a route's is <c>route.&lt;name&gt;</c>).</summary>
    public const string Path = "header.If-Match";

    /// <summary>
    /// The version <paramref name="headers"/>' If-Match names: null when there is none, or it is <c>*</c>, or it is malformed
    /// (then an <c>invalid_etag</c> error is added to <paramref name="errors"/>).
    /// </summary>
    public static int? Read(IHeaderDictionary headers, List<FieldError> errors)
    {
        var values = headers.IfMatch;
        if (values.Count == 0) return null;
        // Several If-Match lines are one list (RFC 9110 §5.3): a list of versions is not one precondition.
        var text = string.Join(",", values.ToArray()).Trim(' ', '\t');
        if (text == "*") return null;
        if (TryVersionTag(text, out var version)) return version;
        errors.Add(new(Path, "invalid_etag", "If-Match must be one strong entity tag, the quoted version the negotiation's ETag gave (e.g. \"7\"), or *."));
        return null;
    }

    /// <summary>
    /// On a write that takes no precondition (create, imports, what-if, scenarios, subscriptions): an <c>If-Match</c> is 400
    /// <c>not_applicable</c> at <see cref="Path"/>, listed with the request's other errors. Ignoring it would do the write the
    /// client made conditional (RFC 9110 §13.1.1: a server must not perform a request whose If-Match it does not hold).
    /// </summary>
    public static void RefuseWhereNotTaken(IHeaderDictionary headers, List<FieldError> errors)
    {
        if (headers.IfMatch.Count > 0)
            errors.Add(new(Path, "not_applicable", "This write takes no If-Match: only POST …/events, POST …/events/{eventId}/retract and PUT …/coverage are conditional. Send it without If-Match."));
    }

    /// <summary>A version's entity tag: <c>"n"</c>, n from 1 to int.MaxValue in ASCII digits without a leading zero (the tag is compared as text).</summary>
    static bool TryVersionTag(string text, out int version)
    {
        version = 0;
        if (text.Length < 3 || text[0] != '"' || text[^1] != '"' || text[1] == '0') return false;
        var digits = text.AsSpan(1, text.Length - 2);
        return Strict.IsAsciiDigits(digits) && int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out version);
    }
}

/// <summary>
/// Marks a request record whose endpoint takes <c>If-Match</c> (<see cref="IfMatch"/>, read by its <c>ReadHeaders</c>): the
/// OpenAPI document declares the header on its operation (OpenApiOperations), so a generated client can send it.
/// </summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class IfMatchHeaderAttribute : Attribute;

/// <summary>
/// Marks an endpoint that answers with <c>ETag: "&lt;version&gt;"</c> — a read of a negotiation (<c>ApiJson.OkAtVersion</c>) or a
/// write to one (<c>ApiJson.CreatedAtVersion</c>, the version after the write): the OpenAPI document declares it on its 200 and 201.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class VersionETagAttribute : Attribute;
