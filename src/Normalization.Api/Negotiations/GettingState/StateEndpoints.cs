using Normalization.Domain.Validation;
using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;
using Normalization.Api.Http;
using Normalization.Api.Http.Requests;
using Normalization.Api.Negotiations.Coverage;
using Normalization.Api.Readers;
using Normalization.Api.Storage;
using Normalization.Domain.Catalog;
using Normalization.Domain.Stages;
using Wolverine.Attributes;
using Wolverine.Http;

namespace Normalization.Api.Negotiations.GettingState;

/// <summary>GET /api/negotiations/{id} (today) and GET /api/negotiations/{id}/state?asOf=&amp;knownAt=&amp;minConfidence= (time travel).</summary>
public static class StateEndpoints
{
    /// <summary>The state today — what GET …/state answers with no parameters (<see cref="NegotiationStore.StateTodayAsync"/>).</summary>
    [Tags("Negotiations"), EndpointSummary("Current state")]
    [EndpointDescription("Stage (today), since when, why, ledger, momentum, stage history and version; ETag: \"<version>\", the If-Match of POST …/events.")]
    [ProducesResponseType<NegotiationStateResponse>(StatusCodes.Status200OK), ProducesProblem(StatusCodes.Status404NotFound)]
    [VersionETag]
    [WolverineGet("/api/negotiations/{id}")]
    public static async Task<IResult> Current(TodayQuery query, string id, NegotiationStore store, CancellationToken ct)
    {
        var view = await store.LoadViewAsync(id, ct);
        if (view is null) return Problems.NegotiationNotFound(id);
        return ApiJson.OkAtVersion(NegotiationStateResponse.Of(await store.StateTodayAsync(view, ct), view.Version), view.Version);
    }

    /// <summary>The state as of a date, as known at an instant; 404 <c>not_known_then</c> before the negotiation was recorded.</summary>
    [Tags("Negotiations"), EndpointSummary("Time travel")]
    [EndpointDescription("The state as of a date, optionally as the record stood at an instant (knownAt: events recorded later, such as retractions, are ignored) and with a confidence threshold.")]
    [ProducesResponseType<NegotiationStateResponse>(StatusCodes.Status200OK), ProducesProblem(StatusCodes.Status404NotFound)]
    [VersionETag]
    [WolverineGet("/api/negotiations/{id}/state")]
    [Middleware(typeof(KnownNegotiation))]
    public static async Task<IResult> AsOf(StateQuery query, string id, StreamVersion version, NegotiationStore store, CancellationToken ct)
    {
        var options = query.MinConfidence is null ? FoldOptions.Default : FoldOptions.Default with { MinConfidence = query.MinConfidence.Value };
        var state = await CoveredState.StateAsOfAsync(store, id, query.AsOf ?? store.Today, query.KnownAt, options, ct);
        if (state is null) return await Problems.NotKnownThenAsync(store, id, query.KnownAt, ct);
        // As known at an instant, the version is the stream's then (the events the answer reads), not today's.
        var asKnown = query.KnownAt is { } t ? await store.VersionKnownAtAsync(id, t, ct) : version.Value;
        return ApiJson.OkAtVersion(NegotiationStateResponse.Of(state, asKnown, query.KnownAt, query.MinConfidence), asKnown);
    }

    /// <summary>The stage transitions in [from, to]; with from, the stage in force on from opens the range.</summary>
    [Tags("Negotiations"), EndpointSummary("Stage history")]
    [EndpointDescription("The stage transitions in [from, to] with the rule and the event ids behind each; with from, the stage in force on from comes first.")]
    [ProducesResponseType<StageHistoryResponse>(StatusCodes.Status200OK), ProducesProblem(StatusCodes.Status404NotFound)]
    [WolverineGet("/api/negotiations/{id}/stages")]
    public static async Task<IResult> Stages(StagesQuery query, string id, NegotiationStore store, CancellationToken ct)
    {
        var (from, to, knownAt) = query;
        var view = await store.LoadViewAsync(id, ct);
        if (view is null) return Problems.NegotiationNotFound(id);
        var until = to ?? store.Today;
        // The same rule with or without an explicit `to`: the range must not run backwards.
        if (from > until) return Problems.Field("from", "out_of_range", $"from must not be after to ({until.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)}{(to is null ? ", today by default" : "")}).");
        var state = await CoveredState.StateAsOfAsync(store, id, until, knownAt, ct: ct);
        if (state is null) return await Problems.NotKnownThenAsync(store, id, knownAt, ct);
        var history = state.StageHistory;
        // The stage in force at `from` opens the range, then the transitions inside it.
        var opening = from is null ? null : history.LastOrDefault(t => t.On is null || t.On <= from);
        var inRange = history.Where(t => t.On is not null && (from is null || t.On > from) && t.On <= until).ToList();
        var transitions = (from is null ? history.Where(t => t.On is null || t.On <= until) : new[] { opening! }.Concat(inRange)).ToList();
        return ApiJson.Ok(new StageHistoryResponse(id, from, until, knownAt, state.Stage, state.StageSince, state.CoveredUntil, state.Extrapolated, transitions));
    }
}

/// <summary>Query of GET …/state: <c>asOf</c> (a domain date, end of a period; default today), <c>knownAt</c> (an instant), <c>minConfidence</c>.</summary>
public sealed record StateQuery(
    [Description("Date to answer for: YYYY-MM-DD, or YYYY-MM / YYYY meaning the end of that period. Default today.")] DateOnly? AsOf,
    [Description("ISO 8601 instant with Z or an offset (a date alone: 00:00 UTC): read the record as it was then.")] DateTimeOffset? KnownAt,
    [Description("Leave out events below this confidence. Default Reported.")] Confidence? MinConfidence) : IQueryRequest<StateQuery>
{
    /// <inheritdoc/>
    public static string[] Parameters => ["asOf", "knownAt", "minConfidence", TimeZones.Parameter];

    /// <inheritdoc/>
    public static IResult? Read(HttpRequest request, DateOnly today, List<FieldError> errors, out StateQuery query)
    {
        var q = request.Query;
        Query.TryDate(q["asOf"], "asOf", out var asOf, errors);
        Query.TryInstant(q["knownAt"], "knownAt", out var knownAt, errors);
        Query.TryEnum<Confidence>(q["minConfidence"], "minConfidence", out var min, errors);
        query = new(asOf, knownAt, min);
        return null;
    }
}

/// <summary>Query of GET …/stages: <c>from</c>, <c>to</c> (domain dates, a period from its start to its end; from not after to), <c>knownAt</c>.</summary>
public sealed record StagesQuery(
    [Description("First date (YYYY-MM-DD, or YYYY-MM / YYYY: the start of that period).")] DateOnly? From,
    [Description("Last date (YYYY-MM-DD, or YYYY-MM / YYYY: the end of that period). Default today.")] DateOnly? To,
    [Description("ISO 8601 instant with Z or an offset: the record as it was then.")] DateTimeOffset? KnownAt) : IQueryRequest<StagesQuery>
{
    /// <inheritdoc/>
    public static string[] Parameters => ["from", "to", "knownAt", TimeZones.Parameter];

    /// <inheritdoc/>
    public static IResult? Read(HttpRequest request, DateOnly today, List<FieldError> errors, out StagesQuery query)
    {
        var q = request.Query;
        Query.TryRangeStart(q["from"], "from", out var from, errors);
        Query.TryDate(q["to"], "to", out var to, errors);
        Query.TryInstant(q["knownAt"], "knownAt", out var knownAt, errors);
        if (from > to) errors.Add(new("from", "out_of_range", "from must not be after to."));
        query = new(from, to, knownAt);
        return null;
    }
}

/// <summary>Answer of GET …/stages: the range (<see cref="To"/> defaults to today), the stage at its end and the transitions in it.</summary>
/// <see cref="CoveredUntil"/>: the last day the record is declared complete through; <see cref="Extrapolated"/>: <see cref="To"/> is after it.
public sealed record StageHistoryResponse(string Id, DateOnly? From, DateOnly To, DateTimeOffset? KnownAt, Stage Stage, DateOnly? StageSince,
    DateOnly? CoveredUntil, bool Extrapolated, IReadOnlyList<StageTransition> Transitions);
