using System.Net;
using System.Text.RegularExpressions;

namespace Normalization.Api.Tests.Web;

/// <summary>
/// The pages' HTML as the server sends it, before any script runs (a new-user trial found <c>?lang=fr</c> served as
/// <c>&lt;html lang="en"&gt;</c> with English texts until the scripts ran: what screen readers and axe see first). The
/// language comes from <c>?lang=</c>, else <c>Accept-Language</c>, else English — the rule of the page's script.
/// </summary>
[Collection(WebCollection.Name)]
public sealed partial class PageLanguageTests(WebAppFixture web)
{
    async Task<(string Html, HttpResponseMessage Response)> Get(string url, string? acceptLanguage = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        if (acceptLanguage is not null) request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        var response = await web.Http.SendAsync(request);
        response.StatusCode.ShouldBe(HttpStatusCode.OK, url);
        return (await response.Content.ReadAsStringAsync(), response);
    }

    static string Lang(string html) => HtmlLang().Match(html).Groups[1].Value;

    [Theory]
    [InlineData("/?lang=fr")]
    [InlineData("/index.html?lang=fr")]
    [InlineData("/negotiations/" + WebAppFixture.NegotiationId + "?lang=fr&asOf=2025-04-15")]
    [InlineData("/embed/" + WebAppFixture.NegotiationId + "?lang=fr")]
    public async Task Given_lang_fr_When_a_page_is_fetched_without_running_its_scripts_Then_it_is_French_from_the_first_byte(string url)
    {
        var french = MessageCatalogTests.Entries("fr");

        var (html, response) = await Get(url);

        Lang(html).ShouldBe("fr");
        response.Content.Headers.ContentLanguage.ShouldBe(["fr"]);
        response.Headers.Vary.ShouldContain("Accept-Language");
        var texts = StaticText().Matches(html).ToList();
        var labels = Labelled().Matches(html).ToList();
        (texts.Count + labels.Count).ShouldBeGreaterThan(0);
        foreach (Match m in texts)
            WebUtility.HtmlDecode(m.Groups["text"].Value).ShouldBe(Js(french[m.Groups["key"].Value]), m.Value);
        foreach (Match m in labels)
            WebUtility.HtmlDecode(AriaLabel().Match(m.Value).Groups[1].Value).ShouldBe(Js(french[m.Groups["key"].Value]), m.Value);
    }

    [Theory]
    [InlineData(null, null, "en")]
    [InlineData(null, "fr-CA,fr;q=0.9,en;q=0.5", "fr")]
    [InlineData(null, "de-DE,de;q=0.9,en;q=0.8", "en")]
    [InlineData(null, "de-DE,fr;q=0.7", "fr")]
    [InlineData("en", "fr", "en")]
    [InlineData("xx", "fr", "fr")]
    public async Task Given_a_lang_parameter_and_the_browsers_languages_When_the_page_is_fetched_Then_the_scripts_rule_chooses_its_language(string? lang, string? acceptLanguage, string expected)
    {
        var (html, response) = await Get("/negotiations/" + WebAppFixture.NegotiationId + (lang is null ? "" : "?lang=" + lang), acceptLanguage);

        Lang(html).ShouldBe(expected);
        response.Content.Headers.ContentLanguage.ShouldBe([expected]);
        html.Contains(expected == "fr" ? "Aller à la négociation" : "Skip to the negotiation", StringComparison.Ordinal).ShouldBeTrue();
    }

    /// <summary>A catalog text as the browser has it (the catalogs are JavaScript string literals).</summary>
    static string Js(string literal) => Regex.Unescape(literal.Replace("\\'", "'"));

    [GeneratedRegex(@"<html\s+lang=""([^""]*)""")]
    private static partial Regex HtmlLang();

    [GeneratedRegex(@"<(?<tag>[a-zA-Z][a-zA-Z0-9]*)\b[^<>]*?\sdata-i18n=""(?<key>[^""]+)""[^<>]*>(?<text>[^<]*)</\k<tag>>")]
    private static partial Regex StaticText();

    [GeneratedRegex(@"<[a-zA-Z][a-zA-Z0-9]*\b[^<>]*?\sdata-i18n-label=""(?<key>[^""]+)""[^<>]*>")]
    private static partial Regex Labelled();

    [GeneratedRegex(@"\saria-label=""([^""]*)""")]
    private static partial Regex AriaLabel();
}
