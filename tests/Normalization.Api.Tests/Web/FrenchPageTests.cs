using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Normalization.Api.Security;

namespace Normalization.Api.Tests.Web;

/// <summary>
/// The pages in French once the scripts have written everything (board, negotiation page with a projected what-if, ledger and
/// post form, embed view): no English left outside the record's own text, the original-language quote beside its translation,
/// and the embed view restoring a shared what-if (inline or a saved scenario).
/// </summary>
[Collection(WebCollection.Name)]
public sealed partial class FrenchPageTests(WebAppFixture web)
{
    const string Page = "/negotiations/" + WebAppFixture.NegotiationId;
    const string Embed = "/embed/" + WebAppFixture.NegotiationId;

    /// <summary>
    /// Words the scripts write in English (labels, statuses, buttons, pager, legend, chart axis, ledger, stage names, enum values):
    /// none may remain on a French page outside the record's data.
    /// </summary>
    [GeneratedRegex(@"\b(Download|Stage|Since|Record|Why|Momentum|Ledger|Projected|Without|Remove|Keep|Events|events|First|Previous|Next|Last|cooperative|conflictual|required|Choose|Add another|None|match the filters|the start|undo|Nothing was stored|Confirmed|Reported|extrapolated|covered until|not recorded|Open demands|Pending requests|Gestures|Offices|Commitments|Stored|Hostility|Estrangement|Exploratory|Full relations|Confidence building|Representation changes|weight|previous|days|Positive|Embassy|Representative office|Improving|Deteriorating|Transitions that|Source \d|TalksHeld|StatementIssued|OfficeOpened|ThreatIssued|AgreementSigned)\b")]
    private static partial Regex EnglishWords();

    /// <summary>
    /// The page's own text and its labels (aria-label, title, placeholder), without the record's data ([data-user]: titles,
    /// notes, publishers, quotes, party names) and without text marked as another language ([lang] other than fr: the API's
    /// reference descriptions). Also the data-i18n keys the French catalog lacked.
    /// </summary>
    const string ScanScript = """
        () => {
          const missing = [...document.querySelectorAll('[data-i18n-missing]')].map((n) => n.dataset.i18nMissing);
          const clone = document.body.cloneNode(true);
          clone.querySelectorAll('[data-user], [lang]:not([lang="fr"]), #title, .embed-title, script, style').forEach((n) => n.remove());
          const attributes = [...clone.querySelectorAll('[aria-label], [title], [placeholder]')]
            .flatMap((n) => [n.getAttribute('aria-label'), n.getAttribute('title'), n.getAttribute('placeholder')]).filter(Boolean);
          return { missing, text: [clone.textContent, ...attributes, document.title].join('\n') };
        }
        """;

    sealed class Scan
    {
        public string[] Missing { get; set; } = [];
        public string Text { get; set; } = "";
    }

    static async Task<List<string>> EnglishLeftAsync(IPage page)
    {
        var scan = await page.EvaluateAsync<Scan>(ScanScript);
        scan.Text.Length.ShouldBeGreaterThan(200, "the scan must see the page's text");
        return [.. scan.Missing.Select(k => "missing data-i18n key " + k), .. EnglishWords().Matches(scan.Text).Select(m => Around(scan.Text, m))];
    }

    static string Around(string text, Match m) => $"'{m.Value}' in …{text[Math.Max(0, m.Index - 40)..Math.Min(text.Length, m.Index + m.Length + 40)].ReplaceLineEndings(" ")}…";

    [Fact]
    public async Task Given_lang_fr_When_the_board_page_what_if_ledger_form_and_embed_are_rendered_Then_no_English_text_of_the_page_remains()
    {
        var errors = new List<string>();
        var (context, page) = await web.NewPageAsync(errors, height: 1500);
        await using var _ = context;
        await context.AddInitScriptAsync($"sessionStorage.setItem('normalization.apiKey', '{WebAppFixture.ApiKey}')");

        await page.GotoAsync("/?lang=fr");
        await Assertions.Expect(page.Locator("#board tbody tr[data-id='us-taliban']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#board-status")).ToContainTextAsync("négociation");
        (await EnglishLeftAsync(page)).ShouldBeEmpty();

        // The page with a shared what-if projected, every ledger section open and a refused post: everything the scripts write.
        await page.GotoAsync($"{Page}?asOf=2025-04-15&lang=fr&whatIf={InlineOffice()}");
        await Assertions.Expect(page.Locator("body[data-ready='true']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#whatif-projected")).ToHaveAttributeAsync("data-stage", "Representation");
        await Assertions.Expect(page.Locator("#whatif-result")).ToContainTextAsync("Stade projeté");
        await Assertions.Expect(page.Locator("#timeline-position")).ToContainTextAsync("Événements 1–");
        await page.EvaluateAsync("() => document.querySelectorAll('details').forEach((d) => d.open = true)");
        await page.FillAsync("#api-key", WebAppFixture.ApiKey);
        await page.SelectOptionAsync("#post-type", "StatementIssued");
        await page.FillAsync("#post-f-occurredOn", "2025-02-30");
        await page.ClickAsync("#post-form button[type=submit]");
        await Assertions.Expect(page.Locator("#post-fields [data-error-for='occurredOn']")).ToContainTextAsync("Date non valide");
        await Assertions.Expect(page.Locator("#post-status")).ToContainTextAsync("Non enregistré");
        (await EnglishLeftAsync(page)).ShouldBeEmpty();

        await page.GotoAsync($"{Embed}?asOf=2025-04-15&lang=fr");
        await Assertions.Expect(page.Locator("body[data-ready='true'] #stage-chart")).ToHaveCountAsync(1);
        (await EnglishLeftAsync(page)).ShouldBeEmpty();
        errors.Where(e => !e.Contains("400")).ShouldBeEmpty(); // the refused post is logged by the browser itself
    }

    [Fact]
    public async Task Given_the_seed_keeps_the_French_sentences_When_the_timeline_shows_a_source_Then_the_original_quote_is_beside_its_translation_with_lang_fr()
    {
        var errors = new List<string>();
        var (context, page) = await web.NewPageAsync(errors, height: 1500);
        await using var _ = context;

        foreach (var lang in new[] { "en", "fr" })
        {
            await page.GotoAsync($"{Page}?asOf=2025-04-15&lang={lang}");
            await Assertions.Expect(page.Locator("body[data-ready='true']")).ToHaveCountAsync(1);
            var original = page.Locator("#timeline q.original-quote", new() { HasText = "Videz vos cellules" });
            await Assertions.Expect(original).ToBeVisibleAsync();
            await Assertions.Expect(original).ToHaveAttributeAsync("lang", "fr");
            var source = original.Locator("xpath=ancestor::span[contains(concat(' ', @class, ' '), ' source ')][1]");
            await Assertions.Expect(source.Locator(".source-quote q")).ToContainTextAsync("Empty your cells");
            await Assertions.Expect(source.Locator(".source-original")).ToContainTextAsync(lang == "fr" ? "Original (français)" : "Original (French)");
        }
        errors.ShouldBeEmpty();
    }

    [Fact]
    public async Task Given_an_embed_address_with_an_inline_what_if_When_it_opens_Then_the_hypothetical_line_and_projected_stage_are_shown()
    {
        var errors = new List<string>();
        var (context, page) = await web.NewPageAsync(errors);
        await using var _ = context;
        await context.AddInitScriptAsync($"sessionStorage.setItem('normalization.apiKey', '{WebAppFixture.ApiKey}')"); // a read-write tracker
        var versionBefore = await web.StoredVersionAsync();

        await page.GotoAsync($"{Embed}?asOf=2025-04-15&whatIf={InlineOffice()}");

        await Assertions.Expect(page.Locator("body[data-ready='true']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#embed-whatif")).ToHaveAttributeAsync("data-stage", "Representation");
        await Assertions.Expect(page.Locator("#embed-whatif .badge[data-stage='Estrangement']")).ToHaveCountAsync(1); // without it, by November 2026
        var dashed = page.Locator("#stage-chart path[data-series='hypothetical']");
        await Assertions.Expect(dashed).ToHaveCountAsync(1);
        (await dashed.GetAttributeAsync("d")).ShouldNotBe("M0,0");
        (await page.Locator("#full-page").GetAttributeAsync("href") ?? "").ShouldContain("whatIf=");
        (await web.StoredVersionAsync()).ShouldBe(versionBefore);
        errors.ShouldBeEmpty();
    }

    [Fact]
    public async Task Given_a_saved_scenario_When_an_embed_address_names_it_Then_the_embed_runs_it_without_a_key_and_draws_it()
    {
        var name = $"office-{Guid.NewGuid():N}"[..20];
        using (var save = new HttpRequestMessage(HttpMethod.Post, $"/api/negotiations/{WebAppFixture.NegotiationId}/scenarios")
               { Content = JsonContent.Create(new JsonObject { ["name"] = name, ["add"] = new JsonArray(OfficeEvent()) }) })
        {
            save.Headers.Add(ApiKeys.Header, WebAppFixture.ApiKey);
            using var saved = await web.Http.SendAsync(save);
            saved.StatusCode.ShouldBeOneOf(HttpStatusCode.Created, HttpStatusCode.OK);
        }
        var errors = new List<string>();
        var (context, page) = await web.NewPageAsync(errors);
        await using var _ = context;

        await page.GotoAsync($"{Embed}?asOf=2025-04-15&scenario={name}&lang=fr");

        await Assertions.Expect(page.Locator("body[data-ready='true']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#embed-whatif")).ToHaveAttributeAsync("data-stage", "Representation");
        await Assertions.Expect(page.Locator("#embed-whatif")).ToContainTextAsync($"Scénario enregistré « {name} »");
        await Assertions.Expect(page.Locator("#stage-chart path[data-series='hypothetical']")).ToHaveCountAsync(1);
        errors.ShouldBeEmpty();
    }

    /// <summary>A Taliban representative office in the US on 2025-04-10 (Representation when projected).</summary>
    static JsonObject OfficeEvent() => new()
    {
        ["type"] = "OfficeOpened", ["occurredOn"] = "2025-04-10", ["actor"] = "TB", ["target"] = "US", ["confidence"] = "Confirmed",
        ["officeKind"] = "RepresentativeOffice", ["city"] = "New York",
    };

    /// <summary>The address's inline what-if (share.js): base64url of {add, remove, projectTo}, projected to November 2026.</summary>
    static string InlineOffice()
    {
        var json = new JsonObject { ["add"] = new JsonArray(OfficeEvent()), ["remove"] = new JsonArray(), ["projectTo"] = "2026-11-01" }.ToJsonString();
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(json)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
    }
}
