using Microsoft.AspNetCore.Mvc;
using System.Security.Claims;
using System.Text.Json;
using System.Text.Json.Nodes;
using Normalization.Api.Http;
using Normalization.Api.Http.Requests;
using Normalization.Api.Security;
using Normalization.Api.Storage;
using Normalization.Domain.Catalog;
using Normalization.Domain.Stages;
using Normalization.Domain.Validation;
using Wolverine.Http;

namespace Normalization.Api.Events.Retracting;

/// <summary>POST /api/negotiations/{id}/events/{eventId}/retract — <see cref="RetractRequest"/>: appends an EventRetracted.</summary>
public static class RetractEventEndpoint
{
    /// <summary>
    /// Compound step: the retraction as the flat event it will be stored as, read by <see cref="EventReader"/> like every
    /// posted or imported event (text rules on reason, dates, codes, GUIDs) — no rules of its own. 400 when the path's
    /// eventId is not a GUID (<c>route.eventId</c>, listed with the body's errors) or the event does not read. Checked before the target event is looked up, so a bad body is a
    /// 400 even for an event that is already retracted.
    /// </summary>
    public static (EventRetracted?, IResult?) Load(RetractRequest request, string eventId, NegotiationStore store)
    {
        // The path's eventId is checked with the body (RetractRequest.ReadRoute); this stays for a direct call.
        if (!Strict.TryGuid(eventId, out var target)) return (null, Problems.Field(RetractRequest.RouteEventId, "invalid_guid", "eventId in the path must be a GUID."));
        var errors = new List<FieldError>();
        var retraction = RetractRequest.Flat(request.Body, target, store.Today, errors);
        if (errors.Count > 0 || retraction is null) return (null, Problems.Validation(errors));
        return ((EventRetracted)retraction.WithId(), null);
    }

    /// <summary>
    /// Appends the retraction: 404 <c>negotiation_not_found</c> / <c>event_not_found</c>, 409 <c>already_retracted</c> or
    /// <c>eventid_reused</c>,
    /// 422 when it is invalid for this negotiation, else 201 <see cref="RetractResponse"/>.
    /// </summary>
    [Tags("Events"), EndpointSummary("Retract an event")]
    [EndpointDescription("Appends an EventRetracted: the fold reads history as if the event never happened (knownAt before the retraction still sees it). 404 negotiation_not_found or event_not_found; 409 already_retracted, or eventid_reused when the retraction's eventId is stored for another event, or version_conflict when an If-Match: \"<version>\" header is stale (400 invalid_etag at header.If-Match when it is not one quoted version or *).")]
    [ProducesResponseType<RetractResponse>(StatusCodes.Status201Created)]
    [ProducesProblem(StatusCodes.Status404NotFound), ProducesProblem(StatusCodes.Status409Conflict), ProducesProblem(StatusCodes.Status422UnprocessableEntity)]
    [VersionETag]
    [WolverinePost("/api/negotiations/{id}/events/{eventId}/retract")]
    public static async Task<IResult> Post(RetractRequest request, string id, [NotBody] EventRetracted retraction, NegotiationStore store, ClaimsPrincipal user,
        string traceIdentifier, CancellationToken ct)
    {
        var target = retraction.TargetEventId;
        var location = ApiJson.Location("api", "negotiations", id);
        var outcome = await store.AppendAsync(id, request.ExpectedVersion, [retraction], ApiKeys.PostedBy(user), traceIdentifier, ct);
        return outcome switch
        {
            AppendOutcome.NotFound => Problems.NegotiationNotFound(id),
            AppendOutcome.VersionConflict c => Problems.VersionConflict(c),
            // Only a target that does not exist is a 404: an unknown_reference about what retracting it would put back is a 422.
            AppendOutcome.Invalid inv when inv.Errors.Any(EventValidator.IsMissingTarget) =>
                Problems.Of(404, "event_not_found", "No such event.", $"Negotiation '{id}' has no event {target}."),
            AppendOutcome.Invalid inv when inv.Errors.Any(e => e.Code == "already_retracted") =>
                Problems.Conflict("already_retracted", $"Event {target} is already retracted."),
            // The target is the path's {eventId}, not a field of this body: an error about it (still_referenced, or what retracting
            // it would put back: unknown_reference, duplicate_id, before_reference, wrong_party) names route.eventId.
            AppendOutcome.Invalid inv => Problems.Validation(inv.Errors.Select(e => e with
            {
                Path = e.Path == "events[0].targetEventId" ? RetractRequest.RouteEventId : e.Path.Replace("events[0].", ""),
            }), 422),
            AppendOutcome.Appended a => ApiJson.CreatedAtVersion(location, new RetractResponse(id, a.Version, a.Events[0].EventId, a.Events[0].Duplicate, target,
                a.Stage, a.PreviousStage, a.StageChanged), a.Version),
            AppendOutcome.EventIdReused r => Problems.EventIdReused(r.Errors.Select(e => e with { Path = e.Path.Replace("events[0].", "") })),
            _ => throw new InvalidOperationException(),
        };
    }
}

/// <summary>
/// The body of a retraction: <c>{ "reason", "occurredOn"?, "actor"?, "eventId"? }</c> — the retraction's own eventId (for
/// an idempotent retry), its date (default today) and actor (default <c>EDITOR</c>). Unknown fields are errors.
/// </summary>
[IfMatchHeader]
public sealed record RetractRequest(JsonObject Body) : IJsonRequest<RetractRequest>
{
    /// <summary>The stream version an <c>If-Match: "n"</c> header names (<see cref="IfMatch"/>): a stale one is 409 <c>version_conflict</c>; null: none.</summary>
    public int? ExpectedVersion { get; init; }

    /// <inheritdoc/>
    public static RetractRequest? ReadHeaders(IHeaderDictionary headers, RetractRequest? request, List<FieldError> errors) =>
        IfMatch.Read(headers, errors) is { } version && request is not null ? request with { ExpectedVersion = version } : request;

    static readonly string[] Fields = ["reason", "occurredOn", "eventId", "actor"];

    /// <inheritdoc/>
    public static IResult? Read(JsonElement body, DateOnly today, List<FieldError> errors, out RetractRequest? request)
    {
        // Strict like every other write: an unknown field is an error, not silently ignored — listed with the errors of the
        // known fields, which are read as the retraction they make (any target: the path's eventId is checked in Load).
        var known = FlatEventBody.KnownFields(body, Fields, errors);
        Flat(known, AnyTarget, today, errors);
        request = errors.Count > 0 ? null : new RetractRequest(known);
        return null;
    }

    /// <summary>The error path of the route's <c>{eventId}</c>: not <c>eventId</c>, which is the body's own field (the retraction's id).</summary>
    internal const string RouteEventId = "route.eventId";

    /// <inheritdoc/>
    public static void ReadRoute(RouteValueDictionary route, List<FieldError> errors)
    {
        if (!Strict.TryGuid(route["eventId"] as string ?? "", out _))
            errors.Add(new(RouteEventId, "invalid_guid", "eventId in the path must be a GUID."));
    }

    static readonly Guid AnyTarget = new("00000000-0000-0000-0000-000000000001");

    /// <summary>The retraction of <paramref name="target"/> made of the client's fields: date default today, actor <c>EDITOR</c>.</summary>
    internal static EventRetracted? Flat(JsonObject known, Guid target, DateOnly today, List<FieldError> errors) =>
        FlatEventBody.Read<EventRetracted>(known, flat =>
        {
            flat["targetEventId"] = target.ToString();
            flat["confidence"] = nameof(Confidence.Confirmed);
            FlatEventBody.Default(flat, "occurredOn", DomainDate.FromDate(today).ToString());
            FlatEventBody.Default(flat, "actor", "EDITOR");
        }, errors);
}

/// <summary>201 answer of a retraction: the stream version after it, the retraction's eventId (and whether it was a duplicate), the retracted event, the stage before and after.</summary>
public sealed record RetractResponse(string Id, int Version, Guid RetractionEventId, bool Duplicate, Guid RetractedEventId, Stage Stage, Stage PreviousStage, bool StageChanged);
