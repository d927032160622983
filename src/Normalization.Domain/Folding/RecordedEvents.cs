using Normalization.Domain.Catalog;
using Normalization.Domain.Negotiations;

namespace Normalization.Domain.Folding;

/// <summary>
/// What the library's entry points (<see cref="NegotiationFold"/>, <see cref="WhatIf.WhatIf.From"/>) require of a history
/// built in code, said by name instead of failing deep in the fold: a negotiation of exactly two parties, and every recorded
/// event dated. An event without an id gets one (<see cref="NegotiationEvent.WithId"/>). A stored history always passes:
/// the API validates both when they are written.
/// </summary>
static class RecordedEvents
{
    /// <summary>
    /// <paramref name="e"/>, the <paramref name="index"/>-th event given, with an id; <see cref="ArgumentException"/> when it
    /// is null (naming <c>events[index]</c>, not a NullReferenceException from inside the fold), has no <c>OccurredOn</c>, or
    /// has a list the fold reads left null (<see cref="NullList"/>, naming it).
    /// </summary>
    public static NegotiationEvent Taken(NegotiationEvent? e, int index) =>
        e is null ? throw NullItem("events", index)
        : e.OccurredOn.Year < 1
            ? throw new ArgumentException($"Recorded event {(e.EventId == Guid.Empty ? "" : e.EventId + " ")}{e.Type} has no OccurredOn: every event needs a date, e.g. OccurredOn = DomainDate.Parse(\"1995-07\").")
        : (NullList(e) ?? (e is EventCorrected { Correction: { } c } && NullList(c) is { } inner ? "Correction." + inner : null)) is { } list
            ? throw new ArgumentException($"Recorded event {(e.EventId == Guid.Empty ? "" : e.EventId + " ")}{e.Type} has {list} = null: " +
                "give a list, [] when there is none (a stored event always has one), rather than a null the fold would trip on.")
            : e.WithId();

    /// <summary>
    /// The name of a list of <paramref name="e"/> left null in code (<c>Participants</c>), or null. A type
    /// switch, not reflection: every recorded event passes here, the server's too (docs/benchmarks.md). <c>Sources</c> is
    /// not among them: the fold never reads it, and a null one folds as none.
    /// </summary>
    static string? NullList(NegotiationEvent e) => e switch
    {
        TalksHeld { Participants: null } => "Participants",
        AgreementSigned { Signatories: null } => "Signatories",
        AgreementSigned { Commitments: null } => "Commitments",
        PrisonersExchanged { Releases: null } => "Releases",
        OfficeRequested { Constraints: null } => "Constraints",
        RewardRescinded { Targets: null } => "Targets",
        RewardOffered { Targets: null } => "Targets",
        AttackOccurred { VictimsNationalities: null } => "VictimsNationalities",
        _ => null,
    };

    /// <summary>
    /// <paramref name="events"/>, each with an id (<see cref="Taken"/>) and each id once: the same event listed twice is one
    /// event, as a retried post is stored once; two different events with one id are an <see cref="ArgumentException"/>
    /// naming the id (<see cref="Same"/>), as the store answers an eventId used again for another event with 409
    /// <c>eventid_reused</c> — never two events folded as one.
    /// </summary>
    public static List<NegotiationEvent> Unique(IEnumerable<NegotiationEvent> events)
    {
        var byId = new Dictionary<Guid, NegotiationEvent>();
        var list = new List<NegotiationEvent>();
        ArgumentNullException.ThrowIfNull(events);
        var index = 0;
        foreach (var given in events)
        {
            var e = Taken(given, index++);
            if (byId.TryAdd(e.EventId, e)) list.Add(e);
            else if (!Same(byId[e.EventId], e)) throw Reused(byId[e.EventId], e);
        }
        return list;
    }

    /// <summary>
    /// Whether two events of one id are the same event (a repeat, counted once) rather than two events given one id: the
    /// same content (<see cref="EventContent"/>, the store's idempotency rule). Compared only when an id repeats, so a
    /// history without repeats pays nothing.
    /// </summary>
    public static bool Same(NegotiationEvent a, NegotiationEvent b) => EventContent.Same(a, b);

    /// <summary>The <see cref="ArgumentException"/> of two different recorded events <paramref name="first"/> and <paramref name="second"/> given one id.</summary>
    public static ArgumentException Reused(NegotiationEvent first, NegotiationEvent second) =>
        new($"eventId {first.EventId} is used by two different recorded events ({first.Type} {first.OccurredOn} and {second.Type} {second.OccurredOn}): " +
            "each event needs its own id (leave EventId empty to have one drawn). The same event listed twice counts once.");

    /// <summary>
    /// <see cref="ArgumentException"/> unless <paramref name="negotiation"/> has exactly two parties (null <c>Parties</c>
    /// count as none); <see cref="ArgumentNullException"/> naming <paramref name="paramName"/> when it is null.
    /// </summary>
    public static NegotiationOpened TwoParties(NegotiationOpened? negotiation, string paramName = "negotiation")
    {
        ArgumentNullException.ThrowIfNull(negotiation, paramName);
        var count = negotiation.Parties?.Count ?? 0;
        return count == 2 ? negotiation
            : throw new ArgumentException($"Negotiation '{negotiation.Id}' has {count} parties: a negotiation has exactly two parties (Parties), mediators apart (Mediators).", paramName);
    }

    /// <summary>The <see cref="ArgumentException"/> of a null item of a list given to the library: <c>events[1] is null</c>, naming the parameter.</summary>
    public static ArgumentException NullItem(string paramName, int index) =>
        new($"{paramName}[{index}] is null: give each item, or leave it out.", paramName);
}
