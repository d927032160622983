using Normalization.Api.Alerts.Decaying;
using Normalization.Domain.Folding;
using Wolverine;
using Normalization.Domain.Catalog;
using Normalization.Domain.Stages;
using Npgsql;
using Wolverine.RDBMS;
using Wolverine.Runtime;

namespace Normalization.Api.Alerts.Notifying;

/// <summary>
/// The append path's one hook: compares the stage history before and after an append, and records a
/// <see cref="StageChanged"/> message per new or rewritten transition in the append's own PostgreSQL transaction, through
/// Wolverine's outbox (<see cref="DatabaseEnvelopeTransaction"/> on the store's <see cref="NpgsqlTransaction"/>). The
/// messages go to Wolverine's handlers only after the caller commits and calls <see cref="Enlisted.FlushAsync"/>; a
/// rolled-back append leaves no message, and a crash between commit and flush leaves the message in Wolverine's inbox,
/// which its durability agent recovers (docs/architecture.md, "Alerts").
/// </summary>
public sealed class StageChangeAlerts(IWolverineRuntime runtime, TimeProvider clock, Microsoft.Extensions.Hosting.IHostApplicationLifetime lifetime,
    Marten.IDocumentStore documents)
{
    /// <summary>The transitions of <paramref name="after"/> that <paramref name="before"/> did not have, each with its cause.</summary>
    public static List<(StageTransition Transition, string Cause)> Changes(IReadOnlyList<StageTransition> before, IReadOnlyList<StageTransition> after,
        IReadOnlyCollection<DateOnly> eventDates)
    {
        // The usual append changes no stage: the same transitions in the same order, found without building the two key sets.
        if (Same(before, after)) return [];
        var old = before.Select(Key).ToHashSet();
        var now = after.Select(Key).ToHashSet();
        // A transition that disappeared was rewritten: every new one from its date on is a revision.
        var rewrittenFrom = before.Where(t => !now.Contains(Key(t))).Select(t => t.On ?? DateOnly.MinValue).DefaultIfEmpty(DateOnly.MaxValue).Min();
        var lastBefore = before.Select(t => t.On ?? DateOnly.MinValue).DefaultIfEmpty(DateOnly.MinValue).Max();
        var result = new List<(StageTransition, string)>();
        foreach (var t in after)
        {
            if (t.On is not { } on || old.Contains(Key(t))) continue;
            var cause = on >= rewrittenFrom || on < lastBefore ? AlertCause.Revised
                : eventDates.Contains(on) ? AlertCause.Event
                : AlertCause.WindowExpired;
            result.Add((t, cause));
        }
        return result;
    }

    /// <summary>
    /// What a receiver that orders alerts by <c>on</c> (the later announcement first among equal days) now believes, after
    /// <paramref name="changes"/> are announced to it: <paramref name="told"/> is updated. When that is not the stage in force
    /// (<paramref name="current"/>, the last transition after the write) — a write took back the change it was told last, or
    /// an earlier take-back left a later-dated announcement standing — the move from the stage it believes to the one in
    /// force, dated on the latest day it was told of, so that it ranks first; <paramref name="told"/> then holds it too.
    /// </summary>
    public static StageTransition? Reconcile(AnnouncedStage told, IEnumerable<(StageTransition Transition, string Cause)> changes, StageTransition current)
    {
        foreach (var (t, _) in changes) told.Told(t);
        if (told.Stage == current.To || told.On is not { } day) return null;
        var move = new StageTransition(day, told.Stage, current.To, current.Rule, current.Description, current.EventIds, current.Projected);
        told.Stage = current.To;
        return move;
    }

    static (DateOnly?, Stage?, Stage, string) Key(StageTransition t) => (t.On, t.From, t.To, t.Rule);

    /// <summary>Whether the two histories hold the same transitions (by <see cref="Key"/>) in the same order.</summary>
    static bool Same(IReadOnlyList<StageTransition> before, IReadOnlyList<StageTransition> after)
    {
        if (before.Count != after.Count) return false;
        for (var i = 0; i < before.Count; i++)
            if (Key(before[i]) != Key(after[i])) return false;
        return true;
    }

    /// <summary>
    /// The days after <paramref name="afterDay"/> (today) on which <paramref name="after"/> will change the stage with no new
    /// event that <paramref name="before"/> did not foresee (an unchanged outlook was scheduled by the append that made it):
    /// window expiries, and the day an event of the current month or year counts from (its period's end,
    /// <see cref="FoldAccumulator.Upcoming"/>) — its change is announced on that day, not on the day it is posted.
    /// </summary>
    public static List<DateOnly> NewExpiries(FoldAccumulator before, FoldAccumulator after, DateOnly afterDay)
    {
        var upcoming = after.Upcoming(afterDay);
        // No change still to come (the usual end append of a past-dated event): nothing to compare with what was foreseen.
        if (upcoming.Count == 0) return [];
        var foreseen = before.Upcoming(afterDay).Select(t => t.On).ToHashSet();
        return upcoming.Where(t => !foreseen.Contains(t.On)).Select(t => t.On!.Value).Distinct().ToList();
    }

    /// <summary>
    /// Records, in <paramref name="tx"/>, a <see cref="StageChanged"/> per change between <paramref name="before"/> (on
    /// <paramref name="beforeDay"/>) and <paramref name="after"/> (on <paramref name="afterDay"/>, today), and a scheduled
    /// <see cref="WindowExpiryDue"/> per new day a change is due (<see cref="NewExpiries"/>; durable, in Wolverine's inbox, due when the
    /// day begins on the app's clock). Call <see cref="Enlisted.FlushAsync"/> after the commit.
    /// </summary>
    /// <param name="version">
    /// The stream's version after the write: part of each alert's id (<see cref="StageChangeAlert.IdOf"/>), so a change
    /// announced again after a later write took it back is a new announcement, not one a receiver drops as seen.
    /// </param>
    /// <param name="latestOnly">
    /// A bulk import (<c>import</c>, <c>POST …/imports</c>, the first-run seed): only the latest of its changes is announced,
    /// so loading a long history tells a subscriber where the negotiation stands now instead of replaying every past
    /// transition (docs/alerts.md, "Imports").
    /// </param>
    public Task<Enlisted> EnlistAsync(NpgsqlTransaction tx, string negotiationId, FoldAccumulator before, DateOnly beforeDay,
        FoldAccumulator after, DateOnly afterDay, IReadOnlyList<NegotiationEvent> events, int version, bool latestOnly = false) =>
        // Stage histories only (StageHistoryAt): the rest of a state is not compared.
        EnlistAsync(tx, negotiationId, before, before.StageHistoryAt(beforeDay), after, after.StageHistoryAt(afterDay), afterDay, events, version, latestOnly);

    /// <summary>
    /// <see cref="EnlistAsync(NpgsqlTransaction, string, FoldAccumulator, DateOnly, FoldAccumulator, DateOnly, IReadOnlyList{NegotiationEvent}, bool)"/>
    /// with the stage histories the caller already has: <paramref name="beforeHistory"/> is <paramref name="before"/>'s
    /// <see cref="FoldAccumulator.StageHistoryAt"/> on its day, <paramref name="afterHistory"/> <paramref name="after"/>'s on
    /// <paramref name="afterDay"/> (an append reports the stage from the same lists, so they are built once).
    /// </summary>
    public async Task<Enlisted> EnlistAsync(NpgsqlTransaction tx, string negotiationId, FoldAccumulator before, IReadOnlyList<StageTransition> beforeHistory,
        FoldAccumulator after, IReadOnlyList<StageTransition> afterHistory, DateOnly afterDay, IReadOnlyList<NegotiationEvent> events, int version, bool latestOnly = false)
    {
        // Only a started host has Wolverine running: the data commands (`import`, `rebuild` …) and the first-run seed, which
        // runs while the host starts, write without it and announce nothing (docs/alerts.md, "Imports").
        if (!lifetime.ApplicationStarted.IsCancellationRequested) return Enlisted.Nothing;
        var eventDates = events.Select(e => e.Date).ToHashSet();
        var changes = Changes(beforeHistory, afterHistory, eventDates);
        if (latestOnly && changes.Count > 1) changes = [changes[^1]];
        // What the receivers were told (AnnouncedStage, in this transaction): a write that announces a change, or that
        // changes the stage in force, brings it up to date, and announces where the stage stands when the alerts alone
        // would leave a receiver on another one (Reconcile; docs/alerts.md, "The notification").
        if (changes.Count > 0 || afterHistory[^1].To != beforeHistory[^1].To)
        {
            await using var session = documents.LightweightSession(Marten.Services.SessionOptions.ForTransaction(tx));
            var told = await session.LoadAsync<AnnouncedStage>(negotiationId) ?? AnnouncedStage.Of(negotiationId, beforeHistory[^1]);
            if (Reconcile(told, changes, afterHistory[^1]) is { } move) changes.Add((move, AlertCause.Revised));
            session.Store(told);
            await session.SaveChangesAsync();
        }
        var expiries = NewExpiries(before, after, afterDay);
        if (changes.Count == 0 && expiries.Count == 0) return Enlisted.Nothing;
        if (runtime.Storage is not IMessageDatabase database)
            throw new InvalidOperationException("Alerts need Wolverine's PostgreSQL message storage (IntegrateWithWolverine).");
        var context = new MessageContext(runtime);
        context.EnlistInOutbox(new DatabaseEnvelopeTransaction(database, tx));
        var recordedAt = clock.GetUtcNow();
        foreach (var (t, cause) in changes)
            await context.PublishAsync(StageChanged.Of(negotiationId, after.Negotiation, t, cause, recordedAt, version));
        foreach (var day in expiries)
            await context.ScheduleAsync(new WindowExpiryDue(negotiationId, day, eventDates.Contains(day) ? AlertCause.Event : null), DecayClock.SchedulerInstant(day, clock));
        return new Enlisted(context);
    }

    /// <summary>Messages recorded in an uncommitted transaction; <see cref="FlushAsync"/> hands them to Wolverine once it commits.</summary>
    public sealed class Enlisted(MessageContext? context)
    {
        public static readonly Enlisted Nothing = new(null);

        /// <summary>After the commit: starts handling the recorded messages now (else Wolverine's durability agent recovers them).</summary>
        public Task FlushAsync() => context?.FlushOutgoingMessagesAsync() ?? Task.CompletedTask;
    }
}
