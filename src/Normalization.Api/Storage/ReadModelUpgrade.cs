using Normalization.Domain.Folding;
using Npgsql;

namespace Normalization.Api.Storage;

/// <summary>
/// At startup, rebuilds the read models of every negotiation whose stored fold head has another shape than this
/// version's <see cref="FoldAccumulator.CurrentFormat"/> (heads and checkpoints are derived data: the events are the truth).
/// Progress and failures are logged; a failure never stops the app (that negotiation keeps answering from its old head).
/// </summary>
public sealed class ReadModelUpgrade(NegotiationStore store, NpgsqlDataSource dataSource, ILogger<ReadModelUpgrade> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken ct)
    {
        try
        {
            var stale = new List<string>();
            await using (var conn = await dataSource.OpenConnectionAsync(ct))
            {
                await using var exists = new NpgsqlCommand("select to_regclass('mt_doc_negotiationview') is not null", conn);
                if (await exists.ExecuteScalarAsync(ct) is not true) return;
                await using var cmd = new NpgsqlCommand(
                    "select id from mt_doc_negotiationview where coalesce((data->'head'->>'format')::int, 0) <> @f order by id", conn);
                cmd.Parameters.AddWithValue("f", FoldAccumulator.CurrentFormat);
                await using var r = await cmd.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct)) stale.Add(r.GetString(0));
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
}
