using Normalization.Api.Http;
using Normalization.Api.Negotiations.Coverage;
using Normalization.Api.Storage;
using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Stages;
using Wolverine.Http;

namespace Normalization.Api.Negotiations.GettingState;

/// <summary>GET /api/negotiations/{id} (today) and GET /api/negotiations/{id}/state?asOf=&amp;knownAt=&amp;minConfidence= (time travel).</summary>
public static class StateEndpoints
{
    public static object Body(NegotiationState s, int version, DateTimeOffset? knownAt = null, Confidence? minConfidence = null) => new
    {
        id = s.NegotiationId, s.Title, s.Parties, s.Mediators, s.AsOf, knownAt, minConfidence = minConfidence ?? FoldOptions.Default.MinConfidence,
        s.Stage, s.StageSince, s.Why, s.Representation, s.Ledger, s.Momentum, s.StageHistory, s.EventCount, s.LastEventOn, s.CoveredUntil, s.Extrapolated, version,
    };

    [WolverineGet("/api/negotiations/{id}")]
    public static async Task<IResult> Current(string id, HttpRequest request, NegotiationStore store, CancellationToken ct)
    {
        if (Query.Only(request.Query, "tz") is { } unknown) return unknown;
        var view = await store.LoadViewAsync(id, ct);
        if (view is null) return Problems.NegotiationNotFound(id);
        var day = view.Head.PendingDate is { } p && p > store.Today ? p : store.Today;
        return ApiJson.Ok(Body(view.Head.StateAt(day), view.Version));
    }

    [WolverineGet("/api/negotiations/{id}/state")]
    public static async Task<IResult> AsOf(string id, HttpRequest request, NegotiationStore store, CancellationToken ct)
    {
        var q = request.Query;
        if (Query.Only(q, "asOf", "knownAt", "minConfidence", "tz") is { } unknown) return unknown;
        if (!Query.TryDate(q["asOf"], "asOf", out var asOf, out var p1)) return p1!;
        if (!Query.TryInstant(q["knownAt"], "knownAt", out var knownAt, out var p2)) return p2!;
        if (!Query.TryEnum<Confidence>(q["minConfidence"], "minConfidence", out var min, out var p3)) return p3!;
        var version = await store.VersionAsync(id, ct);
        if (version is null) return Problems.NegotiationNotFound(id);
        var options = min is null ? FoldOptions.Default : FoldOptions.Default with { MinConfidence = min.Value };
        var state = await CoveredState.StateAsOfAsync(store, id, asOf ?? store.Today, knownAt, options, ct);
        if (state is null) return Problems.NotKnownThen(knownAt);
        return ApiJson.Ok(Body(state, version.Value, knownAt, min));
    }

    [WolverineGet("/api/negotiations/{id}/stages")]
    public static async Task<IResult> Stages(string id, HttpRequest request, NegotiationStore store, CancellationToken ct)
    {
        var q = request.Query;
        if (Query.Only(q, "from", "to", "knownAt", "tz") is { } unknown) return unknown;
        if (!Query.TryDate(q["from"], "from", out var from, out var p1)) return p1!;
        if (!Query.TryDate(q["to"], "to", out var to, out var p2)) return p2!;
        if (!Query.TryInstant(q["knownAt"], "knownAt", out var knownAt, out var p3)) return p3!;
        if (from > to) return Problems.Field("from", "out_of_range", "from must not be after to.");
        var view = await store.LoadViewAsync(id, ct);
        if (view is null) return Problems.NegotiationNotFound(id);
        var until = to ?? (view.Head.PendingDate is { } p && p > store.Today ? p : store.Today);
        // The same rule with or without an explicit `to`: the range must not run backwards.
        if (from > until) return Problems.Field("from", "out_of_range", $"from must not be after to ({until.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)}{(to is null ? ", today by default" : "")}).");
        var state = await CoveredState.StateAsOfAsync(store, id, until, knownAt, ct: ct);
        if (state is null) return Problems.NotKnownThen(knownAt);
        var history = state.StageHistory;
        // The stage in force at `from` opens the range, then the transitions inside it.
        var opening = from is null ? null : history.LastOrDefault(t => t.On is null || t.On <= from);
        var inRange = history.Where(t => t.On is not null && (from is null || t.On > from) && t.On <= until).ToList();
        var transitions = (from is null ? history.Where(t => t.On is null || t.On <= until) : new[] { opening! }.Concat(inRange)).ToList();
        return ApiJson.Ok(new { id, from, to = until, knownAt, stage = state.Stage, stageSince = state.StageSince, state.CoveredUntil, state.Extrapolated, transitions });
    }
}
