using Normalization.Domain.Stages;

namespace Normalization.Api.Alerts.Subscribing;

/// <summary>
/// A webhook subscription (a Marten document): where to POST stage changes, the HMAC secret that signs them, and the
/// filters — all given filters must match (a null or empty filter matches everything).
/// </summary>
public sealed class Subscription
{
    public Guid Id { get; set; }
    /// <summary>The http(s) URL alerts are POSTed to.</summary>
    public string Url { get; set; } = "";
    /// <summary>The HMAC-SHA256 key of <c>X-Normalization-Signature</c>. Never returned by the API.</summary>
    public string Secret { get; set; } = "";
    /// <summary>Only this negotiation (its slug), or every negotiation when null.</summary>
    public string? NegotiationId { get; set; }
    /// <summary>Only negotiations with this party (CAMEO-style code, upper case), or all when null.</summary>
    public string? Party { get; set; }
    /// <summary>Only changes into or out of one of these stages; every change when empty.</summary>
    public List<Stage> Stages { get; set; } = [];
    /// <summary>The API key's name that created it.</summary>
    public string CreatedBy { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Whether a change of <paramref name="negotiationId"/> (with these parties) from one stage to another concerns this subscription.</summary>
    public bool Matches(string negotiationId, IReadOnlyCollection<string> parties, Stage? from, Stage to) =>
        (NegotiationId is null || NegotiationId == negotiationId)
        && (Party is null || parties.Contains(Party, StringComparer.OrdinalIgnoreCase))
        && (Stages.Count == 0 || Stages.Contains(to) || (from is { } f && Stages.Contains(f)));
}
