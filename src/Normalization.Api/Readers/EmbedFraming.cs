namespace Normalization.Api.Readers;

/// <summary>
/// The embed view (<c>/embed/{id}</c>, the chart alone) may be framed by the origins in <c>Normalization:Embed:FrameAncestors</c>
/// and by no one else: its Content-Security-Policy says <c>frame-ancestors</c> with exactly those origins (<c>'none'</c> when
/// none is configured) and it drops <c>X-Frame-Options: DENY</c>, which cannot name origins (browsers that know CSP ignore it
/// when frame-ancestors is present). Every other page keeps <c>frame-ancestors 'none'</c> (Security/Hardening.cs).
/// </summary>
public static class EmbedFraming
{
    /// <summary>The path prefix of the embed view.</summary>
    public const string Prefix = "/embed";

    /// <summary>The CSP of an embed page for <paramref name="ancestors"/>.</summary>
    public static string Policy(IReadOnlyList<string> ancestors) =>
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors "
        + (ancestors.Count == 0 ? "'none'" : string.Join(' ', ancestors));

    /// <summary>Adds the header rewrite for <see cref="Prefix"/> paths (after Hardening has set its headers).</summary>
    public static void UseEmbedFraming(this WebApplication app, ReaderSettings settings)
    {
        var policy = Policy(settings.FrameAncestors);
        app.Use(async (http, next) =>
        {
            if (http.Request.Path.StartsWithSegments(Prefix))
            {
                http.Response.Headers.ContentSecurityPolicy = policy;
                http.Response.Headers.Remove("X-Frame-Options");
            }
            await next();
        });
    }
}
