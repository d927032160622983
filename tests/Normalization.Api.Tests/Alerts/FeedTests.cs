using System.Xml.Linq;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Alerts;

/// <summary>GET /api/negotiations/{id}/feed.atom and /api/feed.atom against RFC 4287's required elements.</summary>
[Collection(ApiCollection.Name)]
public sealed class FeedTests(AppFixture app)
{
    static readonly XNamespace Atom = "http://www.w3.org/2005/Atom";

    /// <summary>RFC 4287 §4.1.1/§4.1.2: feed id, title, updated, an author (on the feed or every entry), a self link; entry id, title, updated, a link (no content).</summary>
    static void ShouldBeValidAtom(XDocument doc)
    {
        var feed = doc.Root!;
        feed.Name.ShouldBe(Atom + "feed");
        feed.Elements(Atom + "id").Single().Value.ShouldNotBeNullOrWhiteSpace();
        feed.Elements(Atom + "title").Single().Value.ShouldNotBeNullOrWhiteSpace();
        DateTimeOffset.Parse(feed.Elements(Atom + "updated").Single().Value);
        var feedAuthor = feed.Elements(Atom + "author").Any(a => !string.IsNullOrWhiteSpace(a.Element(Atom + "name")?.Value));
        feed.Elements(Atom + "link").ShouldContain(l => (string?)l.Attribute("rel") == "self");
        foreach (var entry in feed.Elements(Atom + "entry"))
        {
            Uri.IsWellFormedUriString(entry.Elements(Atom + "id").Single().Value, UriKind.Absolute).ShouldBeTrue();
            entry.Elements(Atom + "title").Single().Value.ShouldNotBeNullOrWhiteSpace();
            DateTimeOffset.Parse(entry.Elements(Atom + "updated").Single().Value);
            (feedAuthor || entry.Elements(Atom + "author").Any()).ShouldBeTrue();
            if (!entry.Elements(Atom + "content").Any()) entry.Elements(Atom + "link").ShouldContain(l => (string?)l.Attribute("rel") == null || (string?)l.Attribute("rel") == "alternate");
        }
    }

    [Fact]
    public async Task Given_a_stage_change_When_reading_the_feeds_Then_both_carry_it_as_a_valid_Atom_entry()
    {
        var id = await app.GivenNegotiation("feed");
        await app.GivenEvents(id, Talks(Day(30)));

        XDocument? doc = null;
        (await WebhookReceiver.Eventually(async () =>
        {
            var (status, body, type) = await app.GetText($"/api/negotiations/{id}/feed.atom", "application/atom+xml");
            status.ShouldBe(200);
            type.ShouldStartWith("application/atom+xml");
            doc = XDocument.Parse(body);
            return doc.Root!.Elements(Atom + "entry").Any();
        })).ShouldBeTrue("the change should reach the feed");
        var (_, board, _) = await app.GetText("/api/feed.atom", "application/atom+xml");

        ShouldBeValidAtom(doc!);
        var entry = doc!.Root!.Elements(Atom + "entry").Single();
        entry.Element(Atom + "title")!.Value.ShouldContain("Exploratory");
        entry.Element(Atom + "link")!.Attribute("href")!.Value.ShouldEndWith($"/negotiations/{id}");
        var boardDoc = XDocument.Parse(board);
        ShouldBeValidAtom(boardDoc);
        boardDoc.Root!.Elements(Atom + "entry").Select(e => e.Element(Atom + "id")!.Value).ShouldContain(entry.Element(Atom + "id")!.Value);
    }

    [Fact]
    public async Task Given_no_changes_yet_When_reading_the_feed_Then_an_empty_valid_feed_and_404_for_an_unknown_negotiation()
    {
        var id = await app.GivenNegotiation("quiet");

        var (status, body, _) = await app.GetText($"/api/negotiations/{id}/feed.atom", "application/atom+xml");
        var (missing, _, _) = await app.GetText("/api/negotiations/no-such-negotiation/feed.atom", "application/atom+xml");

        status.ShouldBe(200);
        ShouldBeValidAtom(XDocument.Parse(body));
        XDocument.Parse(body).Root!.Elements(Atom + "entry").ShouldBeEmpty();
        missing.ShouldBe(404);
    }
}
