using Normalization.Domain.Catalog;

namespace Normalization.Domain.Folding;

/// <summary>
/// The one order in which history is folded: by the end of each event's date period, then by the type's
/// same-day rank (openings, contacts, requests, responses and gestures, pressure, context, closings,
/// corrections), then by eventId. Arrival order never matters.
/// </summary>
public sealed class DomainOrder : IComparer<NegotiationEvent>
{
    /// <summary>The one instance.</summary>
    public static readonly DomainOrder Instance = new();

    /// <summary>By domain date, then the type's same-day rank, then eventId.</summary>
    public int Compare(NegotiationEvent? x, NegotiationEvent? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        var c = x.Date.CompareTo(y.Date);
        if (c != 0) return c;
        c = EventCatalog.Of(x).SameDayRank.CompareTo(EventCatalog.Of(y).SameDayRank);
        return c != 0 ? c : x.EventId.CompareTo(y.EventId);
    }

    /// <summary>Sorts in domain order with each event's key computed once (a comparer would recompute dates and ranks n log n times).</summary>
    public static void Sort(List<NegotiationEvent> events)
    {
        var keys = new Key[events.Count];
        for (var i = 0; i < keys.Length; i++) keys[i] = new Key(events[i].Date.DayNumber, EventCatalog.Of(events[i]).SameDayRank, events[i].EventId);
        var items = events.ToArray();
        Array.Sort(keys, items);
        for (var i = 0; i < items.Length; i++) events[i] = items[i];
    }

    readonly record struct Key(int Day, int Rank, Guid EventId) : IComparable<Key>
    {
        public int CompareTo(Key other)
        {
            var c = Day.CompareTo(other.Day);
            if (c != 0) return c;
            c = Rank.CompareTo(other.Rank);
            return c != 0 ? c : EventId.CompareTo(other.EventId);
        }
    }

    /// <summary>The same order as a string, for storage indexes: yyyyMMdd|rank|eventId.</summary>
    public static string SortKey(NegotiationEvent e) => SortKey(e.Date, EventCatalog.Of(e).SameDayRank, e.EventId);
    /// <summary>The same order as a string, <c>yyyyMMdd|rank|eventId</c>, for storage indexes.</summary>
    public static string SortKey(DateOnly date, int rank, Guid eventId) => $"{date:yyyyMMdd}|{rank:D2}|{eventId:N}";
    /// <summary>A key that sorts after every event dated on or before <paramref name="date"/>.</summary>
    public static string EndOfDayKey(DateOnly date) => $"{date:yyyyMMdd}|99";
}
