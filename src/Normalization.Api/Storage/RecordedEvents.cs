using JasperFx.Events;
using Marten;
using Normalization.Domain.Catalog;
using Normalization.Domain.Negotiations;

namespace Normalization.Api.Storage;

/// <summary>
/// The one place our code reads stored events, and it reads them through Marten's API (<c>FetchStreamAsync</c> and
/// Marten's LINQ over raw events), never with SQL against Marten's tables: Marten deserializes them with its registered
/// upcasters (<see cref="Upcasting"/>), so an old event shape is read the same way by us, by projections and by rebuilds.
/// Our domain-order index (<c>nz_events</c>) says <i>which</i> versions to read and in what order; Marten reads them.
/// </summary>
public static class RecordedEvents
{
    /// <summary>How many versions one query asks Marten for (an <c>= any(@versions)</c> list); bounds memory on long refolds.</summary>
    public const int Chunk = 5_000;

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
    /// The stored events of one stream at the given versions, keyed by version, read in chunks of <see cref="Chunk"/> sorted
    /// versions. A chunk whose versions are dense (a refold's tail is mostly consecutive versions) is read as a version range
    /// and filtered here: measured 2–4× faster than the same versions as a list (<c>= any(…)</c>).
    /// </summary>
    // <snippet:events-by-version>
    public static async Task<Dictionary<long, IEvent>> ByVersionsAsync(IQuerySession session, string id, IReadOnlyList<long> versions, CancellationToken ct)
    {
        var found = new Dictionary<long, IEvent>(versions.Count);
        foreach (var chunk in versions.Order().Chunk(Chunk))
        {
            var list = chunk;
            long first = chunk[0], last = chunk[^1];
            var events = last - first + 1 <= 2L * chunk.Length
                ? await session.Events.QueryAllRawEvents().Where(e => e.StreamKey == id && e.Version >= first && e.Version <= last).ToListAsync(ct)
                : await session.Events.QueryAllRawEvents().Where(e => e.StreamKey == id && list.Contains(e.Version)).ToListAsync(ct);
            var wanted = chunk.ToHashSet();
            foreach (var e in events) if (wanted.Contains(e.Version)) found[e.Version] = e;
        }
        return found;
    }
    // </snippet>
}
