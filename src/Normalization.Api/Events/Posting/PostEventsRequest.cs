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
public sealed record PostEventsRequest(int? ExpectedVersion, IReadOnlyList<NegotiationEvent> Events) : IJsonRequest<PostEventsRequest>
{
    /// <summary>The error path of the If-Match header (a header's error is <c>header.&lt;Name&gt;</c>, as a route's is <c>route.&lt;name&gt;</c>).</summary>
    public const string IfMatchPath = "header.If-Match";

    /// <summary>
    /// <c>If-Match</c>, the standard precondition, as <see cref="ExpectedVersion"/>: <c>"n"</c> (one strong entity tag, the
    /// quoted version an ETag gave) is version n — a stale one is 409 <c>version_conflict</c> like a stale expectedVersion;
    /// <c>*</c> asks only that the negotiation exist. Anything else (unquoted, weak <c>W/"n"</c> — If-Match compares
    /// strongly, so a weak tag could never match —, a list, not a version) is 400 <c>invalid_etag</c>; an If-Match and a
    /// body expectedVersion naming different versions are 400 <c>version_mismatch</c>. Never ignored.
    /// </summary>
    public static PostEventsRequest? ReadHeaders(IHeaderDictionary headers, PostEventsRequest? request, List<FieldError> errors)
    {
        var values = headers.IfMatch;
        if (values.Count == 0) return request;
        // Several If-Match lines are one list (RFC 9110 §5.3): a list of versions is not one precondition.
        var text = string.Join(",", values.ToArray()).Trim(' ', '\t');
        if (text == "*") return request;
        if (!TryVersionTag(text, out var version))
        {
            errors.Add(new(IfMatchPath, "invalid_etag", "If-Match must be one strong entity tag, the quoted version the negotiation's ETag gave (e.g. \"7\"), or *."));
            return request;
        }
        if (request?.ExpectedVersion is { } body && body != version)
        {
            errors.Add(new(IfMatchPath, "version_mismatch", $"If-Match names version {version} and the body's expectedVersion {body}: give one of them, or the same version."));
            return request;
        }
        return request is null ? null : request with { ExpectedVersion = version };
    }

    /// <summary>A version's entity tag: <c>"n"</c>, n from 1 to int.MaxValue in ASCII digits without a leading zero (the tag is compared as text).</summary>
    static bool TryVersionTag(string text, out int version)
    {
        version = 0;
        if (text.Length < 3 || text[0] != '"' || text[^1] != '"' || text[1] == '0') return false;
        var digits = text.AsSpan(1, text.Length - 2);
        return Strict.IsAsciiDigits(digits) && int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out version);
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
