using System.Text.RegularExpressions;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Normalization.Api.Readers;

namespace Normalization.Api.Pages;

/// <summary>
/// The reader's language for a page, chosen by the rule of the page's script (wwwroot/js/reader.js, <c>chooseLanguage</c>):
/// <c>?lang=</c> when a catalog exists for it, else the browser's languages (here its <c>Accept-Language</c>, in order of
/// preference, by primary subtag: <c>fr-CA</c> is <c>fr</c>), else English. The languages are those the page ships a catalog
/// for (<see cref="SiteEndpoint.Languages"/>).
/// </summary>
public static partial class PageLanguage
{
    /// <summary>The page's language for this request.</summary>
    public static string Choose(IQueryCollection query, StringValues acceptLanguage)
    {
        if (query.TryGetValue("lang", out var asked) && asked.Count == 1 && SiteEndpoint.Languages.Contains(asked[0], StringComparer.Ordinal))
            return asked[0]!;
        if (StringWithQualityHeaderValue.TryParseList(acceptLanguage, out var offered))
            foreach (var l in offered.Where(l => l.Quality is null or > 0).OrderByDescending(l => l.Quality ?? 1))
            {
                var primary = l.Value.Value?.Split('-')[0].ToLowerInvariant();
                if (primary is not null && SiteEndpoint.Languages.Contains(primary, StringComparer.Ordinal)) return primary;
            }
        return "en";
    }

    /// <summary>
    /// A catalog's static texts: the <c>'key': 'text'</c> entries of wwwroot/js/i18n/{language}.js (the one place the page's
    /// words are written; MessageCatalogTests reads them the same way), with the JavaScript string escapes undone.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Catalog(string script)
    {
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in Entry().Matches(script))
            entries[m.Groups["key"].Value] = Unescape(m.Groups["single"].Success ? m.Groups["single"].Value : m.Groups["double"].Value);
        return entries;
    }

    static string Unescape(string s) => JsEscape().Replace(s, m => m.Groups[1].Value switch
    {
        "n" => "\n", "t" => "\t",
        var u when u.Length == 5 && u[0] == 'u' => ((char)Convert.ToInt32(u[1..], 16)).ToString(),
        var other => other,
    });

    [GeneratedRegex(@"'(?<key>[a-zA-Z][\w.-]*)':\s*(?:'(?<single>(?:[^'\\]|\\.)*)'|""(?<double>(?:[^""\\]|\\.)*)"")")]
    private static partial Regex Entry();

    [GeneratedRegex(@"\\(u[0-9a-fA-F]{4}|.)")]
    private static partial Regex JsEscape();
}
