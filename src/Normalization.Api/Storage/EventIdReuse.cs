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
    /// The event as the client sent it, in canonical form (<see cref="EventContent.Of"/>: key order, white space, a missing
    /// optional field, <c>hypothetical</c> and a number's spelling make no difference — docs/api.md, "Idempotency"); the
    /// package's history readers tell a repeat from a reuse by the same form.
    /// </summary>
    public static string ClientContent(NegotiationEvent e) => EventContent.Of(e);

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
