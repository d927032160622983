using Marten;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Normalization.Api.Security;
using Normalization.Api.Http.Requests;
using Normalization.Api.Alerts.Subscribing;
using Normalization.Api.Http;
using Wolverine.Http;

namespace Normalization.Api.Alerts.Delivering;

/// <summary>One row of GET /api/subscriptions/{id}/deliveries.</summary>
public sealed record DeliveryView(Guid AlertId, string NegotiationId, DateOnly? On, string Change, string Status, int Attempts,
    string? LastError, int? LastStatusCode, DateTimeOffset CreatedAt, DateTimeOffset? LastAttemptAt, DateTimeOffset? DeliveredAt);

/// <summary>The answer of GET /api/subscriptions/{id}/deliveries: the latest 200 deliveries, newest first.</summary>
public sealed record DeliveryList(Guid SubscriptionId, IReadOnlyList<DeliveryView> Items);

/// <summary>GET /api/subscriptions/{id}/deliveries — status, attempts and last error of each alert sent to a subscription.</summary>
public static class DeliveriesEndpoint
{
    public const int Limit = 200;

    /// <summary>200 <see cref="DeliveryList"/>; 401 without a valid API key (as the subscription itself); 404 <c>subscription_not_found</c>.</summary>
    [Tags("Alerts"), EndpointSummary("Deliveries of a subscription")]
    [EndpointDescription("The latest 200 alerts sent to it, newest first: status (pending, retrying, delivered, dead-lettered), attempts, last error and HTTP status. Needs an API key: 401 without one. 404 subscription_not_found.")]
    [ProducesResponseType<DeliveryList>(StatusCodes.Status200OK), ProducesProblem(StatusCodes.Status401Unauthorized), ProducesProblem(StatusCodes.Status404NotFound)]
    [Authorize(Policy = ApiKeyAuthentication.WriterPolicy)]
    [WolverineGet("/api/subscriptions/{id}/deliveries")]
    public static async Task<IResult> Get(NoQuery query, string id, IQuerySession session, CancellationToken ct)
    {
        if (await SubscriptionEndpoints.LoadAsync(id, session, ct) is not { } s) return SubscriptionEndpoints.NotFound(id);
        var rows = await session.Query<AlertDelivery>().Where(d => d.SubscriptionId == s.Id)
            // Newest first as in the feeds: the alerts of one write share their time, so the later day first among them
            // (the id only breaks the last tie, so a page is stable).
            .OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.On).ThenBy(d => d.Id).Take(Limit).ToListAsync(ct);
        return ApiJson.Ok(new DeliveryList(s.Id, rows.Select(d => new DeliveryView(d.AlertId, d.NegotiationId, d.On, d.Change, d.Status, d.Attempts,
            d.LastError, d.LastStatusCode, d.CreatedAt, d.LastAttemptAt, d.DeliveredAt)).ToList()));
    }
}
