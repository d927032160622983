using Marten;
using Normalization.Api.Http;
using Normalization.Api.Storage;
using Normalization.Domain.Stages;
using Normalization.Domain.Validation;
using Wolverine.Http;

namespace Normalization.Api.Negotiations.ListingBoard;

/// <summary>GET /api/negotiations?stage=&amp;party=&amp;tag=&amp;page=&amp;pageSize= — every negotiation with its stage today, how far its record reaches, and whether today is past it.</summary>
public static class BoardEndpoint
{
    [WolverineGet("/api/negotiations")]
    public static async Task<IResult> Get(HttpRequest request, IQuerySession session, NegotiationStore store, CancellationToken ct)
    {
        var q = request.Query;
        if (Query.Only(q, "stage", "party", "tag", "page", "pageSize", "tz") is { } unknown) return unknown;
        if (!Query.TryEnum<Stage>(q["stage"], "stage", out var stage, out var p1)) return p1!;
        if (!Query.TryInt(q["page"], "page", 1, 1_000_000, 1, out var page, out var p2)) return p2!;
        if (!Query.TryInt(q["pageSize"], "pageSize", 1, 200, 50, out var pageSize, out var p3)) return p3!;
        if (!Query.TryPartyCode(q["party"], "party", out var party, out var p4)) return p4!;
        if (!Query.TryText(q["tag"], "tag", out var tag, out var p5)) return p5!;
        // A tag is a slug like the ones a negotiation may carry: anything else cannot match, and is refused as such.
        if (tag is not null && !NegotiationValidator.IsValidId(tag))
            return Problems.Field("tag", "invalid_slug", "tag must be a slug: 3–64 characters, lower-case letters, digits and single hyphens (e.g. library).");
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
        var items = pageRows.Select(x =>
        {
            var now = heads.TryGetValue(x.Entry.Id, out var h) ? h.StateAt(h.PendingDate is { } p && p > today ? p : today) : null;
            var m = now?.Momentum ?? x.Entry.Momentum;
            return new
            {
                id = x.Entry.Id, x.Entry.Title, x.Entry.Parties, stage = x.Now.Stage, stageSince = x.Now.Since, x.Entry.LastEventOn,
                momentum = m is null ? null : new { m.Score, m.PreviousScore, m.Trend },
                x.Entry.Version,
                tags = x.Entry.Tags,
                coveredUntil = now?.CoveredUntil, extrapolated = now?.Extrapolated ?? false,
            };
        });
        return ApiJson.Ok(new { items, page, pageSize, total = rows.Count });
    }
}
