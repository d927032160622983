using Normalization.Api.Http;

namespace Normalization.Api.Readers;

/// <summary>
/// Read-only mode (<c>Normalization:Mode = ReadOnly</c>): every request that is not a read (GET, HEAD, OPTIONS) answers 403
/// ProblemDetails <c>read_only</c> — with or without a valid key, before authentication runs, whatever endpoint it names —
/// except the computations that store nothing (<see cref="Computations"/>: what-if), which are open to anyone there, under
/// <see cref="PublicLimits"/>. It looks only at the method and the matched route's pattern, never inside an endpoint.
/// </summary>
public static class ReadOnlyMode
{
    /// <summary>The route patterns of POST endpoints that compute an answer and store nothing.</summary>
    public static readonly IReadOnlySet<string> Computations = new HashSet<string>(StringComparer.Ordinal) { "/api/negotiations/{id}/what-if" };

    const string OpenComputationItem = "normalization.open-computation";

    /// <summary>True for GET, HEAD and OPTIONS.</summary>
    public static bool IsRead(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);

    /// <summary>True when the request's matched route is one of the <see cref="Computations"/>.</summary>
    public static bool IsComputation(HttpContext http) =>
        http.GetEndpoint() is RouteEndpoint { RoutePattern.RawText: { } pattern } && Computations.Contains("/" + pattern.TrimStart('/'));

    /// <summary>True when this request is a computation let through without a key by read-only mode (the writer policy lets it pass).</summary>
    public static bool IsOpenComputation(HttpContext http) => http.Items.ContainsKey(OpenComputationItem);

    /// <summary>Adds the middleware (after routing, before authentication), when <paramref name="settings"/> say read-only.</summary>
    public static void UseReadOnlyMode(this WebApplication app, ReaderSettings settings)
    {
        if (!settings.IsReadOnly) return;
        app.Use(async (http, next) =>
        {
            if (!IsRead(http.Request.Method))
            {
                if (!IsComputation(http))
                {
                    await Problems.Of(StatusCodes.Status403Forbidden, "read_only", "This tracker is read-only.",
                        "This deployment publishes its record and accepts no writes (Normalization:Mode = ReadOnly). What-if projections are open.")
                        .ExecuteAsync(http);
                    return;
                }
                http.Items[OpenComputationItem] = true;
            }
            await next();
        });
    }
}
