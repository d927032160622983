namespace Normalization.Api.Http;

/// <summary>
/// Gives the answers ASP.NET writes itself — a path no endpoint matches (404), a method the path does not take (405), a
/// request the framework refuses (400, 415 …), written by <c>UseStatusCodePages</c> / <c>UseExceptionHandler</c> through
/// <see cref="IProblemDetailsService"/> — the product's machine-readable <c>code</c> and problem <c>type</c>, like
/// <see cref="Problems.Of"/> (docs/api.md, "Errors": every error has a <c>code</c>). A problem that already has a code
/// (ours) is left as it is. Kestrel answers some malformed requests (a <c>%00</c> in the path, a bad request line) before
/// the pipeline runs: those 400s have an empty body, which this cannot change (documented in docs/api.md).
/// </summary>
public static class FrameworkProblems
{
    /// <summary>The <c>code</c> of a framework answer by its status; a status not listed is <c>http_&lt;status&gt;</c>.</summary>
    public static string CodeOf(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "bad_request",
        StatusCodes.Status404NotFound => "not_found",
        StatusCodes.Status405MethodNotAllowed => "method_not_allowed",
        StatusCodes.Status406NotAcceptable => "not_acceptable",
        StatusCodes.Status413PayloadTooLarge => "payload_too_large",
        StatusCodes.Status415UnsupportedMediaType => "unsupported_media_type",
        StatusCodes.Status500InternalServerError => "internal_error",
        _ => $"http_{status}",
    };

    /// <summary>Registered with <c>AddProblemDetails</c>: adds <c>code</c>, <c>type</c> and a detail to a framework problem.</summary>
    public static void Configure(ProblemDetailsOptions options) => options.CustomizeProblemDetails = context =>
    {
        var p = context.ProblemDetails;
        if (p.Extensions.ContainsKey("code")) return;
        var status = p.Status ?? context.HttpContext.Response.StatusCode;
        var code = CodeOf(status);
        p.Extensions["code"] = code;
        p.Type = $"https://normalization.dev/problems/{code}";
        p.Detail ??= status switch
        {
            StatusCodes.Status404NotFound => "No endpoint answers this path; see /openapi/v1.json for the API's paths.",
            StatusCodes.Status405MethodNotAllowed => MethodNotAllowed(context.HttpContext),
            _ => null,
        };
    };

    static string MethodNotAllowed(HttpContext http)
    {
        HeadRequests.AddHeadToAllow(http);
        var allow = http.Response.Headers.Allow.ToString();
        return $"{Problems.Printable(http.Request.Method)} is not allowed on this path{(allow.Length > 0 ? $"; allowed: {allow}" : "")}.";
    }
}
