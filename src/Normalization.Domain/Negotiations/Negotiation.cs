using System.Text.Json.Serialization;
using Normalization.Domain.Catalog;

namespace Normalization.Domain.Negotiations;

public sealed record Party
{
    public string Code { get; init; } = "";
    public string Name { get; init; } = "";
}

public sealed record BaselineRecognition
{
    public string By { get; init; } = "";
    public string Of { get; init; } = "";
    public RecognitionForm Form { get; init; } = RecognitionForm.DeJure;
}

public sealed record BaselineOffice
{
    public string Sender { get; init; } = "";
    public string Host { get; init; } = "";
    public OfficeKind OfficeKind { get; init; }
    public string? City { get; init; }
}

public sealed record BaselineDesignation
{
    public string By { get; init; } = "";
    public string Designee { get; init; } = "";
    public DesignationList List { get; init; } = DesignationList.Other;
}

/// <summary>The structural facts true before the first recorded event; they hold for every date queried.</summary>
public sealed record Baseline
{
    public RelationsStatus Relations { get; init; } = RelationsStatus.None;
    public IReadOnlyList<BaselineRecognition> Recognition { get; init; } = [];
    public IReadOnlyList<BaselineOffice> Offices { get; init; } = [];
    public IReadOnlyList<string> Sanctions { get; init; } = [];
    public IReadOnlyList<BaselineDesignation> Designations { get; init; } = [];
}

/// <summary>The first event of every negotiation stream.</summary>
public sealed record NegotiationOpened
{
    public string Id { get; init; } = "";
    public string Title { get; init; } = "";
    public IReadOnlyList<Party> Parties { get; init; } = [];
    public IReadOnlyList<Party> Mediators { get; init; } = [];
    public Baseline Baseline { get; init; } = new();
    /// <summary>
    /// How far the record was reviewed when the negotiation was created: states asked for a later date are extrapolated
    /// (docs/stage-model.md, "How far the record reaches"). Null: not declared. A later <c>RecordReviewed</c> event moves it.
    /// </summary>
    public DateOnly? CoveredUntil { get; init; }
    /// <summary>Labels for the board's <c>?tag=</c> filter (slugs, at most 10), e.g. <c>library</c> for the shipped histories.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    [JsonIgnore] public string PartyA => Parties[0].Code;
    [JsonIgnore] public string PartyB => Parties[1].Code;
    /// <summary>Whether <paramref name="code"/> is one of <see cref="Parties"/>. A loop: the fold asks several times per event, and a lambda over the list allocated each time.</summary>
    public bool IsPrincipal(string? code)
    {
        if (code is null) return false;
        for (var i = 0; i < Parties.Count; i++) if (Parties[i].Code == code) return true;
        return false;
    }
    public string? OtherParty(string code) => code == PartyA ? PartyB : code == PartyB ? PartyA : null;
}
