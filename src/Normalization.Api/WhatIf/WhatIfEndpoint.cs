using Normalization.Api.Http;
using Normalization.Api.Storage;
using Normalization.Domain.Validation;
using Wolverine.Http;

namespace Normalization.Api.WhatIf;

/// <summary>
/// POST /api/negotiations/{id}/what-if — <c>{ "asOf"?, "knownAt"?, "projectTo"?, "add"?: [flat events], "remove"?: [eventIds], "replace"?: [{ "eventId", "event" }] }</c>.
/// Branches the recorded history at asOf (default today), applies the changes and answers with the projected state and its
/// comparison with the baseline. Nothing is stored. 400: the body cannot be read (every field path listed);
/// 422: a hypothetical event breaks the rules real events obey; 404: no such negotiation.
/// </summary>
public static class WhatIfEndpoint
{
    [WolverinePost("/api/negotiations/{id}/what-if")]
    public static async Task<IResult> Post(string id, HttpContext http, NegotiationStore store, CancellationToken ct)
    {
        var (doc, problem) = await JsonBody.ReadAsync(http.Request, ct);
        if (problem is not null) return problem;
        using var _ = doc;
        var body = doc!.RootElement;
        var errors = new List<FieldError>();
        WhatIfRunner.UnknownFields(body, WhatIfRunner.WhatIfFields, errors);
        var options = new WhatIfRunner.Options(WhatIfRunner.Date(body, "asOf", errors), WhatIfRunner.Instant(body, "knownAt", errors), WhatIfRunner.Date(body, "projectTo", errors));
        if (WhatIfRunner.ProjectionProblem(options.AsOf, options.ProjectTo, store.Today) is { } backwards) errors.Add(backwards);
        var changes = WhatIfChanges.Read(body, errors);
        if (errors.Count > 0) return Problems.Validation(errors);

        if (await store.VersionAsync(id, ct) is null) return Problems.NegotiationNotFound(id);
        var result = await WhatIfRunner.RunAsync(store, id, changes, options, ct);
        if (result is null)
            return Problems.NotKnownThen(options.KnownAt);
        return result.IsValid ? ApiJson.Ok(WhatIfRunner.Body(id, result, options.KnownAt)) : WhatIfRunner.Invalid(result);
    }
}
