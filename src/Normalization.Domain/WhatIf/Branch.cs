using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Stages;
using Normalization.Domain.Validation;

namespace Normalization.Domain.WhatIf;

/// <summary>
/// An alternative history: the recorded events up to the branch point, minus what is removed or replaced, plus
/// hypothetical events. Immutable: every method returns a new branch, so one base branch can feed many scenarios.
/// </summary>
public sealed partial class Branch
{
    readonly ImmutableList<Removal> _removals;
    readonly ImmutableList<(Guid EventId, NegotiationEvent Event)> _replacements;
    readonly ImmutableList<NegotiationEvent> _additions;
    readonly DateOnly? _asOf;
    readonly DateOnly? _today;
    readonly FoldOptions? _options;
    readonly Start? _start;
    readonly DateTimeOffset? _knownAt;

    /// <summary>Where a branch of a stored history starts when it does not start from the opening: see <see cref="FromCheckpoint"/>.</summary>
    /// <summary>One removal, as given: a recorded event's id, or a filter over the recorded events.</summary>
    sealed record Removal(Guid? Id, Func<NegotiationEvent, bool>? Filter);

    sealed record Start(FoldAccumulator Fold, Func<ValidationContext> Context, IReadOnlySet<Guid> KnownIds, DateOnly? LastRecorded,
        Func<DateOnly, NegotiationState>? StateOfRecord, (string? Key, DateOnly? Until) Coverage);

    internal Branch(NegotiationOpened opening, IReadOnlyList<NegotiationEvent> recorded)
        : this(opening, recorded, [], [], [], null, null, null, null, null) { }

    /// <summary>
    /// A branch of a long stored history that starts from a fold checkpoint instead of the opening, so its cost grows with
    /// the events after the checkpoint only (issue 17). <paramref name="checkpoint"/> is the fold (default rules) of every
    /// effective event before <paramref name="after"/>; <paramref name="after"/> are the effective events that follow it in
    /// domain order (retractions and corrections already applied); the caller picks the checkpoint before everything the
    /// changes touch: the hypothetical events' positions, the removed or replaced events and any event a hypothetical
    /// retraction or correction aims at. <paramref name="context"/> gives a validation context that knows the stream's
    /// ids as the store does for an append; <paramref name="knownIds"/> are the ids of the stream among those the changes
    /// name; <paramref name="lastRecorded"/> is the last effective event's date. <paramref name="stateOfRecord"/>, when
    /// given, is the state on a date of <paramref name="checkpoint"/> plus every event of <paramref name="after"/> — the
    /// record's own state, when <paramref name="after"/> runs to its end — from a state the caller keeps (the store: its
    /// head's, kept in HeadCache). The baseline uses it when the branch point cuts off none of <paramref name="after"/>,
    /// instead of folding them a second time (the branch folds them once). The answer equals <see cref="WhatIf.From"/> over
    /// the whole record (a property test checks it). The checkpoint is not changed. <paramref name="recordCoverage"/> is the
    /// record's coverage (the sort key of its latest review in force and its <c>coveredUntil</c>, as the head holds them):
    /// how far the record reaches holds at every date, so a branch point before the latest review still answers with it,
    /// as <see cref="NegotiationFold.StateAsOf"/> does; the caller folds the whole record instead when a change touches a review.
    /// </summary>
    public static Branch FromCheckpoint(NegotiationOpened opening, FoldAccumulator checkpoint, IReadOnlyList<NegotiationEvent> after,
        Func<ValidationContext> context, IReadOnlySet<Guid> knownIds, DateOnly? lastRecorded, Func<DateOnly, NegotiationState>? stateOfRecord = null,
        (string? Key, DateOnly? Until) recordCoverage = default) =>
        new(opening, after, [], [], [], null, null, null, new Start(checkpoint, context, knownIds, lastRecorded, stateOfRecord, recordCoverage), null);

    Branch(NegotiationOpened opening, IReadOnlyList<NegotiationEvent> recorded, ImmutableList<Removal> removals, ImmutableList<(Guid, NegotiationEvent)> replacements,
        ImmutableList<NegotiationEvent> additions, DateOnly? asOf, DateOnly? today, FoldOptions? options, Start? start, DateTimeOffset? knownAt)
    {
        _start = start;
        _knownAt = knownAt;
        Opening = opening;
        Recorded = recorded;
        _removals = removals;
        _replacements = replacements;
        _additions = additions;
        _asOf = asOf;
        _today = today;
        _options = options;
    }

    /// <summary>The negotiation this branch is of.</summary>
    public NegotiationOpened Opening { get; }
    /// <summary>The recorded history this branch starts from (never changed).</summary>
    public IReadOnlyList<NegotiationEvent> Recorded { get; }
    /// <summary>The branch point: recorded events dated after it are left out of both the branch and its baseline.</summary>
    public DateOnly? BranchPoint => _asOf;

    Branch With(ImmutableList<Removal>? removals = null,
        ImmutableList<(Guid, NegotiationEvent)>? replacements = null, ImmutableList<NegotiationEvent>? additions = null,
        DateOnly? asOf = null, DateOnly? today = null, FoldOptions? options = null, DateTimeOffset? knownAt = null) =>
        new(Opening, Recorded, removals ?? _removals, replacements ?? _replacements,
            additions ?? _additions, asOf ?? _asOf, today ?? _today, options ?? _options, _start, knownAt ?? _knownAt);

    /// <summary>The instant the record was read as known at (<see cref="WhatIf.FromServerAsync(HttpClient, string, DateTimeOffset?, DateOnly?, CancellationToken)"/>'s <c>knownAt</c>); null: the record as it stands.</summary>
    public DateTimeOffset? KnownAt => _knownAt;

    /// <summary>
    /// Marks the record as read as known at <paramref name="instant"/> (a history exported with <c>knownAt</c>;
    /// <c>FromServerAsync</c> marks its own): the changes are judged against that record, so each error says so —
    /// "No event … in this negotiation" of an event recorded later is not read as an event that does not exist. The same
    /// words as over HTTP (<see cref="KnownAtNote"/>).
    /// </summary>
    public Branch AsKnownAt(DateTimeOffset instant) => With(knownAt: instant);

    /// <summary>The note ending each error of a what-if judged against the record as known at <paramref name="knownAt"/>, in the library and over HTTP alike.</summary>
    public static string KnownAtNote(DateTimeOffset knownAt) =>
        $" (Judged against the record as known at {knownAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", System.Globalization.CultureInfo.InvariantCulture)}: events recorded after that instant are not in it.)";

    /// <summary><paramref name="errors"/>, each ending with <see cref="KnownAtNote"/> when the record was read as known at an instant.</summary>
    List<FieldError> Noted(List<FieldError> errors) =>
        _knownAt is { } t ? errors.Select(e => e with { Message = e.Message + KnownAtNote(t) }).ToList() : errors;

    /// <summary>
    /// Branches at <paramref name="date"/>: recorded events dated after it did not happen (in the branch and in its
    /// baseline). Hypothetical events may be dated before or after it (not after "today"). Retractions, corrections and
    /// reviews of the record apply whatever their date, as in the stored fold.
    /// </summary>
    public Branch AsOf(DateOnly date) => With(asOf: date);

    /// <summary>The "today" of the "no future events" rule; by default the date (UTC) of <see cref="TimeProvider.System"/>. Set it to test "an American detained tomorrow".</summary>
    /// <remarks>Preferred over <see cref="Today(TimeProvider)"/> by the compiler, so <c>.Today(new(2025, 4, 4))</c> is this one, not ambiguous.</remarks>
    [OverloadResolutionPriority(1)]
    public Branch Today(DateOnly date) => With(today: date);

    /// <summary>The "today" of the "no future events" rule: the UTC date of <paramref name="clock"/> (the app's injected clock).</summary>
    public Branch Today(TimeProvider clock) => With(today: TodayOf(clock ?? throw new ArgumentNullException(nameof(clock))));

    /// <summary>The UTC date of <paramref name="clock"/>.</summary>
    internal static DateOnly TodayOf(TimeProvider clock) => DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);

    /// <summary>Fold with other rule parameters (window, momentum, confidence threshold). Applies to the baseline too.</summary>
    public Branch WithOptions(FoldOptions options) => options is null ? throw new ArgumentNullException(nameof(options))
        : _start is null ? With(options: options)
        : throw new InvalidOperationException("A branch from a checkpoint folds with the rules the checkpoint was folded with.");

    /// <summary>
    /// Adds hypothetical events (validated like real ones; an empty eventId gets a new GUID). A null array is an
    /// <see cref="ArgumentNullException"/>, a null event an <see cref="ArgumentException"/> naming its place (<c>events[1] is null</c>).
    /// </summary>
    public Branch Add(params NegotiationEvent[] events)
    {
        ArgumentNullException.ThrowIfNull(events);
        for (var i = 0; i < events.Length; i++)
            if (events[i] is null) throw RecordedEvents.NullItem(nameof(events), i);
        return With(additions: _additions.AddRange(events.Select(Mark)));
    }

    /// <summary>Adds hypothetical events (as <see cref="Add(NegotiationEvent[])"/>).</summary>
    public Branch Add(IEnumerable<NegotiationEvent> events) => Add((events ?? throw new ArgumentNullException(nameof(events))).ToArray());

    /// <summary>
    /// Removes a recorded event (it did not happen in this branch). An id that is not in the record, or that this branch
    /// already removes, is an error at <c>remove[i]</c> (the i-th Remove call), as over HTTP; so is <see cref="Guid.Empty"/>,
    /// no event's id (<c>invalid_guid</c>, the HTTP reader's code for it).
    /// </summary>
    /// <remarks>Preferred over <see cref="Remove(Func{NegotiationEvent, bool})"/> by the compiler, so <c>.Remove(new("…"))</c> is this one, not ambiguous.</remarks>
    [OverloadResolutionPriority(1)]
    public Branch Remove(Guid eventId) => With(removals: _removals.Add(new Removal(eventId, null)));

    /// <summary>
    /// Removes every recorded event the filter matches, e.g. <c>e =&gt; e is TalksHeld &amp;&amp; e.Actor == "US"</c>. A filter
    /// that matches no recorded event is an error at <c>remove[i]</c> (<c>unknown_reference</c>), as an unknown id is.
    /// </summary>
    public Branch Remove(Func<NegotiationEvent, bool> filter) =>
        With(removals: _removals.Add(new Removal(null, filter ?? throw new ArgumentNullException(nameof(filter)))));

    /// <summary>Removes every recorded event of type <typeparamref name="T"/> that matches the optional filter.</summary>
    public Branch Remove<T>(Func<T, bool>? filter = null) where T : NegotiationEvent =>
        Remove(e => e is T t && (filter is null || filter(t)));

    /// <summary>
    /// Replaces a recorded event by a hypothetical one (any type; it gets a new eventId unless it has one). An event the
    /// branch already removes or replaces is an error at <c>replace[i].eventId</c> (<c>duplicate_item</c>): one change per event.
    /// </summary>
    public Branch Replace(Guid eventId, NegotiationEvent replacement) =>
        With(replacements: _replacements.Add((eventId, Mark(replacement ?? throw new ArgumentNullException(nameof(replacement))))));

    /// <summary>
    /// The one rule of a projection date: a projection runs forward from the branch point, so <paramref name="projectTo"/>
    /// before <paramref name="branchPoint"/> is <c>projectTo</c> <c>out_of_range</c> — in <see cref="Project"/> and over HTTP
    /// alike (400 there, where the body is read). <paramref name="branchPointNote"/> says where the branch point came from
    /// when the caller chose it (HTTP: "today by default").
    /// </summary>
    public static FieldError? ProjectionProblem(DateOnly? branchPoint, DateOnly? projectTo, string? branchPointNote = null) =>
        projectTo is { } p && branchPoint is { } bp && p < bp
            ? new FieldError("projectTo", "out_of_range",
                $"projectTo must not be before asOf ({bp.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)}{(branchPointNote is null ? "" : ", " + branchPointNote)}).")
            : null;

    static NegotiationEvent Mark(NegotiationEvent e)
    {
        var marked = e.WithId() with { Hypothetical = true };
        return marked is EventCorrected { Correction: { } c } corr ? corr with { Correction = c with { Hypothetical = true } } : marked;
    }

    /// <summary>
    /// Folds the branch and its baseline (same dates, no changes) and compares them. <paramref name="at"/> is the
    /// date to project to: by default the branch point (without one, the last recorded day — not today, unlike HTTP's
    /// <c>asOf</c>), or the last hypothetical event's date when that is later; never before the branch point
    /// (<see cref="ProjectionProblem"/>). Invalid changes are reported in <see cref="WhatIfResult.Errors"/>, never thrown.
    /// </summary>
    public WhatIfResult Project(DateOnly? at = null)
    {
        var today = _today ?? TodayOf(TimeProvider.System);
        var errors = new List<FieldError>();
        if (ProjectionProblem(_asOf, at) is { } backwards) errors.Add(backwards);
        var recordedIds = new HashSet<Guid>(Recorded.Select(e => e.EventId));
        if (_start is not null) recordedIds.UnionWith(_start.KnownIds);

        // Which recorded events the branch keeps, listed in the order of the changes (the same whether the branch holds
        // the whole record or starts from a checkpoint, where an event after the branch point is known by its id only).
        // Each change names a recorded event, and names it once (ChangeRules, the HTTP reader's rules too).
        var removed = new HashSet<Guid>();
        var removedList = new List<Guid>();
        void Out(Guid id) { if (removed.Add(id)) removedList.Add(id); }
        var named = new HashSet<Guid>();
        for (var i = 0; i < _removals.Count; i++)
        {
            if (_removals[i].Id is { } id)
            {
                if (id == Guid.Empty) errors.Add(ChangeRules.NotAnIdToRemove($"remove[{i}]"));
                else if (!named.Add(id)) errors.Add(ChangeRules.RemovedTwice($"remove[{i}]", id));
                else if (recordedIds.Contains(id)) Out(id);
                else errors.Add(ChangeRules.NotRecorded($"remove[{i}]", id));
                continue;
            }
            var matched = false;
            foreach (var e in Recorded)
                if (_removals[i].Filter!(e)) { matched = true; Out(e.EventId); }
            if (!matched) errors.Add(ChangeRules.NothingMatched($"remove[{i}]"));
        }
        var skipped = new HashSet<int>();
        for (var i = 0; i < _replacements.Count; i++)
        {
            var id = _replacements[i].EventId;
            // A second change of one event is ambiguous: refused, and its replacement not judged (as the HTTP reader drops it).
            // The empty GUID is no event's id (the HTTP reader's invalid_guid): its replacement is not judged either.
            if (id == Guid.Empty) { errors.Add(ChangeRules.NotAnIdToReplace($"replace[{i}].eventId")); skipped.Add(i); }
            else if (!named.Add(id)) { errors.Add(ChangeRules.ChangedTwice($"replace[{i}].eventId", id)); skipped.Add(i); }
            else if (recordedIds.Contains(id)) Out(id);
            else errors.Add(ChangeRules.NotRecorded($"replace[{i}].eventId", id));
        }
        // A removed (or replaced) event goes as the record has it: a correction or retraction aimed at it — or at such a
        // correction or retraction, down the chain — aims at nothing the branch holds. The fold ignores them
        // (EffectiveHistory), and so must validation: what a corrected version opened (a demand or commitment id) is free
        // in the branch, as an id whose opening was retracted is free in the store.
        var aimless = new HashSet<Guid>(removed);
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var e in Recorded)
                if (e is EventCorrected { TargetEventId: var c } && aimless.Contains(c) || e is EventRetracted { TargetEventId: var r } && aimless.Contains(r))
                    grew |= aimless.Add(e.EventId);
        }
        var kept = Recorded.Where(e => !aimless.Contains(e.EventId)).ToList();

        // An event built without OccurredOn (a DomainDate left at its default, year 0) has no date to judge or fold: required,
        // as a body without occurredOn is, and nothing else is judged until it has one.
        static bool Undated(NegotiationEvent e) => e.OccurredOn.Year < 1;
        void Dated(NegotiationEvent e, string path)
        {
            if (Undated(e)) errors.Add(new(EventReader.Join(path, "occurredOn"), "required", "occurredOn is required: the date the event happened (YYYY, YYYY-MM or YYYY-MM-DD)."));
            if (e is EventCorrected { Correction: { } c } && Undated(c))
                errors.Add(new(EventReader.Join(path, "correction.occurredOn"), "required", "occurredOn is required: the date the corrected event happened."));
        }
        var undatedFrom = errors.Count;
        for (var i = 0; i < _replacements.Count; i++) Dated(_replacements[i].Event, $"replace[{i}].event");
        for (var i = 0; i < _additions.Count; i++) Dated(_additions[i], $"add[{i}]");
        // Then each as a body's event is read (Readable): a field a JSON body could not send is refused as it would be.
        // From here on the branch uses each event as read (a null optional list read as the empty one a body gives).
        var replacing = _replacements.Select(r => r.Event).ToArray();
        var additions = _additions.ToArray();
        if (errors.Count == undatedFrom)
        {
            for (var i = 0; i < replacing.Length; i++) replacing[i] = Readable(replacing[i], $"replace[{i}].event", errors);
            for (var i = 0; i < additions.Length; i++) additions[i] = Readable(additions[i], $"add[{i}]", errors);
        }
        // Refused before the changes' dates are known: the default projection date is still the branch point, or the last
        // recorded day without one (as for valid changes) — not today, which would move every row of Scenarios.Compare.
        if (errors.Count > undatedFrom)
            return new WhatIfResult { Errors = Noted(errors), BranchedAt = _asOf, ProjectedAt = at ?? _asOf ?? LastDate(kept) ?? _start?.LastRecorded ?? today, Today = today, Removed = [] };

        // Hypothetical events are validated exactly like real ones, against the history the branch keeps.
        var lastHypothetical = replacing.Concat(additions).Select(e => (DateOnly?)e.Date).Max();
        var branchPoint = _asOf;
        var projectAt = at ?? Max(branchPoint ?? LastDate(kept) ?? _start?.LastRecorded ?? today, lastHypothetical);
        ValidationContext ctx;
        if (_start is null) ctx = ValidationContext.For(Opening, kept, today);
        else
        {
            ctx = _start.Context();
            // The store's context knows the record as stored (its ledger references name the closings of what a hypothetical
            // event retracts or corrects): an event this branch removes is out of it, as a retracted one is — as in the
            // context built from the kept events alone.
            foreach (var id in removed) ctx.RegisterKnownEvent(id, ctx.TypeOf(id) ?? "", retracted: true);
            foreach (var e in kept) ctx.Register(e);
        }
        var hypothetical = new List<HypotheticalEvent>();
        var seen = new HashSet<Guid>(recordedIds);
        // Judged as a whole, as a POST of the same events is (BatchValidator): a closing listed before its opening waits for it.
        var batch = new BatchValidator(ctx);
        var judged = new List<(int Tag, FieldError Error)>();
        var paths = new List<string>();
        void Check(NegotiationEvent e, string path, string origin, Guid? replaces)
        {
            if (!seen.Add(e.EventId))
                judged.Add((paths.Count, new(EventReader.Join(path, "eventId"), "duplicate_id", e.EventId == replaces
                    // Said as what it is: the replacement is a new event beside the one it replaces, not a new version of it.
                    ? $"eventId {e.EventId} is the id of the event this replaces: a replacement is a new event with its own id (leave eventId out to have one drawn)."
                    : $"eventId {e.EventId} is already used in this negotiation or this what-if.")));
            batch.Validate(e, path, paths.Count, judged);
            paths.Add(path);
            hypothetical.Add(new HypotheticalEvent(e.EventId, e.Type, e.OccurredOn.ToString(), origin, replaces, e));
        }
        for (var i = 0; i < _replacements.Count; i++)
            if (!skipped.Contains(i)) Check(replacing[i], $"replace[{i}].event", "replace", _replacements[i].EventId);
        for (var i = 0; i < additions.Length; i++) Check(additions[i], $"add[{i}]", "add", null);
        batch.Finish(judged);
        var refused = judged.Select(j => j.Tag).ToHashSet();
        for (var i = 0; i < hypothetical.Count; i++)
        {
            foreach (var (_, error) in judged.Where(j => j.Tag == i)) errors.Add(error);
            // An accepted event after the projection date would not show: said, rather than silently left out.
            if (!refused.Contains(i) && hypothetical[i].Event.Date > projectAt)
                errors.Add(new(EventReader.Join(paths[i], "occurredOn"), "after_projection",
                    $"occurredOn {hypothetical[i].Event.OccurredOn} is after the projection date {projectAt:yyyy-MM-dd}; project later to see it."));
        }

        // (a hypothetical event refused as a duplicate_id is judged once: the first of its id stands for it here; a replacement
        // refused for carrying the id of the event it replaces still stands for what it opens, so its one error is that id)
        StillReferenced(removed, kept, hypothetical.DistinctBy(h => h.EventId)
            .Where(h => !recordedIds.Contains(h.EventId) || h.Replaces == h.EventId).Select(h => h.Event), errors);

        if (errors.Count > 0)
            return new WhatIfResult { Errors = Noted(errors), BranchedAt = branchPoint, ProjectedAt = projectAt, Today = today, Hypothetical = hypothetical, Removed = removedList };

        var cut = branchPoint is { } bp && bp < projectAt ? bp : projectAt;
        var baseline = Fold(Recorded, cut, projectAt, _start?.StateOfRecord);
        var projected = Fold([.. kept, .. hypothetical.Select(h => h.Event)], cut, projectAt);
        var hypotheticalIds = hypothetical.Select(h => h.EventId).ToHashSet();
        var aimedAt = AimedAt(hypothetical.Select(h => h.Event), kept);
        return new WhatIfResult
        {
            BranchedAt = branchPoint,
            ProjectedAt = projectAt,
            Today = today,
            Projected = projected,
            Baseline = baseline,
            Comparison = Comparison.Between(baseline, projected, hypotheticalIds, aimedAt),
            Hypothetical = hypothetical,
            Removed = removedList,
        };
    }

    /// <summary>
    /// The one fold, with the branch's only twist: recorded events stop at the branch point, hypothetical ones at the
    /// projection date. Reviews of the record are the exception, as retractions and corrections are: how far the record
    /// reaches holds at every date (docs/stage-model.md), so every review of <paramref name="events"/> counts whatever its
    /// date, as in <see cref="NegotiationFold.StateAsOf"/>. <paramref name="whole"/>: the state of the checkpoint plus all
    /// of <paramref name="events"/>, used when the branch point cuts none of them off.
    /// </summary>
    NegotiationState Fold(IReadOnlyCollection<NegotiationEvent> events, DateOnly recordedUntil, DateOnly at, Func<DateOnly, NegotiationState>? whole = null)
    {
        bool Kept(NegotiationEvent e) => e.Date <= (e.Hypothetical ? at : recordedUntil);
        // The baseline of a branch point on or after the end of the record is the record's own state: the caller keeps it
        // (the store: its head's, once per head and date), so the events after the checkpoint are not resolved, sorted and
        // folded a second time (the branch folds them once). Every event and every correction's replacement kept is more
        // than enough: the effective events are among them.
        if (whole is not null && events.All(e => Kept(e) && (e is not EventCorrected { Correction: { } c } || Kept(c)))) return whole(at);
        var effective = NegotiationFold.Effective(events);
        var folded = effective.Where(Kept).ToList();
        var reviews = effective.OfType<RecordReviewed>().Where(r => !Kept(r)).ToList();
        // Nothing to fold after the checkpoint: its state is read from the checkpoint itself (StateAt does not change an
        // accumulator), without a copy — with the record's coverage when the checkpoint precedes its latest review.
        if (folded.Count == 0 && reviews.Count == 0 && _start is not null)
            return _start.Coverage.Key is not { } recordKey || _start.Fold.CoverageKey is { } own && string.CompareOrdinal(recordKey, own) <= 0
                ? _start.Fold.StateAt(at)
                : _start.Fold.StateAt(at).WithCoverage(_start.Coverage.Until);
        var acc = _start?.Fold.Clone() ?? FoldAccumulator.Start(Opening, _options);
        if (_start is not null) acc.Covered(_start.Coverage.Key, _start.Coverage.Until);
        foreach (var review in reviews) acc.Reviewed(review);
        foreach (var e in folded) acc.Apply(e);
        return acc.StateAt(at);
    }

    static DateOnly? LastDate(IEnumerable<NegotiationEvent> events) =>
        events.Where(e => e is not EventRetracted and not EventCorrected).Select(e => (DateOnly?)e.Date).Max();

    static DateOnly Max(DateOnly a, DateOnly? b) => b is { } x && x > a ? x : a;
}
