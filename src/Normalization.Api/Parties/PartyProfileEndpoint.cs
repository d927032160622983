using Marten;
using Normalization.Api.Http;
using Normalization.Api.Storage;
using Wolverine.Http;

namespace Normalization.Api.Parties;

/// <summary>GET /api/parties/{code} — the negotiations a party is in and its stage in each.</summary>
public static class PartyProfileEndpoint
{
    [WolverineGet("/api/parties/{code}")]
    public static async Task<IResult> Get(string code, HttpRequest request, IQuerySession session, NegotiationStore store, CancellationToken ct)
    {
        if (Query.Only(request.Query, "tz") is { } unknown) return unknown;
        var profile = await session.LoadAsync<PartyProfile>(code.ToUpperInvariant(), ct);
        if (profile is null) return Problems.Of(404, "party_not_found", "No such party.", "No negotiation has this party as a principal.");
        var boards = await session.LoadManyAsync<BoardEntry>(ct, profile.NegotiationIds);
        var today = store.Today;
        return ApiJson.Ok(new
        {
            code = profile.Id, profile.Name,
            negotiations = boards.OrderBy(b => b.Id).Select(b => new
            {
                id = b.Id, b.Title, counterpart = b.Parties.FirstOrDefault(p => p.Code != profile.Id), stage = b.StageOn(today).Stage, stageSince = b.StageOn(today).Since,
            }),
        });
    }
}
