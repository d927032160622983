using System.Text.Json.Serialization;

namespace Normalization.Domain.Catalog;

public enum Confidence { Rumoured = 0, Reported = 1, Confirmed = 2 }

/// <summary>Where a fact comes from. Attribution is the source's own wording ("sources familiar with the talks").</summary>
public sealed record Source
{
    public string Publisher { get; init; } = "";
    public string? Url { get; init; }
    public string? PublishedOn { get; init; }
    public string? Attribution { get; init; }
}

/// <summary>
/// The envelope every catalog event carries. Each concrete type is a small immutable record;
/// the JSON form is flat, with "type" naming the concrete type.
/// </summary>
public abstract record NegotiationEvent
{
    [JsonIgnore] public string Type => GetType().Name;
    public Guid EventId { get; init; }
    public DomainDate OccurredOn { get; init; }
    public string Actor { get; init; } = "";
    public string? Target { get; init; }
    public Confidence Confidence { get; init; } = Confidence.Reported;
    public IReadOnlyList<Source> Sources { get; init; } = [];
    public string? Note { get; init; }

    /// <summary>True only for events added in a what-if branch; never stored.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Hypothetical { get; init; }

    /// <summary>The day the event counts as having happened.</summary>
    [JsonIgnore] public DateOnly Date => OccurredOn.End;
}
