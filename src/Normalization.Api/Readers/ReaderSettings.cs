namespace Normalization.Api.Readers;

/// <summary>How the deployment faces its readers: <see cref="ReadWrite"/> (the default) or <see cref="ReadOnly"/>.</summary>
public enum DeploymentMode
{
    /// <summary>Writes with an API key; what-if needs a key too.</summary>
    ReadWrite,

    /// <summary>A public tracker: every write answers 403 <c>read_only</c>, what-if is open to anyone under limits.</summary>
    ReadOnly,
}

/// <summary>
/// The reader-facing settings, from configuration section <c>Normalization</c>: <c>Mode</c> (<see cref="DeploymentMode"/>,
/// default ReadWrite), <c>TimeZone</c> (an IANA id such as <c>Europe/Paris</c>, default <c>UTC</c>: the deployment's "today"),
/// <c>Embed:FrameAncestors</c> (origins allowed to frame the embed view, default none) and the public limits under
/// <c>RateLimit</c> (<see cref="PublicLimits"/>). Read from the host's final configuration at each use, so a test host can override it.
/// </summary>
public sealed record ReaderSettings(DeploymentMode Mode, TimeZoneInfo TimeZone, IReadOnlyList<string> FrameAncestors)
{
    /// <summary>The configuration key of the mode.</summary>
    public const string ModeKey = "Normalization:Mode";

    /// <summary>The configuration key of the deployment's time zone.</summary>
    public const string TimeZoneKey = "Normalization:TimeZone";

    /// <summary>The configuration key (array) of the origins allowed to frame /embed pages.</summary>
    public const string FrameAncestorsKey = "Normalization:Embed:FrameAncestors";

    /// <summary>True when writes are closed.</summary>
    public bool IsReadOnly => Mode == DeploymentMode.ReadOnly;

    /// <summary>
    /// The settings in <paramref name="configuration"/>. A mode or zone that is not valid stops the start with a message that
    /// names the key: a public tracker must never open writes because of a typo.
    /// </summary>
    public static ReaderSettings From(IConfiguration configuration)
    {
        var modeText = configuration[ModeKey]?.Trim();
        var mode = DeploymentMode.ReadWrite;
        if (!string.IsNullOrEmpty(modeText) && !Enum.GetNames<DeploymentMode>().Any(n => string.Equals(n, modeText, StringComparison.OrdinalIgnoreCase)))
            throw new InvalidOperationException($"{ModeKey} must be ReadWrite or ReadOnly, not '{modeText}'.");
        if (!string.IsNullOrEmpty(modeText)) mode = Enum.Parse<DeploymentMode>(modeText, ignoreCase: true);
        var zoneText = configuration[TimeZoneKey];
        var zone = TimeZoneInfo.Utc;
        if (!string.IsNullOrWhiteSpace(zoneText) && !TimeZones.TryFind(zoneText.Trim(), out zone))
            throw new InvalidOperationException($"{TimeZoneKey} must be an IANA time zone id such as Europe/Paris or UTC, not '{zoneText}'.");
        var ancestors = configuration.GetSection(FrameAncestorsKey).Get<string[]>() ?? [];
        foreach (var a in ancestors)
            if (!Uri.TryCreate(a, UriKind.Absolute, out var u) || u.Scheme is not ("https" or "http") || u.PathAndQuery != "/" || a.Contains(';') || a.Contains(' '))
                throw new InvalidOperationException($"{FrameAncestorsKey} takes origins such as https://news.example, not '{a}'.");
        return new ReaderSettings(mode, zone!, ancestors.Select(a => a.TrimEnd('/')).ToList());
    }
}
