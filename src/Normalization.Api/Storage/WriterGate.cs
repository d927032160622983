namespace Normalization.Api.Storage;

/// <summary>
/// One writer at a time per negotiation within this process: every transaction of <see cref="NegotiationStore"/> that
/// writes a negotiation's stream or derived rows (an append, a bulk append onto an existing stream, a rebuild, the
/// deferred checkpoints, the summary's weights) enters its negotiation's turn before it opens its transaction and leaves
/// it after the commit.
/// </summary>
/// <remarks>
/// Why: an end append with the head in this process's memory sends no lock — Marten checks the stream version it
/// expects (docs/architecture.md, "The end append without a lock round trip"). Marten's append function inserts the
/// event before it takes the stream row, so an unlocked writer and a locked writer (<c>AppendExclusive</c>) of the
/// same stream can deadlock on the server. Within one process the turn keeps them apart; across processes PostgreSQL
/// detects the rare deadlock and the unlocked append runs again under the lock. Entries exist only while someone holds
/// or waits for a turn.
/// </remarks>
public sealed class WriterGate
{
    readonly Dictionary<string, Turn> turns = new(StringComparer.Ordinal);

    sealed class Turn
    {
        public readonly SemaphoreSlim Semaphore = new(1, 1);
        public int Users; // holders and waiters, under the dictionary's lock
    }

    /// <summary>Waits for <paramref name="id"/>'s turn (cancellable); dispose the result to leave it.</summary>
    public async ValueTask<Held> EnterAsync(string id, CancellationToken ct = default)
    {
        Turn turn;
        lock (turns)
        {
            if (!turns.TryGetValue(id, out turn!)) turns[id] = turn = new Turn();
            turn.Users++;
        }
        try { await turn.Semaphore.WaitAsync(ct); }
        catch
        {
            Leave(id, turn, held: false);
            throw;
        }
        return new Held(this, id, turn);
    }

    /// <summary>How many negotiations have a holder or a waiter now (tests: entries do not accumulate).</summary>
    public int Count { get { lock (turns) return turns.Count; } }

    void Leave(string id, Turn turn, bool held)
    {
        if (held) turn.Semaphore.Release();
        lock (turns)
            if (--turn.Users == 0) turns.Remove(id);
    }

    /// <summary>A turn being held; <see cref="Dispose"/> leaves it (once).</summary>
    public sealed class Held : IDisposable
    {
        WriterGate? gate;
        readonly string id;
        readonly Turn turn;

        internal Held(WriterGate gate, string id, object turn) { this.gate = gate; this.id = id; this.turn = (Turn)turn; }

        /// <summary>Leaves the turn; the next waiter of the negotiation goes on.</summary>
        public void Dispose() => Interlocked.Exchange(ref gate, null)?.Leave(id, turn, held: true);
    }
}
