using System.Runtime.ExceptionServices;
using Marten;
using SessionOptions = Marten.Services.SessionOptions;
using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Validation;
using ValidationContext = Normalization.Domain.Validation.ValidationContext;
using Npgsql;
using static Normalization.Api.Storage.DomainIndex;
using static Normalization.Api.Storage.FoldCheckpoints;

namespace Normalization.Api.Storage;

/// <summary>
/// The end append without a lock round trip, written in groups (docs/architecture.md, "The end append without a lock
/// round trip"): a batch of catalog events dated after everything folded, on a negotiation whose head this process holds,
/// is staged with Marten's expected version — no <c>AppendExclusive</c> — and committed with whatever other such appends
/// wait at the same time (<see cref="GroupCommit{TMember, TResult}"/>). Everything it does not decide goes to the locked
/// path of <see cref="AppendAsync"/>.
/// </summary>
public sealed partial class NegotiationStore
{
    /// <summary>
    /// One unlocked end append: the head held at <paramref name="Version"/> and the batch (ids given); <paramref name="Caller"/>
    /// is the trace context of its <c>append</c> span, which the group's span links to.
    /// </summary>
    internal sealed record EndAppend(string Id, int Version, FoldAccumulator Before, List<NegotiationEvent> Events, string PostedBy, string? CorrelationId,
        System.Diagnostics.ActivityContext Caller = default);

    GroupCommit<EndAppend, AppendOutcome> Groups => groups ??= new GroupCommit<EndAppend, AppendOutcome>(WriteGroupAsync);
    GroupCommit<EndAppend, AppendOutcome>? groups;

    /// <summary>How many append groups this store committed and the largest (tests, benchmarks).</summary>
    public (long Groups, int Largest) GroupStatistics => Groups.Statistics;

    /// <summary>An unlocked append found something only the locked path decides (nothing of it was staged): run it under the lock.</summary>
    sealed class UnlockedAppendDeclined(string why) : Exception(why);

    /// <summary>
    /// Appends <paramref name="withIds"/> without the lock when this process holds the head at a version the caller accepts;
    /// null when the locked path must decide (no head held, declined, the stream moved on). Rethrows what only the caller can
    /// answer (a stored eventId: <see cref="IsStoredEventId"/>; the database unavailable).
    /// </summary>
    async Task<AppendOutcome?> TryUnlockedAsync(string id, int? expectedVersion, List<NegotiationEvent> withIds, string postedBy, string? correlationId)
    {
        if (heads.VersionOf(id) is not { } held || expectedVersion is { } x && x != held) return null;
        if (heads.TryGet(id, held) is not { } before) return null; // evicted meanwhile
        // A late event refolds under the lock: known before a group is joined (StageEndAppendAsync checks again).
        if (IsLate(before, withIds))
        {
            Trace("late event: under the lock");
            return null;
        }
        Trace("unlocked");
        // The correlation id of a write is its trace id when the request is traced (docs/architecture.md, "Telemetry").
        var correlation = System.Diagnostics.Activity.Current?.TraceId.ToHexString() ?? correlationId;
        var member = new EndAppend(id, held, before, withIds, postedBy, correlation, System.Diagnostics.Activity.Current?.Context ?? default);
        var outcome = await Groups.RunAsync(member);
        // A member of a group whose write failed is written again alone: its own answer, not another member's.
        if (outcome is GroupCommit<EndAppend, AppendOutcome>.Outcome.Alone { InGroup: true })
        {
            Trace("group not written: alone");
            var alone = new GroupCommit<EndAppend, AppendOutcome>.Entry(member);
            try { await WriteGroupAsync([alone]); }
            catch (Exception e) { alone.Complete(new GroupCommit<EndAppend, AppendOutcome>.Outcome.Alone(e)); }
            alone.Complete(new GroupCommit<EndAppend, AppendOutcome>.Outcome.Alone(null));
            outcome = await alone.Completion;
        }
        switch (outcome)
        {
            case GroupCommit<EndAppend, AppendOutcome>.Outcome.Done done:
                Trace("committed");
                return done.Result;
            case GroupCommit<EndAppend, AppendOutcome>.Outcome.Failed failed:
                ExceptionDispatchInfo.Throw(failed.Error);
                return null;
            case GroupCommit<EndAppend, AppendOutcome>.Outcome.Alone { Why: UnlockedAppendDeclined declined }:
                Trace($"unlocked append declined ({declined.Message}): under the lock");
                return null;
            case GroupCommit<EndAppend, AppendOutcome>.Outcome.Alone { Why: { } error } when IsStreamMovedOn(error):
                Trace("stream moved on: again under the lock");
                return null;
            case GroupCommit<EndAppend, AppendOutcome>.Outcome.Alone { Why: { } error }:
                ExceptionDispatchInfo.Throw(error); // a stored eventId (the caller checks), the database unavailable …
                return null;
            case GroupCommit<EndAppend, AppendOutcome>.Outcome.Alone:
                Trace("not written: under the lock");
                return null;
            default:
                throw new InvalidOperationException("An unlocked append ended without an outcome.");
        }
    }

    /// <summary>Whether any of <paramref name="events"/> sorts at or before the last event <paramref name="head"/> folded (a refold: the locked path).</summary>
    static bool IsLate(FoldAccumulator head, List<NegotiationEvent> events) =>
        head.LastSortKey is { } last && events.Count > 0 && string.CompareOrdinal(events.Select(KeyOf).Min(StringComparer.Ordinal)!, last) <= 0;

    /// <summary>
    /// Writes a group of unlocked end appends in one transaction: each member staged into one Marten session (events with
    /// the expected version, index rows, board row, alerts), then one <c>SaveChangesAsync</c> and one commit; after the
    /// commit each member's head and tail are remembered and its alerts flushed. A member that declines is answered
    /// <c>Alone</c> and the others go on; any failure of the shared write leaves all of them <c>Alone</c> (nothing committed).
    /// </summary>
    async Task WriteGroupAsync(IReadOnlyList<GroupCommit<EndAppend, AppendOutcome>.Entry> group)
    {
        // Under the span of the append that writes it (Activity.Current), linked to every member's append span: the members
        // whose group another append wrote find their SQL through the link (OpenTelemetry's way to trace a batch).
        var links = group.Select(m => m.Member.Caller).Where(c => c != default).Select(c => new System.Diagnostics.ActivityLink(c)).ToList();
        using var span = links.Count == 0 ? Telemetry.TelemetrySetup.Source.StartActivity("append-group")
            : Telemetry.TelemetrySetup.Source.StartActivity("append-group", System.Diagnostics.ActivityKind.Internal, parentContext: default, links: links);
        span?.SetTag("members", group.Count);
        await using var conn = await dataSource.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await using var session = store.LightweightSession(SessionOptions.ForTransaction(tx));
        span?.AddEvent(new("opened"));
        var staged = new List<(GroupCommit<EndAppend, AppendOutcome>.Entry Entry, Func<Task<AppendOutcome>> AfterCommit)>(group.Count);
        foreach (var entry in group)
        {
            try { staged.Add((entry, await StageEndAppendAsync(entry.Member, session, conn, tx))); }
            catch (UnlockedAppendDeclined declined) { entry.Complete(new GroupCommit<EndAppend, AppendOutcome>.Outcome.Alone(declined)); }
        }
        if (staged.Count == 0) return;
        span?.AddEvent(new("staged"));
        await session.SaveChangesAsync();
        span?.AddEvent(new("saved"));
        await tx.CommitAsync();
        span?.AddEvent(new("committed"));
        foreach (var (entry, afterCommit) in staged)
        {
            try { entry.Complete(new GroupCommit<EndAppend, AppendOutcome>.Outcome.Done(await afterCommit())); }
            catch (Exception e) { entry.Complete(new GroupCommit<EndAppend, AppendOutcome>.Outcome.Failed(e)); }
        }
        span?.AddEvent(new("answered"));
    }

    /// <summary>
    /// Validates one unlocked end append against the head it holds and stages its writes into the group's session; returns
    /// what to do after the commit. Throws <see cref="UnlockedAppendDeclined"/> before staging anything when the batch needs
    /// the locked path: an eventId repeated in it, a refusal (given only under the lock, where the stream cannot have moved
    /// since the head was read), a late event (a refold from a checkpoint).
    /// </summary>
    async Task<Func<Task<AppendOutcome>>> StageEndAppendAsync(EndAppend m, IDocumentSession session, NpgsqlConnection conn, NpgsqlTransaction tx)
    {
        var (id, versionBefore, before, events) = (m.Id, m.Version, m.Before, m.Events);
        if (events.Count == 0 || events.Select(e => e.EventId).Distinct().Count() != events.Count) throw new UnlockedAppendDeclined("duplicate in the batch");
        var ctx = new ValidationContext(before.Negotiation, Today);
        if ((await RegisterReferencesAsync(conn, tx, id, events, ctx, CancellationToken.None, before)).NeedWholeRecord(events))
            throw new UnlockedAppendDeclined("judged on the whole record");
        var errors = new List<(int Tag, FieldError Error)>();
        var batchValidator = new BatchValidator(ctx);
        for (var i = 0; i < events.Count; i++) batchValidator.Validate(events[i], $"events[{i}]", i, errors);
        batchValidator.Finish(errors);
        if (errors.Count > 0) throw new UnlockedAppendDeclined("refused");
        if (IsLate(before, events)) throw new UnlockedAppendDeclined("late event");
        Trace("validated");

        var beforeHistory = before.StageHistoryAt(Today);
        var version = versionBefore + events.Count;
        // <snippet:end-append>
        // Marten's expected version is the stream's version after this batch: its append function refuses the batch when
        // the stream is no longer at the held version. Who posted it and the correlation go on each event (the session is shared).
        var action = session.Events.Append(id, version, events.Cast<object>().ToArray());
        foreach (var e in action.Events)
        {
            e.UserName = m.PostedBy;
            if (m.CorrelationId is not null) e.CorrelationId = m.CorrelationId;
        }
        // </snippet>
        QueueIndexRows(session, id, versionBefore, events);
        Trace("appended");
        var head = before.Clone();
        var effective = events.OrderBy(e => e, DomainOrder.Instance).ToList();
        var checkpoints = new List<Checkpoint>();
        foreach (var e in effective) ApplyWithCheckpoint(head, e, checkpoints);
        await WriteCheckpointsAsync(conn, tx, id, checkpoints, version, CancellationToken.None);
        Trace("folded");
        var tail = tails.TryGet(id, versionBefore)?.Appended(version, effective.Select(e => (KeyOf(e), e)).ToList());
        var afterDay = Today;
        var afterHistory = head.StageHistoryAt(afterDay);
        StoreReadModels(session, id, version, head, (afterDay, afterHistory));
        Trace("board");
        var alerted = await alerts.EnlistAsync(tx, id, before, beforeHistory, head, afterHistory, afterDay, events, version);
        var results = events.Select(e => new StoredEventId(e.EventId, false)).ToList();
        return async () =>
        {
            heads.Set(id, version, head);
            if (tail is not null) tails.Set(id, tail);
            await alerted.FlushAsync();
            return new AppendOutcome.Appended(version, results, afterHistory[^1].To, beforeHistory[^1].To);
        };
    }
}
