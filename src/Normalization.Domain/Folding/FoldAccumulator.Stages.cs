using Normalization.Domain.Catalog;
using Normalization.Domain.Ledger;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Stages;

namespace Normalization.Domain.Folding;

// The stage rules: the transitions a day settles, their reasons and the window expiries ahead (docs/stage-model.md).
public sealed partial class FoldAccumulator
{
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
}
