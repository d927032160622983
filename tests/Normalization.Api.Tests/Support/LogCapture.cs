using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Normalization.Api.Tests.Support;

/// <summary>
/// A logger provider that keeps what the app logs (at the levels its configuration lets through: Marten at Warning and up,
/// the rest at Information), so a test can look at the entries written while it ran.
/// </summary>
public sealed class LogCapture : ILoggerProvider
{
    /// <summary>One entry: category, level, the formatted message and the exception's text.</summary>
    public sealed record Entry(long Sequence, string Category, LogLevel Level, string Message, string? Exception)
    {
        /// <summary>When it was written (UTC), for tests that count entries over a stretch of time.</summary>
        public DateTime At { get; } = DateTime.UtcNow;

        /// <summary>The entry's event id (a kind of line within its category).</summary>
        public int EventId { get; init; }

        public override string ToString() => $"{Level} {Category}: {Message}{(Exception is null ? "" : " | " + Exception.Split('\n')[0])}";
    }

    readonly ConcurrentQueue<Entry> entries = new();
    long sequence;

    /// <summary>Where the log is now: pass it to <see cref="Since"/>.</summary>
    public long Mark() => Interlocked.Read(ref sequence);

    /// <summary>The entries written after <paramref name="mark"/>.</summary>
    public IReadOnlyList<Entry> Since(long mark) => entries.Where(e => e.Sequence > mark).OrderBy(e => e.Sequence).ToList();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    sealed class Logger(LogCapture capture, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var entry = new Entry(Interlocked.Increment(ref capture.sequence), category, logLevel, formatter(state, exception), exception?.ToString()) { EventId = eventId.Id };
            capture.entries.Enqueue(entry);
            // Keep the queue small: the whole api collection logs through it.
            while (capture.entries.Count > 5_000 && capture.entries.TryDequeue(out _)) { }
        }
    }
}
