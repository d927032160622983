using System.Text.Json.Serialization;

namespace Normalization.Domain.Catalog;

public enum Confidence { Rumoured = 0, Reported = 1, Confirmed = 2 }

/// <summary>
/// Where a fact comes from. Attribution is the source's own wording ("sources familiar with the talks"). A quote is kept in
/// English (<see cref="Quote"/>) and, when the source wrote in another language, as written (<see cref="OriginalQuote"/>, in
/// <see cref="OriginalLanguage"/>, a tag such as <c>fr</c>): a translation never replaces the words it translates.
/// </summary>
public sealed record Source
{
    public string Publisher { get; init; } = "";
    public string? Url { get; init; }
    public string? PublishedOn { get; init; }
    public string? Attribution { get; init; }
    /// <summary>The source's words in English (translated when the source is not in English).</summary>
    public string? Quote { get; init; }
    /// <summary>The source's words as written, in <see cref="OriginalLanguage"/>.</summary>
    public string? OriginalQuote { get; init; }
    /// <summary>The language of <see cref="OriginalQuote"/>: ISO 639 code, optional ISO 3166 region (<c>fr</c>, <c>fr-FR</c>).</summary>
    public string? OriginalLanguage { get; init; }
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
