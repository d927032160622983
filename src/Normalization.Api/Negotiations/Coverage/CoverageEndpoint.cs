using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc;
using Normalization.Api.Http;
using Normalization.Api.Http.Requests;
using Normalization.Api.Security;
using Normalization.Api.Storage;
using Normalization.Domain.Catalog;
using Normalization.Domain.Validation;
using Wolverine.Http;

namespace Normalization.Api.Negotiations.Coverage;

/// <summary>
/// PUT /api/negotiations/{id}/coverage — <see cref="CoverageRequest"/>: appends a <c>RecordReviewed</c> (the record is
/// complete through coveredUntil). It is an event in the stream, so how far the record reached is itself time-travelable
/// ("as known at"); it has no stage, ledger or momentum effect.
/// </summary>
public static class CoverageEndpoint
{
    /// <summary>
    /// Appends the review: 404 <c>negotiation_not_found</c>, 422 when it is invalid for this negotiation, else 200
    /// <see cref="CoverageResponse"/> (a repeated eventId is a duplicate, stored once; reused for a different event, 409 <c>eventid_reused</c>).
    /// </summary>
    [Tags("Negotiations"), EndpointSummary("Declare coverage")]
    [EndpointDescription("Declares the last day the record is complete through: appends a RecordReviewed. Later dates are answered as extrapolated (docs/stage-model.md, \"How far the record reaches\"). 409 version_conflict when an If-Match: \"<version>\" header is stale (400 invalid_etag at header.If-Match when it is not one quoted version or *).")]
    [ProducesResponseType<CoverageResponse>(StatusCodes.Status200OK)]
    [ProducesProblem(StatusCodes.Status404NotFound), ProducesProblem(StatusCodes.Status409Conflict), ProducesProblem(StatusCodes.Status422UnprocessableEntity)]
    [VersionETag]
    [WolverinePut("/api/negotiations/{id}/coverage")]
    public static async Task<IResult> Put(CoverageRequest request, string id, NegotiationStore store, ClaimsPrincipal user, string traceIdentifier, CancellationToken ct)
    {
        var review = request.Review;
        var outcome = await store.AppendAsync(id, request.ExpectedVersion, [review], ApiKeys.PostedBy(user), traceIdentifier, ct);
        return outcome switch
        {
            AppendOutcome.NotFound => Problems.NegotiationNotFound(id),
            AppendOutcome.VersionConflict c => Problems.VersionConflict(c),
            AppendOutcome.Invalid inv => Problems.Validation(inv.Errors.Select(e => e with { Path = e.Path.Replace("events[0].", "") }), 422),
            AppendOutcome.Appended a => ApiJson.OkAtVersion(new CoverageResponse(id, a.Version, review.CoveredUntil.End, a.Events[0].EventId, a.Events[0].Duplicate), a.Version),
            AppendOutcome.EventIdReused r => Problems.EventIdReused(r.Errors.Select(e => e with { Path = e.Path.Replace("events[0].", "") })),
            _ => throw new InvalidOperationException(),
        };
    }
}

/// <summary>
/// The body of a coverage declaration: <c>{ "coveredUntil", "occurredOn"?, "actor"?, "eventId"? }</c>, read as the flat
/// <c>RecordReviewed</c> it is stored as by <see cref="EventReader"/> (like a retraction: the same input rules); its date
/// defaults to today, its actor to <c>EDITOR</c>, its eventId to a new one. Unknown fields are errors.
/// </summary>
[IfMatchHeader]
public sealed record CoverageRequest(RecordReviewed Review) : IJsonRequest<CoverageRequest>
{
    /// <summary>The stream version an <c>If-Match: "n"</c> header names (<see cref="IfMatch"/>): a stale one is 409 <c>version_conflict</c>; null: none.</summary>
    public int? ExpectedVersion { get; init; }

    /// <inheritdoc/>
    public static CoverageRequest? ReadHeaders(IHeaderDictionary headers, CoverageRequest? request, List<FieldError> errors) =>
        IfMatch.Read(headers, errors) is { } version && request is not null ? request with { ExpectedVersion = version } : request;

    static readonly string[] Fields = ["coveredUntil", "occurredOn", "eventId", "actor"];

    /// <inheritdoc/>
    public static IResult? Read(JsonElement body, DateOnly today, List<FieldError> errors, out CoverageRequest? request)
    {
        // An unknown field is listed with the errors of the known ones (FlatEventBody), not instead of them.
        var known = FlatEventBody.KnownFields(body, Fields, errors);
        var review = FlatEventBody.Read<RecordReviewed>(known, flat =>
        {
            flat["confidence"] = nameof(Confidence.Confirmed);
            FlatEventBody.Default(flat, "occurredOn", DomainDate.FromDate(today).ToString());
            FlatEventBody.Default(flat, "actor", "EDITOR");
        }, errors);
        // coveredUntil is a day, as at create and in a RecordReviewed event (the catalog's FieldFormat.Day, read by EventReader).
        request = review is null || errors.Count > 0 ? null : new((RecordReviewed)review.WithId());
        return null;
    }
}

/// <summary>Answer of a coverage declaration: the stream version after it, the day covered until, the review's eventId and whether it was a duplicate.</summary>
public sealed record CoverageResponse(string Id, int Version, DateOnly CoveredUntil, Guid EventId, bool Duplicate);
