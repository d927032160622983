using Marten;
using JasperFx;
using Normalization.Api.Alerts.Feeds;
using Normalization.Api.Alerts.Notifying;
using Normalization.Api.Storage;
using Wolverine;
using Wolverine.Attributes;
using Wolverine.ErrorHandling;
using Wolverine.Runtime.Handlers;

namespace Normalization.Api.Alerts.Decaying;

/// <summary>
/// A scheduled message (durable local queue <c>alerts</c>): on <paramref name="On"/>, the stage of
/// <paramref name="NegotiationId"/> changes with no new write — a window expires, or an event of the current month or year
/// counts from that day (its period's end) — unless a later event changed the outlook. Recorded with the append that made
/// the outlook (<see cref="StageChangeAlerts.EnlistAsync"/>).
/// </summary>
/// <param name="NegotiationId">The negotiation's slug.</param>
/// <param name="On">The domain date the stage changes (deployment's calendar).</param>
/// <param name="Cause">The alert's cause: <see cref="AlertCause.Event"/> when an event of the scheduling append counts from that day; null (messages recorded before it existed too): <see cref="AlertCause.WindowExpired"/>.</param>
public sealed record WindowExpiryDue(string NegotiationId, DateOnly On, string? Cause = null);

/// <summary>
/// Announces a window expiry on its day. Idempotent: it recomputes the stage history from the store on the app's clock and
/// announces the change on <see cref="WindowExpiryDue.On"/> only if there is one (a later event may have moved or removed
/// it: then nothing) and it was not announced before (the stable alert id names the feed entry, <see cref="RecordedStageChange"/>,
/// written in the same transaction as the outbox message — a second copy of the message conflicts there and, retried, finds it).
/// Fired before the day has begun on the app's clock (clocks disagree), it waits again.
/// </summary>
public static class WindowExpiryDueHandler
{
    /// <summary>A concurrent copy of the same message lost the insert race: retry at once; the retry finds the change announced.</summary>
    public static void Configure(HandlerChain chain) =>
        chain.OnException<DocumentAlreadyExistsException>().RetryTimes(2);

    [Transactional]
    public static async Task<OutgoingMessages> Handle(WindowExpiryDue message, IDocumentSession session, NegotiationStore store,
        TimeProvider clock, CancellationToken ct)
    {
        var outgoing = new OutgoingMessages();
        var today = DecayClock.Today(clock);
        if (today < message.On)
        {
            outgoing.Schedule(message, DecayClock.SchedulerInstant(message.On, clock));
            return outgoing;
        }
        if (await store.LoadViewAsync(message.NegotiationId, ct) is not { } view) return outgoing;
        var head = view.Head;
        // The stage history today, as every view reads it (a change dated later is not one yet).
        var change = head.StageHistoryAt(today).LastOrDefault(t => t.On == message.On);
        if (change is null) return outgoing; // the outlook changed since: a later event moved or removed this change

        var changed = StageChanged.Of(message.NegotiationId, head.Negotiation, change, message.Cause ?? AlertCause.WindowExpired, clock.GetUtcNow());
        if (await session.LoadAsync<RecordedStageChange>(changed.Alert.Id, ct) is not null) return outgoing; // already announced
        if (await AnnouncedByAWriteAsync(session, message, change, clock, ct)) return outgoing;
        session.Insert(RecordedStageChange.Of(changed));
        // The receivers are told of it: what they believe moves on (StageChangeAlerts.Reconcile, at the next write).
        var told = await session.LoadAsync<AnnouncedStage>(message.NegotiationId, ct) ?? AnnouncedStage.Of(message.NegotiationId, change);
        told.Told(change);
        session.Store(told);
        outgoing.Add(changed);
        return outgoing;
    }

    /// <summary>
    /// Whether a write announced this very change once its day had come (a late event that made it, posted before this
    /// message fired — a node down at midnight): that announcement's id names the write (<see cref="StageChangeAlert.IdOf"/>),
    /// so it is found by its content. Two days back covers a write whose reader's zone (<c>?tz=</c>) reached the day first.
    /// </summary>
    static async Task<bool> AnnouncedByAWriteAsync(IDocumentSession session, WindowExpiryDue message, Normalization.Domain.Stages.StageTransition change,
        TimeProvider clock, CancellationToken ct)
    {
        var since = DecayClock.StartOf(message.On, clock).AddDays(-2);
        var recorded = await session.Query<RecordedStageChange>()
            .Where(r => r.NegotiationId == message.NegotiationId && r.RecordedAt >= since).ToListAsync(ct);
        return recorded.Any(r => r.Alert.On == change.On && r.Alert.From == change.From && r.Alert.To == change.To && r.Alert.Rule == change.Rule);
    }
}
