using Microsoft.Extensions.Caching.Memory;
using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;

namespace Normalization.Api.Storage;

/// <summary>
/// The decoded effective events of recently refolded negotiations, in domain order after some sort key, in this process's
/// memory, each tagged with the stream version it reflects — so a late event (dated mid-history) refolds from memory
/// instead of reading the tens of thousands of events after it back through Marten (issue 17, part 3: reading them was
/// most of a late event's cost). Like <see cref="HeadCache"/>, an entry is used only at its own version (the stream version read
/// under the caller's stream lock, or the version an unlocked end append hands Marten as its expected version), so several
/// API processes on one database stay correct: a tail another
/// node moved on is read from the database again. Entries are immutable views; appends make new ones
/// (<see cref="Tail.Appended"/> shares the buffer, <see cref="Tail.Inserted"/> copies it).
/// </summary>
/// <remarks>Microsoft.Extensions.Caching.Memory, sized in events: at most <see cref="EventBudget"/> events in all (about
/// 0.5–1 KB each), least recently used first out.</remarks>
public sealed class TailCache : IDisposable
{
    /// <summary>How many events all cached tails may hold together.</summary>
    public const long EventBudget = 2_000_000;

    readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = EventBudget, CompactionPercentage = 0.25 });

    /// <summary>The cached tail of <paramref name="id"/> if it is the record at exactly <paramref name="version"/> and starts at or before <paramref name="fromKey"/>.</summary>
    public Tail? TryGet(string id, int version, string fromKey) =>
        cache.TryGetValue(id, out Tail? t) && t!.Version == version && string.CompareOrdinal(t.FromKey, fromKey) <= 0 ? t : null;

    /// <summary>The cached tail of <paramref name="id"/> if it is the record at exactly <paramref name="version"/>.</summary>
    public Tail? TryGet(string id, int version) => cache.TryGetValue(id, out Tail? t) && t!.Version == version ? t : null;

    /// <summary>Remembers <paramref name="tail"/> (call after the commit that made it so). A tail larger than half the budget is not kept.</summary>
    public void Set(string id, Tail tail)
    {
        if (tail.Count > EventBudget / 2) { cache.Remove(id); return; }
        if (cache.TryGetValue(id, out Tail? t) && t!.Version > tail.Version) return; // a later tail is already known
        cache.Set(id, tail, new MemoryCacheEntryOptions { Size = Math.Max(1, tail.Count) });
    }

    /// <summary>Forgets the tail of <paramref name="id"/>.</summary>
    public void Forget(string id) => cache.Remove(id);

    public void Dispose() => cache.Dispose();

    /// <summary>
    /// What a write changes in the effective record, as tail entries: the sort keys whose events leave it, and the (sort key,
    /// event) that enter it — a correction's replacement under its own key, with the corrected event's id.
    /// </summary>
    public sealed record Edit(IReadOnlyList<string> Removed, IReadOnlyList<(string Key, NegotiationEvent Event)> Added);

    /// <summary>
    /// The effective events (retractions resolved, corrections replaced by their content) with sort keys after
    /// <see cref="FromKey"/>, in domain order, as the record stood at stream version <see cref="Version"/>: the first
    /// <see cref="Count"/> entries of <c>keys</c>/<c>events</c>. The buffers may be longer (a later tail appended to them);
    /// entries up to <see cref="Count"/> never change.
    /// </summary>
    public sealed class Tail
    {
        readonly string[] keys;
        readonly NegotiationEvent[] events;

        Tail(int version, string fromKey, string[] keys, NegotiationEvent[] events, int count)
        {
            Version = version; FromKey = fromKey; this.keys = keys; this.events = events; Count = count;
        }

        /// <summary>
        /// The fold's state at <see cref="FromKey"/> — the checkpoint version (<c>valid_from</c>) the tail's refold started
        /// from — so the next refold from that same checkpoint version copies it instead of unpacking it (never changed: callers clone).
        /// </summary>
        (int ValidFrom, FoldAccumulator State)? start;

        /// <summary>The state the tail starts from, if it is that of the checkpoint at <paramref name="key"/> valid from <paramref name="validFrom"/>; else null. Shared: clone it.</summary>
        public FoldAccumulator? StartOf(string key, int validFrom) =>
            start is { } s && key == FromKey && s.ValidFrom == validFrom ? s.State : null;

        /// <summary>The checkpoint version (<c>valid_from</c>) whose state at <see cref="FromKey"/> this tail holds, or null.</summary>
        public int? StartValidFrom => start?.ValidFrom;

        /// <summary>This tail, remembering <paramref name="state"/> (not copied: give one nothing else changes) as the fold at <see cref="FromKey"/> of the checkpoint valid from <paramref name="validFrom"/>.</summary>
        public Tail StartingWith(int validFrom, FoldAccumulator state) { start = (validFrom, state); return this; }

        /// <summary>A tail of <paramref name="items"/> (sort key, event), already in domain order, all after <paramref name="fromKey"/>.</summary>
        public static Tail Of(int version, string fromKey, IReadOnlyList<(string Key, NegotiationEvent Event)> items)
        {
            var capacity = Math.Max(16, items.Count + items.Count / 8);
            var k = new string[capacity]; var e = new NegotiationEvent[capacity];
            for (var i = 0; i < items.Count; i++) (k[i], e[i]) = items[i];
            return new Tail(version, fromKey, k, e, items.Count);
        }

        /// <summary>The stream version this tail is the record of.</summary>
        public int Version { get; }
        /// <summary>Every event of the tail sorts after this key ("" = the whole effective history).</summary>
        public string FromKey { get; }
        /// <summary>How many events the tail holds.</summary>
        public int Count { get; }

        /// <summary>The events after <paramref name="afterKey"/> (at or after <see cref="FromKey"/>) and before <paramref name="beforeKey"/>, in domain order.</summary>
        public IEnumerable<NegotiationEvent> Between(string afterKey, string beforeKey)
        {
            foreach (var (k, e) in Keyed(afterKey))
                if (string.CompareOrdinal(k, beforeKey) < 0) yield return e; else yield break;
        }

        IEnumerable<(string Key, NegotiationEvent Event)> Keyed(string afterKey)
        {
            var lo = 0; var hi = Count;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (string.CompareOrdinal(keys[mid], afterKey) <= 0) lo = mid + 1; else hi = mid;
            }
            for (var i = lo; i < Count; i++) yield return (keys[i], events[i]);
        }

        /// <summary>
        /// The event the tail holds at sort key <paramref name="key"/> if it is the recorded event <paramref name="eventId"/>
        /// itself (a catalog event, not a correction's replacement under its own key); else null. A recorded event never
        /// changes, so any reader may take it — "as known at" takes the events it shares with the current record from here.
        /// </summary>
        public NegotiationEvent? Recorded(string key, Guid eventId)
        {
            var i = Array.BinarySearch(keys, 0, Count, key, StringComparer.Ordinal);
            return i >= 0 && events[i].EventId == eventId && !events[i].Hypothetical ? events[i] : null;
        }

        /// <summary>The events after <paramref name="afterKey"/> (at or after <see cref="FromKey"/>), in domain order.</summary>
        public IEnumerable<NegotiationEvent> After(string afterKey)
        {
            var lo = 0; var hi = Count;
            while (lo < hi)
            {
                var mid = (lo + hi) >>> 1;
                if (string.CompareOrdinal(keys[mid], afterKey) <= 0) lo = mid + 1; else hi = mid;
            }
            for (var i = lo; i < Count; i++) yield return events[i];
        }

        /// <summary>
        /// This tail with <paramref name="added"/> (sort key, event; in key order) at <paramref name="version"/>: after every
        /// event it holds, sharing the buffer (when it has room and nothing was appended past <see cref="Count"/> by another
        /// view); or, when one of them sorts before the tail's last event, merged at their places (<see cref="Inserted"/>, a
        /// copy). Null when one sorts at or before <see cref="FromKey"/>: the tail cannot hold it, and is not to be kept.
        /// </summary>
        /// <remarks>
        /// An end append continues the head when its events sort after the last event the fold counted, but the tail also
        /// holds events the fold does not place there — a <c>RecordReviewed</c> sorts on its own date, the review's day — so
        /// "after the head's last event" does not mean "after the tail's last event" (the seventh trial: the state as of a date
        /// read a tail whose late talks sat after a later review, and missed them).
        /// </remarks>
        public Tail? Appended(int version, IReadOnlyList<(string Key, NegotiationEvent Event)> added)
        {
            if (added.Any(a => string.CompareOrdinal(a.Key, FromKey) <= 0)) return null;
            if (Count > 0 && added.Any(a => string.CompareOrdinal(a.Key, keys[Count - 1]) <= 0)) return Inserted(version, added);
            var k = keys; var e = events;
            if (Count + added.Count > k.Length)
            {
                var capacity = Math.Max(k.Length * 2, Count + added.Count);
                Array.Resize(ref k, capacity); Array.Resize(ref e, capacity);
            }
            // Slots past Count are invisible to every published view; a rolled-back append's writes there are overwritten.
            for (var i = 0; i < added.Count; i++) (k[Count + i], e[Count + i]) = added[i];
            return new Tail(version, FromKey, k, e, Count + added.Count) { start = start };
        }

        /// <summary>
        /// This tail with <paramref name="edit"/> applied at <paramref name="version"/> (a copy): the entries at
        /// <see cref="Edit.Removed"/> taken out, <see cref="Edit.Added"/> merged at their places — what a retraction or a
        /// correction changes in the effective record (<c>NegotiationStore.ResolveFamilyAsync</c>). Null when the tail cannot
        /// take it: a key to remove it does not hold, or a key at or before <see cref="FromKey"/>.
        /// </summary>
        public Tail? Edited(int version, Edit edit)
        {
            if (edit.Removed.Count == 0) return Appended(version, edit.Added.OrderBy(a => a.Key, StringComparer.Ordinal).ToList());
            if (edit.Removed.Concat(edit.Added.Select(a => a.Key)).Any(k => string.CompareOrdinal(k, FromKey) <= 0)) return null;
            var removed = edit.Removed.ToHashSet(StringComparer.Ordinal);
            var kept = new List<(string, NegotiationEvent)>(Count);
            for (var i = 0; i < Count; i++)
                if (!removed.Remove(keys[i])) kept.Add((keys[i], events[i]));
            if (removed.Count > 0) return null;
            return new Tail(Version, FromKey, [.. kept.Select(x => x.Item1)], [.. kept.Select(x => x.Item2)], kept.Count) { start = start }.Inserted(version, edit.Added);
        }

        /// <summary>This tail with <paramref name="added"/> (sort key, event; keys after <see cref="FromKey"/>) merged at their places, at <paramref name="version"/> (a copy).</summary>
        public Tail Inserted(int version, IEnumerable<(string Key, NegotiationEvent Event)> added)
        {
            var extra = added.OrderBy(a => a.Key, StringComparer.Ordinal).ToList();
            if (extra.Any(a => string.CompareOrdinal(a.Key, FromKey) <= 0))
                throw new ArgumentException("An inserted event sorts before the tail's start.", nameof(added));
            var n = Count + extra.Count;
            var k = new string[n + n / 8 + 16]; var e = new NegotiationEvent[k.Length];
            int i = 0, j = 0, o = 0;
            while (i < Count || j < extra.Count)
            {
                if (j == extra.Count || (i < Count && string.CompareOrdinal(keys[i], extra[j].Key) < 0)) { k[o] = keys[i]; e[o++] = events[i++]; }
                else { (k[o], e[o]) = extra[j++]; o++; }
            }
            return new Tail(version, FromKey, k, e, n) { start = start };
        }
    }
}
