using Microsoft.AspNetCore.Mvc;
using System.Security.Claims;
using Normalization.Api.Http;
using Normalization.Api.Http.Requests;
using Normalization.Api.Security;
using Normalization.Api.Storage;
using Wolverine.Http;

namespace Normalization.Api.Events.Posting;

/// <summary>
/// POST /api/negotiations/{id}/events — <c>{ "expectedVersion"?: n, "events": [ flat event, … ] }</c>
/// (<see cref="PostEventsRequest"/>). All stored or none; duplicates by eventId (the same event again) are reported, not
/// stored twice; an eventId reused for a different event is 409 <c>eventid_reused</c>.
/// </summary>
public static class PostEventsEndpoint
{
    /// <summary>At most this many events in one request (413 <c>too_many_events</c> beyond).</summary>
    public const int MaxEventsPerBatch = 1000;

    /// <summary>
    /// Appends the batch (<see cref="NegotiationStore.AppendAsync"/>) and maps the outcome: 404 <c>negotiation_not_found</c>,
    /// 409 <c>version_conflict</c> (with <c>currentVersion</c>), 409 <c>eventid_reused</c> (an eventId stored for another event), 422 <c>validation_failed</c>, or 201 <see cref="PostEventsResponse"/>.
    /// </summary>
    [Tags("Events"), EndpointSummary("Post events")]
    [EndpointDescription("Appends a batch of flat events atomically: all stored or none. An eventId already stored with the same event is reported as a duplicate and not stored twice; with a different event it is 409 eventid_reused. At most 1000 events and 1 MiB. 409 version_conflict when expectedVersion — or an If-Match: \"<version>\" header, the ETag of GET /api/negotiations/{id} — is stale (400 invalid_etag at header.If-Match when it is not one quoted version or *, version_mismatch when it names another version than expectedVersion); 422 for events that are well-formed but wrong for this negotiation.")]
    [ProducesResponseType<PostEventsResponse>(StatusCodes.Status201Created)]
    [ProducesProblem(StatusCodes.Status404NotFound), ProducesProblem(StatusCodes.Status409Conflict), ProducesProblem(StatusCodes.Status422UnprocessableEntity)]
    [VersionETag]
    [WolverinePost("/api/negotiations/{id}/events")]
    public static async Task<IResult> Post(PostEventsRequest request, string id, NegotiationStore store, ClaimsPrincipal user, string traceIdentifier, CancellationToken ct)
    {
        var location = ApiJson.Location("api", "negotiations", id);
        var outcome = await store.AppendAsync(id, request.ExpectedVersion, request.Events, ApiKeys.PostedBy(user), traceIdentifier, ct);
        return outcome switch
        {
            AppendOutcome.NotFound => Problems.NegotiationNotFound(id),
            AppendOutcome.VersionConflict c => Problems.VersionConflict(c),
            AppendOutcome.Invalid inv => Problems.Validation(inv.Errors, StatusCodes.Status422UnprocessableEntity),
            AppendOutcome.Appended a => ApiJson.CreatedAtVersion(location, PostEventsResponse.Of(id, a), a.Version),
            AppendOutcome.EventIdReused r => Problems.EventIdReused(r.Errors),
            _ => throw new InvalidOperationException(),
        };
    }
}
