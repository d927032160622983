using Marten;
using Npgsql;

namespace Normalization.Api.Alerts.Delivering;

/// <summary>
/// One short transaction on one delivery's log (<see cref="AlertDelivery"/>): a pooled connection, a transaction, a
/// transaction-scoped advisory lock on the delivery's id and a Marten session on that transaction. The lock makes two copies
/// of a delivery (a redelivery beside the original, two nodes) take their turns one after the other, so one of them claims
/// it and the other finds the claim. Taken for a few statements only — never across the webhook's POST: disposing it
/// gives the connection back (and rolls back what was not committed).
/// </summary>
sealed class DeliveryTurn : IAsyncDisposable
{
    readonly NpgsqlConnection _connection;
    readonly NpgsqlTransaction _transaction;

    DeliveryTurn(NpgsqlConnection connection, NpgsqlTransaction transaction, IDocumentSession session) =>
        (_connection, _transaction, Session) = (connection, transaction, session);

    /// <summary>The Marten session on the turn's transaction.</summary>
    public IDocumentSession Session { get; }

    /// <summary>Opens a connection, begins the transaction and waits for the delivery's lock (held by another turn for a few statements at most).</summary>
    public static async Task<DeliveryTurn> TakeAsync(string deliveryId, NpgsqlDataSource dataSource, IDocumentStore store, CancellationToken ct)
    {
        var connection = await dataSource.OpenConnectionAsync(ct);
        try
        {
            var transaction = await connection.BeginTransactionAsync(ct);
            await using (var lockCmd = new NpgsqlCommand("select pg_advisory_xact_lock(hashtextextended(@id, 7))", connection, transaction))
            {
                lockCmd.Parameters.AddWithValue("id", deliveryId);
                await lockCmd.ExecuteNonQueryAsync(ct);
            }
            return new DeliveryTurn(connection, transaction, store.LightweightSession(Marten.Services.SessionOptions.ForTransaction(transaction)));
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Saves the session's changes and commits: the lock is released with the commit.</summary>
    public async Task CommitAsync(CancellationToken ct)
    {
        await Session.SaveChangesAsync(ct);
        await _transaction.CommitAsync(ct);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Session.DisposeAsync();
        await _transaction.DisposeAsync();
        await _connection.DisposeAsync();
    }
}
