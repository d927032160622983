using Microsoft.AspNetCore.Mvc;
using System.Security.Claims;
using System.Text.Json;
using Normalization.Api.Http;
using Normalization.Api.Http.Requests;
using Normalization.Api.Negotiations.GettingState;
using Normalization.Api.Security;
using Normalization.Api.Storage;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Validation;
using Wolverine.Http;

namespace Normalization.Api.Negotiations.Creating;

/// <summary>POST /api/negotiations — open a negotiation: its parties, mediators and baseline.</summary>
public static class CreateNegotiationEndpoint
{
    /// <summary>Starts the stream; 409 <c>negotiation_exists</c> when the id is taken, else 201 with the initial state.</summary>
    [Tags("Negotiations"), EndpointSummary("Create a negotiation")]
    [EndpointDescription("Opens a negotiation between exactly two parties, with optional mediators and baseline. 201 with Location and the initial state.")]
    [ProducesResponseType<NegotiationStateResponse>(StatusCodes.Status201Created), ProducesProblem(StatusCodes.Status409Conflict), ProducesProblem(StatusCodes.Status422UnprocessableEntity)]
    [VersionETag]
    [WolverinePost("/api/negotiations")]
    public static async Task<IResult> Post(CreateNegotiationRequest request, NegotiationStore store, ClaimsPrincipal user, CancellationToken ct)
    {
        var opening = request.Opening;
        var location = ApiJson.Location("api", "negotiations", opening.Id);
        if (!await store.CreateAsync(opening, ApiKeys.PostedBy(user), ct))
            return Problems.Conflict("negotiation_exists", $"A negotiation '{opening.Id}' already exists.");
        var state = (await store.StateAsOfAsync(opening.Id, store.Today, ct: ct))!;
        return ApiJson.CreatedAtVersion(location, NegotiationStateResponse.Of(state, 1), 1);
    }
}

/// <summary>
/// The body of POST /api/negotiations: the <see cref="NegotiationOpened"/> fields (id, title, parties, mediators, baseline),
/// read by <see cref="NegotiationValidator.Read"/> — the same rules as an import's opening line.
/// </summary>
public sealed record CreateNegotiationRequest(NegotiationOpened Opening) : IJsonRequest<CreateNegotiationRequest>
{
    /// <inheritdoc/>
    public static IResult? Read(JsonElement body, DateOnly today, List<FieldError> errors, out CreateNegotiationRequest? request)
    {
        var opening = NegotiationValidator.Read(body, errors);
        request = opening is null ? null : new CreateNegotiationRequest(opening);
        // A coverage through a day not yet come is well-formed but wrong: 422 in_future, as at PUT …/coverage and in a
        // RecordReviewed (docs/api.md), once the body has no 400 error.
        if (errors.Count == 0 && opening is not null && NegotiationValidator.Validate(opening, today: today) is { Count: > 0 } wrong)
        {
            request = null;
            return Problems.Validation(wrong, StatusCodes.Status422UnprocessableEntity);
        }
        return null;
    }
}
