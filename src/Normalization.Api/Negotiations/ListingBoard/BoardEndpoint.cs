using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Marten;
using Normalization.Api.Http;
using Normalization.Api.Http.Requests;
using Normalization.Api.Storage;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Stages;
using Normalization.Domain.Validation;
using Wolverine.Http;

namespace Normalization.Api.Negotiations.ListingBoard;

/// <summary>GET /api/negotiations?stage=&amp;party=&amp;tag=&amp;page=&amp;pageSize= — every negotiation with its stage today, how far its record reaches, and whether today is past it.</summary>
public static class BoardEndpoint
{
    /// <summary>A page of the board, ordered by id, filtered by today's stage and by party code.</summary>
    [Tags("Negotiations"), EndpointSummary("The board")]
    [EndpointDescription("Every negotiation with its stage today, ordered by id; filter by stage, party and tag; paged.")]
    [ProducesResponseType<BoardPage>(StatusCodes.Status200OK)]
    [WolverineGet("/api/negotiations")]
    public static async Task<IResult> Get(BoardQuery query, IQuerySession session, NegotiationStore store, CancellationToken ct)
    {
        var (stage, party, tag, page, pageSize) = query;
        var today = store.Today;
        var entries = await session.Query<BoardEntry>().ToListAsync(ct);
        // Tags are the opening's (the library's histories carry "library"), copied onto each board row.
        if (tag is not null) entries = entries.Where(e => e.Tags.Contains(tag, StringComparer.Ordinal)).ToList();
        var rows = entries
            .Select(b => (Entry: b, Now: b.StageOn(today)))
            .Where(x => stage is null || x.Now.Stage == stage)
            .Where(x => party is null || x.Entry.Parties.Any(p => string.Equals(p.Code, party, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(x => x.Entry.Id, StringComparer.Ordinal)
            .ToList();
        var pageRows = rows.Skip((page - 1) * pageSize).Take(pageSize).ToList();
        // Momentum is a 90-day window: ask the fold's head for today's value (it decays without new events).
        // The heads come from memory when this process holds the row's version, else from each one's last checkpoint.
        var heads = new Dictionary<string, Normalization.Domain.Folding.FoldAccumulator>();
        foreach (var (entry, _) in pageRows)
            if (await store.HeadAtAsync(entry.Id, entry.Version, ct) is { } h) heads[entry.Id] = h;
        var states = new Dictionary<string, Normalization.Domain.Folding.NegotiationState>();
        foreach (var (entry, _) in pageRows)
            if (heads.TryGetValue(entry.Id, out var h))
                states[entry.Id] = await store.StateTodayAsync(new NegotiationView { Id = entry.Id, Version = entry.Version, Head = h }, ct);
        var items = pageRows.Select(x =>
        {
            var now = states.GetValueOrDefault(x.Entry.Id);
            var m = now?.Momentum ?? x.Entry.Momentum;
            return new BoardItem(x.Entry.Id, x.Entry.Title, x.Entry.Parties, x.Now.Stage, x.Now.Since, x.Entry.LastEventOn,
                m is null ? null : new BoardMomentum(m.Score, m.PreviousScore, m.Trend), x.Entry.Version,
                x.Entry.Tags, now?.CoveredUntil, now?.Extrapolated ?? false);
        }).ToList();
        return ApiJson.Ok(new BoardPage(items, page, pageSize, rows.Count));
    }
}

/// <summary>Query of the board: <c>stage</c> (a <see cref="Stage"/> name), <c>party</c> (a code), <c>tag</c> (a slug), <c>page</c> (from 1), <c>pageSize</c> (1–200, default 50).</summary>
public sealed record BoardQuery(
    [Description("Only negotiations at this stage today.")] Stage? Stage,
    [Description("Only negotiations with this party code (case-insensitive).")] string? Party,
    [Description("Only negotiations whose opening carries this tag (the shipped library: library). A slug: 3–64 characters, lower-case letters, digits and single hyphens.")]
    [RegularExpression("^[a-z0-9](?:[a-z0-9-]{1,62})[a-z0-9]$")] string? Tag,
    [Description("Page number, from 1.")] int Page,
    [Description("Items per page, 1–200 (default 50).")] int PageSize) : IQueryRequest<BoardQuery>
{
    /// <inheritdoc/>
    public static string[] Parameters => ["stage", "party", "tag", "page", "pageSize", Readers.TimeZones.Parameter];

    /// <inheritdoc/>
    public static IResult? Read(HttpRequest request, DateOnly today, List<FieldError> errors, out BoardQuery query)
    {
        var q = request.Query;
        Query.TryEnum<Stage>(q["stage"], "stage", out var stage, errors);
        Query.TryInt(q["page"], "page", 1, 1_000_000, 1, out var page, errors);
        Query.TryInt(q["pageSize"], "pageSize", 1, 200, 50, out var pageSize, errors);
        Query.TryPartyCode(q["party"], "party", out var party, errors);
        Query.TryText(q["tag"], "tag", out var tag, errors);
        // A tag is a slug like the ones a negotiation may carry: anything else cannot match, and is refused as such.
        if (tag is not null && !NegotiationValidator.IsValidId(tag))
            errors.Add(new("tag", "invalid_slug", "tag must be a slug: 3–64 characters, lower-case letters, digits and single hyphens (e.g. library)."));
        query = new(stage, party, tag, page, pageSize);
        return null;
    }
}

/// <summary>A page of the board: <see cref="Total"/> counts every negotiation that passes the filters.</summary>
public sealed record BoardPage(IReadOnlyList<BoardItem> Items, int Page, int PageSize, int Total);

/// <summary>
/// One negotiation on the board: its stage today and since when, its last event's date, today's momentum, its stream version,
/// its opening's tags, the last day its record is declared complete through and whether today is after it.
/// </summary>
public sealed record BoardItem(string Id, string Title, IReadOnlyList<Party> Parties, Stage Stage, DateOnly? StageSince, string? LastEventOn,
    BoardMomentum? Momentum, int Version, IReadOnlyList<string> Tags, DateOnly? CoveredUntil, bool Extrapolated);

/// <summary>Momentum on the board: the score today (Goldstein-weighted, 90-day window), the previous window's and the trend.</summary>
public sealed record BoardMomentum(double Score, double PreviousScore, MomentumTrend Trend);
