using Normalization.Domain.Validation;
using System.ServiceModel.Syndication;
using System.Text;
using System.Xml;
using Marten;
using Microsoft.AspNetCore.Mvc;
using Normalization.Api.Http;
using Normalization.Api.Http.Requests;
using Wolverine.Attributes;
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

    /// <summary>200 the Atom feed; 404 <c>negotiation_not_found</c>.</summary>
    [Tags("Alerts"), EndpointSummary("Atom feed of a negotiation"), EndpointDescription("The latest 50 stage changes of the negotiation as an Atom 1.0 feed (RFC 4287). 404 negotiation_not_found.")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "application/atom+xml"), ProducesProblem(StatusCodes.Status404NotFound)]
    [WolverineGet("/api/negotiations/{id}/feed.atom")]
    [Middleware(typeof(KnownNegotiation))]
    public static async Task<IResult> Negotiation(FeedQuery query, string id, IQuerySession session, CancellationToken ct)
    {
        var changes = await session.Query<RecordedStageChange>().Where(c => c.NegotiationId == id)
            .OrderByDescending(c => c.RecordedAt).ThenByDescending(c => c.Alert.On).Take(Limit).ToListAsync(ct);
        var title = changes.FirstOrDefault()?.Title ?? id;
        return Atom(query, $"urn:normalization:negotiation:{id}", $"{title}: stage changes", $"/negotiations/{Uri.EscapeDataString(id)}", changes);
    }

    /// <summary>200 the Atom feed.</summary>
    [Tags("Alerts"), EndpointSummary("Atom feed of the board"), EndpointDescription("The latest 50 stage changes of every negotiation as an Atom 1.0 feed (RFC 4287).")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "application/atom+xml")]
    [WolverineGet("/api/feed.atom")]
    public static async Task<IResult> Board(FeedQuery query, IQuerySession session, CancellationToken ct)
    {
        var changes = await session.Query<RecordedStageChange>().OrderByDescending(c => c.RecordedAt).ThenByDescending(c => c.Alert.On).Take(Limit).ToListAsync(ct);
        return Atom(query, "urn:normalization:board", "Normalization: stage changes", "/", changes);
    }

    /// <summary>The feed document: id, title, updated, author and links on the feed; id, title, updated, link, text content and a category (the cause) per entry.</summary>
    static IResult Atom(FeedQuery request, string feedId, string title, string page, IReadOnlyList<RecordedStageChange> changes)
    {
        var origin = request.Origin;
        var feed = new SyndicationFeed(title, "Stage changes on the normalization ladder, newest first.", new Uri(origin + page))
        {
            Id = feedId,
            // An empty feed was last updated when its negotiation... never: the epoch keeps it stable (readers compare it).
            LastUpdatedTime = changes.Count > 0 ? changes.Max(c => c.RecordedAt) : DateTimeOffset.UnixEpoch,
        };
        feed.Authors.Add(new SyndicationPerson { Name = "Normalization" });
        feed.Links.Add(new SyndicationLink(new Uri(origin + request.Self), "self", null, "application/atom+xml", 0));
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

/// <summary>
/// The request of a feed: no query parameters (any is 400 <c>unknown_parameter</c>); the links of the feed need the
/// request's own address, <see cref="Origin"/> (scheme and host) and <see cref="Self"/> (path and query).
/// </summary>
public sealed record FeedQuery(string Origin, string Self) : IQueryRequest<FeedQuery>
{
    /// <inheritdoc/>
    public static string[] Parameters => [];

    /// <inheritdoc/>
    public static IResult? Read(HttpRequest request, DateOnly today, List<FieldError> errors, out FeedQuery query)
    {
        query = new($"{request.Scheme}://{request.Host}", request.Path + request.QueryString);
        return null;
    }
}
