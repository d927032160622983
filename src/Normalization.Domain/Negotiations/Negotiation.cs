using System.Text.Json.Serialization;
using Normalization.Domain.Catalog;

namespace Normalization.Domain.Negotiations;

/// <summary>A party or a mediator: a code (<c>US</c>, <c>ISIS-K</c>) and a name.</summary>
public sealed record Party
{
    /// <summary>Its code: upper-case letters, digits and hyphens, starting with a letter.</summary>
    public string Code { get; init; } = "";
    /// <summary>Its name.</summary>
    public string Name { get; init; } = "";
}

/// <summary>A recognition in force before the first recorded event.</summary>
public sealed record BaselineRecognition
{
    /// <summary>The recognizing party.</summary>
    public string By { get; init; } = "";
    /// <summary>The recognized party.</summary>
    public string Of { get; init; } = "";
    /// <summary>De jure (default) or de facto.</summary>
    public RecognitionForm Form { get; init; } = RecognitionForm.DeJure;
}

/// <summary>An office operating before the first recorded event.</summary>
public sealed record BaselineOffice
{
    /// <summary>The party whose office it is.</summary>
    public string Sender { get; init; } = "";
    /// <summary>The party in whose territory it operates.</summary>
    public string Host { get; init; } = "";
    /// <summary>The kind of office.</summary>
    public OfficeKind OfficeKind { get; init; }
    /// <summary>Where, if recorded.</summary>
    public string? City { get; init; }
}

/// <summary>A designation in force before the first recorded event.</summary>
public sealed record BaselineDesignation
{
    /// <summary>The designating party.</summary>
    public string By { get; init; } = "";
    /// <summary>Who or what is designated.</summary>
    public string Designee { get; init; } = "";
    /// <summary>The list.</summary>
    public DesignationList List { get; init; } = DesignationList.Other;
}

/// <summary>The structural facts true before the first recorded event; they hold for every date queried.</summary>
public sealed record Baseline
{
    /// <summary>Relations before the first event (default None).</summary>
    public RelationsStatus Relations { get; init; } = RelationsStatus.None;
    /// <summary>Recognitions in force.</summary>
    public IReadOnlyList<BaselineRecognition> Recognition { get; init; } = [];
    /// <summary>Offices operating.</summary>
    public IReadOnlyList<BaselineOffice> Offices { get; init; } = [];
    /// <summary>Sanctions in force, by scope (a SanctionsEased of that scope lifts one).</summary>
    public IReadOnlyList<string> Sanctions { get; init; } = [];
    /// <summary>Designations in force.</summary>
    public IReadOnlyList<BaselineDesignation> Designations { get; init; } = [];
}

/// <summary>The first event of every negotiation stream.</summary>
public sealed record NegotiationOpened
{
    /// <summary>The negotiation's id: a slug (lower-case letters, digits, single hyphens).</summary>
    public string Id { get; init; } = "";
    /// <summary>Its title.</summary>
    public string Title { get; init; } = "";
    /// <summary>Exactly two parties.</summary>
    public IReadOnlyList<Party> Parties { get; init; } = [];
    /// <summary>Mediators (neither party), up to 20.</summary>
    public IReadOnlyList<Party> Mediators { get; init; } = [];
    /// <summary>The structural facts before the first event.</summary>
    public Baseline Baseline { get; init; } = new();
    /// <summary>
    /// How far the record was reviewed when the negotiation was created: states asked for a later date are extrapolated
    /// (docs/stage-model.md, "How far the record reaches"). Null: not declared. A later <c>RecordReviewed</c> event moves it.
    /// </summary>
    public DateOnly? CoveredUntil { get; init; }
    /// <summary>Labels for the board's <c>?tag=</c> filter (slugs, at most 10), e.g. <c>library</c> for the shipped histories.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>The first party's code.</summary>
    [JsonIgnore] public string PartyA => Parties[0].Code;
    /// <summary>The second party's code.</summary>
    [JsonIgnore] public string PartyB => Parties[1].Code;
    /// <summary>Whether <paramref name="code"/> is one of <see cref="Parties"/>. A loop: the fold asks several times per event, and a lambda over the list allocated each time.</summary>
    public bool IsPrincipal(string? code)
    {
        if (code is null) return false;
        for (var i = 0; i < Parties.Count; i++) if (Parties[i].Code == code) return true;
        return false;
    }
    /// <summary>The other party's code, or null when <paramref name="code"/> is not a party.</summary>
    public string? OtherParty(string code) => code == PartyA ? PartyB : code == PartyB ? PartyA : null;

    /// <summary>
    /// The one test of "between the two parties" (docs/stage-model.md, "What counts as talks, a gesture, a hostile act"): the
    /// fold asks it of talks and gestures, the momentum of every event, so a fact moves the stage, the ledger and the momentum
    /// alike or none of them. A joint event — <see cref="TalksHeld"/>, <see cref="AgreementSigned"/>,
    /// <see cref="PrisonersExchanged"/> — is between the parties when its sides (participants, signatories, releasing parties)
    /// include both (<see cref="NamesBoth"/>; a mediator or guarantor may be among them too), or when its actor and target are
    /// the two; any other event when its actor is a party and its target the other party or none. One party's agreement or
    /// prisoner swap with a third country is not: it is that party's business with someone else.
    /// </summary>
    public bool IsBetweenTheParties(NegotiationEvent e) => e switch
    {
        TalksHeld t => NamesBoth(t.Participants) || ActorAndTargetAreTheParties(e),
        AgreementSigned a => NamesBoth(a.Signatories) || ActorAndTargetAreTheParties(e),
        PrisonersExchanged x => ReleasedByBoth(x.Releases) || ActorAndTargetAreTheParties(e),
        _ => IsPrincipal(e.Actor) && (e.Target is null || e.Target == OtherParty(e.Actor)),
    };

    /// <summary>Whether <paramref name="codes"/> (a joint event's sides) include both parties; validation asks it of new joint events (<c>too_few</c>).</summary>
    public bool NamesBoth(IReadOnlyList<string> codes) => Names(codes, PartyA) && Names(codes, PartyB);

    /// <summary>Whether each party released someone in <paramref name="releases"/> (an exchange's sides).</summary>
    public bool ReleasedByBoth(IReadOnlyList<Release> releases)
    {
        bool a = false, b = false;
        foreach (var r in releases) { a |= r.ReleasedBy == PartyA; b |= r.ReleasedBy == PartyB; }
        return a && b;
    }

    bool ActorAndTargetAreTheParties(NegotiationEvent e) => IsPrincipal(e.Actor) && IsPrincipal(e.Target) && e.Actor != e.Target;

    // Loops, not LINQ: the fold asks for every event.
    static bool Names(IReadOnlyList<string> codes, string code)
    {
        for (var i = 0; i < codes.Count; i++) if (codes[i] == code) return true;
        return false;
    }
}
