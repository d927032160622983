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
        if (Query.Only(q, "stage", "party", "page", "pageSize", "tz") is { } unknown) return unknown;
        if (!Query.TryEnum<Stage>(q["stage"], "stage", out var stage, out var p1)) return p1!;
        if (!Query.TryInt(q["page"], "page", 1, 1_000_000, 1, out var page, out var p2)) return p2!;
        if (!Query.TryInt(q["pageSize"], "pageSize", 1, 200, 50, out var pageSize, out var p3)) return p3!;
        if (!Query.TryPartyCode(q["party"], "party", out var party, out var p4)) return p4!;
        var today = store.Today;
        var rows = (await session.Query<BoardEntry>().ToListAsync(ct))
            .Select(b => (Entry: b, Now: b.StageOn(today)))
            .Where(x => stage is null || x.Now.Stage == stage)
            .Where(x => party is null || x.Entry.Parties.Any(p => string.Equals(p.Code, party, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(x => x.Entry.Id, StringComparer.Ordinal)
            .ToList();
        var pageRows = rows.Skip((page - 1) * pageSize).Take(pageSize).ToList();
        // Momentum is a 90-day window: ask the fold's head for today's value (it decays without new events).
        var heads = (await session.LoadManyAsync<NegotiationView>(ct, pageRows.Select(x => x.Entry.Id))).ToDictionary(v => v.Id);
        var items = pageRows.Select(x =>
        {
            var m = heads.TryGetValue(x.Entry.Id, out var v) ? v.Head.StateAt(v.Head.PendingDate is { } p && p > today ? p : today).Momentum : x.Entry.Momentum;
            return new
            {
                id = x.Entry.Id, x.Entry.Title, x.Entry.Parties, stage = x.Now.Stage, stageSince = x.Now.Since, x.Entry.LastEventOn,
                momentum = m is null ? null : new { m.Score, m.PreviousScore, m.Trend },
                x.Entry.Version,
            };
        });
        return ApiJson.Ok(new { items, page, pageSize, total = rows.Count });
    }
}
