using JasperFx.Events;
using Marten;
using Normalization.Domain.Catalog;
using Normalization.Domain.Negotiations;

namespace Normalization.Api.Storage;

/// <summary>
/// Where our code reads stored events' bodies (the others — the openings' list in NegotiationStore.cs, the record as known at
/// T in NegotiationStore.KnownAt.cs — use the same Marten API), and it reads them through Marten's API (<c>FetchStreamAsync</c> and
/// Marten's LINQ over raw events), never with SQL against Marten's tables: Marten deserializes them with its registered
/// upcasters (<see cref="Upcasting"/>), so an old event shape is read the same way by us, by projections and by rebuilds.
/// Our domain-order index (<c>nz_events</c>) says <i>which</i> versions to read and in what order; Marten reads them.
/// </summary>
public static class RecordedEvents
{
    /// <summary>How many versions one query asks Marten for (an <c>= any(@versions)</c> list); bounds memory on long refolds.</summary>
    public const int Chunk = 5_000;

    /// <summary>Versions at most this far apart belong to one run read as a range (the versions between are read and dropped).</summary>
    const int RunGap = 4;

    /// <summary>A run of fewer versions than this is read with the scattered ones.</summary>
    const int MinRun = 32;

    /// <summary>
    /// The whole record in recording order, optionally as it stood at <paramref name="knownAt"/> (events stored by then:
    /// Marten's <c>timestamp</c> filter). Null when there is no such stream, or it was not yet opened at knownAt.
    /// </summary>
    public static async Task<History?> LoadAsync(IQuerySession session, string id, DateTimeOffset? knownAt, CancellationToken ct)
    {
        var stored = await session.Events.FetchStreamAsync(id, timestamp: knownAt?.ToUniversalTime(), token: ct);
        NegotiationOpened? opening = null;
        DateTimeOffset openedAt = default;
        var events = new List<RecordedEvent>(stored.Count);
        foreach (var e in stored)
        {
            if (e.Data is NegotiationOpened o) { opening = o; openedAt = e.Timestamp; }
            else if (e.Data is NegotiationEvent n) events.Add(new RecordedEvent(n, (int)e.Version, e.Timestamp, e.UserName));
        }
        return opening is null ? null : new History(opening, openedAt, events);
    }

    /// <summary>The negotiation's opening (version 1 of its stream), or null.</summary>
    public static async Task<NegotiationOpened?> OpeningAsync(IQuerySession session, string id, CancellationToken ct) =>
        (await session.Events.FetchStreamAsync(id, version: 1, token: ct)).Select(e => e.Data).OfType<NegotiationOpened>().FirstOrDefault();

    /// <summary>
    /// The stored events of one stream at the given versions, keyed by version. Sorted versions are split into dense runs
    /// (gaps of at most <see cref="RunGap"/>), each read as a version range of at most <see cref="Chunk"/> and filtered
    /// here, and the scattered rest, read as lists of at most <see cref="Chunk"/> (<c>= any(…)</c>): a refold's tail is
    /// mostly consecutive versions, and a range read measured 2–4× faster than the same versions as a list.
    /// </summary>
    // <snippet:events-by-version>
    public static async Task<Dictionary<long, IEvent>> ByVersionsAsync(IQuerySession session, string id, IReadOnlyList<long> versions, CancellationToken ct)
    {
        var found = new Dictionary<long, IEvent>(versions.Count);
        var wanted = versions.ToHashSet();
        var sorted = wanted.Order().ToArray();
        var scattered = new List<long>();
        for (var i = 0; i < sorted.Length;)
        {
            var j = i;
            while (j + 1 < sorted.Length && sorted[j + 1] - sorted[j] <= RunGap && sorted[j + 1] - sorted[i] < Chunk) j++;
            long first = sorted[i], last = sorted[j];
            if (j - i + 1 >= MinRun)
            {
                foreach (var e in await session.Events.QueryAllRawEvents().Where(e => e.StreamKey == id && e.Version >= first && e.Version <= last).ToListAsync(ct))
                    if (wanted.Contains(e.Version)) found[e.Version] = e;
            }
            else scattered.AddRange(sorted[i..(j + 1)]);
            i = j + 1;
        }
        foreach (var chunk in scattered.Chunk(Chunk))
        {
            var list = chunk;
            foreach (var e in await session.Events.QueryAllRawEvents().Where(e => e.StreamKey == id && list.Contains(e.Version)).ToListAsync(ct))
                found[e.Version] = e;
        }
        return found;
    }
    // </snippet>
}
