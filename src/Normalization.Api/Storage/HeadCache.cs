using Microsoft.Extensions.Caching.Memory;
using Normalization.Domain.Folding;

namespace Normalization.Api.Storage;

/// <summary>
/// The fold's head of recently used negotiations, in this process's memory, each tagged with the stream version it is the
/// fold of. The head is not stored: the database holds the events, the index and a checkpoint every
/// <see cref="NegotiationStore.CheckpointEvery"/> events, so an append writes rows in proportion to the event, not the
/// state (issue 15, part 6). An entry is used only at its own version: under the stream lock when that equals the stream
/// version read in the caller's transaction, and without the lock (an end append) only for a write Marten refuses unless the
/// stream is still at that version (its expected version). So several API processes on one database stay correct: a head
/// another node moved on is rebuilt from the last checkpoint and the events after it, and a write from it is redone under
/// the lock. Entries are shared: callers never change one (an append folds
/// into a <see cref="FoldAccumulator.Clone"/>). An entry may also keep its head's state on one date (<see cref="StateAt"/>:
/// the baseline of what-ifs).
/// </summary>
/// <remarks>Microsoft.Extensions.Caching.Memory with a size limit of <see cref="Entries"/> heads (least recently used go first).</remarks>
public sealed class HeadCache : IDisposable
{
    /// <summary>How many negotiations' heads are kept (a long history's head is a few hundred KB in memory).</summary>
    public const int Entries = 512;

    readonly MemoryCache cache = new(new MemoryCacheOptions { SizeLimit = Entries, CompactionPercentage = 0.25 });

    sealed record Entry(int Version, FoldAccumulator Head)
    {
        /// <summary>The head's state on one date, built once (<see cref="StateAt"/>); replaced whole, so readers see a pair or nothing.</summary>
        public DatedState? State;
    }

    sealed record DatedState(DateOnly At, NegotiationState State);

    /// <summary>The head of <paramref name="id"/> at exactly <paramref name="version"/>, or null.</summary>
    public FoldAccumulator? TryGet(string id, int version) =>
        cache.TryGetValue(id, out Entry? e) && e!.Version == version ? e.Head : null;

    /// <summary>The stream version of the head this process holds for <paramref name="id"/>, or null (none, or evicted).</summary>
    public int? VersionOf(string id) => cache.TryGetValue(id, out Entry? e) ? e!.Version : null;

    /// <summary>
    /// <c><paramref name="head"/>.StateAt(<paramref name="at"/>)</c>, kept with the entry when <paramref name="head"/> is the
    /// cached head of <paramref name="id"/> at <paramref name="version"/> (one date per entry: the last asked), so the
    /// baseline of a series of what-ifs on one record is built once (issue 17; docs/what-if.md). A head is never changed
    /// once cached, so its state on a date never goes stale; an append or a late event caches a new entry (a new version,
    /// a new head) and with it drops the old state. Shared: callers never change the returned state.
    /// </summary>
    public NegotiationState StateAt(string id, int version, FoldAccumulator head, DateOnly at)
    {
        if (!cache.TryGetValue(id, out Entry? e) || e!.Version != version || !ReferenceEquals(e.Head, head)) return head.StateAt(at);
        if (Volatile.Read(ref e.State) is { } kept && kept.At == at) return kept.State;
        var state = head.StateAt(at);
        Volatile.Write(ref e.State, new DatedState(at, state)); // two requests may build it at once: either copy is right
        return state;
    }

    /// <summary>Remembers <paramref name="head"/> as the fold of <paramref name="id"/> at <paramref name="version"/> (call after the commit that made it so).</summary>
    public void Set(string id, int version, FoldAccumulator head)
    {
        if (cache.TryGetValue(id, out Entry? e) && e!.Version > version) return; // a later head is already known
        cache.Set(id, new Entry(version, head), new MemoryCacheEntryOptions { Size = 1 });
    }

    /// <summary>Forgets the head of <paramref name="id"/> (its derived data was rebuilt).</summary>
    public void Forget(string id) => cache.Remove(id);

    public void Dispose() => cache.Dispose();
}
