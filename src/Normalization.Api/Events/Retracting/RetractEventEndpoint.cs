using System.Text.Json;
using System.Text.Json.Nodes;
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
        // Strict like every other write: an unknown field is an error, not silently ignored.
        var errors = new List<FieldError>();
        foreach (var p in b.EnumerateObject())
            if (!Fields.Contains(p.Name))
                errors.Add(new(p.Name.Length > 40 ? p.Name[..40] : p.Name, "unknown_field", $"Unknown field. Allowed: {string.Join(", ", Fields)}."));
        if (errors.Count > 0) return Problems.Validation(errors);
        // No rules of its own: the retraction is built as the flat event it will be stored as and read by EventReader,
        // like every posted or imported event (text rules on reason, dates, codes, GUIDs). Checked before the target
        // event is looked up, so a bad body is a 400 even for an event that is already retracted.
        var flat = JsonNode.Parse(b.GetRawText())!.AsObject();
        flat["type"] = nameof(EventRetracted);
        flat["targetEventId"] = target.ToString();
        flat["confidence"] = nameof(Confidence.Confirmed);
        if (flat["occurredOn"] is null) flat["occurredOn"] = DomainDate.FromDate(store.Today).ToString();
        if (flat["actor"] is null) flat["actor"] = "EDITOR";
        using var flatDoc = JsonDocument.Parse(flat.ToJsonString());
        var retraction = EventReader.Read(flatDoc.RootElement, "", errors) as EventRetracted;
        if (errors.Count > 0 || retraction is null) return Problems.Validation(errors);
        if (retraction.EventId == Guid.Empty) retraction = retraction with { EventId = Guid.NewGuid() };
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
