using Normalization.Domain.Catalog;

namespace Normalization.Domain.Folding;

/// <summary>How the record treats one event after retractions and corrections.</summary>
/// <param name="EventId">The event.</param>
/// <param name="Retracted">Whether it is retracted (by a retraction not itself retracted).</param>
/// <param name="RetractedBy">The retraction in force, if any.</param>
/// <param name="CorrectedBy">The correction in force, if any.</param>
public sealed record EventStatus(Guid EventId, bool Retracted, Guid? RetractedBy, Guid? CorrectedBy);

/// <summary>
/// Resolves retractions and corrections: history is never edited, so the fold reads an effective history in
/// which a retracted event never happened and a corrected event is replaced by its latest correction.
/// A retraction may itself be retracted (the target is restored); a correction may be retracted.
/// </summary>
public static class EffectiveHistory
{
    /// <summary>The effective history and the status of every recorded event.</summary>
    /// <param name="Events">The events in force, corrections applied (each corrected event replaced by its latest correction).</param>
    /// <param name="Statuses">Each recorded event's status: in force, retracted, corrected, …</param>
    public sealed record Result(IReadOnlyList<NegotiationEvent> Events, IReadOnlyDictionary<Guid, EventStatus> Statuses);

    /// <summary>Resolves <paramref name="recorded"/> (any order) into the events in force. The same event listed twice counts once; two different events with one id are an <see cref="ArgumentException"/> naming it.</summary>
    public static Result Resolve(IEnumerable<NegotiationEvent> recorded)
    {
        var byId = new Dictionary<Guid, NegotiationEvent>();
        var retractionsOf = new Dictionary<Guid, List<EventRetracted>>();
        var correctionsOf = new Dictionary<Guid, List<EventCorrected>>();
        ArgumentNullException.ThrowIfNull(recorded, "events");
        var index = 0;
        foreach (var given in recorded)
        {
            var e = RecordedEvents.Taken(given, index++); // an event built without an id is a fact of its own, not a duplicate of another id-less one
            // One id is one event: the same event listed twice counts once (a retried post is stored once); two different
            // events given one id (a history built in code) are said, never folded as one (RecordedEvents.Unique).
            if (!byId.TryAdd(e.EventId, e))
            {
                if (RecordedEvents.Same(byId[e.EventId], e)) continue;
                throw RecordedEvents.Reused(byId[e.EventId], e);
            }
            switch (e)
            {
                case EventRetracted r: Add(retractionsOf, r.TargetEventId, r); break;
                case EventCorrected c: Add(correctionsOf, c.TargetEventId, c); break;
            }
        }
        if (retractionsOf.Count == 0 && correctionsOf.Count == 0)
            return new Result(byId.Values.ToList(), new Dictionary<Guid, EventStatus>());

        var memo = new Dictionary<Guid, Guid?>();
        Guid? RetractedBy(Guid id, int depth)
        {
            if (!retractionsOf.ContainsKey(id)) return null; // most events: nothing aims at them
            if (memo.TryGetValue(id, out var known)) return known;
            Guid? by = null;
            if (depth < 64 && retractionsOf.TryGetValue(id, out var rs))
                foreach (var r in rs.OrderBy(r => r, DomainOrder.Instance))
                    if (RetractedBy(r.EventId, depth + 1) is null) { by = r.EventId; break; }
            memo[id] = by;
            return by;
        }

        var statuses = new Dictionary<Guid, EventStatus>();
        var effective = new List<NegotiationEvent>(byId.Count);
        foreach (var e in byId.Values)
        {
            var retractedBy = RetractedBy(e.EventId, 0);
            Guid? correctedBy = null;
            if (e is EventRetracted or EventCorrected)
            {
                if (retractedBy is not null) statuses[e.EventId] = new EventStatus(e.EventId, true, retractedBy, null);
                continue;
            }
            var current = e;
            if (retractedBy is null && correctionsOf.TryGetValue(e.EventId, out var cs))
            {
                var latest = cs.Where(c => c.Correction is not null && RetractedBy(c.EventId, 0) is null)
                    .OrderBy(c => c, DomainOrder.Instance).LastOrDefault();
                if (latest is not null)
                {
                    correctedBy = latest.EventId;
                    current = latest.Correction! with { EventId = e.EventId };
                }
            }
            if (retractedBy is not null || correctedBy is not null)
                statuses[e.EventId] = new EventStatus(e.EventId, retractedBy is not null, retractedBy, correctedBy);
            if (retractedBy is null) effective.Add(current);
        }
        return new Result(effective, statuses);
    }

    static void Add<T>(Dictionary<Guid, List<T>> map, Guid key, T value)
    {
        if (!map.TryGetValue(key, out var list)) map[key] = list = [];
        list.Add(value);
    }
}
