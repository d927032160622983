using System.Text.Json;
using Normalization.Api.Http;
using Normalization.Api.Negotiations.GettingState;
using Normalization.Api.Security;
using Normalization.Api.Storage;
using Normalization.Domain.Catalog;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Validation;
using Wolverine.Http;

namespace Normalization.Api.Negotiations.Creating;

/// <summary>POST /api/negotiations — open a negotiation: its parties, mediators and baseline.</summary>
public static class CreateNegotiationEndpoint
{
    [WolverinePost("/api/negotiations")]
    public static async Task<IResult> Post(HttpContext http, NegotiationStore store, CancellationToken ct)
    {
        var (doc, problem) = await JsonBody.ReadAsync(http.Request, ct);
        if (problem is not null) return problem;
        using var _ = doc;
        var (opening, errors) = Read(doc!.RootElement);
        if (errors.Count > 0) return Problems.Validation(errors);
        var location = ApiJson.Location("api", "negotiations", opening!.Id);
        if (!await store.CreateAsync(opening!, ApiKeys.PostedBy(http), ct))
            return Problems.Conflict("negotiation_exists", $"A negotiation '{opening!.Id}' already exists.");
        var state = (await store.StateAsOfAsync(opening!.Id, store.Today, ct: ct))!;
        return ApiJson.Created(location, StateEndpoints.Body(state, 1));
    }

    /// <summary>The body by <see cref="NegotiationValidator.Read"/>: the same rules as an import's opening line.</summary>
    public static (NegotiationOpened?, List<FieldError>) Read(JsonElement body)
    {
        var errors = new List<FieldError>();
        var opening = NegotiationValidator.Read(body, errors);
        return (opening, errors);
    }
}
