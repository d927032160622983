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
