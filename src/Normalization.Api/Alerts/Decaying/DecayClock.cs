using Normalization.Api.Readers;

namespace Normalization.Api.Alerts.Decaying;

/// <summary>
/// Days and instants of window expiry on the app's <see cref="TimeProvider"/>, in the deployment's zone
/// (<c>Normalization:TimeZone</c>, <see cref="ReaderClock.DeploymentZone"/>) — never a reader's <c>?tz=</c>: a change
/// happens on the deployment's calendar day, whoever's request scheduled it.
/// </summary>
public static class DecayClock
{
    static TimeZoneInfo Zone(TimeProvider clock) => clock is ReaderClock reader ? reader.DeploymentZone : clock.LocalTimeZone;

    /// <summary>Today's date in the deployment's zone.</summary>
    public static DateOnly Today(TimeProvider clock) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), Zone(clock)).DateTime);

    /// <summary>The first instant of <paramref name="day"/> in the deployment's zone (the first valid local time, where a DST gap swallows midnight).</summary>
    public static DateTimeOffset StartOf(DateOnly day, TimeProvider clock)
    {
        var zone = Zone(clock);
        var local = day.ToDateTime(TimeOnly.MinValue);
        while (zone.IsInvalidTime(local)) local = local.AddMinutes(15);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>How long until <paramref name="day"/> begins, measured on <paramref name="clock"/> (zero when it has begun).</summary>
    public static TimeSpan Until(DateOnly day, TimeProvider clock)
    {
        var left = StartOf(day, clock) - clock.GetUtcNow();
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    /// <summary>
    /// The instant to give Wolverine's scheduler for <paramref name="day"/>: its own wall clock plus the wait measured on the
    /// app's clock (<see cref="Until"/>). Wolverine's durability agent compares a scheduled envelope's time with
    /// <see cref="DateTimeOffset.UtcNow"/>, not with an injected <see cref="TimeProvider"/> (docs/architecture.md, "Alerts"),
    /// so this is the one place the wall clock is read; in production both clocks are the same. The handler checks the day
    /// again on the app's clock when the message fires.
    /// </summary>
    public static DateTimeOffset SchedulerInstant(DateOnly day, TimeProvider clock) => DateTimeOffset.UtcNow + Until(day, clock);
}
