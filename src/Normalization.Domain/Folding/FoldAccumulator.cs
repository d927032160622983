using Normalization.Domain.Catalog;
using Normalization.Domain.Ledger;
using Normalization.Domain.Momentum;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Stages;

namespace Normalization.Domain.Folding;

/// <summary>A fact that keeps counting for a window: when it last happened and which event it was.</summary>
/// <remarks>A value, not an object: the fold sets one on every talks, gesture and hostile act.</remarks>
public readonly record struct Dated(DateOnly On, Guid EventId);

/// <summary>
/// The running fold. Events must be applied in <see cref="DomainOrder"/>; the stage for a day is settled once
/// all of that day's events are in. It is plain data so it can be checkpointed and resumed: folding up to D,
/// saving, loading and continuing gives the same result as folding everything.
/// </summary>
public sealed partial class FoldAccumulator
{
    /// <summary>The shape of this accumulator; checkpoints and board rows folded with another format are rebuilt at startup (ReadModelUpgrade).</summary>
    public const int CurrentFormat = 6;
    public int Format { get; set; }
    public NegotiationOpened Negotiation { get; set; } = new();
    public FoldOptions Options { get; set; } = FoldOptions.Default;

    /// <summary>Date of the last applied events; its stage is not settled until a later date is reached.</summary>
    public DateOnly? PendingDate { get; set; }
    public Stage Stage { get; set; }
    public DateOnly? StageSince { get; set; }
    /// <summary>The reason of the last settled transition, as it began; the state's <c>why</c> is evaluated at the date asked (<see cref="StateAt"/>).</summary>
    public StageReason Why { get; set; } = new("", "", []);
    public List<StageTransition> History { get; set; } = [];
    public int EventCount { get; set; }
    /// <summary>How far the record reaches: the opening's coverage, then the latest <see cref="RecordReviewed"/> in domain order (<see cref="CoverageKey"/>).</summary>
    public DateOnly? CoveredUntil { get; set; }
    public string? CoverageKey { get; set; }
    // The last event's date as written and its sort key are strings for readers; they are formatted when read, not per event.
    NegotiationEvent? _last;
    string? _lastEventOn, _lastSortKey;
    public string? LastEventOn { get => _lastEventOn ??= _last?.OccurredOn.ToString(); set { _lastEventOn = value; _last = null; } }
    public string? LastSortKey { get => _lastSortKey ??= _last is null ? null : DomainOrder.SortKey(_last); set { _lastSortKey = value; _last = null; } }

    // Facts behind the stage rules
    public Dated? LastTalks { get; set; }
    public Dictionary<string, Dated> LastGesture { get; set; } = new();
    public Dated? LastHostile { get; set; }
    public RelationsEntry Relations { get; set; } = new(RelationsStatus.None, null, null);
    public List<RecognitionEntry> Recognition { get; set; } = [];
    public List<OfficeEntry> Offices { get; set; } = [];
    /// <summary>The recorded level of representation per direction (sender's mission in the host's capital); a direction never recorded is absent.</summary>
    public List<RepresentationEntry> Representation { get; set; } = [];
    public List<RepresentationChange> RepresentationChanges { get; set; } = [];

    // Ledger
    public Dictionary<string, DemandEntry> Demands { get; set; } = new();
    public List<RequestEntry> Requests { get; set; } = [];
    /// <summary>The most recent gestures and releases per party (at most <see cref="RecentPerParty"/> each), so checkpoints stay small; totals are counted.</summary>
    /// <remarks>A trimmed copy while entries past a party's limit wait to be dropped (see <see cref="TrimAfter"/>); reading it never changes the accumulator.</remarks>
    public List<GestureEntry> Gestures { get => _gesturesOver == 0 ? _gestures : MostRecent(_gestures, g => g.Party); set { _gestures = value; _gesturesOver = 0; } }
    /// <remarks>As <see cref="Gestures"/>.</remarks>
    public List<PrisonerEntry> PrisonersReleased { get => _releasedOver == 0 ? _released : MostRecent(_released, p => p.ReleasedBy); set { _released = value; _releasedOver = 0; } }
    public Dictionary<string, int> GestureCounts { get; set; } = new();
    public Dictionary<string, int> PrisonerCounts { get; set; } = new();
    public const int RecentPerParty = 100;
    public List<SanctionEntry> Sanctions { get; set; } = [];
    public List<DesignationEntry> Designations { get; set; } = [];
    public List<RewardEntry> Rewards { get; set; } = [];
    public List<AgreementEntry> Agreements { get; set; } = [];
    public Dictionary<string, CommitmentEntry> Commitments { get; set; } = new();
    /// <summary>
    /// Commitments closed before any AgreementSigned naming them was folded (a closing inside its agreement's coarser period,
    /// or an agreement retracted from under it): kept so the agreement, when it comes, finds their status, but not listed.
    /// </summary>
    public List<string> CommitmentsBeforeAgreement { get; set; } = [];
    public List<ThirdPartyRecognitionEntry> ThirdPartyRecognitions { get; set; } = [];
    public Dictionary<string, decimal> FrozenAssetsUsd { get; set; } = new();
    /// <summary>Sum of momentum weights per day over the last two windows (one entry per day: bounded by the window, not by how many events a day holds).</summary>
    /// <remarks>A copy while entries that left the window wait to be dropped (see <see cref="CompactAfter"/>); reading it never changes the accumulator.</remarks>
    public List<DailyWeight> Daily { get => _dailyFrom == 0 ? _daily : _daily.GetRange(_dailyFrom, _daily.Count - _dailyFrom); set { _daily = value; _dailyFrom = 0; } }
    /// <summary>The most recent contributing events (at most <see cref="MomentumListed"/>), listed as the score's explanation.</summary>
    /// <remarks>As <see cref="Daily"/>: a copy while dropped entries wait.</remarks>
    public List<MomentumPoint> Recent { get => _recentFrom == 0 ? _recent : _recent.GetRange(_recentFrom, _recent.Count - _recentFrom); set { _recent = value; _recentFrom = 0; } }

    // The momentum lists drop entries from the front on almost every event; dropping one at a time moved the whole list
    // each time (a quarter of the fold's time). The entries before _dailyFrom / _recentFrom are dropped logically and
    // removed together once there are CompactAfter of them; the properties show only the entries in force.
    // Dropping a party's oldest gesture or release on each new one moved the whole list each time (a fifth of the fold's
    // time): entries past a party's RecentPerParty are counted in _gesturesOver / _releasedOver and dropped together once
    // there are TrimAfter of them; the properties show only the entries kept.
    List<GestureEntry> _gestures = [];
    List<PrisonerEntry> _released = [];
    int _gesturesOver, _releasedOver;
    const int TrimAfter = 64;
    // The day of the event being applied (e.Date computes it from the period each time it is read).
    DateOnly _on;

    List<DailyWeight> _daily = [];
    List<MomentumPoint> _recent = [];
    int _dailyFrom, _recentFrom;
    const int CompactAfter = 64;
    public const int MomentumListed = 50;

    /// <summary>Resolved demands, granted requests, closed commitments, agreements and third-party recognitions are listed up to this many (the most recent); <see cref="Totals"/> counts them all.</summary>
    public const int ClosedListed = 100;
    public LedgerTotals Totals { get; set; } = new();
    /// <summary>Ids of resolved demands and closed commitments, oldest closure first (to drop the oldest past <see cref="ClosedListed"/>).</summary>
    public List<string> ClosedDemandIds { get; set; } = [];
    public List<string> ClosedCommitmentIds { get; set; } = [];
    /// <summary>
    /// Demand ids named by a DemandMade, DemandMet, DemandRefused or DemandWithdrawn the fold skipped below
    /// <see cref="FoldOptions.MinConfidence"/>, each once, in the order first skipped. The ledger does not show them, yet they are
    /// in the record: a write naming one is judged on the whole record, where every event counts whatever its confidence
    /// (Normalization.Api's LedgerReferences). Grows only with below-threshold ledger events.
    /// </summary>
    public List<string> UnfoldedDemandIds { get; set; } = [];
    /// <summary>As <see cref="UnfoldedDemandIds"/>, for the commitment ids of a skipped AgreementSigned, CommitmentFulfilled or CommitmentBreached.</summary>
    public List<string> UnfoldedCommitmentIds { get; set; } = [];

    public static FoldAccumulator Start(NegotiationOpened negotiation, FoldOptions? options = null)
    {
        var b = negotiation.Baseline ?? new Baseline();
        var acc = new FoldAccumulator
        {
            Format = CurrentFormat,
            Negotiation = negotiation,
            Options = options ?? FoldOptions.Default,
            CoveredUntil = negotiation.CoveredUntil,
            Relations = new RelationsEntry(b.Relations, null, null),
            Recognition = (b.Recognition ?? []).Select(r => new RecognitionEntry(r.By, r.Of, r.Form, null, null)).ToList(),
            Offices = (b.Offices ?? []).Select(o => new OfficeEntry(o.Sender, o.Host, o.OfficeKind, o.City, null, null)).ToList(),
            Sanctions = (b.Sanctions ?? []).Select(s => new SanctionEntry(null, s, null, null)).ToList(), // the baseline names no imposer: null, as every property without a value
            Designations = (b.Designations ?? []).Select(d => new DesignationEntry(d.By, d.Designee, d.List, null, null)).ToList(),
        };
        var (stage, why) = acc.Evaluate(DateOnly.MinValue);
        acc.Stage = stage;
        acc.Why = why;
        acc.History.Add(new StageTransition(null, null, stage, why.Rule, why.Description, why.EventIds));
        return acc;
    }

    /// <summary>Applies the next event in domain order. Events below the confidence threshold are skipped.</summary>
    public void Apply(NegotiationEvent e)
    {
        if (e is EventRetracted or EventCorrected) return; // resolved beforehand by EffectiveHistory
        if (e is RecordReviewed review) { Reviewed(review); return; } // record keeping: no stage, ledger, momentum or count
        var date = _on = e.Date;
        if (PendingDate is { } p && date < p)
            throw new InvalidOperationException($"Events must be applied in domain order: {e.OccurredOn} after {p:yyyy-MM-dd}.");
        if (e.Confidence < Options.MinConfidence) { Unfolded(e); return; }
        if (PendingDate is { } pending && date > pending)
            Commit(Transitions(date.AddDays(-1)));
        PendingDate = date;
        EventCount++;
        _last = e;
        _lastEventOn = _lastSortKey = null;
        ApplyFacts(e);
        ApplyMomentum(e);
    }

    // A ledger event below the threshold: its ids are noted (UnfoldedDemandIds), nothing else of it is folded.
    void Unfolded(NegotiationEvent e)
    {
        static void Note(List<string> ids, string id) { if (!ids.Contains(id)) ids.Add(id); }
        switch (e)
        {
            case DemandMade d: Note(UnfoldedDemandIds, d.DemandId); break;
            case DemandMet m: Note(UnfoldedDemandIds, m.DemandId); break;
            case DemandRefused r: Note(UnfoldedDemandIds, r.DemandId); break;
            case DemandWithdrawn w: Note(UnfoldedDemandIds, w.DemandId); break;
            case AgreementSigned a: foreach (var c in a.Commitments) Note(UnfoldedCommitmentIds, c.CommitmentId); break;
            case CommitmentFulfilled f: Note(UnfoldedCommitmentIds, f.CommitmentId); break;
            case CommitmentBreached b: Note(UnfoldedCommitmentIds, b.CommitmentId); break;
        }
    }

    /// <summary>
    /// Takes a review's coverage unless a review later in domain order is already in: how far the record reaches holds at
    /// every date, so a fold that stops before the latest review is given it first (<see cref="NegotiationFold.StateAsOf"/>).
    /// </summary>
    public void Reviewed(RecordReviewed review) => Covered(DomainOrder.SortKey(review), review.CoveredUntil.End);

    /// <summary>
    /// Takes the coverage of the review at sort key <paramref name="key"/> unless a review later in domain order is already in
    /// (<see cref="Reviewed"/>'s rule): for a fold given the coverage another fold of the same record found — a branch that
    /// starts from a checkpoint before the record's latest review (<see cref="Normalization.Domain.WhatIf.Branch.FromCheckpoint"/>). A null key
    /// (no review: the opening's coverage) changes nothing.
    /// </summary>
    public void Covered(string? key, DateOnly? coveredUntil)
    {
        if (key is null || CoverageKey is not null && string.CompareOrdinal(key, CoverageKey) < 0) return;
        CoverageKey = key;
        CoveredUntil = coveredUntil;
    }

    /// <summary>The state on <paramref name="asOf"/> from the events applied so far; does not change the accumulator.</summary>
    public NegotiationState StateAt(DateOnly asOf)
    {
        if (PendingDate is { } p && asOf < p)
            throw new ArgumentOutOfRangeException(nameof(asOf), $"The fold already holds events dated {p:yyyy-MM-dd}; fold only events up to {asOf:yyyy-MM-dd} to ask about it.");
        var tail = Transitions(asOf);
        List<StageTransition> history = tail.Count == 0 ? History : [.. History, .. tail];
        var last = history[^1];
        // The reason at asOf: the events that satisfy the rule that day — the latest talks and gestures, every office that
        // operates — not those of the day the stage began, which its transition keeps (docs/stage-model.md, "The rules, in
        // order"). The facts are those of asOf: every event up to it is applied and none after (asOf >= PendingDate).
        var (now, reason) = Evaluate(asOf);
        // They agree by construction (the transitions are the rules evaluated on each day of change); the transition's reason is
        // only a guard against answering a reason for another stage than the one shown.
        var why = now == last.To ? reason : new StageReason(last.Rule, last.Description, last.EventIds);
        return new NegotiationState
        {
            NegotiationId = Negotiation.Id,
            Title = Negotiation.Title,
            Parties = Negotiation.Parties,
            Mediators = Negotiation.Mediators,
            AsOf = asOf,
            Stage = last.To,
            StageSince = last.On,
            Why = why,
            StageHistory = history.ToList(),
            Representation = [LevelOf(Negotiation.PartyA, Negotiation.PartyB), LevelOf(Negotiation.PartyB, Negotiation.PartyA)],
            Ledger = LedgerAt(),
            Momentum = MomentumAt(asOf),
            EventCount = EventCount,
            LastEventOn = LastEventOn,
        }.WithCoverage(CoveredUntil);
    }

    /// <summary>
    /// The stage changes that window expiries will make after the last event if no new event comes (dates after
    /// <see cref="PendingDate"/>, at most one per window fact, the last within <see cref="FoldOptions.WindowDays"/> + 1 days);
    /// empty before the first event. What the board shows as upcoming and what alerts schedule (docs/alerts.md, "Decay").
    /// </summary>
    public List<StageTransition> Expiries() =>
        PendingDate is { } at ? Transitions(at.AddDays(Options.WindowDays + 1)).Where(t => t.On > at).ToList() : [];

    /// <summary>
    /// The stage history on <paramref name="asOf"/> (same transitions, same projected marks as <see cref="StateAt"/> of a
    /// fold of the events dated up to it), without building the rest of the state (ledger, momentum): for callers that
    /// only compare or show stages — the store's board row and the stage a write reports, the alerts' before/after
    /// comparison, the summary. Its last entry is the stage.
    /// </summary>
    /// <remarks>
    /// Unlike <see cref="StateAt"/> it also answers for a day before <see cref="PendingDate"/>: an event of the current
    /// month or year counts from its period's last day, after today (docs/stage-model.md, "Dates and precision"), and
    /// today's stage must still be read from the head. A transition on a day depends only on the events dated up to it,
    /// and the settled <see cref="History"/> runs through the day before the pending one, so its entries up to
    /// <paramref name="asOf"/> are exactly that fold's.
    /// </remarks>
    public IReadOnlyList<StageTransition> StageHistoryAt(DateOnly asOf)
    {
        if (PendingDate is { } p && asOf < p)
            return NegotiationState.MarkProjected(History.Where(t => t.On is null || t.On <= asOf), CoveredUntil);
        var tail = Transitions(asOf);
        return NegotiationState.MarkProjected(tail.Count == 0 ? History : [.. History, .. tail], CoveredUntil);
    }

    /// <summary>Whether the fold holds events dated after <paramref name="day"/>: then only <see cref="StageHistoryAt"/> answers for it, not <see cref="StateAt"/>.</summary>
    public bool HoldsEventsAfter(DateOnly day) => PendingDate > day;

    /// <summary>
    /// The stage changes after <paramref name="day"/> that come with no new event: settled transitions dated after it (an
    /// event of the current month or year counts from its period's end, docs/stage-model.md), the pending day's, then the
    /// window expiries (<see cref="Expiries"/>). <see cref="StageHistoryAt"/> of <paramref name="day"/> followed by these,
    /// cut at any later day, is <see cref="StageHistoryAt"/> of that day: what the board keeps as upcoming and alerts schedule.
    /// </summary>
    public List<StageTransition> Upcoming(DateOnly day)
    {
        if (PendingDate is not { } at) return [];
        var horizon = at.AddDays(Options.WindowDays + 1);
        if (day >= horizon) return [];
        return NegotiationState.MarkProjected(
            [.. History.Where(t => t.On > day), .. Transitions(horizon).Where(t => t.On > day)], CoveredUntil);
    }

    /// <summary>Transitions after the last settled day up to <paramref name="through"/>: the pending day, then window expiries.</summary>
    List<StageTransition> Transitions(DateOnly through)
    {
        // Runs once per day the fold settles: no allocation unless the stage changes (the days are on the stack).
        if (PendingDate is not { } pending || pending > through) return NoTransitions;
        Span<DateOnly> days = stackalloc DateOnly[3 + LastGesture.Count];
        var n = 0;
        days[n++] = pending;
        var w = Options.WindowDays;
        void Expiry(Dated? fact, Span<DateOnly> days)
        {
            if (fact is not { } f) return;
            var expiry = f.On.AddDays(w);
            if (expiry > pending && expiry <= through && !days[..n].Contains(expiry)) days[n++] = expiry;
        }
        Expiry(LastTalks, days);
        Expiry(LastHostile, days);
        foreach (var g in LastGesture.Values) Expiry(g, days);
        days = days[..n];
        if (n > 1) days.Sort();
        List<StageTransition>? result = null;
        var stage = Stage;
        foreach (var day in days)
        {
            if (Evaluate(day, withReason: false).Stage == stage) continue;
            var (s, why) = Evaluate(day);
            (result ??= []).Add(new StageTransition(day, stage, s, why.Rule, why.Description, why.EventIds));
            stage = s;
        }
        return result ?? NoTransitions;
    }

    /// <summary>Shared by every call that finds no change; callers read it, never add to it.</summary>
    static readonly List<StageTransition> NoTransitions = [];

    void Commit(List<StageTransition> transitions)
    {
        PendingDate = null;
        if (transitions.Count == 0) return;
        History.AddRange(transitions);
        var last = transitions[^1];
        Stage = last.To;
        StageSince = last.On;
        Why = new StageReason(last.Rule, last.Description, last.EventIds);
    }

    bool Within(Dated? fact, DateOnly day) => fact is { } f && f.On <= day && day < f.On.AddDays(Options.WindowDays);

    /// <summary>The stage rules, highest stage first (docs/stage-model.md). Pure over the facts and the day.</summary>
    public (Stage Stage, StageReason Why) Evaluate(DateOnly day) => Evaluate(day, withReason: true);

    static readonly StageReason Unexplained = new("", "", []);

    /// <summary>The rules; without <paramref name="withReason"/> only the stage is right (the fold asks for the reason only when the stage changes).</summary>
    (Stage Stage, StageReason Why) Evaluate(DateOnly day, bool withReason)
    {
        var a = Negotiation.PartyA;
        var b = Negotiation.PartyB;
        var w = Options.WindowDays;

        if (Relations.Status == RelationsStatus.Established && WithoutEnvoys(a, b) is { } withdrawn)
            return (Stage.Recognition, !withReason ? Unexplained : new("relations-without-envoys",
                "Diplomatic relations stand, but neither party has a mission or envoy in the other's capital (representation None both ways).", withdrawn));
        if (Relations.Status == RelationsStatus.Established)
            return (Stage.FullRelations, !withReason ? Unexplained : new("relations-established", "Diplomatic relations are established and not severed.", Ids(Relations.EventId)));
        var embassyAB = Embassy(a, b);
        var embassyBA = Embassy(b, a);
        if (embassyAB is not null && embassyBA is not null)
            return (Stage.FullRelations, !withReason ? Unexplained : new("embassies-both-ways", "Each party operates an embassy in the other's territory.", Ids(embassyAB.EventId, embassyBA.EventId)));

        var recAB = DeJure(a, b);
        var recBA = DeJure(b, a);
        if (recAB is not null && recBA is not null)
            return (Stage.Recognition, !withReason ? Unexplained : new("mutual-recognition", "Each party recognizes the other's government de jure, without full relations.", Ids(recAB.EventId, recBA.EventId)));

        if (AnyOfficeBetween(a, b))
        {
            if (!withReason) return (Stage.Representation, Unexplained);
            var offices = Offices.Where(o => (o.Sender == a && o.Host == b) || (o.Sender == b && o.Host == a)).ToList();
            return (Stage.Representation, new("office-operating", $"{offices.Count} official office(s) of one party operate in the other's territory.", Ids(offices.Select(o => o.EventId).ToArray())));
        }

        var talks = Within(LastTalks, day);
        if (talks)
        {
            Dated? ga = LastGesture.TryGetValue(a, out var fa) ? fa : null;
            Dated? gb = LastGesture.TryGetValue(b, out var fb) ? fb : null;
            if (Within(ga, day) && Within(gb, day))
                return (Stage.ConfidenceBuilding, !withReason ? Unexplained : new("talks-and-mutual-gestures",
                    $"Talks within {w} days and a cooperative gesture from each party within {w} days.", Ids(LastTalks!.Value.EventId, ga!.Value.EventId, gb!.Value.EventId)));
            return (Stage.Exploratory, !withReason ? Unexplained : new("talks-within-window", $"Talks between the parties within {w} days.", Ids(LastTalks!.Value.EventId)));
        }
        if (Within(LastHostile, day))
            return (Stage.Hostility, !withReason ? Unexplained : new("hostile-act-without-talks", $"A hostile act between the parties within {w} days and no talks.", Ids(LastHostile!.Value.EventId)));
        return (Stage.Estrangement, !withReason ? Unexplained : new("no-contact", $"No relations, recognition or office, and no talks or hostile acts within {w} days.", []));
    }

    // Loops, not lambdas: the rules run for every day the fold settles, and a lambda capturing the parties allocated a
    // closure on each run whichever rule applied.
    OfficeEntry? Embassy(string sender, string host)
    {
        foreach (var o in Offices) if (o.Sender == sender && o.Host == host && o.OfficeKind == OfficeKind.Embassy) return o;
        return null;
    }

    RecognitionEntry? DeJure(string by, string of)
    {
        foreach (var r in Recognition) if (r.By == by && r.Of == of && r.Form == RecognitionForm.DeJure) return r;
        return null;
    }

    bool AnyOfficeBetween(string a, string b)
    {
        foreach (var o in Offices) if ((o.Sender == a && o.Host == b) || (o.Sender == b && o.Host == a)) return true;
        return false;
    }

    /// <summary>
    /// The events that withdrew each side's representation when both are recorded as <see cref="RepresentationLevel.None"/>;
    /// null otherwise. An unrecorded level is not None: a history that never speaks of envoys keeps relations-established.
    /// </summary>
    IReadOnlyList<Guid>? WithoutEnvoys(string a, string b)
    {
        RepresentationEntry? ab = null, ba = null;
        foreach (var r in Representation)
        {
            if (r.Sender == a && r.Host == b) ab = r;
            else if (r.Sender == b && r.Host == a) ba = r;
        }
        return ab?.Level == RepresentationLevel.None && ba?.Level == RepresentationLevel.None ? Ids(ab.EventId, ba.EventId) : null;
    }

    RepresentationEntry LevelOf(string sender, string host) =>
        Representation.FirstOrDefault(r => r.Sender == sender && r.Host == host) ?? new RepresentationEntry(sender, host, null, null, null);

    /// <summary>Records <paramref name="sender"/>'s level in <paramref name="host"/>'s capital and lists the change in the ledger.</summary>
    void SetLevel(string sender, string host, RepresentationLevel level, NegotiationEvent e)
    {
        if (!IsPrincipal(sender) || !IsPrincipal(host) || sender == host) return;
        var i = Representation.FindIndex(r => r.Sender == sender && r.Host == host);
        var from = i < 0 ? null : Representation[i].Level;
        var entry = new RepresentationEntry(sender, host, level, _on, e.EventId);
        if (i < 0) Representation.Add(entry); else Representation[i] = entry;
        ListChange(new RepresentationChange(sender, host, from, level, _on, e.Type, e.EventId));
    }

    void ListChange(RepresentationChange change)
    {
        RepresentationChanges.Add(change);
        Totals = Totals with { RepresentationChanges = Totals.RepresentationChanges + 1 };
        if (RepresentationChanges.Count > ClosedListed) RepresentationChanges.RemoveAt(0);
    }

    static IReadOnlyList<Guid> Ids(params Guid?[] ids) => ids.Where(i => i is not null).Select(i => i!.Value).Distinct().ToList();

    bool IsPrincipal(string? code) => Negotiation.IsPrincipal(code);
    /// <summary>The one test of "between the two parties" (<see cref="NegotiationOpened.IsBetweenTheParties"/>): talks, gestures, the ledger's agreements and releases, and the momentum.</summary>
    bool Between(NegotiationEvent e) => Negotiation.IsBetweenTheParties(e);
    bool BetweenPrincipals(NegotiationEvent e) => IsPrincipal(e.Actor) && IsPrincipal(e.Target) && e.Actor != e.Target;

    void Gesture(string party, NegotiationEvent e)
    {
        if (!IsPrincipal(party)) return;
        LastGesture[party] = new Dated(_on, e.EventId);
        _gestures.Add(new GestureEntry(party, _on, e.Type, e.EventId));
        var count = GestureCounts[party] = GestureCounts.GetValueOrDefault(party) + 1;
        if (count > RecentPerParty && ++_gesturesOver >= TrimAfter) Gestures = MostRecent(_gestures, g => g.Party);
    }

    void Released(string party, string person, string? nationality, NegotiationEvent e)
    {
        _released.Add(new PrisonerEntry(party, person, nationality, _on, e.EventId));
        var count = PrisonerCounts[party] = PrisonerCounts.GetValueOrDefault(party) + 1;
        if (count > RecentPerParty && ++_releasedOver >= TrimAfter) PrisonersReleased = MostRecent(_released, p => p.ReleasedBy);
    }

    /// <summary>
    /// The entries of <paramref name="list"/> (oldest first) without each party's oldest past <see cref="RecentPerParty"/>:
    /// the most recent <see cref="RecentPerParty"/> per party, in their order. Only <see cref="Gesture"/> and
    /// <see cref="Released"/> add entries, so a party's entries past its limit are exactly the ones counted as over.
    /// </summary>
    static List<T> MostRecent<T>(List<T> list, Func<T, string> party)
    {
        // Only principals add entries: a handful of distinct parties, counted in a small list (no hashing).
        var parties = new List<string>(2);
        var kept = new List<int>(2);
        var keep = new bool[list.Count];
        var n = 0;
        for (var i = list.Count - 1; i >= 0; i--)
        {
            var p = party(list[i]);
            var at = parties.IndexOf(p);
            if (at < 0) { parties.Add(p); kept.Add(0); at = parties.Count - 1; }
            if (kept[at]++ < RecentPerParty) { keep[i] = true; n++; }
        }
        var result = new List<T>(n + TrimAfter);
        for (var i = 0; i < list.Count; i++) if (keep[i]) result.Add(list[i]);
        return result;
    }

    void ApplyFacts(NegotiationEvent e)
    {
        var on = _on;
        switch (e)
        {
            case TalksHeld:
                if (Between(e)) LastTalks = new Dated(on, e.EventId);
                break;
            case RecognitionRequested r:
                Requests.Add(new RequestEntry(RequestKind.Recognition, r.Actor, r.Target ?? "", r.Form.ToString(), on, RequestStatus.Pending, null, [e.EventId]));
                break;
            case OfficeRequested o:
                var detail = string.Join("; ", new[] { o.OfficeKind?.ToString(), o.Location }.Concat(o.Constraints).Where(s => !string.IsNullOrWhiteSpace(s)));
                Requests.Add(new RequestEntry(RequestKind.Office, o.Actor, o.Target ?? "", detail, on, RequestStatus.Pending, null, [e.EventId]));
                break;
            case DemandMade d:
                Demands[d.DemandId] = Demands.TryGetValue(d.DemandId, out var existing)
                    ? existing with { By = d.Actor, Of = d.Target, Subject = d.Subject, Category = d.Category, MadeOn = on, EventIds = [e.EventId, .. existing.EventIds] }
                    : new DemandEntry(d.DemandId, d.Actor, d.Target, d.Subject, d.Category, DemandStatus.Open, on, null, [e.EventId]);
                break;
            case DemandMet m:
                Resolve(m.DemandId, DemandStatus.Met, e);
                if (Between(e)) Gesture(e.Actor, e);
                break;
            case DemandRefused r:
                Resolve(r.DemandId, DemandStatus.Refused, e);
                break;
            case DemandWithdrawn w:
                Resolve(w.DemandId, DemandStatus.Withdrawn, e);
                break;
            case PrisonerReleased p:
                if (IsPrincipal(p.Actor)) Released(p.Actor, p.Person, p.Nationality, e);
                if (Between(e)) Gesture(e.Actor, e);
                break;
            case PrisonersExchanged x:
                // A swap of one party with a third country is not the negotiation's: no gesture, no release listed.
                if (!Between(e)) break;
                foreach (var r in x.Releases)
                    if (IsPrincipal(r.ReleasedBy)) Released(r.ReleasedBy, r.Person, r.Nationality, e);
                foreach (var party in x.Releases.Select(r => r.ReleasedBy).Distinct()) Gesture(party, e);
                break;
            case RewardRescinded rr:
                RescindRewards(rr);
                if (Between(e)) Gesture(e.Actor, e);
                break;
            case SanctionsEased s:
                EaseSanctions(s);
                if (Between(e)) Gesture(e.Actor, e);
                break;
            case AssetsUnfrozen u:
                if (u.AmountUsd is { } amount && FrozenAssetsUsd.TryGetValue(u.Actor, out var frozen))
                    FrozenAssetsUsd[u.Actor] = Math.Max(0, frozen - amount);
                if (Between(e)) Gesture(e.Actor, e);
                break;
            case DesignationRemoved dr:
                RemoveDesignation(dr);
                if (Between(e)) Gesture(e.Actor, e);
                break;
            case AidProvided or CommitmentFulfilled:
                if (e is CommitmentFulfilled cf) SetCommitment(cf.CommitmentId, CommitmentStatus.Fulfilled, e);
                if (Between(e)) Gesture(e.Actor, e);
                break;
            case AgreementSigned ag:
                // An agreement of one party with a third country is not the negotiation's: not listed, counted or a gesture,
                // and its commitments are not the ledger's (a closing of one is held back as one without its agreement).
                if (!Between(e)) break;
                Agreements.Add(new AgreementEntry(ag.Name, on, ag.Signatories, e.EventId, ag.Commitments.Select(c => c.CommitmentId).ToList()));
                Totals = Totals with { Agreements = Totals.Agreements + 1 };
                if (Agreements.Count > ClosedListed) Agreements.RemoveAt(0);
                foreach (var c in ag.Commitments)
                {
                    CommitmentsBeforeAgreement.Remove(c.CommitmentId);
                    // A closing folded before its agreement (coarser date) keeps its status.
                    Commitments[c.CommitmentId] = Commitments.TryGetValue(c.CommitmentId, out var closed)
                        ? closed with { Party = c.Party, Text = c.Text, EventIds = [e.EventId, .. closed.EventIds] }
                        : new CommitmentEntry(c.CommitmentId, c.Party, c.Text, CommitmentStatus.Pending, [e.EventId]);
                }
                foreach (var s in ag.Signatories.Distinct()) Gesture(s, e);
                break;
            case OfficeOpened oo:
                OpenOffice(oo);
                // An embassy (re)opened where the record says no one represents the sender: a resident mission is headed by a chargé d'affaires at least.
                if (oo.OfficeKind == OfficeKind.Embassy && LevelOf(oo.Actor, oo.Target!).Level == RepresentationLevel.None)
                    SetLevel(oo.Actor, oo.Target!, RepresentationLevel.ChargeDAffaires, e);
                GrantRequests(RequestKind.Office, oo.Actor, oo.Target!, e);
                break;
            case OfficeClosed oc:
                CloseOffice(oc);
                break;
            case RecognitionGranted rg:
                WithdrawRecognition(rg.Actor, rg.Target);
                Recognition.Add(new RecognitionEntry(rg.Actor, rg.Target!, rg.Form, on, e.EventId));
                GrantRequests(RequestKind.Recognition, rg.Target!, rg.Actor, e);
                break;
            case RecognitionWithdrawn rw:
                WithdrawRecognition(rw.Actor, rw.Target);
                break;
            case RelationsEstablished:
                Relations = new RelationsEntry(RelationsStatus.Established, on, e.EventId);
                break;
            case RelationsSevered:
                Relations = new RelationsEntry(RelationsStatus.Severed, on, e.EventId);
                // A break ends all representation (Vienna Convention, art. 45): relations restored later stand without envoys until some return.
                SetLevel(e.Actor, e.Target!, RepresentationLevel.None, e);
                SetLevel(e.Target!, e.Actor, RepresentationLevel.None, e);
                break;
            case AmbassadorRecalled ar:
                SetLevel(ar.Actor, ar.Target!, ar.LevelLeft, e);
                break;
            case AmbassadorReturned:
                SetLevel(e.Actor, e.Target!, RepresentationLevel.Ambassador, e);
                break;
            case DiplomatsExpelled de:
                if (de.LevelLeft is { } left) SetLevel(de.Target!, de.Actor, left, e);
                else if (BetweenPrincipals(e))
                {
                    // Some diplomats go, the mission stays at its level: listed, not a change of level.
                    var kept = LevelOf(de.Target!, de.Actor).Level;
                    ListChange(new RepresentationChange(de.Target!, de.Actor, kept, kept, on, e.Type, e.EventId));
                }
                break;
            case RelationsDowngraded or RelationsUpgraded:
                var level = e is RelationsDowngraded down ? down.Level : ((RelationsUpgraded)e).Level;
                SetLevel(e.Actor, e.Target!, level, e);
                SetLevel(e.Target!, e.Actor, level, e);
                break;
            case PersonDetained:
                if (BetweenPrincipals(e)) LastHostile = new Dated(on, e.EventId);
                break;
            case MilitaryStrike or AttackOccurred:
                if (BetweenPrincipals(e)) LastHostile = new Dated(on, e.EventId);
                break;
            case RewardOffered ro:
                OfferRewards(ro);
                break;
            case SanctionsImposed si:
                // Sanctions of a scope already in force stay in force since their first imposition.
                ImposeSanctions(si);
                break;
            case AssetsFrozen af:
                FrozenAssetsUsd[af.Actor] = SaturatingAdd(FrozenAssetsUsd.GetValueOrDefault(af.Actor), af.AmountUsd ?? 0);
                break;
            case DesignationAdded da:
                AddDesignation(da);
                break;
            case CommitmentBreached cb:
                SetCommitment(cb.CommitmentId, CommitmentStatus.Breached, e);
                break;
            case ThirdPartyRecognition tp:
                ThirdPartyRecognitions.Add(new ThirdPartyRecognitionEntry(tp.Actor, tp.Target ?? "", tp.Form, on, e.EventId));
                Totals = Totals with { ThirdPartyRecognitions = Totals.ThirdPartyRecognitions + 1 };
                if (ThirdPartyRecognitions.Count > ClosedListed) ThirdPartyRecognitions.RemoveAt(0);
                break;
        }
    }

    // The ledger's list edits, each in its own method: a lambda capturing a case's pattern variable made the compiler
    // allocate one closure for the whole switch on every event (a fifth of what the fold allocated).

    void RescindRewards(RewardRescinded rr) =>
        Rewards.RemoveAll(r => r.By == rr.Actor && rr.Targets.Contains(r.Person, StringComparer.OrdinalIgnoreCase));

    void EaseSanctions(SanctionsEased s) =>
        Sanctions.RemoveAll(x => string.Equals(x.Scope, s.Scope, StringComparison.OrdinalIgnoreCase) && (x.By == s.Actor || string.IsNullOrEmpty(x.By))); // "": a baseline sanction in a checkpoint written before By was null

    void RemoveDesignation(DesignationRemoved dr) =>
        Designations.RemoveAll(x => string.Equals(x.Designee, dr.Designee, StringComparison.OrdinalIgnoreCase) && x.List == dr.List);

    void WithdrawRecognition(string by, string? of) => Recognition.RemoveAll(r => r.By == by && r.Of == of);

    void OpenOffice(OfficeOpened oo)
    {
        // Opening an office that already operates changes nothing (the ledger keeps when it first opened).
        if (!Offices.Any(o => o.Sender == oo.Actor && o.Host == oo.Target && o.OfficeKind == oo.OfficeKind && string.Equals(o.City, oo.City, StringComparison.OrdinalIgnoreCase)))
            Offices.Add(new OfficeEntry(oo.Actor, oo.Target!, oo.OfficeKind, oo.City, _on, oo.EventId));
    }

    void CloseOffice(OfficeClosed oc)
    {
        var match = Offices.FirstOrDefault(o => o.Sender == oc.Actor && o.Host == oc.Target && o.OfficeKind == oc.OfficeKind
            && (oc.City is null || string.Equals(o.City, oc.City, StringComparison.OrdinalIgnoreCase)));
        if (match is not null) Offices.Remove(match);
    }

    void OfferRewards(RewardOffered ro)
    {
        foreach (var person in ro.Targets)
        {
            // A new offer for the same person replaces the standing one.
            Rewards.RemoveAll(r => r.By == ro.Actor && string.Equals(r.Person, person, StringComparison.OrdinalIgnoreCase));
            Rewards.Add(new RewardEntry(ro.Actor, person, ro.Targets.Count == 1 ? ro.AmountUsd : null, _on, ro.EventId));
        }
    }

    void ImposeSanctions(SanctionsImposed si)
    {
        // Sanctions of a scope already in force stay in force since their first imposition.
        if (!Sanctions.Any(x => x.By == si.Actor && string.Equals(x.Scope, si.Scope, StringComparison.OrdinalIgnoreCase)))
            Sanctions.Add(new SanctionEntry(si.Actor, si.Scope, _on, si.EventId));
    }

    void AddDesignation(DesignationAdded da)
    {
        if (!Designations.Any(x => x.By == da.Actor && x.List == da.List && string.Equals(x.Designee, da.Designee, StringComparison.OrdinalIgnoreCase)))
            Designations.Add(new DesignationEntry(da.Actor, da.Designee, da.List, _on, da.EventId));
    }

    void Resolve(string demandId, DemandStatus status, NegotiationEvent e)
    {
        var known = Demands.TryGetValue(demandId, out var d);
        var reclosed = known && d!.Status != DemandStatus.Open;
        if (!reclosed) Totals = Totals with { DemandsResolved = Totals.DemandsResolved + 1 };
        Demands[demandId] = known
            ? d! with { Status = status, ResolvedOn = _on, EventIds = [.. d.EventIds, e.EventId] }
            : new DemandEntry(demandId, "", null, "", DemandCategory.Other, status, null, _on, [e.EventId]);
        Closed(ClosedDemandIds, demandId, reclosed, Demands, static d => d.MadeOn is not null);
    }

    void SetCommitment(string id, CommitmentStatus status, NegotiationEvent e)
    {
        var known = Commitments.TryGetValue(id, out var c);
        var reclosed = known && c!.Status != CommitmentStatus.Pending;
        if (!reclosed) Totals = Totals with { CommitmentsClosed = Totals.CommitmentsClosed + 1 };
        Commitments[id] = known
            ? c! with { Status = status, EventIds = [.. c.EventIds, e.EventId] }
            : new CommitmentEntry(id, e.Actor, "", status, [e.EventId]);
        if (!known) CommitmentsBeforeAgreement.Add(id);
        // Closed twice before its agreement is still without one: whether the agreement was folded is the list's to say, not the entry's.
        var awaiting = CommitmentsBeforeAgreement;
        Closed(ClosedCommitmentIds, id, reclosed, Commitments, c => !awaiting.Contains(c.CommitmentId));
    }

    /// <summary>
    /// Moves a closed entry to the end of the closure order and drops the oldest closed entry past <see cref="ClosedListed"/>.
    /// Only an entry whose opening (the demand, the agreement) is folded too may go: a closing folded before its opening
    /// (a demand known only by year, resolved within it) must still be there when the opening arrives, or it would reopen.
    /// An id is in <paramref name="order"/> exactly while its entry is closed, so only a <paramref name="reclosed"/> one is
    /// looked for (the scan of the whole order on every closing was a tenth of the fold's time).
    /// </summary>
    static void Closed<T>(List<string> order, string id, bool reclosed, Dictionary<string, T> entries, Func<T, bool> complete)
    {
        if (reclosed) order.Remove(id);
        order.Add(id);
        var excess = order.Count - ClosedListed;
        for (var i = 0; i < order.Count && excess > 0; i++)
        {
            if (entries.TryGetValue(order[i], out var entry) && !complete(entry)) continue;
            entries.Remove(order[i]);
            order.RemoveAt(i--);
            excess--;
        }
    }

    void GrantRequests(RequestKind kind, string requester, string grantor, NegotiationEvent e)
    {
        var granted = 0;
        for (var i = 0; i < Requests.Count; i++)
        {
            var r = Requests[i];
            if (r.Kind == kind && r.By == requester && r.Of == grantor && r.Status == RequestStatus.Pending)
            {
                Requests[i] = r with { Status = RequestStatus.Granted, GrantedOn = _on, EventIds = [.. r.EventIds, e.EventId] };
                granted++;
            }
        }
        if (granted == 0) return;
        Totals = Totals with { RequestsGranted = Totals.RequestsGranted + granted };
        var listed = Requests.Count(r => r.Status == RequestStatus.Granted);
        for (var i = 0; i < Requests.Count && listed > ClosedListed; i++)
            if (Requests[i].Status == RequestStatus.Granted) { Requests.RemoveAt(i--); listed--; }
    }

    /// <summary>Whether <paramref name="e"/> counts toward the momentum: when it is between the two parties, the test the stage rules and the ledger use.</summary>
    bool CountsForMomentum(NegotiationEvent e) => Between(e);

    /// <summary>
    /// The weight <paramref name="e"/> adds to its day's momentum when this accumulator applies it (0: none — not counted,
    /// below <see cref="FoldOptions.MinConfidence"/>, a record review, a retraction or a correction itself). The same rule
    /// <see cref="Apply"/> follows; the store keeps it per event in its index so a summary needs no fold of the whole record.
    /// </summary>
    public double MomentumWeightOf(NegotiationEvent e) =>
        e is EventRetracted or EventCorrected or RecordReviewed || e.Confidence < Options.MinConfidence || !CountsForMomentum(e) ? 0 : EventCatalog.GoldsteinOf(e);

    void ApplyMomentum(NegotiationEvent e)
    {
        var counts = CountsForMomentum(e);
        var on = _on;
        var horizon = on.AddDays(-2 * Options.MomentumDays);
        // Both lists are in date order (events arrive in domain order): drop from the front.
        while (_dailyFrom < _daily.Count && _daily[_dailyFrom].On <= horizon) _dailyFrom++;
        while (_recentFrom < _recent.Count && _recent[_recentFrom].On <= horizon) _recentFrom++;
        if (counts && EventCatalog.GoldsteinOf(e) is var weight && weight != 0)
        {
            if (_daily.Count > _dailyFrom && _daily[^1].On == on) _daily[^1] = _daily[^1] with { Weight = _daily[^1].Weight + weight };
            else _daily.Add(new DailyWeight(on, weight));
            _recent.Add(new MomentumPoint(on, weight, e.EventId, e.Type));
            if (_recent.Count - _recentFrom > MomentumListed) _recentFrom++;
        }
        if (_dailyFrom >= CompactAfter) { _daily.RemoveRange(0, _dailyFrom); _dailyFrom = 0; }
        if (_recentFrom >= CompactAfter) { _recent.RemoveRange(0, _recentFrom); _recentFrom = 0; }
    }

    /// <summary>The momentum on <paramref name="day"/> (on or after the last event applied): the one momentum rule, also sampled per period by <see cref="Summaries.RecordSummaries"/>.</summary>
    public MomentumView MomentumAt(DateOnly day)
    {
        var m = Options.MomentumDays;
        var current = Recent.Where(p => p.On <= day && p.On > day.AddDays(-m)).ToList();
        var score = MomentumScore(Daily, day, m);
        var prev = Math.Round(Daily.Where(p => p.On <= day.AddDays(-m) && p.On > day.AddDays(-2 * m)).Sum(p => p.Weight), 1);
        var trend = score - prev > Options.TrendThreshold ? MomentumTrend.Improving
            : prev - score > Options.TrendThreshold ? MomentumTrend.Deteriorating : MomentumTrend.Stable;
        return new MomentumView(score, prev, trend, m, current);
    }

    /// <summary>
    /// The momentum score on <paramref name="day"/>: the sum of the daily weights (in date order) of the <paramref name="windowDays"/>
    /// days ending on it, rounded to one decimal. <see cref="MomentumAt"/> and the record summary both call it.
    /// </summary>
    public static double MomentumScore(IEnumerable<DailyWeight> daily, DateOnly day, int windowDays) =>
        Math.Round(daily.Where(p => p.On <= day && p.On > day.AddDays(-windowDays)).Sum(p => p.Weight), 1);

    /// <summary>
    /// The ledger as read: an entry whose opening is not folded yet is held back — a demand without its DemandMade (no
    /// <c>madeOn</c>), a commitment without its AgreementSigned (<see cref="CommitmentsBeforeAgreement"/>) — and not counted in
    /// the totals. A closing dated inside its opening's coarser period is folded first (the opening counts on its period's
    /// last day): the entry appears, already closed, when the opening counts (docs/stage-model.md, "Closings inside an
    /// opening's period"). Held entries are never dropped from the accumulator (<see cref="Closed{T}"/>), so all are subtracted.
    /// </summary>
    LedgerView LedgerAt()
    {
        var demands = Demands.Values.Where(d => d.MadeOn is not null).OrderBy(d => d.MadeOn).ThenBy(d => d.DemandId, StringComparer.Ordinal).ToList();
        var commitments = CommitmentsBeforeAgreement.Count == 0 ? Commitments.Values : Commitments.Values.Where(c => !CommitmentsBeforeAgreement.Contains(c.CommitmentId));
        return ViewOf(demands, commitments.OrderBy(c => c.CommitmentId, StringComparer.Ordinal).ToList(),
            Totals with
            {
                DemandsResolved = Totals.DemandsResolved - (Demands.Count - demands.Count),
                CommitmentsClosed = Totals.CommitmentsClosed - CommitmentsBeforeAgreement.Count(Commitments.ContainsKey),
            });
    }

    LedgerView ViewOf(List<DemandEntry> demands, List<CommitmentEntry> commitments, LedgerTotals totals) => new()
    {
        Demands = demands,
        Requests = Requests.ToList(),
        GesturesByParty = Negotiation.Parties.ToDictionary(p => p.Code, p => (IReadOnlyList<GestureEntry>)Gestures.Where(g => g.Party == p.Code).ToList()),
        PrisonersReleasedByParty = Negotiation.Parties.ToDictionary(p => p.Code, p => (IReadOnlyList<PrisonerEntry>)PrisonersReleased.Where(g => g.ReleasedBy == p.Code).ToList()),
        GestureCountByParty = Negotiation.Parties.ToDictionary(p => p.Code, p => GestureCounts.GetValueOrDefault(p.Code)),
        PrisonersReleasedCountByParty = Negotiation.Parties.ToDictionary(p => p.Code, p => PrisonerCounts.GetValueOrDefault(p.Code)),
        Sanctions = Sanctions.ToList(),
        Designations = Designations.ToList(),
        Rewards = Rewards.ToList(),
        Offices = Offices.ToList(),
        Recognition = Recognition.ToList(),
        Relations = Relations,
        RepresentationChanges = RepresentationChanges.ToList(),
        Agreements = Agreements.ToList(),
        Commitments = commitments,
        ThirdPartyRecognitions = ThirdPartyRecognitions.ToList(),
        FrozenAssetsUsdByParty = new Dictionary<string, decimal>(FrozenAssetsUsd),
        Totals = totals,
    };

    /// <summary>
    /// The one sum of client numbers the fold makes (a party's frozen assets). Accepted amounts are at most
    /// <see cref="EventCatalog.MaxAmount"/> (10^15) each, so it cannot overflow below 7.9 × 10^13 events; a record
    /// stored before that bound existed saturates at <see cref="decimal.MaxValue"/> instead of failing every read.
    /// </summary>
    static decimal SaturatingAdd(decimal a, decimal b)
    {
        try { return checked(a + b); }
        catch (OverflowException) { return decimal.MaxValue; }
    }
}
