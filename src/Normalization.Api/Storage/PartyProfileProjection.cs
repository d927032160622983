using JasperFx.Events;
using Marten.Events.Projections;
using Normalization.Domain.Negotiations;

namespace Normalization.Api.Storage;

/// <summary>
/// Builds <see cref="PartyProfile"/> (one document per principal party's code) from the <see cref="NegotiationOpened"/>
/// event that starts every negotiation stream. Registered inline (<see cref="MartenSetup"/>): the profile is written in
/// the transaction that starts the stream, so a read right after the create sees it. Marten's own projection rebuild
/// (<c>projections rebuild</c>, or the daemon's <c>RebuildProjectionAsync</c>) rebuilds every profile from the events,
/// while no stream starts (<see cref="ProfileRebuildLock"/>).
/// </summary>
public sealed class PartyProfileProjection : MultiStreamProjection<PartyProfile, string>
{
    /// <summary>The projection's name in Marten (<c>projections rebuild -p PartyProfile</c>; Marten's default for the document type, stated).</summary>
    public const string ProjectionName = "PartyProfile";

    /// <summary>An opening concerns both principal parties: its event goes to each party's profile (mediators have none).</summary>
    public PartyProfileProjection()
    {
        Name = ProjectionName;
        Identities<NegotiationOpened>(e => e.Parties.Select(p => p.Code).Distinct().ToList());
    }

    /// <summary>
    /// Applies one opening to the profile of party <paramref name="id"/>: the profile is created by the party's first
    /// negotiation, named as that opening names the party (a name is never overwritten), and lists the negotiation
    /// (the stream's key) once, in the order the negotiations were opened.
    /// </summary>
    public override PartyProfile? Evolve(PartyProfile? snapshot, string id, IEvent e)
    {
        if (e.Data is not NegotiationOpened opened) return snapshot;
        var profile = snapshot ?? new PartyProfile { Id = id };
        if (profile.Id.Length == 0) profile.Id = id;
        if (profile.Name.Length == 0) profile.Name = opened.Parties.FirstOrDefault(p => p.Code == id)?.Name ?? "";
        var negotiationId = e.StreamKey ?? opened.Id;
        if (!profile.NegotiationIds.Contains(negotiationId)) profile.NegotiationIds.Add(negotiationId);
        return profile;
    }
}
