using Microsoft.AspNetCore.Mvc;
using Marten;
using Normalization.Api.Http;
using Normalization.Api.Http.Requests;
using Normalization.Api.Storage;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Stages;
using Wolverine.Http;

namespace Normalization.Api.Parties;

/// <summary>GET /api/parties/{code} — the negotiations a party is in and its stage in each.</summary>
public static class PartyProfileEndpoint
{
    /// <summary>The profile (the <see cref="PartyProfile"/> projection) with today's stage from the board; 400 <c>invalid_party_code</c> at <c>route.code</c> (<see cref="RouteIds"/>); 404 <c>party_not_found</c>.</summary>
    [Tags("Parties"), EndpointSummary("Party profile")]
    [EndpointDescription("The negotiations a party is a principal in, with the counterpart and the stage today. 400 invalid_party_code (route.code) for a code no party can have; 404 party_not_found.")]
    [ProducesResponseType<PartyProfileResponse>(StatusCodes.Status200OK), ProducesProblem(StatusCodes.Status400BadRequest), ProducesProblem(StatusCodes.Status404NotFound)]
    [WolverineGet("/api/parties/{code}")]
    public static async Task<IResult> Get(TodayQuery query, string code, IQuerySession session, NegotiationStore store, CancellationToken ct)
    {
        var profile = await session.LoadAsync<PartyProfile>(code.ToUpperInvariant(), ct);
        if (profile is null) return Problems.Of(404, "party_not_found", "No such party.", "No negotiation has this party as a principal.");
        var boards = await session.LoadManyAsync<BoardEntry>(ct, profile.NegotiationIds);
        var today = store.Today;
        return ApiJson.Ok(new PartyProfileResponse(profile.Id, profile.Name, [.. boards.OrderBy(b => b.Id).Select(b =>
            new PartyNegotiation(b.Id, b.Title, b.Parties.FirstOrDefault(p => p.Code != profile.Id), b.StageOn(today).Stage, b.StageOn(today).Since))]));
    }
}

/// <summary>A party (upper-case code, name from its first opening) and the negotiations it is a principal in, by id.</summary>
public sealed record PartyProfileResponse(string Code, string Name, IReadOnlyList<PartyNegotiation> Negotiations);

/// <summary>One negotiation of a party: the other principal and the stage today.</summary>
public sealed record PartyNegotiation(string Id, string Title, Party? Counterpart, Stage Stage, DateOnly? StageSince);
