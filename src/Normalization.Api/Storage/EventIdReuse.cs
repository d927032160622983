using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using Normalization.Domain.Catalog;
using Normalization.Domain.Validation;
using Npgsql;

namespace Normalization.Api.Storage;

/// <summary>
/// Idempotency by eventId, checked both ways (docs/api.md, "Idempotency"): a retried post — the same eventId with the same
/// content — is a <c>duplicate</c>, stored once; the same eventId with <b>different</b> content is a mistake the client must
/// hear about (409 <c>eventid_reused</c> naming <c>events[i].eventId</c>), never a silent "duplicate" that drops the new
/// event. Called by an append only once duplicates are known (its retry path, or ids repeated within the batch), so the
/// append at the end of a negotiation — which does not look stored ids up first — pays nothing for it.
/// </summary>
internal static class EventIdReuse
{
    /// <summary>
    /// The event as the client sent it, in canonical form: the product's JSON of the event as read (so key order, white
    /// space, <c>null</c> for a missing optional field make no difference), without what the server adds
    /// (<c>hypothetical</c>, which is never stored; recordedAt and postedBy live outside the event), with every number
    /// written by its value (<see cref="CanonicalNumbers"/>): a C# decimal keeps the scale it was read with, so
    /// <c>1.50</c>, <c>1.5</c>, <c>15e-1</c> would otherwise differ (docs/api.md, "Idempotency": a number's spelling makes
    /// no difference).
    /// </summary>
    public static string ClientContent(NegotiationEvent e) =>
        CanonicalNumbers(EventJson.Serialize(e.Hypothetical ? e with { Hypothetical = false } : e));

    /// <summary>
    /// <paramref name="json"/> with every number, at any depth, rewritten by its value: as a decimal without trailing zeros
    /// (<c>1.500</c> → <c>1.5</c>, <c>100.0</c> → <c>100</c>), or — out of decimal's range — as the shortest round-trip double.
    /// </summary>
    internal static string CanonicalNumbers(string json) => Canonical(JsonNode.Parse(json))?.ToJsonString() ?? "null";

    static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Canonical(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Canonical)]),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number =>
            v.TryGetValue<decimal>(out var d) ? JsonValue.Create(d / 1.000000000000000000000000000000000m) : JsonValue.Create(v.GetValue<double>()),
        _ => node?.DeepClone(),
    };

    /// <summary>
    /// The <c>eventid_reused</c> errors of a batch whose duplicates are known (<paramref name="results"/>, in batch order):
    /// every event whose content differs from the stored event with its id (all the batch's ids are looked up, whether or not
    /// <paramref name="stored"/> — the ids the append found stored — holds them), or from the first event of the batch with
    /// its id; each clash is named, not only the first. Null when every duplicate is the same event. <paramref name="results"/>
    /// and <paramref name="stored"/> are what the append knows; the comparison does not depend on them being complete.
    /// Stored events are read through Marten (<see cref="RecordedEvents.ByVersionsAsync"/>), by the versions the index holds.
    /// </summary>
    public static async Task<AppendOutcome.EventIdReused?> FindAsync(IQuerySession session, NpgsqlConnection conn, NpgsqlTransaction tx, string id,
        IReadOnlyList<NegotiationEvent> batch, IReadOnlyList<StoredEventId> results, IReadOnlySet<Guid> stored, CancellationToken ct)
    {
        // Every id of the batch is looked up, not only those the append found stored: an append at the end of a negotiation
        // does not look stored ids up, and a batch with one clash inside it must still name its clashes with stored events.
        var storedContent = await StoredContentAsync(session, conn, tx, id, [.. batch.Select(e => e.EventId).Distinct()], ct);
        var firstInBatch = new Dictionary<Guid, string>();
        var errors = new List<FieldError>();
        for (var i = 0; i < batch.Count; i++)
        {
            var e = batch[i];
            var content = ClientContent(e);
            var earlier = storedContent.TryGetValue(e.EventId, out var s) ? s : firstInBatch.GetValueOrDefault(e.EventId);
            if (earlier is null) firstInBatch.TryAdd(e.EventId, content);
            else if (earlier != content)
                errors.Add(new($"events[{i}].eventId", "eventid_reused",
                    $"eventId {e.EventId} is already {(s is not null ? "stored" : "used earlier in this batch")} for a different event: a retry must send the same event; a new event needs a new eventId (or none)."));
        }
        return errors.Count > 0 ? new AppendOutcome.EventIdReused(errors) : null;
    }

    /// <summary>The canonical content of the stored events with <paramref name="ids"/>: their versions from our index, the events from Marten.</summary>
    static async Task<Dictionary<Guid, string>> StoredContentAsync(IQuerySession session, NpgsqlConnection conn, NpgsqlTransaction tx, string id, Guid[] ids, CancellationToken ct)
    {
        var versions = new Dictionary<long, Guid>();
        await using (var cmd = new NpgsqlCommand($"select event_id, version from {Schema.Events} where negotiation_id = @id and event_id = any(@ids)", conn, tx))
        {
            cmd.Parameters.AddWithValue("id", id);
            cmd.Parameters.AddWithValue("ids", ids);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct)) versions[r.GetInt32(1)] = r.GetGuid(0);
        }
        var events = await RecordedEvents.ByVersionsAsync(session, id, [.. versions.Keys], ct);
        return events.Where(kv => kv.Value.Data is NegotiationEvent).ToDictionary(kv => versions[kv.Key], kv => ClientContent((NegotiationEvent)kv.Value.Data));
    }
}
