using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Normalization.Api.Http;
using Normalization.Api.Http.Requests;
using Normalization.Api.Storage;
using Normalization.Domain.Catalog;
using Normalization.Domain.Stages;
using Normalization.Domain.Validation;

namespace Normalization.Api.Events.Posting;

/// <summary>
/// The body of POST /api/negotiations/{id}/events. <see cref="ExpectedVersion"/>: the stream version the client last saw
/// (optimistic concurrency; absent or null: none). <see cref="Events"/>: 1 to <see cref="PostEventsEndpoint.MaxEventsPerBatch"/>
/// flat events, each read by <see cref="EventReader"/> against the catalog. An <c>If-Match: "n"</c> header (the ETag of
/// GET /api/negotiations/{id}) is the same precondition as <c>expectedVersion: n</c> (<see cref="ReadHeaders"/>).
/// </summary>
[IfMatchHeader]
public sealed record PostEventsRequest(int? ExpectedVersion, IReadOnlyList<NegotiationEvent> Events) : IJsonRequest<PostEventsRequest>
{
    /// <summary>The error path of the If-Match header (<see cref="IfMatch.Path"/>).</summary>
    public const string IfMatchPath = IfMatch.Path;

    /// <summary>
    /// <c>If-Match</c> (<see cref="IfMatch"/>) as <see cref="ExpectedVersion"/>: <c>"n"</c> is version n, <c>*</c> only asks that
    /// the negotiation exist, anything else is 400 <c>invalid_etag</c>; an If-Match and a body expectedVersion naming
    /// different versions are 400 <c>version_mismatch</c>. Never ignored.
    /// </summary>
    public static PostEventsRequest? ReadHeaders(IHeaderDictionary headers, PostEventsRequest? request, List<FieldError> errors)
    {
        if (IfMatch.Read(headers, errors) is not { } version) return request;
        if (request?.ExpectedVersion is { } body && body != version)
        {
            errors.Add(new(IfMatchPath, "version_mismatch", $"If-Match names version {version} and the body's expectedVersion {body}: give one of them, or the same version."));
            return request;
        }
        return request is null ? null : request with { ExpectedVersion = version };
    }

    /// <inheritdoc/>
    public static IResult? Read(JsonElement body, DateOnly today, List<FieldError> errors, out PostEventsRequest? request)
    {
        request = null;
        int? expected = null;
        foreach (var p in body.EnumerateObject())
            if (p.Name is not ("expectedVersion" or "events"))
                errors.Add(new(p.Name.Length > 40 ? p.Name[..40] : p.Name, "unknown_field", "Unknown field. Allowed: expectedVersion, events."));
        if (body.TryGetProperty("expectedVersion", out var ev) && ev.ValueKind != JsonValueKind.Null)
        {
            // By value, like every JSON integer (Strict.ReadInteger): 7, 7.0 and 7e0 are version 7; 1e20 is out of range.
            switch (Strict.ReadInteger(ev, 1, int.MaxValue, out var v))
            {
                case Strict.IntegerReading.Ok: expected = (int)v; break;
                case Strict.IntegerReading.OutOfRange:
                    errors.Add(new("expectedVersion", "out_of_range", "expectedVersion must be from 1 to 2,147,483,647 (the stream version you last saw)."));
                    break;
                default:
                    errors.Add(new("expectedVersion", "wrong_type", "expectedVersion must be a positive integer (the stream version you last saw)."));
                    break;
            }
        }
        if (!body.TryGetProperty("events", out var list) || list.ValueKind != JsonValueKind.Array)
        {
            errors.Add(new("events", "required", "events must be an array of events."));
            return null;
        }
        if (list.GetArrayLength() == 0)
        {
            errors.Add(new("events", "required", "events must not be empty."));
            return null;
        }
        if (list.GetArrayLength() > PostEventsEndpoint.MaxEventsPerBatch)
            return Problems.Of(StatusCodes.Status413PayloadTooLarge, "too_many_events", "Too many events in one batch.", $"At most {PostEventsEndpoint.MaxEventsPerBatch} events per request.");

        var events = new List<NegotiationEvent>();
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            var e = EventItems.Read(item, $"events[{i++}]", errors);
            if (e is not null) events.Add(e);
        }
        request = new PostEventsRequest(expected, events);
        return null;
    }
}

/// <summary>
/// 201 answer of POST /api/negotiations/{id}/events: the stream's <see cref="Version"/> after the append, each posted
/// eventId with <c>stored</c> or <c>duplicate</c>, the counts, and the stage before and after (docs/api.md).
/// </summary>
public sealed record PostEventsResponse(string Id, int Version, IReadOnlyList<PostedEventStatus> Events, int Stored, int Duplicates,
    Stage Stage, Stage PreviousStage, bool StageChanged)
{
    /// <summary>The answer for an appended batch.</summary>
    public static PostEventsResponse Of(string id, AppendOutcome.Appended a) =>
        new(id, a.Version, [.. a.Events.Select(e => new PostedEventStatus(e.EventId, e.Duplicate ? "duplicate" : "stored"))],
            a.Events.Count(e => !e.Duplicate), a.Events.Count(e => e.Duplicate), a.Stage, a.PreviousStage, a.StageChanged);
}

/// <summary>One posted event in <see cref="PostEventsResponse"/>: its id and <c>stored</c> or <c>duplicate</c>.</summary>
public sealed record PostedEventStatus(Guid EventId, [property: AllowedValues("stored", "duplicate")] string Status);
