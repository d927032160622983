using Normalization.Api.Alerts.Notifying;

namespace Normalization.Api.Alerts.Delivering;

/// <summary>Where a delivery stands: pending (not yet tried), retrying (failed, another attempt scheduled), delivered, dead-lettered (gave up).</summary>
public static class DeliveryStatus
{
    public const string Pending = "pending";
    public const string Retrying = "retrying";
    public const string Delivered = "delivered";
    public const string DeadLettered = "dead-lettered";
}

/// <summary>
/// The log of one alert to one subscription (a Marten document, id <c>{subscriptionId}/{alertId}</c>), rewritten at every
/// attempt: what GET /api/subscriptions/{id}/deliveries lists.
/// </summary>
public sealed class AlertDelivery
{
    public string Id { get; set; } = "";
    public Guid SubscriptionId { get; set; }
    public Guid AlertId { get; set; }
    public string NegotiationId { get; set; } = "";
    /// <summary>The alert's domain date, from and to stage (for reading the log without the payload).</summary>
    public DateOnly? On { get; set; }
    public string Change { get; set; } = "";
    /// <summary><see cref="DeliveryStatus"/>.</summary>
    public string Status { get; set; } = DeliveryStatus.Pending;
    /// <summary>POSTs tried so far.</summary>
    public int Attempts { get; set; }
    /// <summary>The last failure: HTTP status and reason, or the connection error; null once delivered.</summary>
    public string? LastError { get; set; }
    /// <summary>The HTTP status of the last attempt, if the receiver answered.</summary>
    public int? LastStatusCode { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? LastAttemptAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }

    /// <summary>
    /// The attempt under way, if any: the id its handler drew when it claimed the delivery (a short transaction before the
    /// POST, none held during it) and until when the claim stands — longer than the POST's timeout. A copy of the message
    /// that finds an unexpired claim waits instead of POSTing; one that finds it expired (its node died mid-POST) takes it
    /// over. Null between attempts. Not shown by GET …/deliveries.
    /// </summary>
    public Guid? LeaseId { get; set; }

    /// <summary>When <see cref="LeaseId"/>'s claim lapses (the app's clock).</summary>
    public DateTimeOffset? LeasedUntil { get; set; }

    /// <summary>Whether another attempt holds this delivery at <paramref name="now"/>.</summary>
    public bool IsLeased(DateTimeOffset now) => LeaseId is not null && LeasedUntil > now;

    public static string IdOf(Guid subscriptionId, Guid alertId) => $"{subscriptionId}/{alertId}";

    public static AlertDelivery Pending(Guid subscriptionId, StageChangeAlert alert) => new()
    {
        Id = IdOf(subscriptionId, alert.Id), SubscriptionId = subscriptionId, AlertId = alert.Id, NegotiationId = alert.NegotiationId,
        On = alert.On, Change = $"{alert.From?.ToString() ?? "(none)"} → {alert.To}", CreatedAt = alert.RecordedAt,
    };
}
