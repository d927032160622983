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
    /// <summary><paramref name="e"/> with an id; <see cref="ArgumentException"/> when it has no <c>OccurredOn</c>.</summary>
    public static NegotiationEvent Taken(NegotiationEvent e) =>
        e.OccurredOn.Year >= 1 ? e.WithId()
            : throw new ArgumentException($"Recorded event {(e.EventId == Guid.Empty ? "" : e.EventId + " ")}{e.Type} has no OccurredOn: every event needs a date, e.g. OccurredOn = DomainDate.Parse(\"1995-07\").");

    /// <summary><see cref="ArgumentException"/> unless <paramref name="negotiation"/> has exactly two parties.</summary>
    public static NegotiationOpened TwoParties(NegotiationOpened negotiation) =>
        negotiation.Parties.Count == 2 ? negotiation
            : throw new ArgumentException($"Negotiation '{negotiation.Id}' has {negotiation.Parties.Count} parties: a negotiation has exactly two parties (Parties), mediators apart (Mediators).");
}
