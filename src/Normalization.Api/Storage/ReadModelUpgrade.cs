using Normalization.Domain.Folding;
using Marten;

namespace Normalization.Api.Storage;

/// <summary>
/// At startup, rebuilds the read models of every negotiation whose board row was folded with another shape than this
/// version's <see cref="FoldAccumulator.CurrentFormat"/> (checkpoints and board rows are derived data: the events are the truth;
/// a row from before the format was recorded reads 0 and is rebuilt once).
/// Progress and failures are logged; a failure never stops the app (that negotiation keeps answering from its old head).
/// </summary>
public sealed class ReadModelUpgrade(NegotiationStore store, IDocumentStore documents, ILogger<ReadModelUpgrade> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        try
        {
            // Through Marten's LINQ (never SQL on its document table). The id and format only; a row stored before
            // the format was recorded reads as 0, so it is filtered here rather than in SQL (where a missing field is null).
            List<string> stale;
            await using (var session = documents.QuerySession())
            {
                var heads = await session.Query<BoardEntry>().Select(v => new HeadFormat(v.Id, v.FoldFormat)).ToListAsync(ct);
                stale = heads.Where(h => h.Format != FoldAccumulator.CurrentFormat).Select(h => h.Id).Order(StringComparer.Ordinal).ToList();
            }
            if (stale.Count == 0) return;
            logger.LogInformation("Rebuilding the read models of {Total} negotiation(s) for fold format {Format}.", stale.Count, FoldAccumulator.CurrentFormat);
            var done = 0;
            await store.RebuildAllAsync(stale, new Normalization.Api.Importing.SyncProgress<string>(id =>
                logger.LogInformation("Rebuilt '{Id}' ({N} of {Total}).", id, Interlocked.Increment(ref done), stale.Count)), ct: ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning(e, "The read models could not be brought to the current fold format; run the rebuild command.");
        }
    }

    public Task StopAsync(CancellationToken ct) => Task.CompletedTask;

    /// <summary>The two fields the check reads.</summary>
    public sealed record HeadFormat(string Id, int Format);
}
