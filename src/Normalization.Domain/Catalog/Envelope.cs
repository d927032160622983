using System.Text.Json.Serialization;

namespace Normalization.Domain.Catalog;

/// <summary>How well a fact is established. The fold counts <c>Reported</c> and up by default (<see cref="Stages.FoldOptions.MinConfidence"/>).</summary>
public enum Confidence
{
    /// <summary>Rumoured: left out of the fold by default.</summary>
    Rumoured = 0,
    /// <summary>Reported by a source.</summary>
    Reported = 1,
    /// <summary>Confirmed by the parties or several sources.</summary>
    Confirmed = 2,
}

/// <summary>
/// Where a fact comes from. Attribution is the source's own wording ("sources familiar with the talks"). A quote is kept in
/// English (<see cref="Quote"/>) and, when the source wrote in another language, as written (<see cref="OriginalQuote"/>, in
/// <see cref="OriginalLanguage"/>, a tag such as <c>fr</c>): a translation never replaces the words it translates.
/// </summary>
public sealed record Source
{
    /// <summary>Who published it (a newspaper, an agency, a ministry).</summary>
    public string Publisher { get; init; } = "";
    /// <summary>Its address, an absolute http(s) URL, only where it is certain.</summary>
    public string? Url { get; init; }
    /// <summary>When it was published: <c>YYYY-MM-DD</c>, <c>YYYY-MM</c> or <c>YYYY</c>.</summary>
    public string? PublishedOn { get; init; }
    /// <summary>The source's own attribution ("sources familiar with the talks").</summary>
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
    /// <summary>The catalog type name, e.g. <c>TalksHeld</c> (the JSON <c>type</c>).</summary>
    [JsonIgnore] public string Type => GetType().Name;
    /// <summary>The event's id: retries with the same id are idempotent; retractions and corrections name it.</summary>
    public Guid EventId { get; init; }
    /// <summary>When it happened, as precisely as known (a month or a year counts on its last day: <see cref="Date"/>).</summary>
    public DomainDate OccurredOn { get; init; }
    /// <summary>Code of the party (or third party) that acted.</summary>
    public string Actor { get; init; } = "";
    /// <summary>Code of the party acted upon, if any (the catalog says when it is required).</summary>
    public string? Target { get; init; }
    /// <summary>How well established it is (default Reported).</summary>
    public Confidence Confidence { get; init; } = Confidence.Reported;
    /// <summary>Where it comes from.</summary>
    public IReadOnlyList<Source> Sources { get; init; } = [];
    /// <summary>Free text, e.g. why a date is uncertain.</summary>
    public string? Note { get; init; }

    /// <summary>True only for events added in a what-if branch; never stored.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Hypothetical { get; init; }

    /// <summary>
    /// The event with an id: itself when it has one, else a copy with a new GUID. The one rule for an event given without an
    /// <see cref="EventId"/> — posted, imported, read from a history file, added to a what-if, or handed to the fold or a
    /// branch in code: it is an event of its own, never merged with another id-less one.
    /// </summary>
    public NegotiationEvent WithId() => EventId != Guid.Empty ? this : this with { EventId = Guid.NewGuid() };

    /// <summary>The day the event counts as having happened.</summary>
    [JsonIgnore] public DateOnly Date => OccurredOn.End;
}
