using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Histories;
using Normalization.Domain.Negotiations;

namespace Normalization.Domain.WhatIf;

/// <summary>
/// Where a what-if starts: a history. Then branch it (<see cref="Branch.AsOf"/>), change it
/// (<see cref="Branch.Add(NegotiationEvent[])"/>, <see cref="Branch.Remove(Guid)"/>, <see cref="Branch.Replace"/>) and
/// <see cref="Branch.Project"/> it:
/// <code>
/// var result = WhatIf.FromNdjson("us-taliban.ndjson")
///     .AsOf(new DateOnly(2025, 4, 3))
///     .Add(new DemandMet { DemandId = "us-equipment", OccurredOn = DomainDate.Parse("2025-04-10"), Actor = "TB", Target = "US" })
///     .Project();
/// result.State.Stage; result.Diff.LedgerChanges; result.Errors;
/// </code>
/// Nothing is stored anywhere; the answer comes from the one fold (<see cref="Folding.FoldAccumulator"/>).
/// </summary>
public static partial class WhatIf
{
    /// <summary>
    /// A history given as the negotiation and its recorded events (any order; retractions and corrections included). An
    /// event without an <c>EventId</c> gets a new GUID (<see cref="NegotiationEvent.WithId"/>), as in a POST: each is its
    /// own event, removable alone (<see cref="Branch.Recorded"/> shows the ids given). Every event given is recorded: a
    /// <c>Hypothetical</c> mark (an earlier result's event) is dropped, so it stops at the branch point as recorded events
    /// do. An event without <c>OccurredOn</c>, two different events with one <c>EventId</c> (the same event listed twice
    /// counts once), or a negotiation without exactly two parties, is an <see cref="ArgumentException"/> naming it; a null
    /// <paramref name="opening"/> or <paramref name="events"/> an <see cref="ArgumentNullException"/>, a null event
    /// an <see cref="ArgumentException"/> naming its place (<c>events[1] is null</c>).
    /// </summary>
    public static Branch From(NegotiationOpened opening, IEnumerable<NegotiationEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        return new(RecordedEvents.TwoParties(opening, nameof(opening)), RecordedEvents.Unique(events.Select(AsRecorded)));
    }

    /// <summary>
    /// <paramref name="e"/> as a recorded event: without the <c>Hypothetical</c> mark an earlier what-if gave it (a chained
    /// scenario starts from a branch's events). The fold stops recorded events at the branch point and hypothetical ones at
    /// the projection date; a marked event given as recorded would slip past the branch point.
    /// </summary>
    static NegotiationEvent AsRecorded(NegotiationEvent e)
    {
        if (e is null) return e!; // said with its place by RecordedEvents.Taken
        var recorded = e.Hypothetical ? e with { Hypothetical = false } : e;
        return recorded is EventCorrected { Correction: { Hypothetical: true } c } corr ? corr with { Correction = c with { Hypothetical = false } } : recorded;
    }

    /// <summary>A history in the NDJSON format (first line: the negotiation). Throws <see cref="InvalidDataException"/> when the file itself is invalid.</summary>
    public static Branch FromNdjson(string path, DateOnly? today = null)
    {
        using var reader = File.OpenText(path);
        return FromNdjson(reader, today);
    }

    /// <inheritdoc cref="FromNdjson(string, DateOnly?)"/>
    public static Branch FromNdjson(TextReader reader, DateOnly? today = null)
    {
        var (opening, events, errors) = NdjsonHistory.ReadAll(reader, today ?? Branch.TodayOf(TimeProvider.System));
        if (errors.Count > 0)
            throw new InvalidDataException("The history is not valid: " + string.Join("; ", errors.Take(10).Select(e => $"line {e.Line} {e.Path}: {e.Message}")));
        if (opening is null) throw new InvalidDataException("The history has no NegotiationOpened line.");
        return From(opening, events);
    }
}
