using System.Net.Sockets;
using Microsoft.AspNetCore.Diagnostics;
using Npgsql;

namespace Normalization.Api.Http;

/// <summary>
/// When PostgreSQL is down, restarting or unreachable, a request answers 503 ProblemDetails with Retry-After
/// (code <c>database_unavailable</c>) instead of a 500: the request may be retried as it is (writes are idempotent by eventId).
/// Any other unhandled exception answers a bare 500 ProblemDetails without exception details, in every environment.
/// </summary>
public sealed class DatabaseUnavailableHandler(ILogger<DatabaseUnavailableHandler> logger) : IExceptionHandler
{
    public const int RetryAfterSeconds = 5;

    public static bool IsDatabaseUnavailable(Exception? e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            switch (x)
            {
                case PostgresException pg:
                    // 08 connection exceptions, 57P0x shutdown / cannot connect now, 53 insufficient resources (too many connections).
                    if (pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState.StartsWith("57P", StringComparison.Ordinal) ||
                        pg.SqlState.StartsWith("53", StringComparison.Ordinal)) return true;
                    return false;
                case NpgsqlException { IsTransient: true }:
                case NpgsqlException { InnerException: IOException or SocketException or TimeoutException }:
                case SocketException:
                case TimeoutException:
                    return true;
                case NpgsqlException n when n.Message.Contains("connection", StringComparison.OrdinalIgnoreCase):
                    return true;
                // The connection broke inside a transaction: Npgsql then refuses the next command on it.
                case InvalidOperationException { Source: "Npgsql" } io when
                    io.Message.Contains("Transaction is already completed", StringComparison.Ordinal) ||
                    io.Message.Contains("onnection is not open", StringComparison.Ordinal) ||
                    io.Message.Contains("onnection is broken", StringComparison.Ordinal):
                    return true;
                case AggregateException a when a.InnerExceptions.Any(IsDatabaseUnavailable):
                    return true;
            }
        }
        return false;
    }

    /// <summary>
    /// What the user is told happened: a time-out (a server that stops answering, or one too busy to answer in time) is named
    /// with the documented bound, anything else is a refused or lost connection. (A lock held by a long import is
    /// <c>negotiation_busy</c>, <see cref="IsLockWait"/>.)
    /// </summary>
    static string Cause(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
            if (x is TimeoutException) return $"did not answer in time (a request waits at most {Storage.MartenSetup.RequestWaitBoundSeconds} s for it)";
        return "could not be reached (connection refused or lost)";
    }

    /// <summary>
    /// Whether <paramref name="e"/> is PostgreSQL's <c>lock_not_available</c> (55P03): a request waited longer than the request
    /// pool's <c>lock_timeout</c> (<see cref="Storage.MartenSetup.RequestLockTimeoutMilliseconds"/>) behind another writer.
    /// </summary>
    public static bool IsLockWait(Exception? e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is PostgresException { SqlState: PostgresErrorCodes.LockNotAvailable }) return true;
            if (x is AggregateException a && a.InnerExceptions.Any(IsLockWait)) return true;
        }
        return false;
    }

    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        if (http.Response.HasStarted) return false;
        if (IsLockWait(exception))
        {
            // The server answers; another writer of the same rows (an import or rebuild of this negotiation) holds them, or, for a
            // create, a rebuild of the party profiles (ProfileRebuildLock).
            logger.LogInformation("Lock wait over {Ms} ms for {Method} {Path}", Storage.MartenSetup.RequestLockTimeoutMilliseconds, http.Request.Method, http.Request.Path);
            http.Response.Clear();
            http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Problems.Of(StatusCodes.Status503ServiceUnavailable, "negotiation_busy", "The negotiation is busy.",
                $"Another write to this negotiation (an import or a rebuild of it, here or on another node; for a create, a rebuild of the " +
                $"party profiles) held it for more than " +
                $"{Storage.MartenSetup.RequestLockTimeoutMilliseconds / 1000} s, so nothing of this request was stored; retry after {RetryAfterSeconds} s " +
                "(writes are idempotent by eventId).").ExecuteAsync(http);
            return true;
        }
        if (IsDatabaseUnavailable(exception))
        {
            logger.LogWarning("Database unavailable for {Method} {Path}: {Error}", http.Request.Method, http.Request.Path, exception.GetBaseException().Message);
            http.Response.Clear();
            http.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await Problems.Of(StatusCodes.Status503ServiceUnavailable, "database_unavailable", "The database is unavailable.",
                $"The request was not completed because the database {Cause(exception)}; retry after {RetryAfterSeconds} s (writes are idempotent by eventId).")
                .ExecuteAsync(http);
            return true;
        }
        if (exception is OperationCanceledException && http.RequestAborted.IsCancellationRequested)
        {
            // The client went away: nothing to answer.
            http.Response.StatusCode = 499;
            return true;
        }
        logger.LogError(exception, "Unhandled error for {Method} {Path}", http.Request.Method, http.Request.Path);
        http.Response.Clear();
        await Problems.Of(StatusCodes.Status500InternalServerError, "internal_error", "Something went wrong.",
            $"The error was logged with trace id {http.TraceIdentifier}.").ExecuteAsync(http);
        return true;
    }
}
