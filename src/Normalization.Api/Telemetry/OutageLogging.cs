using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Normalization.Api.Http;

namespace Normalization.Api.Telemetry;

/// <summary>
/// While PostgreSQL is away, the Critter Stack's background loops (Wolverine's node agents, heartbeats, durability agent and
/// database control queue; Marten; JasperFx) each log an Error with a stack trace on every attempt — an operator trial counted
/// dozens of stack traces in 10 s of outage, which buried the one line that mattered. Here each such category logs one
/// Warning, without the stack trace, naming the cause, at most once per <see cref="Quiet"/>; while that outage lasts, the
/// same categories' other warnings and errors (its consequences, repeated by every retry) come once per kind per
/// <see cref="Quiet"/>, prefixed "Database unavailable at the time:" and without their stack traces. Outside an outage, failures that are not the database being unavailable
/// (<see cref="DatabaseUnavailableHandler.IsDatabaseUnavailable"/>), and every other category, pass through unchanged. Requests' own 503s are logged by <see cref="DatabaseUnavailableHandler"/> (one line each).
/// </summary>
public sealed class OutageLogging(ILoggerFactory inner, TimeProvider clock) : ILoggerFactory
{
    /// <summary>How long a category stays quiet after it logged that the database is unavailable.</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The framework's categories whose background loops retry on their own, and the categories Wolverine logs a failed
    /// message under — the message type's full name (<c>Normalization.Api.Alerts.…</c>: a delivery or a fan-out retried by
    /// Wolverine while the database is away). Ours otherwise, and ASP.NET's, are left alone.
    /// </summary>
    static readonly string[] Background = ["Wolverine", "JasperFx", "Marten", "Weasel", "Npgsql", "Normalization.Api.Alerts."];

    readonly ConcurrentDictionary<string, DateTimeOffset> lastLogged = new(StringComparer.Ordinal);

    /// <summary>Per category and event id, when a line of that kind was last let through during an outage (<see cref="Collapsed"/>).</summary>
    readonly ConcurrentDictionary<string, DateTimeOffset> lastDuring = new(StringComparer.Ordinal);

    /// <summary>Whether some category said within <see cref="Quiet"/> that the database is unavailable.</summary>
    bool InOutage
    {
        get
        {
            var now = clock.GetUtcNow();
            return lastLogged.Values.Any(t => now - t < Quiet);
        }
    }

    /// <summary>
    /// During an outage, the framework's other warnings and errors — the ones without the database's own exception, such as
    /// Wolverine's "Envelope … was rescheduled to queue" after every failed try, or "Transaction is already completed" — are
    /// consequences of it repeated by every retry: each kind (category and event id) is let through once per <see cref="Quiet"/>,
    /// worded as the outage ("Database unavailable at the time: …") with its exception's type and message but not its stack trace.
    /// Called only <see cref="InOutage"/>.
    /// </summary>
    bool Collapsed(string category, EventId eventId)
    {
        var key = category + "#" + eventId.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var now = clock.GetUtcNow();
        while (true)
        {
            if (!lastDuring.TryGetValue(key, out var last)) { if (lastDuring.TryAdd(key, now)) return false; continue; }
            if (now - last < Quiet) return true;
            if (lastDuring.TryUpdate(key, now, last)) return false;
        }
    }

    /// <summary>Puts it in front of the host's logger factory (every <c>ILogger&lt;T&gt;</c> is created through it).</summary>
    public static void AddTo(IServiceCollection services)
    {
        var original = services.LastOrDefault(d => d.ServiceType == typeof(ILoggerFactory))
            ?? throw new InvalidOperationException("No ILoggerFactory registered.");
        services.Replace(ServiceDescriptor.Singleton<ILoggerFactory>(sp =>
            new OutageLogging(Resolve(sp, original), sp.GetService<TimeProvider>() ?? TimeProvider.System)));
    }

    static ILoggerFactory Resolve(IServiceProvider sp, ServiceDescriptor d) =>
        d.ImplementationInstance as ILoggerFactory
        ?? d.ImplementationFactory?.Invoke(sp) as ILoggerFactory
        ?? (ILoggerFactory)ActivatorUtilities.CreateInstance(sp, d.ImplementationType!);

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName)
    {
        var logger = inner.CreateLogger(categoryName);
        return Background.Any(b => categoryName.StartsWith(b, StringComparison.Ordinal)) ? new Quieted(this, categoryName, logger) : logger;
    }

    /// <inheritdoc/>
    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    /// <inheritdoc/>
    public void Dispose() => inner.Dispose();

    /// <summary>True when <paramref name="category"/> may log the outage now (and starts its quiet period).</summary>
    bool TakeTurn(string category)
    {
        var now = clock.GetUtcNow();
        while (true)
        {
            if (!lastLogged.TryGetValue(category, out var last))
            {
                if (lastLogged.TryAdd(category, now)) return true;
                continue;
            }
            if (now - last < Quiet) return false;
            if (lastLogged.TryUpdate(category, now, last)) return true;
        }
    }

    sealed class Quieted(OutageLogging owner, string category, ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (logLevel < LogLevel.Warning) { inner.Log(logLevel, eventId, state, exception, formatter); return; }
            if (!DatabaseUnavailableHandler.IsDatabaseUnavailable(exception))
            {
                if (!owner.InOutage) { inner.Log(logLevel, eventId, state, exception, formatter); return; }
                if (owner.Collapsed(category, eventId) || !inner.IsEnabled(logLevel)) return;
                // A consequence of the outage: said once per kind, in the outage's words, without the stack trace (its
                // exception's type and message are kept), so the log reads as the outage rather than as new faults.
                var cause = exception is null ? "" : $"{exception.GetType().Name}: {exception.Message.Split('\n')[0]}; ";
                inner.Log(logLevel, eventId, "Database unavailable at the time: {What} ({Cause}this kind not logged again for {Quiet} s)",
                    formatter(state, exception).Split('\n')[0], cause, (int)Quiet.TotalSeconds);
                return;
            }
            if (!owner.TakeTurn(category)) return;
            if (!inner.IsEnabled(LogLevel.Warning)) return;
            inner.LogWarning(eventId, "Database unavailable: {Error} ({What}; retried in the background, not logged again for {Quiet} s)",
                exception!.GetBaseException().Message, formatter(state, exception).Split('\n')[0], (int)Quiet.TotalSeconds);
        }
    }
}
