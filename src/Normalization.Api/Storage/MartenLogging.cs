using Marten;
using Npgsql;

namespace Normalization.Api.Storage;

/// <summary>
/// The logger Marten writes its command log to (<c>ILogger&lt;IDocumentStore&gt;</c>: Marten 9's <c>DefaultMartenLogger</c>
/// takes it from the container), registered in MartenSetup. Marten's own log of a failed command is an Error with the stack
/// trace, the SQL and every parameter's value — the events' data (a note, a person's name) in the log. Here:
/// <list type="bullet">
/// <item>Two failures are routine and answered, not failures: an eventId already stored (the append runs again with the
/// duplicate check, NegotiationStore.Appending.cs) and a negotiation id already taken (409 <c>negotiation_exists</c>); a
/// serialization failure of a start is retried. They are logged at Debug, one line, no stack trace (<see cref="RoutineConflict"/>).
/// A conflict that still ends in an error answer is logged by ASP.NET.</item>
/// <item>Any other failure stays an Error with its exception and SQL, without the parameters' values.</item>
/// <item>A command's Debug line keeps its SQL and duration, without the parameters' values.</item>
/// </list>
/// Everything else Marten logs (schema changes, the daemon, rebuilds) passes through unchanged, under Marten's category.
/// Marten's own <c>IMartenLogger</c> is left in place on purpose: replacing it (<c>opts.Logger(…)</c>) also stops Marten from
/// handing its logger factory to the projection daemon and the rebuild tooling.
/// </summary>
public sealed partial class MartenLogging(ILogger inner, Func<IDocumentStore>? store = null) : ILogger<IDocumentStore>
{
    /// <summary>Marten's command-log templates name these values (DefaultMartenLogger's LoggerMessage definitions).</summary>
    const string Parameters = "PARAMETERS", Sql = "SQL", Milliseconds = "milliseconds";

    /// <inheritdoc/>
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

    /// <inheritdoc/>
    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    /// <inheritdoc/>
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (state is not IReadOnlyList<KeyValuePair<string, object?>> values || !values.Any(v => v.Key == Parameters))
        {
            inner.Log(logLevel, eventId, state, exception, formatter);
            return;
        }
        var sql = values.FirstOrDefault(v => v.Key == Sql).Value as string ?? "";
        if (exception is null) Executed(logLevel, values.FirstOrDefault(v => v.Key == Milliseconds).Value, sql);
        else if (RoutineConflict(exception) is { } conflict) Conflict(conflict);
        else Failed(exception, sql);
    }

    /// <summary>
    /// What a routine conflict is, or null for a real failure: the store's own tests of an exception (the ones its callers use
    /// to answer or retry), and the stream id taken (Marten's <c>ExistingStreamIdCollisionException</c>, seen here before Marten
    /// translates it: a unique violation on Marten's streams table, found among Marten's schema objects).
    /// </summary>
    public string? RoutineConflict(Exception ex)
    {
        if (NegotiationStore.IsStoredEventId(ex)) return "an eventId already stored (the append runs again with the duplicate check)";
        if (NegotiationStore.IsSerializationFailure(ex)) return "a serialization failure (the start is retried)";
        for (Exception? x = ex; x is not null; x = x.InnerException)
            if (x is Marten.Exceptions.ExistingStreamIdCollisionException
                || x is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } p && streamsTable is { } table && p.TableName == table)
                return "a negotiation id already taken (answered 409 negotiation_exists)";
        return null;
    }

    /// <summary>
    /// The name of Marten's event-streams table, read from Marten's own schema objects (its type, not a name written here),
    /// once the store exists; null before (a unique violation is then a failure, as any other).
    /// </summary>
    string? streamsTable => _streamsTable ??= store?.Invoke().Storage.AllObjects().OfType<Weasel.Postgresql.Tables.Table>()
        .FirstOrDefault(t => t.GetType().Name == "StreamsTable")?.Identifier.Name;
    string? _streamsTable;

    [LoggerMessage(Message = "Marten executed in {Milliseconds} ms, SQL: {Sql}")]
    partial void Executed(LogLevel level, object? milliseconds, string sql);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Routine conflict, answered by the store: {Conflict}")]
    partial void Conflict(string conflict);

    [LoggerMessage(Level = LogLevel.Error, Message = "Marten encountered an exception executing\n{Sql}")]
    partial void Failed(Exception ex, string sql);
}
