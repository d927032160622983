using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Normalization.Api.Tests.Web;

/// <summary>The page for readers: read-only mode, French, a shared what-if, the embed view in a frame, axe-core checks.</summary>
[Collection(WebCollection.Name)]
public sealed class ReaderPageTests(WebAppFixture web)
{
    const string Page = "/negotiations/" + WebAppFixture.NegotiationId;
    const string Embed = "/embed/" + WebAppFixture.NegotiationId;

    [Fact]
    public async Task Given_a_read_only_deployment_When_the_page_opens_Then_there_is_no_write_form_what_if_works_without_a_key_and_a_POST_is_403()
    {
        await using var readOnly = await web.StartExtraAppAsync(new() { ["Normalization__Mode"] = "ReadOnly" });
        var errors = new List<string>();
        var (context, page) = await web.NewPageAsync(errors, height: 1500, baseUrl: readOnly.BaseUrl);
        await using var _ = context;
        var versionBefore = await web.StoredVersionAsync();

        await page.GotoAsync(Page + "?asOf=2025-04-15");
        await Assertions.Expect(page.Locator("body[data-ready='true']")).ToHaveCountAsync(1);

        await Assertions.Expect(page.Locator("#post-form")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("#api-key")).ToHaveCountAsync(0);
        await AddHypotheticalOfficeAsync(page);
        await page.FillAsync("#whatif-project-to", "2026-11-01");
        await page.ClickAsync("#whatif-run");
        await Assertions.Expect(page.Locator("#whatif-projected")).ToHaveAttributeAsync("data-stage", "Representation");

        var seedEvent = new JsonObject { ["type"] = "TalksHeld", ["occurredOn"] = "2025-04-01", ["actor"] = "US", ["target"] = "TB", ["participants"] = new JsonArray("US", "TB") };
        using var post = new HttpRequestMessage(HttpMethod.Post, $"/api/negotiations/{WebAppFixture.NegotiationId}/events") { Content = JsonContent.Create(new JsonObject { ["events"] = new JsonArray(seedEvent) }) };
        post.Headers.Add(Normalization.Api.Security.ApiKeys.Header, WebAppFixture.ApiKey);
        using var posted = await readOnly.Http.SendAsync(post);
        posted.StatusCode.ShouldBe(HttpStatusCode.Forbidden);
        (await posted.Content.ReadFromJsonAsync<JsonObject>())!["code"]!.GetValue<string>().ShouldBe("read_only");
        (await web.StoredVersionAsync()).ShouldBe(versionBefore);
        errors.ShouldBeEmpty();
    }

    [Fact]
    public async Task Given_a_readers_zone_When_the_page_opens_Then_the_chart_and_the_workbook_are_asked_for_the_readers_today()
    {
        // Given a reader in Kabul (?tz=, as the browser's zone would be)
        var errors = new List<string>();
        var (context, page) = await web.NewPageAsync(errors);
        await using var _ = context;
        var summaries = new List<string>();
        page.Request += (_, r) => { if (r.Url.Contains("/summary")) summaries.Add(r.Url); };

        // When the negotiation's page opens
        await page.GotoAsync(Page + "?tz=Asia%2FKabul");
        await Assertions.Expect(page.Locator("body[data-ready='true']")).ToHaveCountAsync(1);

        // Then the summary the chart draws, and the XLSX download (its Stages sheet), ask for the reader's today, as the state does
        summaries.ShouldNotBeEmpty();
        summaries.ShouldAllBe(u => u.Contains("tz=Asia%2FKabul"));
        (await page.Locator("a.download[href*='format=xlsx']").GetAttributeAsync("href"))!.ShouldContain("tz=Asia%2FKabul");
        errors.ShouldBeEmpty();
    }

    [Fact]
    public async Task Given_lang_fr_When_the_pages_open_Then_they_are_in_French_with_lang_set()
    {
        var errors = new List<string>();
        var (context, page) = await web.NewPageAsync(errors);
        await using var _ = context;

        await page.GotoAsync("/?lang=fr");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "fr");
        await Assertions.Expect(page.Locator("#board-heading")).ToHaveTextAsync("Tableau");
        await Assertions.Expect(page.Locator("#board tbody tr[data-id='us-taliban'] .badge")).ToHaveTextAsync("Éloignement");

        await page.GotoAsync(Page + "?asOf=2025-04-15&lang=fr");
        await Assertions.Expect(page.Locator("body[data-ready='true']")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "fr");
        await Assertions.Expect(page.Locator("#asof-heading")).ToHaveTextAsync("Voyage dans le temps");
        await Assertions.Expect(page.Locator("#state-asof")).ToHaveTextAsync("15 avril 2025");
        await Assertions.Expect(page.Locator(".language-switch a[lang='en']")).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("lang=en"));
        errors.ShouldBeEmpty();
    }

    [Fact]
    public async Task Given_a_projected_what_if_When_its_address_is_opened_in_a_new_tab_Then_the_what_if_is_restored()
    {
        var errors = new List<string>();
        var (context, page) = await web.NewPageAsync(errors, height: 1500);
        await using var _ = context;
        await page.GotoAsync(Page + "?asOf=2025-04-15");
        await Assertions.Expect(page.Locator("body[data-ready='true']")).ToHaveCountAsync(1);
        await page.FillAsync("#api-key", WebAppFixture.ApiKey);
        await page.DispatchEventAsync("#api-key", "change");
        await AddHypotheticalOfficeAsync(page);
        await page.FillAsync("#zoom-from", "2024-01-01");
        await page.DispatchEventAsync("#zoom-from", "change", new { bubbles = true });
        await page.FillAsync("#whatif-project-to", "2026-11-01");
        await page.ClickAsync("#whatif-run");
        await Assertions.Expect(page.Locator("#whatif-projected")).ToHaveAttributeAsync("data-stage", "Representation");
        var shared = page.Url;
        shared.ShouldContain("whatIf=");
        shared.ShouldContain("zoomFrom=2024-01-01");

        var other = await context.NewPageAsync(); // same tab session: the key is in sessionStorage of that tab only, so give it again
        other.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        await other.AddInitScriptAsync($"sessionStorage.setItem('normalization.apiKey', '{WebAppFixture.ApiKey}')");
        await other.GotoAsync(shared);

        await Assertions.Expect(other.Locator("#whatif-projected")).ToHaveAttributeAsync("data-stage", "Representation");
        await Assertions.Expect(other.Locator("#whatif-changes li[data-type='OfficeOpened'][data-occurred-on='2025-04-10']")).ToHaveCountAsync(1);
        await Assertions.Expect(other.Locator("#zoom-from")).ToHaveValueAsync("2024-01-01");
        await Assertions.Expect(other.Locator("#asof-date")).ToHaveValueAsync("2025-04-15");
        errors.ShouldBeEmpty();
    }

    [Fact]
    public async Task Given_the_embed_view_When_framed_by_the_allowed_origin_Then_the_chart_renders_and_by_another_origin_it_is_refused()
    {
        var errors = new List<string>();
        var (context, page) = await web.NewPageAsync(errors);
        await using var _ = context;
        var article = $"<!doctype html><html lang=\"en\"><title>Article</title><iframe title=\"chart\" width=\"900\" height=\"500\" src=\"{web.BaseUrl}{Embed}?asOf=2025-04-15\"></iframe></html>";
        var elsewhere = $"http://127.0.0.1:{FreePort()}";
        using var allowedSite = Serve(web.AllowedFramer, article);
        using var otherSite = Serve(elsewhere, article);

        await page.GotoAsync(web.AllowedFramer + "/article");
        var allowed = page.FrameLocator("iframe");
        await Assertions.Expect(allowed.Locator("body[data-ready='true'] #stage-chart")).ToHaveCountAsync(1);

        await page.GotoAsync(elsewhere + "/article");
        await page.WaitForTimeoutAsync(1500);
        var frame = page.Frames.Single(f => f != page.MainFrame);
        (await frame.Locator("#stage-chart").CountAsync()).ShouldBe(0, "frame-ancestors names only the allowed origin");

        using var direct = await web.Http.GetAsync(Embed);
        direct.Headers.GetValues("Content-Security-Policy").Single().ShouldContain($"frame-ancestors {web.AllowedFramer}");
        direct.Headers.Contains("X-Frame-Options").ShouldBeFalse();
        using var full = await web.Http.GetAsync(Page);
        full.Headers.GetValues("Content-Security-Policy").Single().ShouldContain("frame-ancestors 'none'");
    }

    [Fact]
    public async Task Given_the_post_form_When_a_source_is_entered_as_fields_without_its_publisher_Then_the_API_error_shows_beside_that_field()
    {
        var errors = new List<string>();
        var (context, page) = await web.NewPageAsync(errors, height: 1500);
        await using var _ = context;
        var versionBefore = await web.StoredVersionAsync();
        await page.GotoAsync(Page + "?asOf=2025-04-15");
        await Assertions.Expect(page.Locator("body[data-ready='true']")).ToHaveCountAsync(1);

        await page.FillAsync("#api-key", WebAppFixture.ApiKey);
        await page.SelectOptionAsync("#post-type", "StatementIssued");
        await Assertions.Expect(page.Locator("#post-fields textarea[name='sources']")).ToHaveCountAsync(0);
        await page.SelectOptionAsync("#post-f-tone", "Positive");
        await page.FillAsync("#post-f-occurredOn", "2025-04-03");
        await page.FillAsync("#post-f-sources-0-url", "https://edition.cnn.com/");
        await page.FillAsync("#post-f-sources-0-originalQuote", "pas à pas");
        await page.FillAsync("#post-f-sources-0-originalLanguage", "fr");
        await page.ClickAsync("#post-form button[type=submit]");

        await Assertions.Expect(page.Locator("#post-f-sources-0-publisher")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.Locator("#post-f-sources-0-publisher-error")).Not.ToBeEmptyAsync();
        (await web.StoredVersionAsync()).ShouldBe(versionBefore);
        errors.Where(e => !e.Contains("400")).ShouldBeEmpty(); // the browser logs the refused request itself
    }

    /// <summary>Adds to the what-if a Taliban representative office in the US on 2025-04-10 (Representation when projected).</summary>
    static async Task AddHypotheticalOfficeAsync(IPage page)
    {
        await page.SelectOptionAsync("#whatif-type", "OfficeOpened");
        await page.SelectOptionAsync("#whatif-f-officeKind", "RepresentativeOffice");
        await page.FillAsync("#whatif-f-occurredOn", "2025-04-10");
        await page.FillAsync("#whatif-f-actor", "TB");
        await page.FillAsync("#whatif-f-target", "US");
        await page.ClickAsync("#whatif-form button[type=submit]");
    }

    /// <summary>A publisher's site on a loopback origin: answers every request with <paramref name="html"/>.</summary>
    static HttpListener Serve(string origin, string html)
    {
        var listener = new HttpListener();
        listener.Prefixes.Add(origin + "/");
        listener.Start();
        _ = Task.Run(async () =>
        {
            while (listener.IsListening)
            {
                HttpListenerContext c;
                try { c = await listener.GetContextAsync(); } catch { return; }
                var bytes = System.Text.Encoding.UTF8.GetBytes(html);
                c.Response.ContentType = "text/html; charset=utf-8";
                await c.Response.OutputStream.WriteAsync(bytes);
                c.Response.Close();
            }
        });
        return listener;
    }

    static int FreePort()
    {
        using var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    [Theory]
    [InlineData("/", "en")]
    [InlineData("/", "fr")]
    [InlineData(Page + "?asOf=2025-04-15", "en")]
    [InlineData(Page + "?asOf=2025-04-15", "fr")]
    [InlineData(Embed + "?asOf=2025-04-15", "en")]
    [InlineData(Embed + "?asOf=2025-04-15", "fr")]
    public async Task Given_a_page_in_a_language_When_axe_core_checks_it_Then_there_is_no_serious_or_critical_violation(string url, string lang)
    {
        var errors = new List<string>();
        var (context, page) = await web.NewPageAsync(errors);
        await using var _ = context;

        await page.GotoAsync(url + (url.Contains('?') ? "&" : "?") + "lang=" + lang);
        if (url != "/") await Assertions.Expect(page.Locator("body[data-ready='true']")).ToHaveCountAsync(1);
        else await Assertions.Expect(page.Locator("#board tbody tr")).Not.ToHaveCountAsync(0);
        var result = await page.RunAxe();

        var bad = result.Violations.Where(v => v.Impact is "serious" or "critical")
            .Select(v => $"{v.Impact} {v.Id}: {v.Help} ({string.Join(", ", v.Nodes.Take(3).Select(n => string.Join(" ", n.Target)))})").ToList();
        bad.ShouldBeEmpty();
    }
}
