using Microsoft.Playwright;

namespace Normalization.Api.Tests.Web;

/// <summary>The board and the negotiation page link their Atom feeds (discovery link and a visible one) and list recent stage changes.</summary>
[Collection(WebCollection.Name)]
public sealed class FeedLinkTests(WebAppFixture web)
{
    const string Alternate = "link[rel='alternate'][type='application/atom+xml']";

    /// <summary>A new negotiation with talks posted through the API (the seed was imported: imports do not announce), once its change is in the feed.</summary>
    async Task<string> GivenAnnouncedTalks()
    {
        var id = $"feed-{Guid.NewGuid():N}"[..20];
        async Task Post(string url, object body)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = System.Net.Http.Json.JsonContent.Create(body) };
            request.Headers.Add(Normalization.Api.Security.ApiKeys.Header, WebAppFixture.ApiKey);
            using var response = await web.Http.SendAsync(request);
            ((int)response.StatusCode).ShouldBe(201, await response.Content.ReadAsStringAsync());
        }
        await Post("/api/negotiations", new
        {
            id, title = "Feedland – Testonia",
            parties = new[] { new { code = "FL", name = "Feedland" }, new { code = "TS", name = "Testonia" } },
        });
        var on = DateTime.UtcNow.AddDays(-10).ToString("yyyy-MM-dd");
        await Post($"/api/negotiations/{id}/events", new { events = new[] { new
        {
            type = "TalksHeld", occurredOn = on, actor = "FL", target = "TS", confidence = "Confirmed", participants = new[] { "FL", "TS" }, location = "Geneva",
        } } });
        var until = DateTime.UtcNow.AddSeconds(30);
        while (!(await web.Http.GetStringAsync($"/api/negotiations/{id}/feed.atom")).Contains("<entry") && DateTime.UtcNow < until) await Task.Delay(200);
        return id;
    }

    [Fact]
    public async Task Given_an_announced_change_When_the_board_opens_Then_it_links_the_board_feed_and_lists_recent_changes()
    {
        var id = await GivenAnnouncedTalks();
        var errors = new List<string>();
        var (context, page) = await web.NewPageAsync(errors);
        await using var _ = context;

        await page.GotoAsync("/");

        (await page.Locator(Alternate).GetAttributeAsync("href")).ShouldBe("/api/feed.atom");
        var visible = page.Locator("#feed-link");
        await Assertions.Expect(visible).ToBeVisibleAsync();
        (await visible.GetAttributeAsync("href")).ShouldBe("/api/feed.atom");
        var item = page.Locator($"#recent-changes li[data-cause] a[href='/negotiations/{id}']");
        await Assertions.Expect(item).ToHaveTextAsync("Feedland – Testonia");
        (await page.Locator("#recent-changes li[data-cause]").CountAsync()).ShouldBeInRange(1, 10);
        errors.ShouldBeEmpty();
    }

    [Fact]
    public async Task Given_an_announced_change_When_its_negotiation_page_opens_Then_it_links_its_own_feed_and_lists_the_change()
    {
        var id = await GivenAnnouncedTalks();
        var errors = new List<string>();
        var (context, page) = await web.NewPageAsync(errors);
        await using var _ = context;
        var feed = $"/api/negotiations/{id}/feed.atom";

        await page.GotoAsync("/negotiations/" + id);

        await Assertions.Expect(page.Locator($"{Alternate}[href='{feed}']")).ToHaveCountAsync(1);
        var visible = page.Locator("#feed-link");
        await Assertions.Expect(visible).ToBeVisibleAsync();
        (await visible.GetAttributeAsync("href")).ShouldBe(feed);
        var item = page.Locator("#recent-changes li[data-cause='event']");
        await Assertions.Expect(item).ToContainTextAsync("→ Exploratory");
        await Assertions.Expect(item).ToContainTextAsync("(an event)");
        errors.ShouldBeEmpty();
    }
}
