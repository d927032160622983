namespace Normalization.Api.Storage;

/// <summary>
/// Group commit of unlocked end appends (docs/architecture.md, "The end append without a lock round trip"): up to
/// <see cref="Writers"/> groups are written at once; appends that arrive while that many are being written wait, and the next
/// writer takes every waiting one (of other negotiations — each
/// negotiation has one writer at a time, <see cref="WriterGate"/>) into one transaction: one Marten batch, one commit.
/// An append that finds no group running is written at once, alone: nothing waits for company.
/// </summary>
/// <remarks>
/// The same idea as PostgreSQL's own group commit of WAL flushes, one level up: on a CPU-bound server the work per
/// transaction (a round trip each for the batch and the commit, the pool's reset, BEGIN/COMMIT, a WAL flush) is paid once
/// per group instead of once per append. A member's answer is given only after the group's commit. When the group's
/// write fails, nothing of it is committed and each member is written again alone (<see cref="Outcome.Alone"/>), so one
/// member's stale version or stored eventId never decides another's answer.
/// </remarks>
/// <typeparam name="TMember">What one append brings to the group.</typeparam>
/// <typeparam name="TResult">What one append answers.</typeparam>
public sealed class GroupCommit<TMember, TResult>(Func<IReadOnlyList<GroupCommit<TMember, TResult>.Entry>, Task> write)
{
    /// <summary>Groups written at once, at most (two cores: one group folds while the other is on the server).</summary>
    public const int Writers = 2;

    /// <summary>Appends in one group, at most (bounds a group's batch and the wait of its first member).</summary>
    public const int MaxMembers = 64;

    readonly object sync = new();
    readonly List<Entry> waiting = [];
    int writing;

    /// <summary>How many groups were written and how many members the largest one had (telemetry and tests).</summary>
    public (long Groups, int Largest) Statistics { get { lock (sync) return (groups, largest); } }
    long groups;
    int largest;

    /// <summary>How a member's write ended.</summary>
    public abstract record Outcome
    {
        /// <summary>Committed with its group: the member's answer.</summary>
        public sealed record Done(TResult Result) : Outcome;
        /// <summary>
        /// Not written: the member declined (<paramref name="Why"/> says why), or its group's write failed
        /// (<paramref name="InGroup"/>: it had other members, so the error may be another's — write it again alone).
        /// </summary>
        public sealed record Alone(Exception? Why, bool InGroup = false) : Outcome;
        /// <summary>Failed on its own (an exception of its own staging, not the group's): rethrown to its caller.</summary>
        public sealed record Failed(Exception Error) : Outcome;
    }

    /// <summary>One member of a group: its input and where its outcome goes.</summary>
    public sealed class Entry(TMember member)
    {
        /// <summary>The member's input.</summary>
        public TMember Member { get; } = member;
        readonly TaskCompletionSource<Outcome> done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        /// <summary>Completes the member (the first call wins).</summary>
        public void Complete(Outcome outcome) => done.TrySetResult(outcome);
        /// <summary>The member's outcome, once its group is written.</summary>
        public Task<Outcome> Completion => done.Task;
    }

    /// <summary>
    /// Writes <paramref name="member"/> with whatever else is waiting, and returns its outcome after its group's commit.
    /// The caller that finds a free writer writes the group itself (no thread hop when appends come one at a time).
    /// </summary>
    public async Task<Outcome> RunAsync(TMember member)
    {
        var entry = new Entry(member);
        bool lead;
        lock (sync)
        {
            waiting.Add(entry);
            lead = writing < Writers;
            if (lead) writing++;
        }
        if (lead) await DrainAsync(entry);
        return await entry.Completion;
    }

    /// <summary>
    /// Writes groups until none waits. With <paramref name="mine"/> (a caller's own append) it returns as soon as that one is
    /// written and leaves any later group to the thread pool, so a caller never waits for others' groups.
    /// </summary>
    async Task DrainAsync(Entry? mine)
    {
        while (true)
        {
            List<Entry> group;
            lock (sync)
            {
                if (waiting.Count == 0) { writing--; return; }
                group = waiting.Count <= MaxMembers ? [.. waiting] : waiting.GetRange(0, MaxMembers);
                waiting.RemoveRange(0, group.Count);
                groups++;
                largest = Math.Max(largest, group.Count);
            }
            try { await write(group); }
            catch (Exception e) { foreach (var m in group) m.Complete(new Outcome.Alone(e, group.Count > 1)); }
            foreach (var m in group) m.Complete(new Outcome.Alone(null, InGroup: true)); // a write that forgot a member: alone (never lost)
            if (mine is { Completion.IsCompleted: true })
            {
                lock (sync)
                    if (waiting.Count == 0) { writing--; return; }
                // Keeps this writer's slot. The later groups belong to no caller: nothing of this one's context (its trace
                // span above all) flows into them.
                using (ExecutionContext.SuppressFlow()) _ = Task.Run(() => DrainAsync(null));
                return;
            }
        }
    }
}
