using Microsoft.Net.Http.Headers;

namespace Normalization.Api.Pages;

/// <summary>
/// The web page's HTML documents, served in the reader's language (<see cref="PageLanguage"/>, <see cref="PageRendering"/>):
/// the board at <c>/</c> (and <c>/index.html</c>), a negotiation at <c>/negotiations/{id}</c>, its embeddable chart at
/// <c>/embed/{id}</c>. Scripts, styles and images stay static files. The answer varies with <c>Accept-Language</c> and says
/// its language (<c>Content-Language</c>).
/// </summary>
public static class PageEndpoints
{
    /// <summary>Maps the pages (before the static files, which then serve only what these do not).</summary>
    public static void MapPages(this WebApplication app)
    {
        app.MapGet("/", (HttpContext http, PageRendering pages) => Page(http, pages, "index.html")).ExcludeFromDescription();
        app.MapGet("/index.html", (HttpContext http, PageRendering pages) => Page(http, pages, "index.html")).ExcludeFromDescription();
        app.MapGet("/negotiations/{id}", (string id, HttpContext http, PageRendering pages) => Page(http, pages, "negotiation.html")).ExcludeFromDescription();
        app.MapGet("/embed/{id}", (string id, HttpContext http, PageRendering pages) => Page(http, pages, "embed.html")).ExcludeFromDescription();
    }

    static IResult Page(HttpContext http, PageRendering pages, string file)
    {
        var language = PageLanguage.Choose(http.Request.Query, http.Request.Headers.AcceptLanguage);
        http.Response.Headers.ContentLanguage = language;
        http.Response.Headers.Append(HeaderNames.Vary, HeaderNames.AcceptLanguage);
        return Results.Content(pages.Render(file, language), "text/html; charset=utf-8");
    }
}
