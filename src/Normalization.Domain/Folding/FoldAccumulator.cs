using Normalization.Domain.Catalog;
using Normalization.Domain.Ledger;
using Normalization.Domain.Momentum;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Stages;

namespace Normalization.Domain.Folding;

/// <summary>A fact that keeps counting for a window: when it last happened and which event it was.</summary>
/// <remarks>A value, not an object: the fold sets one on every talks, gesture and hostile act.</remarks>
/// <param name="On">The day it happened.</param>
/// <param name="EventId">The event.</param>
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
    /// <summary>The format this accumulator was folded with (<see cref="CurrentFormat"/> when new).</summary>
    public int Format { get; set; }
    /// <summary>The negotiation folded.</summary>
    public NegotiationOpened Negotiation { get; set; } = new();
    /// <summary>The rule parameters folded with.</summary>
    public FoldOptions Options { get; set; } = FoldOptions.Default;

    /// <summary>Date of the last applied events; its stage is not settled until a later date is reached.</summary>
    public DateOnly? PendingDate { get; set; }
    /// <summary>The stage of the last settled day.</summary>
    public Stage Stage { get; set; }
    /// <summary>Since when; null while the baseline's stage holds.</summary>
    public DateOnly? StageSince { get; set; }
    /// <summary>The reason of the last settled transition, as it began; the state's <c>why</c> is evaluated at the date asked (<see cref="StateAt"/>).</summary>
    public StageReason Why { get; set; } = new("", "", []);
    /// <summary>The stage history up to the last settled day.</summary>
    public List<StageTransition> History { get; set; } = [];
    /// <summary>Catalog events folded.</summary>
    public int EventCount { get; set; }
    /// <summary>How far the record reaches: the opening's coverage, then the latest <see cref="RecordReviewed"/> in domain order (<see cref="CoverageKey"/>).</summary>
    public DateOnly? CoveredUntil { get; set; }
    /// <summary>The sort key of the review that set <see cref="CoveredUntil"/> (null: the opening's).</summary>
    public string? CoverageKey { get; set; }
    // The last event's date as written and its sort key are strings for readers; they are formatted when read, not per event.
    NegotiationEvent? _last;
    string? _lastEventOn, _lastSortKey;
    /// <summary>The last folded event's date, as written.</summary>
    public string? LastEventOn { get => _lastEventOn ??= _last?.OccurredOn.ToString(); set { _lastEventOn = value; _last = null; } }
    /// <summary>The last folded event's <see cref="DomainOrder.SortKey(NegotiationEvent)"/>.</summary>
    public string? LastSortKey { get => _lastSortKey ??= _last is null ? null : DomainOrder.SortKey(_last); set { _lastSortKey = value; _last = null; } }

    // Facts behind the stage rules
    /// <summary>The last talks between the parties.</summary>
    public Dated? LastTalks { get; set; }
    /// <summary>Each party's last cooperative gesture.</summary>
    public Dictionary<string, Dated> LastGesture { get; set; } = new();
    /// <summary>The last hostile act between the parties.</summary>
    public Dated? LastHostile { get; set; }
    /// <summary>The state of relations.</summary>
    public RelationsEntry Relations { get; set; } = new(RelationsStatus.None, null, null);
    /// <summary>Recognitions in force.</summary>
    public List<RecognitionEntry> Recognition { get; set; } = [];
    /// <summary>Offices operating.</summary>
    public List<OfficeEntry> Offices { get; set; } = [];
    /// <summary>The recorded level of representation per direction (sender's mission in the host's capital); a direction never recorded is absent.</summary>
    public List<RepresentationEntry> Representation { get; set; } = [];
    /// <summary>Changes of the level of representation (the most recent 100).</summary>
    public List<RepresentationChange> RepresentationChanges { get; set; } = [];

    // Ledger
    /// <summary>Demands by id.</summary>
    public Dictionary<string, DemandEntry> Demands { get; set; } = new();
    /// <summary>Requests.</summary>
    public List<RequestEntry> Requests { get; set; } = [];
    /// <summary>The most recent gestures and releases per party (at most <see cref="RecentPerParty"/> each), so checkpoints stay small; totals are counted.</summary>
    /// <remarks>A trimmed copy while entries past a party's limit wait to be dropped (see <see cref="TrimAfter"/>); reading it never changes the accumulator.</remarks>
    public List<GestureEntry> Gestures { get => _gesturesOver == 0 ? _gestures : MostRecent(_gestures, g => g.Party); set { _gestures = value; _gesturesOver = 0; } }
    /// <remarks>As <see cref="Gestures"/>.</remarks>
    public List<PrisonerEntry> PrisonersReleased { get => _releasedOver == 0 ? _released : MostRecent(_released, p => p.ReleasedBy); set { _released = value; _releasedOver = 0; } }
    /// <summary>All gestures per party.</summary>
    public Dictionary<string, int> GestureCounts { get; set; } = new();
    /// <summary>All releases per party.</summary>
    public Dictionary<string, int> PrisonerCounts { get; set; } = new();
    /// <summary>How many gestures and releases are kept per party.</summary>
    public const int RecentPerParty = 100;
    /// <summary>Sanctions in force.</summary>
    public List<SanctionEntry> Sanctions { get; set; } = [];
    /// <summary>Designations in force.</summary>
    public List<DesignationEntry> Designations { get; set; } = [];
    /// <summary>Standing rewards.</summary>
    public List<RewardEntry> Rewards { get; set; } = [];
    /// <summary>Agreements signed (the most recent 100).</summary>
    public List<AgreementEntry> Agreements { get; set; } = [];
    /// <summary>Commitments by id.</summary>
    public Dictionary<string, CommitmentEntry> Commitments { get; set; } = new();
    /// <summary>
    /// Commitments closed before any AgreementSigned naming them was folded (a closing inside its agreement's coarser period,
    /// or an agreement retracted from under it): kept so the agreement, when it comes, finds their status, but not listed.
    /// </summary>
    public List<string> CommitmentsBeforeAgreement { get; set; } = [];
    /// <summary>Third-party recognitions (the most recent 100).</summary>
    public List<ThirdPartyRecognitionEntry> ThirdPartyRecognitions { get; set; } = [];
    /// <summary>Assets frozen per party, in US dollars.</summary>
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
    /// <summary>How many contributions the momentum lists.</summary>
    public const int MomentumListed = 50;

    /// <summary>Resolved demands, granted requests, closed commitments, agreements and third-party recognitions are listed up to this many (the most recent); <see cref="Totals"/> counts them all.</summary>
    public const int ClosedListed = 100;
    /// <summary>Counts of everything ever closed.</summary>
    public LedgerTotals Totals { get; set; } = new();
    /// <summary>Ids of resolved demands and closed commitments, oldest closure first (to drop the oldest past <see cref="ClosedListed"/>).</summary>
    public List<string> ClosedDemandIds { get; set; } = [];
    /// <summary>As <see cref="ClosedDemandIds"/>, for commitments.</summary>
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

    /// <summary>A new fold of <paramref name="negotiation"/> from its baseline, before any event.</summary>
    public static FoldAccumulator Start(NegotiationOpened negotiation, FoldOptions? options = null)
    {
        RecordedEvents.TwoParties(negotiation);
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
            // Relations severed before the record record None both ways, as a RelationsSevered does (a break ends all
            // representation, Vienna Convention art. 45): the same break, in the baseline or as an event, reads the same.
            Representation = b.Relations == RelationsStatus.Severed
                ? [new(negotiation.PartyA, negotiation.PartyB, RepresentationLevel.None, null, null), new(negotiation.PartyB, negotiation.PartyA, RepresentationLevel.None, null, null)]
                : [],
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
}
