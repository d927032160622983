using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;
using Marten;
using Normalization.Api.Http;
using Normalization.Api.Http.Requests;
using Normalization.Api.Storage;
using Normalization.Domain.Momentum;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Stages;
using Wolverine.Http;

namespace Normalization.Api.Negotiations.ListingBoard;

/// <summary>GET /api/negotiations?stage=&amp;party=&amp;page=&amp;pageSize= — every negotiation with its stage today.</summary>
public static class BoardEndpoint
{
    /// <summary>A page of the board, ordered by id, filtered by today's stage and by party code.</summary>
    [Tags("Negotiations"), EndpointSummary("The board")]
    [EndpointDescription("Every negotiation with its stage today, ordered by id; filter by stage and party; paged.")]
    [ProducesResponseType<BoardPage>(StatusCodes.Status200OK)]
    [WolverineGet("/api/negotiations")]
    public static async Task<IResult> Get(BoardQuery query, IQuerySession session, NegotiationStore store, CancellationToken ct)
    {
        var (stage, party, page, pageSize) = query;
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
            return new BoardItem(x.Entry.Id, x.Entry.Title, x.Entry.Parties, x.Now.Stage, x.Now.Since, x.Entry.LastEventOn,
                m is null ? null : new BoardMomentum(m.Score, m.PreviousScore, m.Trend), x.Entry.Version);
        }).ToList();
        return ApiJson.Ok(new BoardPage(items, page, pageSize, rows.Count));
    }
}

/// <summary>Query of the board: <c>stage</c> (a <see cref="Stage"/> name), <c>party</c> (a code), <c>page</c> (from 1), <c>pageSize</c> (1–200, default 50).</summary>
public sealed record BoardQuery(
    [Description("Only negotiations at this stage today.")] Stage? Stage,
    [Description("Only negotiations with this party code (case-insensitive).")] string? Party,
    [Description("Page number, from 1.")] int Page,
    [Description("Items per page, 1–200 (default 50).")] int PageSize) : IQueryRequest<BoardQuery>
{
    /// <inheritdoc/>
    public static string[] Parameters => ["stage", "party", "page", "pageSize"];

    /// <inheritdoc/>
    public static IResult? Read(HttpRequest request, DateOnly today, out BoardQuery query)
    {
        var q = request.Query;
        query = null!;
        if (!Query.TryEnum<Stage>(q["stage"], "stage", out var stage, out var p1)) return p1;
        if (!Query.TryInt(q["page"], "page", 1, 1_000_000, 1, out var page, out var p2)) return p2;
        if (!Query.TryInt(q["pageSize"], "pageSize", 1, 200, 50, out var pageSize, out var p3)) return p3;
        if (!Query.TryPartyCode(q["party"], "party", out var party, out var p4)) return p4;
        query = new(stage, party, page, pageSize);
        return null;
    }
}

/// <summary>A page of the board: <see cref="Total"/> counts every negotiation that passes the filters.</summary>
public sealed record BoardPage(IReadOnlyList<BoardItem> Items, int Page, int PageSize, int Total);

/// <summary>One negotiation on the board: its stage today and since when, its last event's date, today's momentum, its stream version.</summary>
public sealed record BoardItem(string Id, string Title, IReadOnlyList<Party> Parties, Stage Stage, DateOnly? StageSince, string? LastEventOn,
    BoardMomentum? Momentum, int Version);

/// <summary>Momentum on the board: the score today (Goldstein-weighted, 90-day window), the previous window's and the trend.</summary>
public sealed record BoardMomentum(double Score, double PreviousScore, MomentumTrend Trend);
