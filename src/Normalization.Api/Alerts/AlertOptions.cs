namespace Normalization.Api.Alerts;

/// <summary>
/// The <c>Normalization:Alerts</c> settings (docs/alerts.md). <see cref="AllowedHosts"/> restricts where webhooks may go;
/// <see cref="RetryDelaysSeconds"/> is the backoff between delivery attempts (one more attempt than delays, then the
/// message is dead-lettered).
/// </summary>
public sealed class AlertOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Normalization:Alerts";

    /// <summary>
    /// Host names or IP addresses a webhook may target. Empty: any host whose addresses are all public. Listed: only these
    /// hosts — and a listed name or address may be private or loopback (e.g. <c>127.0.0.1</c> for a local receiver).
    /// </summary>
    public List<string> AllowedHosts { get; set; } = [];

    /// <summary>The default backoff: 5 s, 30 s, 2 min, 10 min, 30 min, 1 h, 2 h (about 3¾ hours in all, so a receiver down for an hour gets everything).</summary>
    public static readonly double[] DefaultRetryDelaysSeconds = [5, 30, 120, 600, 1800, 3600, 7200];

    /// <summary>Seconds to wait before each retry; <see cref="DefaultRetryDelaysSeconds"/> when not set. (Null by default: the
    /// configuration binder appends to a non-empty list instead of replacing it.)</summary>
    public double[]? RetryDelaysSeconds { get; set; }

    /// <summary>Seconds a receiver has to answer one POST before the attempt counts as failed.</summary>
    public double TimeoutSeconds { get; set; } = 10;

    /// <summary>
    /// How long a delivery attempt's claim stands (<see cref="Delivering.AlertDelivery.LeasedUntil"/>): the POST's timeout and
    /// 30 s more, for the steps around it and for clocks of several nodes that disagree a little. Another copy of the message
    /// waits this long before it looks again; a node that died mid-POST has its delivery taken over once it has passed.
    /// </summary>
    public TimeSpan Lease => TimeSpan.FromSeconds(TimeoutSeconds + 30);

    /// <summary>The retry delays as time spans.</summary>
    public TimeSpan[] RetryDelays => (RetryDelaysSeconds is { Length: > 0 } d ? d : DefaultRetryDelaysSeconds).Select(TimeSpan.FromSeconds).ToArray();

    /// <summary>Attempts in all: the first plus one per retry delay.</summary>
    public int MaxAttempts => RetryDelays.Length + 1;

    /// <summary>
    /// The settings of <paramref name="configuration"/>, checked: a value that cannot work stops the start naming its key
    /// (as a bad mode or zone does, docs/api.md) instead of failing every delivery later — a timeout that is not above 0
    /// (HttpClient refuses it: each delivery would throw before its POST and stay "pending"), a retry delay below 0 or of
    /// more than a week, a blank allowed host.
    /// </summary>
    public static AlertOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection(Section).Get<AlertOptions>() ?? new AlertOptions();
        if (!(options.TimeoutSeconds > 0 && options.TimeoutSeconds <= 600))
            throw new InvalidOperationException($"{Section}:TimeoutSeconds must be a number of seconds above 0 and at most 600 (default 10).");
        var delays = options.RetryDelaysSeconds ?? [];
        for (var i = 0; i < delays.Length; i++)
            if (!(delays[i] >= 0 && delays[i] <= 7 * 24 * 3600))
                throw new InvalidOperationException($"{Section}:RetryDelaysSeconds:{i} must be a number of seconds from 0 to 604800 (a week).");
        for (var i = 0; i < options.AllowedHosts.Count; i++)
            if (string.IsNullOrWhiteSpace(options.AllowedHosts[i]))
                throw new InvalidOperationException($"{Section}:AllowedHosts:{i} must name a host (a name or an address).");
        return options;
    }
}
