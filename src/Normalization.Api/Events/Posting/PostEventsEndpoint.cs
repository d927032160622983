using System.Text.Json;
using Normalization.Api.Http;
using Normalization.Api.Security;
using Normalization.Api.Storage;
using Normalization.Domain.Catalog;
using Normalization.Domain.Validation;
using Wolverine.Http;

namespace Normalization.Api.Events.Posting;

/// <summary>
/// POST /api/negotiations/{id}/events — <c>{ "expectedVersion"?: n, "events": [ flat event, … ] }</c>.
/// All stored or none; duplicates by eventId are reported, not stored twice.
/// </summary>
public static class PostEventsEndpoint
{
    public const int MaxEventsPerBatch = 1000;

    [WolverinePost("/api/negotiations/{id}/events")]
    public static async Task<IResult> Post(string id, HttpContext http, NegotiationStore store, CancellationToken ct)
    {
        var (doc, problem) = await JsonBody.ReadAsync(http.Request, ct);
        if (problem is not null) return problem;
        using var _ = doc;
        var body = doc!.RootElement;
        var errors = new List<FieldError>();
        int? expected = null;
        foreach (var p in body.EnumerateObject())
            if (p.Name is not ("expectedVersion" or "events"))
                errors.Add(new(p.Name.Length > 40 ? p.Name[..40] : p.Name, "unknown_field", "Unknown field. Allowed: expectedVersion, events."));
        if (body.TryGetProperty("expectedVersion", out var ev) && ev.ValueKind != JsonValueKind.Null)
        {
            if (ev.ValueKind == JsonValueKind.Number && ev.TryGetInt32(out var v) && v >= 1) expected = v;
            // A number written as an integer (no fraction, no exponent) but outside int's range is out of range; 1.0 or 1e0 is not an integer.
            else if (ev.ValueKind == JsonValueKind.Number && ev.GetRawText().All(c => c is >= '0' and <= '9' or '-'))
                errors.Add(new("expectedVersion", "out_of_range", "expectedVersion must be from 1 to 2,147,483,647 (the stream version you last saw)."));
            else errors.Add(new("expectedVersion", "wrong_type", "expectedVersion must be a positive integer (the stream version you last saw)."));
        }
        if (!body.TryGetProperty("events", out var list) || list.ValueKind != JsonValueKind.Array)
            return Problems.Validation([.. errors, new("events", "required", "events must be an array of events.")]);
        if (list.GetArrayLength() == 0) return Problems.Validation([.. errors, new("events", "required", "events must not be empty.")]);
        if (list.GetArrayLength() > MaxEventsPerBatch)
            return Problems.Of(StatusCodes.Status413PayloadTooLarge, "too_many_events", "Too many events in one batch.", $"At most {MaxEventsPerBatch} events per request.");

        var events = new List<NegotiationEvent>();
        var i = 0;
        foreach (var item in list.EnumerateArray())
        {
            var e = EventReader.Read(item, $"events[{i++}]", errors);
            if (e is not null) events.Add(e);
        }
        if (errors.Count > 0) return Problems.Validation(errors);

        var location = ApiJson.Location("api", "negotiations", id);
        var outcome = await store.AppendAsync(id, expected, events, ApiKeys.PostedBy(http), http.TraceIdentifier, ct);
        return outcome switch
        {
            AppendOutcome.NotFound => Problems.NegotiationNotFound(id),
            AppendOutcome.VersionConflict c => Problems.Conflict("version_conflict",
                $"The negotiation is at version {c.CurrentVersion}, not {c.ExpectedVersion}: reload and retry.",
                new Dictionary<string, object?> { ["currentVersion"] = c.CurrentVersion, ["expectedVersion"] = c.ExpectedVersion }),
            AppendOutcome.Invalid inv => Problems.Validation(inv.Errors, StatusCodes.Status422UnprocessableEntity),
            AppendOutcome.Appended a => ApiJson.Created(location, new
            {
                id, version = a.Version,
                events = a.Events.Select(e => new { eventId = e.EventId, status = e.Duplicate ? "duplicate" : "stored" }),
                stored = a.Events.Count(e => !e.Duplicate), duplicates = a.Events.Count(e => e.Duplicate),
                stage = a.Stage, previousStage = a.PreviousStage, stageChanged = a.StageChanged,
            }),
            _ => throw new InvalidOperationException(),
        };
    }
}
