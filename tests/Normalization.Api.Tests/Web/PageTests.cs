using Microsoft.Playwright;

namespace Normalization.Api.Tests.Web;

/// <summary>The web page in a real browser (headless Debian Chromium) against the app on a fresh database with the seed history.</summary>
[Collection(WebCollection.Name)]
public sealed class PageTests(WebAppFixture web)
{
    const string Page = "/negotiations/" + WebAppFixture.NegotiationId;

    [Fact]
    public async Task Given_the_seed_When_the_board_opens_Then_US_Taliban_is_listed_with_its_stage_badge()
    {
        var errors = new List<string>();
        var (context, page) = await web.NewPageAsync(errors);
        await using var _ = context;

        await page.GotoAsync("/");

        var row = page.Locator("#board tbody tr[data-id='us-taliban']");
        await Assertions.Expect(row).ToContainTextAsync("United States – Taliban");
        var badge = row.Locator(".badge");
        // Today (2026-11) the talks of 2025-03-20 are more than 365 days old: Estrangement since 2026-03-20.
        (await badge.GetAttributeAsync("data-stage")).ShouldBe("Estrangement");
        await Assertions.Expect(badge).ToHaveTextAsync("Estrangement");
        await Assertions.Expect(row.Locator("time[datetime='2026-03-20']")).ToHaveTextAsync("Mar 20, 2026"); // Intl, in the page's language
        (await row.Locator(".trend").GetAttributeAsync("aria-label")).ShouldNotBeNullOrEmpty();
        await page.SelectOptionAsync("#filter-stage", "Hostility");
        await Assertions.Expect(row).ToHaveCountAsync(0);
        await page.SelectOptionAsync("#filter-stage", "");
        await page.SelectOptionAsync("#filter-party", "TB");
        await Assertions.Expect(row).ToHaveCountAsync(1);

        Directory.CreateDirectory(WebAppFixture.ImagesDirectory);
        await page.ScreenshotAsync(new() { Path = Path.Combine(WebAppFixture.ImagesDirectory, "board.png"), FullPage = true });
        errors.ShouldBeEmpty();
    }

    [Fact]
    public async Task Given_the_negotiation_page_When_the_as_of_control_moves_to_September_2021_Then_the_stage_panel_changes_without_reload()
    {
        var errors = new List<string>();
        var (context, page) = await web.NewPageAsync(errors);
        await using var _ = context;
        await OpenAsOf(page, "2025-04-15");
        await Assertions.Expect(page.Locator("#state-stage")).ToHaveAttributeAsync("data-stage", "ConfidenceBuilding");
        await Assertions.Expect(page.Locator("#state-since time")).ToHaveAttributeAsync("datetime", "2025-03-20");
        await page.EvaluateAsync("() => window.__notReloaded = true");

        // Move the slider (as a person dragging it would: input events) to 2021-09-15.
        await page.Locator("#asof-slider").EvaluateAsync("""
            (slider) => {
              const start = Date.parse(document.getElementById('asof-date').min);
              slider.value = String(Math.round((Date.parse('2021-09-15') - start) / 86400000));
              slider.dispatchEvent(new Event('input', { bubbles: true }));
            }
            """);

        await Assertions.Expect(page.Locator("#asof-date")).ToHaveValueAsync("2021-09-15");
        await Assertions.Expect(page.Locator("#state-stage")).ToHaveAttributeAsync("data-stage", "Estrangement");
        await Assertions.Expect(page.Locator("#state-since time")).ToHaveAttributeAsync("datetime", "2021-02-28");
        await Assertions.Expect(page.Locator("#state-asof time")).ToHaveAttributeAsync("datetime", "2021-09-15");
        await Assertions.Expect(page.Locator("#state-why")).ToContainTextAsync("no-contact");
        (await page.EvaluateAsync<bool>("() => window.__notReloaded === true")).ShouldBeTrue("the panel updates without reloading the page");
        errors.ShouldBeEmpty();
    }

    [Fact]
    public async Task Given_a_hypothetical_representative_office_When_projected_Then_Representation_and_a_dashed_line_show_and_nothing_is_stored()
    {
        var errors = new List<string>();
        var (context, page) = await web.NewPageAsync(errors, height: 1500);
        await using var _ = context;
        var versionBefore = await web.StoredVersionAsync();
        await OpenAsOf(page, "2025-04-15");
        await Assertions.Expect(page.Locator("#state-stage")).ToHaveAttributeAsync("data-stage", "ConfidenceBuilding");

        await page.FillAsync("#api-key", WebAppFixture.ApiKey);
        await page.SelectOptionAsync("#whatif-type", "OfficeOpened");
        await page.SelectOptionAsync("#whatif-f-officeKind", "RepresentativeOffice");
        await page.FillAsync("#whatif-f-occurredOn", "2025-04-10");
        await page.FillAsync("#whatif-f-actor", "TB");
        await page.FillAsync("#whatif-f-target", "US");
        await page.FillAsync("#whatif-f-city", "New York");
        await page.ClickAsync("#whatif-form button[type=submit]");
        await Assertions.Expect(page.Locator("#whatif-changes li[data-type='OfficeOpened'][data-occurred-on='2025-04-10']")).ToContainTextAsync("OfficeOpened Apr 10, 2025");
        await page.FillAsync("#whatif-project-to", "2026-11-01"); // branch at the as-of date, project to November 2026
        await page.ClickAsync("#whatif-run");

        await Assertions.Expect(page.Locator("#whatif-projected")).ToHaveAttributeAsync("data-stage", "Representation");
        // Without the office, the talks of 2025-03-20 have expired by November 2026.
        await Assertions.Expect(page.Locator("#whatif-baseline")).ToHaveAttributeAsync("data-stage", "Estrangement");
        await Assertions.Expect(page.Locator("#whatif-result")).ToContainTextAsync("Apr 10, 2025");
        var dashed = page.Locator("#stage-chart path[data-series='hypothetical']");
        await Assertions.Expect(dashed).ToHaveCountAsync(1);
        (await dashed.EvaluateAsync<string>("p => getComputedStyle(p).strokeDasharray")).ShouldNotBe("none");
        (await dashed.GetAttributeAsync("d")).ShouldNotBe("M0,0");
        (await web.StoredVersionAsync()).ShouldBe(versionBefore, "a what-if stores nothing");

        await page.Locator("#whatif-run").BlurAsync();
        await page.EvaluateAsync("() => window.scrollTo(0, 0)");
        Directory.CreateDirectory(WebAppFixture.ImagesDirectory);
        await page.ScreenshotAsync(new() { Path = Path.Combine(WebAppFixture.ImagesDirectory, "negotiation.png") });
        errors.ShouldBeEmpty();
    }

    [Fact]
    public async Task Given_an_invalid_event_When_posted_Then_the_API_field_error_shows_beside_the_field_and_nothing_is_stored()
    {
        var errors = new List<string>();
        var (context, page) = await web.NewPageAsync(errors);
        await using var _ = context;
        var versionBefore = await web.StoredVersionAsync();
        await OpenAsOf(page, "2025-04-15");

        await page.FillAsync("#api-key", WebAppFixture.ApiKey);
        await page.SelectOptionAsync("#post-type", "StatementIssued");
        await page.FillAsync("#post-f-occurredOn", "2025-02-30");
        await page.ClickAsync("#post-form button[type=submit]");

        var fieldError = page.Locator("#post-fields [data-error-for='occurredOn']");
        await Assertions.Expect(fieldError).Not.ToBeEmptyAsync();
        await Assertions.Expect(page.Locator("#post-f-occurredOn")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.Locator("#post-status")).ToContainTextAsync("Not stored");
        (await web.StoredVersionAsync()).ShouldBe(versionBefore);
        // The key is kept for the browser session only.
        (await page.EvaluateAsync<string?>("() => sessionStorage.getItem('normalization.apiKey')")).ShouldBe(WebAppFixture.ApiKey);
        (await page.EvaluateAsync<int>("() => localStorage.length")).ShouldBe(0);
        errors.Where(e => !e.Contains("400")).ShouldBeEmpty(); // the browser logs the refused request itself
    }

    [Fact]
    public async Task Given_the_chart_When_the_table_view_opens_Then_it_lists_every_stage_transition()
    {
        var errors = new List<string>();
        var (context, page) = await web.NewPageAsync(errors, width: 390, height: 844); // a narrow screen
        await using var _ = context;
        await OpenAsOf(page, "2025-04-15");

        await page.Locator("#chart-table summary").ClickAsync();

        var rows = page.Locator("#transitions-table tbody tr");
        await Assertions.Expect(rows).ToHaveCountAsync(5);
        foreach (var on in new[] { "2020-02-29", "2021-02-28", "2025-03-20", "2026-03-20" })
            await Assertions.Expect(page.Locator($"#transitions-table tbody time[datetime='{on}']")).ToHaveCountAsync(1);
        await Assertions.Expect(rows.Nth(3)).ToContainTextAsync("Confidence building");
        await Assertions.Expect(rows.Nth(3)).ToContainTextAsync("talks-and-mutual-gestures");
        (await page.Locator("#stage-chart circle.marker").CountAsync()).ShouldBe(25);
        errors.ShouldBeEmpty();
    }

    [Fact]
    public async Task Given_a_known_at_instant_When_it_is_set_Then_the_timeline_and_its_downloads_read_the_record_as_known_then()
    {
        var errors = new List<string>();
        var (context, page) = await web.NewPageAsync(errors);
        await using var _ = context;
        await OpenAsOf(page, "2025-04-15");
        // A minute ahead in the browser's own zone (the control is wall time): the whole record, so nothing else changes.
        var wall = await page.EvaluateAsync<string>("""
            () => { const d = new Date(Date.now() + 120000); const p = (n) => String(n).padStart(2, '0');
                    return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`; }
            """);

        var timelineRequest = page.WaitForRequestAsync(r => r.Url.Contains("/timeline?") && r.Url.Contains("knownAt="));
        await page.FillAsync("#known-at", wall);
        await page.Locator("#known-at").DispatchEventAsync("change");
        await timelineRequest;

        var links = page.Locator("#timeline-downloads a.download");
        await Assertions.Expect(links).ToHaveCountAsync(4);
        for (var i = 0; i < 4; i++) // re-rendered once the page as known then has arrived
            await Assertions.Expect(links.Nth(i)).ToHaveAttributeAsync("href", new System.Text.RegularExpressions.Regex("[?&]knownAt=[^&]+"));
        await Assertions.Expect(page.Locator("#timeline tbody tr").First).ToBeVisibleAsync();
        errors.ShouldBeEmpty();
    }

    static async Task OpenAsOf(IPage page, string asOf)
    {
        await page.GotoAsync(Page);
        await Assertions.Expect(page.Locator("body")).ToHaveAttributeAsync("data-ready", "true");
        await page.FillAsync("#asof-date", asOf);
        await page.Locator("#asof-date").DispatchEventAsync("change");
        await Assertions.Expect(page.Locator("#state-asof time")).ToHaveAttributeAsync("datetime", asOf);
    }
}
