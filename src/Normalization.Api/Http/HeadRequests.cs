namespace Normalization.Api.Http;

/// <summary>
/// HEAD is GET without the body (RFC 9110 §9.3.2: a general-purpose server must support both). The endpoints are declared
/// for GET only — one operation each in the OpenAPI document — so routing is asked with GET and the request is HEAD again
/// for everything after it: the server (Kestrel) sends the headers a GET would get (status, Content-Type, ETag …) and no body.
/// A path without a GET answers 405 with <c>Allow</c> as before, which lists HEAD wherever it lists GET.
/// </summary>
public static class HeadRequests
{
    /// <summary>Routing, with HEAD matched as GET. Called where routing runs: first, before every other middleware.</summary>
    public static void UseRoutingWithHead(this WebApplication app)
    {
        app.Use((http, next) =>
        {
            if (HttpMethods.IsHead(http.Request.Method))
            {
                http.Request.Method = HttpMethods.Get;
                http.Items[HeadKey] = true;
            }
            return next(http);
        });
        app.UseRouting();
        app.Use((http, next) =>
        {
            if (http.Items.ContainsKey(HeadKey)) http.Request.Method = HttpMethods.Head;
            return next(http);
        });
    }

    static readonly object HeadKey = new();

    /// <summary>
    /// The <c>Allow</c> header of a 405 with HEAD beside GET (routing lists the endpoints' methods, and a GET endpoint takes
    /// HEAD too, above).
    /// </summary>
    public static void AddHeadToAllow(HttpContext http)
    {
        var allow = http.Response.Headers.Allow.ToString();
        if (allow.Length == 0) return;
        var methods = allow.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
        if (!methods.Contains(HttpMethods.Get, StringComparer.OrdinalIgnoreCase) || methods.Contains(HttpMethods.Head, StringComparer.OrdinalIgnoreCase)) return;
        methods.Insert(methods.FindIndex(m => string.Equals(m, HttpMethods.Get, StringComparison.OrdinalIgnoreCase)) + 1, HttpMethods.Head);
        http.Response.Headers.Allow = string.Join(", ", methods);
    }
}
