using Marten;
using Normalization.Api.Http;
using Normalization.Api.Storage;
using Normalization.Domain.Stages;
using Wolverine.Http;

namespace Normalization.Api.Negotiations.ListingBoard;

/// <summary>GET /api/negotiations?stage=&amp;party=&amp;page=&amp;pageSize= — every negotiation with its stage today.</summary>
public static class BoardEndpoint
{
    [WolverineGet("/api/negotiations")]
    public static async Task<IResult> Get(HttpRequest request, IQuerySession session, NegotiationStore store, CancellationToken ct)
    {
        var q = request.Query;
        if (!Query.TryEnum<Stage>(q["stage"], "stage", out var stage, out var p1)) return p1!;
        if (!Query.TryInt(q["page"], "page", 1, 1_000_000, 1, out var page, out var p2)) return p2!;
        if (!Query.TryInt(q["pageSize"], "pageSize", 1, 200, 50, out var pageSize, out var p3)) return p3!;
        string? party = q["party"];
        if (party is { Length: > 16 }) return Problems.Field("party", "invalid_party_code", "party must be a party code.");
        var today = store.Today;
        var rows = (await session.Query<BoardEntry>().ToListAsync(ct))
            .Select(b => (Entry: b, Now: b.StageOn(today)))
            .Where(x => stage is null || x.Now.Stage == stage)
            .Where(x => party is null || x.Entry.Parties.Any(p => string.Equals(p.Code, party, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(x => x.Entry.Id, StringComparer.Ordinal)
            .ToList();
        var items = rows.Skip((page - 1) * pageSize).Take(pageSize).Select(x => new
        {
            id = x.Entry.Id, x.Entry.Title, x.Entry.Parties, stage = x.Now.Stage, stageSince = x.Now.Since, x.Entry.LastEventOn,
            momentum = x.Entry.Momentum is null ? null : new { x.Entry.Momentum.Score, x.Entry.Momentum.PreviousScore, x.Entry.Momentum.Trend },
            x.Entry.Version,
        });
        return ApiJson.Ok(new { items, page, pageSize, total = rows.Count });
    }
}
