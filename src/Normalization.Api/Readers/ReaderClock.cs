namespace Normalization.Api.Readers;

/// <summary>
/// The app's <see cref="TimeProvider"/>: the instant from <paramref name="reference"/> (the system clock; a test's fake), the
/// <see cref="LocalTimeZone"/> of the reader — the request's <c>?tz=</c> (set by <see cref="ReaderTimeZoneMiddleware"/> for the
/// request's duration), else the deployment's <c>Normalization:TimeZone</c>, else UTC. So "today" (<c>GetLocalNow()</c>'s date:
/// the future-date rule, the default as-of) is the reader's calendar day, while every recorded instant stays UTC.
/// </summary>
public sealed class ReaderClock(TimeProvider reference, TimeZoneInfo deploymentZone) : TimeProvider
{
    /// <summary>The DI key under which a test registers the reference clock (e.g. a FakeTimeProvider) that this one wraps.</summary>
    public const string ReferenceKey = "reference";

    static readonly AsyncLocal<TimeZoneInfo?> RequestZone = new();

    /// <summary>The deployment's zone (<c>Normalization:TimeZone</c>).</summary>
    public TimeZoneInfo DeploymentZone => deploymentZone;

    /// <summary>The reader's zone: the current request's, else the deployment's.</summary>
    public override TimeZoneInfo LocalTimeZone => RequestZone.Value ?? deploymentZone;

    public override DateTimeOffset GetUtcNow() => reference.GetUtcNow();
    public override long GetTimestamp() => reference.GetTimestamp();
    public override long TimestampFrequency => reference.TimestampFrequency;
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        reference.CreateTimer(callback, state, dueTime, period);

    /// <summary>The reader's calendar date now.</summary>
    public DateOnly Today => DateOnly.FromDateTime(GetLocalNow().DateTime);

    /// <summary>Makes <paramref name="zone"/> the reader's zone for the rest of the current async flow (a request).</summary>
    public static void UseForThisFlow(TimeZoneInfo? zone) => RequestZone.Value = zone;
}
