using Marten;
using Normalization.Api.Alerts.Delivering;
using Normalization.Api.Alerts.Feeds;
using Normalization.Api.Alerts.Subscribing;

namespace Normalization.Api.Alerts.Notifying;

/// <summary>
/// Fans a recorded <see cref="StageChanged"/> out: keeps it for the Atom feeds (<see cref="RecordedStageChange"/>), marks a
/// pending delivery per matching subscription and cascades one <see cref="DeliverAlert"/> each, so every subscriber is
/// retried on its own. Running twice for one message (a redelivery) stores the same documents again and the delivery
/// handler skips what was already delivered.
/// </summary>
public static class StageChangedHandler
{
    public static async Task<IEnumerable<DeliverAlert>> Handle(StageChanged message, IDocumentStore store, CancellationToken ct)
    {
        var alert = message.Alert;
        await using var session = store.LightweightSession();
        var subscriptions = await session.Query<Subscription>()
            .Where(s => s.NegotiationId == null || s.NegotiationId == alert.NegotiationId).ToListAsync(ct);
        var matching = subscriptions.Where(s => s.Matches(alert.NegotiationId, message.Parties, alert.From, alert.To)).ToList();
        session.Store(RecordedStageChange.Of(message));
        var existing = matching.Count == 0 ? [] : (await session.LoadManyAsync<AlertDelivery>(ct, matching.Select(s => AlertDelivery.IdOf(s.Id, alert.Id)).ToArray()))
            .ToDictionary(d => d.Id);
        foreach (var s in matching.Where(s => !existing.ContainsKey(AlertDelivery.IdOf(s.Id, alert.Id))))
            session.Store(AlertDelivery.Pending(s.Id, alert));
        await session.SaveChangesAsync(ct);
        return matching.Select(s => new DeliverAlert(s.Id, alert)).ToList();
    }
}
