using System.Text.Json;
using Normalization.Api.Http;
using Normalization.Api.Security;
using Normalization.Api.Storage;
using Normalization.Domain.Catalog;
using Normalization.Domain.Validation;
using Wolverine.Http;

namespace Normalization.Api.Events.Retracting;

/// <summary>POST /api/negotiations/{id}/events/{eventId}/retract — <c>{ "reason", "occurredOn"?, "actor"?, "eventId"? }</c>: appends an EventRetracted.</summary>
public static class RetractEventEndpoint
{
    static readonly string[] Fields = ["reason", "occurredOn", "eventId", "actor"];

    [WolverinePost("/api/negotiations/{id}/events/{eventId}/retract")]
    public static async Task<IResult> Post(string id, string eventId, HttpContext http, NegotiationStore store, CancellationToken ct)
    {
        if (!Strict.TryGuid(eventId, out var target)) return Problems.Field("eventId", "invalid_guid", "eventId in the path must be a GUID.");
        var (doc, problem) = await JsonBody.ReadAsync(http.Request, ct);
        if (problem is not null) return problem;
        using var _ = doc;
        var b = doc!.RootElement;
        // Strict like every other write: an unknown field or a wrong type is an error, not silently ignored.
        var errors = new List<FieldError>();
        foreach (var p in b.EnumerateObject())
        {
            if (!Fields.Contains(p.Name))
                errors.Add(new(p.Name.Length > 40 ? p.Name[..40] : p.Name, "unknown_field", $"Unknown field. Allowed: {string.Join(", ", Fields)}."));
            else if (p.Name != "reason" && p.Value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null)) // a non-string reason: "required", as before
                errors.Add(new(p.Name, "wrong_type", $"{p.Name} must be a string."));
        }
        if (errors.Count > 0) return Problems.Validation(errors);
        string? Str(string name) => b.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        var reason = Str("reason");
        if (string.IsNullOrWhiteSpace(reason)) return Problems.Field("reason", "required", "reason is required: say why the event is retracted.");
        if (reason.Length > 2000) return Problems.Field("reason", "too_long", "reason is longer than 2000 characters.");
        var occurred = DomainDate.FromDate(store.Today);
        if (Str("occurredOn") is { } o && !DomainDate.TryParse(o, out occurred)) return Problems.Field("occurredOn", "invalid_date", "occurredOn must be YYYY-MM-DD, YYYY-MM or YYYY.");
        var retractionId = Guid.NewGuid();
        if (b.TryGetProperty("eventId", out var idEl) && idEl.ValueKind != JsonValueKind.Null &&
            !(idEl.ValueKind == JsonValueKind.String && Strict.TryGuid(idEl.GetString(), out retractionId)))
            return Problems.Field("eventId", "invalid_guid", "eventId, when given, must be a non-empty GUID (the retraction's own id).");
        if (Str("actor") is { } actor && !EventReader.PartyCode().IsMatch(actor))
            return Problems.Field("actor", "invalid_party_code", "actor must be a party code: upper-case letters, digits, hyphens (e.g. US, TB).");
        var retraction = new EventRetracted
        {
            EventId = retractionId,
            OccurredOn = occurred,
            Actor = Str("actor") ?? "EDITOR",
            Confidence = Confidence.Confirmed,
            TargetEventId = target,
            Reason = reason,
        };
        var location = ApiJson.Location("api", "negotiations", id);
        var outcome = await store.AppendAsync(id, null, [retraction], ApiKeys.PostedBy(http), http.TraceIdentifier, ct);
        return outcome switch
        {
            AppendOutcome.NotFound => Problems.NegotiationNotFound(id),
            AppendOutcome.Invalid inv when inv.Errors.Any(e => e.Code == "unknown_reference") =>
                Problems.Of(404, "event_not_found", "No such event.", $"Negotiation '{id}' has no event {target}."),
            AppendOutcome.Invalid inv when inv.Errors.Any(e => e.Code == "already_retracted") =>
                Problems.Conflict("already_retracted", $"Event {target} is already retracted."),
            AppendOutcome.Invalid inv => Problems.Validation(inv.Errors.Select(e => e with { Path = e.Path.Replace("events[0].", "") }), 422),
            AppendOutcome.Appended a => ApiJson.Created(location, new
            {
                id, version = a.Version, retractionEventId = a.Events[0].EventId, duplicate = a.Events[0].Duplicate,
                retractedEventId = target, stage = a.Stage, previousStage = a.PreviousStage, stageChanged = a.StageChanged,
            }),
            _ => throw new InvalidOperationException(),
        };
    }
}
