using Npgsql;

namespace Normalization.Api.Storage;

/// <summary>
/// The connections for work that may run for minutes — a bulk import, a rebuild, a late event's checkpoints — beside the
/// request pool, whose commands give up after <see cref="MartenSetup.RequestCommandTimeoutSeconds"/> in an app node (so that a
/// request on a server that stops answering gets its 503 within <see cref="MartenSetup.RequestWaitBoundSeconds"/>). A type of
/// its own so that the container tells the two pools apart.
/// </summary>
public sealed class LongWork(NpgsqlDataSource source) : IAsyncDisposable
{
    /// <summary>The pool: <see cref="MartenSetup.LongWorkPoolSize"/> connections, Npgsql's command time-out as configured.</summary>
    public NpgsqlDataSource Source { get; } = source;

    /// <summary>A connection from the long-work pool.</summary>
    public ValueTask<NpgsqlConnection> OpenConnectionAsync(CancellationToken ct = default) => Source.OpenConnectionAsync(ct);

    /// <summary>Closes the pool's connections.</summary>
    public ValueTask DisposeAsync() => Source.DisposeAsync();
}
