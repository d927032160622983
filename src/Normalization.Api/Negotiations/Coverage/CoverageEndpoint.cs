using System.Text.Json;
using System.Text.Json.Nodes;
using Normalization.Api.Http;
using Normalization.Api.Security;
using Normalization.Api.Storage;
using Normalization.Domain.Catalog;
using Normalization.Domain.Validation;
using Wolverine.Http;

namespace Normalization.Api.Negotiations.Coverage;

/// <summary>
/// PUT /api/negotiations/{id}/coverage — <c>{ "coveredUntil", "occurredOn"?, "actor"?, "eventId"? }</c>: appends a
/// <c>RecordReviewed</c> (the record is complete through coveredUntil). It is an event in the stream, so how far the
/// record reached is itself time-travelable ("as known at"); it has no stage, ledger or momentum effect.
/// </summary>
public static class CoverageEndpoint
{
    static readonly string[] Fields = ["coveredUntil", "occurredOn", "eventId", "actor"];

    [WolverinePut("/api/negotiations/{id}/coverage")]
    public static async Task<IResult> Put(string id, HttpContext http, NegotiationStore store, CancellationToken ct)
    {
        var (doc, problem) = await JsonBody.ReadAsync(http.Request, ct);
        if (problem is not null) return problem;
        using var _ = doc;
        var b = doc!.RootElement;
        var errors = new List<FieldError>();
        foreach (var p in b.EnumerateObject())
            if (!Fields.Contains(p.Name))
                errors.Add(new(p.Name.Length > 40 ? p.Name[..40] : p.Name, "unknown_field", $"Unknown field. Allowed: {string.Join(", ", Fields)}."));
        if (errors.Count > 0) return Problems.Validation(errors);
        // Built as the flat event it is stored as and read by EventReader, like a retraction: the same input rules.
        var flat = JsonNode.Parse(b.GetRawText())!.AsObject();
        flat["type"] = nameof(RecordReviewed);
        flat["confidence"] = nameof(Confidence.Confirmed);
        if (flat["occurredOn"] is null) flat["occurredOn"] = DomainDate.FromDate(store.Today).ToString();
        if (flat["actor"] is null) flat["actor"] = "EDITOR";
        using var flatDoc = JsonDocument.Parse(flat.ToJsonString());
        var review = EventReader.Read(flatDoc.RootElement, "", errors) as RecordReviewed;
        if (errors.Count > 0 || review is null) return Problems.Validation(errors);
        if (review.EventId == Guid.Empty) review = review with { EventId = Guid.NewGuid() };
        var outcome = await store.AppendAsync(id, null, [review], ApiKeys.PostedBy(http), http.TraceIdentifier, ct);
        return outcome switch
        {
            AppendOutcome.NotFound => Problems.NegotiationNotFound(id),
            AppendOutcome.Invalid inv => Problems.Validation(inv.Errors.Select(e => e with { Path = e.Path.Replace("events[0].", "") }), 422),
            AppendOutcome.Appended a => ApiJson.Ok(new
            {
                id, version = a.Version, coveredUntil = review.CoveredUntil.End, eventId = a.Events[0].EventId, duplicate = a.Events[0].Duplicate,
            }),
            _ => throw new InvalidOperationException(),
        };
    }
}
