using System.ServiceModel.Syndication;
using System.Text;
using System.Xml;
using Marten;
using Normalization.Api.Http;
using Normalization.Api.Storage;
using Wolverine.Http;

namespace Normalization.Api.Alerts.Feeds;

/// <summary>
/// Atom 1.0 feeds (RFC 4287) of recent stage changes, written with System.ServiceModel.Syndication:
/// GET /api/negotiations/{id}/feed.atom (one negotiation) and GET /api/feed.atom (the board). Entries are the
/// <see cref="RecordedStageChange"/> documents, newest first, at most <see cref="Limit"/>. They are written by the alert
/// handler just after the append commits, so a change shows in the feed a moment after the write (eventually consistent).
/// </summary>
public static class FeedEndpoints
{
    public const int Limit = 50;
    public const string ContentType = "application/atom+xml; charset=utf-8";

    [WolverineGet("/api/negotiations/{id}/feed.atom")]
    public static async Task<IResult> Negotiation(string id, HttpRequest request, NegotiationStore store, IQuerySession session, CancellationToken ct)
    {
        if (Query.Only(request.Query) is { } unknown) return unknown;
        if (await store.VersionAsync(id, ct) is null) return Problems.NegotiationNotFound(id);
        var changes = await session.Query<RecordedStageChange>().Where(c => c.NegotiationId == id)
            .OrderByDescending(c => c.RecordedAt).ThenByDescending(c => c.Alert.On).Take(Limit).ToListAsync(ct);
        var title = changes.FirstOrDefault()?.Title ?? id;
        return Atom(request, $"urn:normalization:negotiation:{id}", $"{title}: stage changes", $"/negotiations/{Uri.EscapeDataString(id)}", changes);
    }

    [WolverineGet("/api/feed.atom")]
    public static async Task<IResult> Board(HttpRequest request, IQuerySession session, CancellationToken ct)
    {
        if (Query.Only(request.Query) is { } unknown) return unknown;
        var changes = await session.Query<RecordedStageChange>().OrderByDescending(c => c.RecordedAt).ThenByDescending(c => c.Alert.On).Take(Limit).ToListAsync(ct);
        return Atom(request, "urn:normalization:board", "Normalization: stage changes", "/", changes);
    }

    /// <summary>The feed document: id, title, updated, author and links on the feed; id, title, updated, link and summary per entry.</summary>
    static IResult Atom(HttpRequest request, string feedId, string title, string page, IReadOnlyList<RecordedStageChange> changes)
    {
        var origin = $"{request.Scheme}://{request.Host}";
        var feed = new SyndicationFeed(title, "Stage changes on the normalization ladder, newest first.", new Uri(origin + page))
        {
            Id = feedId,
            // An empty feed was last updated when its negotiation... never: the epoch keeps it stable (readers compare it).
            LastUpdatedTime = changes.Count > 0 ? changes.Max(c => c.RecordedAt) : DateTimeOffset.UnixEpoch,
        };
        feed.Authors.Add(new SyndicationPerson { Name = "Normalization" });
        feed.Links.Add(new SyndicationLink(new Uri(origin + request.Path + request.QueryString), "self", null, "application/atom+xml", 0));
        feed.Items = changes.Select(c =>
        {
            var a = c.Alert;
            var item = new SyndicationItem(
                $"{c.Title}: {a.From?.ToString() ?? "(none)"} → {a.To} on {a.On:yyyy-MM-dd}",
                $"{a.NegotiationId} moved from {a.From?.ToString() ?? "(none)"} to {a.To} on {a.On:yyyy-MM-dd} (rule {a.Rule}; cause {a.Cause}; {a.EventIds.Count} event(s)).",
                new Uri($"{origin}/negotiations/{Uri.EscapeDataString(a.NegotiationId)}"),
                $"urn:uuid:{a.Id}", a.RecordedAt);
            item.Categories.Add(new SyndicationCategory(a.Cause));
            return item;
        }).ToList();
        var buffer = new MemoryStream();
        using (var writer = XmlWriter.Create(buffer, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
            new Atom10FeedFormatter(feed).WriteTo(writer);
        return Results.Bytes(buffer.ToArray(), ContentType);
    }
}
