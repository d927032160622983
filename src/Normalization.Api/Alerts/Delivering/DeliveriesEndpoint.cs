using Marten;
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

    [WolverineGet("/api/subscriptions/{id}/deliveries")]
    public static async Task<IResult> Get(string id, HttpRequest request, IQuerySession session, CancellationToken ct)
    {
        if (Query.Only(request.Query) is { } unknown) return unknown;
        if (await SubscriptionEndpoints.LoadAsync(id, session, ct) is not { } s) return SubscriptionEndpoints.NotFound(id);
        var rows = await session.Query<AlertDelivery>().Where(d => d.SubscriptionId == s.Id)
            .OrderByDescending(d => d.CreatedAt).ThenBy(d => d.Id).Take(Limit).ToListAsync(ct);
        return ApiJson.Ok(new DeliveryList(s.Id, rows.Select(d => new DeliveryView(d.AlertId, d.NegotiationId, d.On, d.Change, d.Status, d.Attempts,
            d.LastError, d.LastStatusCode, d.CreatedAt, d.LastAttemptAt, d.DeliveredAt)).ToList()));
    }
}
