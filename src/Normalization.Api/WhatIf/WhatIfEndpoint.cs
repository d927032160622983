using Microsoft.AspNetCore.Mvc;
using System.Text.Json;
using Normalization.Api.Http.Requests;
using Normalization.Api.Http;
using Normalization.Api.Storage;
using Normalization.Domain.Validation;
using Wolverine.Attributes;
using Wolverine.Http;

namespace Normalization.Api.WhatIf;

/// <summary>
/// POST /api/negotiations/{id}/what-if — <see cref="WhatIfRequest"/>.
/// Branches the recorded history at asOf (default today), applies the changes and answers with the projected state and its
/// comparison with the baseline. Nothing is stored. 400: the body cannot be read (every field path listed);
/// 422: a hypothetical event breaks the rules real events obey; 404: no such negotiation.
/// </summary>
public static class WhatIfEndpoint
{
    /// <summary>200 <see cref="WhatIfResponse"/>, 422 when a change breaks the rules, 404 <c>not_known_then</c> before the negotiation was recorded.</summary>
    [Tags("What-if"), EndpointSummary("What if")]
    [EndpointDescription("Branches the recorded history at asOf, applies hypothetical additions, removals and replacements, and answers with the projected state and its comparison with the baseline. Nothing is stored (docs/what-if.md).")]
    [ProducesResponseType<WhatIfResponse>(StatusCodes.Status200OK), ProducesProblem(StatusCodes.Status404NotFound), ProducesProblem(StatusCodes.Status422UnprocessableEntity)]
    [WolverinePost("/api/negotiations/{id}/what-if")]
    [Middleware(typeof(KnownNegotiation))]
    public static async Task<IResult> Post(WhatIfRequest request, string id, NegotiationStore store, CancellationToken ct)
    {
        var result = await WhatIfRunner.RunAsync(store, id, request.Changes.Named(id), request.Options, ct);
        if (result is null) return await Problems.NotKnownThenAsync(store, id, request.Options.KnownAt, ct);
        return result.IsValid ? ApiJson.Ok(WhatIfResponse.Of(id, result, request.Options.KnownAt)) : WhatIfRunner.Invalid(result);
    }
}

/// <summary>
/// The body of a what-if: <c>{ "asOf"?, "knownAt"?, "projectTo"?, "add"?: [flat events], "remove"?: [eventIds], "replace"?: [{ "eventId", "event" }] }</c>.
/// projectTo must not be before asOf (default today).
/// </summary>
public sealed record WhatIfRequest(WhatIfRunner.Options Options, WhatIfChanges Changes) : IJsonRequest<WhatIfRequest>
{
    /// <inheritdoc/>
    public static IResult? Read(JsonElement body, DateOnly today, List<FieldError> errors, out WhatIfRequest? request)
    {
        WhatIfRunner.UnknownFields(body, WhatIfRunner.WhatIfFields, errors);
        var options = new WhatIfRunner.Options(WhatIfRunner.Date(body, "asOf", errors), WhatIfRunner.Instant(body, "knownAt", errors), WhatIfRunner.Date(body, "projectTo", errors));
        if (WhatIfRunner.ProjectionProblem(options.AsOf, options.ProjectTo, today) is { } backwards) errors.Add(backwards);
        request = new WhatIfRequest(options, WhatIfChanges.Read(body, errors));
        return null;
    }
}
