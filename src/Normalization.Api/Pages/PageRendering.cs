using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Extensions.FileProviders;

namespace Normalization.Api.Pages;

/// <summary>
/// A page (wwwroot/*.html) as the reader's language has it before any script runs: <c>&lt;html lang&gt;</c> set, the static
/// texts (<c>data-i18n</c>) and labels (<c>data-i18n-label</c> → <c>aria-label</c>) in that language — what the script's
/// <c>translatePage</c> does in the browser, done once on the server so screen readers, axe and a reader without scripts see
/// the right language from the first byte. A key the catalog lacks keeps the page's English (the script marks it). Rendered
/// pages are kept per file, language and file date.
/// </summary>
public sealed partial class PageRendering(IWebHostEnvironment environment)
{
    readonly ConcurrentDictionary<(string File, string Language, DateTimeOffset Modified), string> rendered = new();

    /// <summary>The page <paramref name="file"/> (a name under wwwroot) in <paramref name="language"/>.</summary>
    public string Render(string file, string language)
    {
        var page = environment.WebRootFileProvider.GetFileInfo(file);
        if (!page.Exists) throw new FileNotFoundException($"wwwroot/{file} is missing.", file);
        var catalog = environment.WebRootFileProvider.GetFileInfo($"js/i18n/{language}.js");
        var modified = page.LastModified > catalog.LastModified ? page.LastModified : catalog.LastModified;
        return rendered.GetOrAdd((file, language, modified), _ => Translate(Read(page), language, catalog.Exists ? PageLanguage.Catalog(Read(catalog)) : new Dictionary<string, string>()));
    }

    static string Read(IFileInfo file)
    {
        using var reader = new StreamReader(file.CreateReadStream());
        return reader.ReadToEnd();
    }

    /// <summary>The translation itself (pure: the page's HTML, the language, its catalog).</summary>
    public static string Translate(string html, string language, IReadOnlyDictionary<string, string> catalog)
    {
        html = HtmlLang().Replace(html, $"<html lang=\"{language}\"", 1);
        if (language == "en") return html;
        html = TextElement().Replace(html, m => catalog.TryGetValue(m.Groups["key"].Value, out var text)
            ? m.Groups["open"].Value + Encode(text) + m.Groups["close"].Value : m.Value);
        return LabelledTag().Replace(html, m =>
        {
            if (!catalog.TryGetValue(m.Groups["key"].Value, out var label)) return m.Value;
            var tag = m.Value;
            return AriaLabel().IsMatch(tag)
                ? AriaLabel().Replace(tag, $" aria-label=\"{Encode(label)}\"", 1)
                : tag.Insert(tag.Length - 1, $" aria-label=\"{Encode(label)}\"");
        });
    }

    static string Encode(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;").Replace("\"", "&quot;");

    [GeneratedRegex(@"<html\s+lang=""[^""]*""")]
    private static partial Regex HtmlLang();

    // An element whose content is text only, carrying data-i18n="key".
    [GeneratedRegex(@"(?<open><(?<tag>[a-zA-Z][a-zA-Z0-9]*)\b[^<>]*?\sdata-i18n=""(?<key>[^""]+)""[^<>]*>)[^<]*(?<close></\k<tag>>)")]
    private static partial Regex TextElement();

    [GeneratedRegex(@"<[a-zA-Z][a-zA-Z0-9]*\b[^<>]*?\sdata-i18n-label=""(?<key>[^""]+)""[^<>]*>")]
    private static partial Regex LabelledTag();

    [GeneratedRegex(@"\saria-label=""[^""]*""")]
    private static partial Regex AriaLabel();
}
