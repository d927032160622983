using JasperFx.Events;
using Marten;
using Marten.Events.Projections;

namespace Normalization.Api.Storage;

/// <summary>
/// The domain-order fold (index, statuses, references, checkpoints, head, board row) registered with Marten as a
/// projection named <see cref="Name"/>, so Marten's own tooling can run it: <c>projections rebuild</c> (the JasperFx
/// command), <c>IProjectionDaemon.RebuildProjectionAsync</c>, and the async daemon if a deployment turns it on.
/// <para>
/// Live writes do not go through it: an append maintains the same read models inline, in its own transaction, because a
/// late event needs the index and checkpoints read under the stream lock before anything is written
/// (<see cref="NegotiationStore.AppendAsync"/>; docs/architecture.md says what Marten's inline projections lack for that).
/// Here each stream is recomputed whole by the one rebuild path (<see cref="NegotiationStore.RebuildAsync"/>), which
/// writes only what differs, so "rebuilt = live" holds by construction. A stream is recomputed when a batch holds its
/// current last event: a replay of a 1M-event stream rebuilds it once, not once per batch.
/// </para>
/// </summary>
/// <remarks>
/// Registered Async (<see cref="MartenSetup"/>) with no daemon running in the app, so it never runs on its own; it is
/// resolved from the container (<c>AddProjectionWithServices</c>) and asks for the store only when it runs, because the
/// store itself depends on Marten.
/// </remarks>
public sealed class NegotiationFoldProjection(IServiceProvider services) : IProjection
{
    /// <summary>The projection's name in Marten (progress rows, <c>projections rebuild NegotiationFold</c>).</summary>
    public const string Name = "NegotiationFold";

    /// <summary>Recomputes every negotiation whose current last event is in <paramref name="events"/>.</summary>
    // <snippet:fold-projection>
    public async Task ApplyAsync(IDocumentOperations operations, IReadOnlyList<IEvent> events, CancellationToken cancellation)
    {
        var store = services.GetRequiredService<NegotiationStore>();
        foreach (var stream in events.Where(e => e.StreamKey is not null).GroupBy(e => e.StreamKey!))
        {
            var current = await store.VersionAsync(stream.Key, cancellation);
            // Gone, or a later batch holds the stream's end (the read models depend on the whole stream).
            if (current is null || stream.Max(e => e.Version) < current) continue;
            // Only negotiations: a stream that does not open with NegotiationOpened is not ours to fold.
            if (await store.OpeningOfAsync(stream.Key, cancellation) is null) continue;
            await store.RebuildAsync(stream.Key, cancellation);
        }
    }
    // </snippet>
}
