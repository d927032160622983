using Marten;
using SessionOptions = Marten.Services.SessionOptions;
using Normalization.Domain.Folding;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Stages;
using Npgsql;

namespace Normalization.Api.Storage;

/// <summary>
/// The event store of negotiations on Marten + PostgreSQL; Marten's stream version is the one version. Every append is
/// committed whole: an end append from a head this process holds goes out with Marten's expected version and no lock,
/// possibly in one transaction with other negotiations' end appends (NegotiationStore.EndAppend.cs, <see cref="GroupCommit{TMember, TResult}"/>);
/// anything else first takes Marten's stream row lock (<c>AppendExclusive</c>, optimistic concurrency against
/// expectedVersion). Either way duplicates are reported by eventId, events are validated against the stream, appended to
/// Marten, indexed in domain order, and the board row and due checkpoints written before the commit; the fold's head is
/// remembered in memory after it (<see cref="HeadCache"/>), and a late event's later checkpoints are written after it by
/// Wolverine (<see cref="DeferredCheckpoints"/>). Marten's inline projection <see cref="PartyProfileProjection"/> updates the
/// party profiles in the same transaction.
/// </summary>
public sealed partial class NegotiationStore(IDocumentStore store, NpgsqlDataSource dataSource, TimeProvider clock, HeadCache heads,
    Alerts.Notifying.StageChangeAlerts alerts, TailCache tails, DeferredCheckpoints deferred, LongWork longWork, WriterGate? writers = null)
{
    /// <summary>This process's one-writer-per-negotiation turns (<see cref="WriterGate"/>: why the unlocked end append needs them).</summary>
    readonly WriterGate gate = writers ?? new WriterGate();

    /// <summary>A fold checkpoint is written every this-many folded events, in domain order.</summary>
    public const int CheckpointEvery = 500;

    /// <summary>
    /// The index keeps each event's type under the name it was written with, and a type renamed since (an upcaster,
    /// <see cref="Normalization.Domain.Catalog.EventUpcasters"/>) keeps its old name in the rows written before: a query that
    /// filters by type names every stored name of it. The record-keeping types (the summary's), as a parameter.
    /// </summary>
    static readonly string[] KeepingNames = [.. Normalization.Domain.Catalog.EventCatalog.RecordKeepingTypes.SelectMany(Normalization.Domain.Catalog.EventUpcasters.StoredNamesOf)];

    /// <summary>The stored names of <c>RecordReviewed</c> as SQL literals (catalog names, never input), for the partial index on reviews.</summary>
    static readonly string ReviewNames = string.Join(", ",
        Normalization.Domain.Catalog.EventUpcasters.StoredNamesOf(nameof(Normalization.Domain.Catalog.RecordReviewed)).Select(n => $"'{n}'"));

    /// <summary>The reader's calendar date: the clock's local zone is the request's <c>?tz=</c>, else the deployment's (Readers/ReaderClock.cs).</summary>
    public DateOnly Today => DateOnly.FromDateTime(clock.GetLocalNow().DateTime);

    /// <summary>
    /// Serializes the writers of one negotiation on Marten's own stream row and returns its version (null: no such stream).
    /// <c>AppendExclusive</c> takes the row lock (<c>select … for update</c>) in this session's transaction and reads the
    /// version; the empty append it registers is dropped at once, the lock stays until commit. So the version every
    /// check uses is Marten's — there is no second counter — and no two appends of one negotiation interleave.
    /// </summary>
    // <snippet:lock-stream>
    static async Task<int?> LockStreamAsync(IDocumentSession session, string id, CancellationToken ct)
    {
        try { await session.Events.AppendExclusive(id, ct); }
        catch (Marten.Exceptions.NonExistentStreamException) { return null; }
        var version = session.PendingChanges.Streams().Single(s => s.Key == id).ExpectedVersionOnServer
            ?? throw new InvalidOperationException($"Marten did not report the version of stream '{id}'.");
        session.EjectAllPendingChanges();
        return (int)version;
    }
    // </snippet>

    /// <summary>
    /// The state of <paramref name="view"/> today — what GET …/state answers with no parameters, and so every view that says
    /// "now" (the current state, the board, the default end of …/stages, the CLI). Today is today even when the record holds
    /// an event counted from a later day (one of the current month or year counts from its period's end,
    /// docs/stage-model.md "Dates and precision"): the head holds it then, so today's state is folded from the checkpoint
    /// before it (<see cref="StateAsOfAsync"/>); otherwise the head answers.
    /// </summary>
    public async Task<NegotiationState> StateTodayAsync(NegotiationView view, CancellationToken ct = default)
    {
        var today = Today;
        if (!view.Head.HoldsEventsAfter(today)) return heads.StateAt(view.Id, view.Version, view.Head, today);
        return await StateAsOfAsync(view.Id, today, ct: ct) ?? view.Head.StateAt(view.Head.PendingDate!.Value);
    }

    /// <summary>
    /// A Marten query session on our transaction (so it sees the same snapshot and this transaction's own writes), or
    /// on its own connection when there is none.
    /// </summary>
    IQuerySession ReadSession(NpgsqlTransaction? tx) => tx is null ? store.QuerySession() : store.QuerySession(SessionOptions.ForTransaction(tx));

    /// <summary>
    /// Stages the negotiation's board row in <paramref name="session"/> (written by its next SaveChangesAsync): a small
    /// document of bounded size. The head itself is not stored (<see cref="HeadCache"/>); the party profiles are projected
    /// inline by <see cref="PartyProfileProjection"/> from the stream's opening.
    /// </summary>
    /// <param name="known">A stage history of <paramref name="head"/> the caller already built (its day and the list): used when its day is the board's.</param>
    void StoreReadModels(IDocumentSession session, string id, int version, FoldAccumulator head, (DateOnly Day, IReadOnlyList<StageTransition> History)? known = null)
    {
        var at = head.PendingDate ?? DateOnly.MinValue;
        // The row's stage is the one on its last event's day — or today, when that day is later (an event of the current
        // month or year): the change it makes then is upcoming, applied by BoardEntry.StageOn on its day with no new write.
        var day = head.HoldsEventsAfter(Today) ? Today : at;
        // The stage history's last entry is the stage, without building the whole state (the ledger); the momentum is
        // the fold's one momentum rule, on the last event's day (the board asks the head for today's).
        var stage = (known is { } k && k.Day == day ? k.History : head.StageHistoryAt(day))[^1];
        session.Store(new BoardEntry
        {
            Id = id, Title = head.Negotiation.Title, Parties = head.Negotiation.Parties, Tags = head.Negotiation.Tags,
            Stage = stage.To, StageSince = stage.On, LastEventOn = head.LastEventOn, Momentum = head.MomentumAt(at) with { Contributions = [] },
            Version = version, Upcoming = BoardEntry.UpcomingOf(head, day), FoldFormat = head.Format,
        });
    }

    // ---------------------------------------------------------------- reads

    /// <summary>
    /// When the negotiation was first recorded — the timestamp Marten gave its opening, the instant from which every view
    /// "as known at" answers (<c>not_known_then</c> before it) — or null when there is no such negotiation.
    /// </summary>
    public async Task<DateTimeOffset?> FirstRecordedAtAsync(string id, CancellationToken ct = default)
    {
        await using var session = store.QuerySession();
        var first = (await session.Events.FetchStreamAsync(id, version: 1, token: ct)).FirstOrDefault();
        return first?.Timestamp;
    }

    /// <summary>
    /// What to tell someone who asked as known at <paramref name="knownAt"/>, before the negotiation was recorded: when it was
    /// first recorded, and that asking with <paramref name="parameter"/> at that instant answers (HTTP: <c>knownAt=</c>; the
    /// command line: <c>--known-at </c>). The one wording of <c>not_known_then</c>, over HTTP and on the command line.
    /// </summary>
    public static string NotKnownThenMessage(string id, DateTimeOffset? knownAt, DateTimeOffset firstRecordedAt, string parameter)
    {
        static string Utc(DateTimeOffset t) => t.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var first = Utc(firstRecordedAt);
        return $"The negotiation '{id}' was not yet recorded at {(knownAt is { } k ? Utc(k) : "that instant")}: it was first recorded at {first}. Ask with {parameter}{first} or later.";
    }

    /// <summary>The negotiation's stream version (Marten's), or null when there is no such negotiation.</summary>
    public async Task<int?> VersionAsync(string id, CancellationToken ct = default)
    {
        await using var session = store.QuerySession();
        return await session.Events.FetchStreamStateAsync(id, ct) is { } state ? (int)state.Version : null;
    }

    /// <summary>Every negotiation's id, from the events themselves (each stream opens with a NegotiationOpened), in ordinal order.</summary>
    public async Task<IReadOnlyList<string>> NegotiationIdsAsync(CancellationToken ct = default)
    {
        await using var session = store.QuerySession();
        // Each stream's first event is its opening: one small row per negotiation, read through Marten's LINQ.
        var openings = await session.Events.QueryAllRawEvents().Where(e => e.Version == 1).ToListAsync(ct);
        return openings.Where(e => e.Data is NegotiationOpened && e.StreamKey is not null).Select(e => e.StreamKey!).Order(StringComparer.Ordinal).ToList();
    }

    // ---------------------------------------------------------------- rebuild

}