using Marten;
using Normalization.Domain.Catalog;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Validation;
using Npgsql;

namespace Normalization.Api.Storage;

/// <summary>
/// The validation context of a whole record, for what the index and the head cannot judge
/// (<c>DomainIndex.KnownReferences.NeedWholeRecord</c>: a correction of a DemandMade or AgreementSigned, a retraction of a
/// retraction or correction, an id reused whose opening the head cannot place). It registers the same as
/// <see cref="ValidationContext.For"/> over every event, reading only the bodies registration needs
/// (<see cref="ValidationContext.NeedsBody"/>: the ledger's openings and closings, retractions, corrections) through Marten;
/// every other event is registered from its index row (id, type, date). Measured in docs/benchmarks.md section 5 ("correction
/// of a DemandMade mid-history").
/// </summary>
public static class WholeRecordValidation
{
    /// <summary>
    /// The context for stream <paramref name="id"/> as of the transaction <paramref name="tx"/> (the caller holds the stream's
    /// lock, so the index and the stream agree). Events are registered in recording order, as <see cref="ValidationContext.For"/> does.
    /// </summary>
    public static async Task<ValidationContext> ContextAsync(IQuerySession session, NpgsqlConnection conn, NpgsqlTransaction tx, string id,
        NegotiationOpened negotiation, DateOnly today, CancellationToken ct)
    {
        var rows = new List<(int Version, Guid EventId, string Type, string OccurredOn)>();
        await using (var cmd = new NpgsqlCommand("select version, event_id, type, occurred_on from nz_events where negotiation_id = @id order by version", conn, tx))
        {
            cmd.Parameters.AddWithValue("id", id);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            // The index keeps the name an event was written under; a renamed type is judged under its current name.
            while (await r.ReadAsync(ct)) rows.Add((r.GetInt32(0), r.GetGuid(1), EventUpcasters.CurrentName(r.GetString(2)), r.GetString(3)));
        }
        var bodies = await RecordedEvents.ByVersionsAsync(session, id, rows.Where(r => ValidationContext.NeedsBody(r.Type)).Select(r => (long)r.Version).ToList(), ct);
        var ctx = new ValidationContext(negotiation, today);
        foreach (var (version, eventId, type, occurredOn) in rows)
            if (bodies.TryGetValue(version, out var stored) && stored.Data is NegotiationEvent e) ctx.Register(e);
            else if (ValidationContext.NeedsBody(type)) throw new InvalidOperationException($"Stream '{id}' has no event at version {version}, which the index lists.");
            else ctx.RegisterKnownEvent(eventId, type, retracted: false, DomainDate.Parse(occurredOn));
        return ctx;
    }
}
