using Normalization.Domain.Catalog;
using Npgsql;
using static Normalization.Api.Storage.DomainIndex;

namespace Normalization.Api.Storage;

/// <summary>The timeline: the index's rows in domain order with statuses and who retracted or corrected each, the events read through Marten.</summary>
public sealed partial class NegotiationStore
{
    /// <summary>
    /// A page of the timeline: the index's rows in domain order (then stream version), filtered by domain dates, type and
    /// actor, with their statuses and the retraction or correction in force; <c>Total</c> counts every row that passes the filters.
    /// </summary>
    public async Task<(IReadOnlyList<TimelineEntry> Items, int Total)> TimelineAsync(string id, DateOnly? from, DateOnly? to, string? type, string? actor,
        int offset, int limit, CancellationToken ct = default)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var (rows, total) = await TimelineRowsAsync(conn, null, id, from, to, type, actor, offset, limit, null, ct);
        await using var session = store.QuerySession();
        var stored = await RecordedEvents.ByVersionsAsync(session, id, rows.Select(x => x.Version).ToList(), ct);
        var items = rows.Select(x =>
        {
            var e = stored[x.Version];
            return new TimelineEntry((NegotiationEvent)e.Data, x.Status, x.RetractedBy, x.CorrectedBy, (int)e.Version, e.Timestamp, e.UserName);
        }).ToList();
        return (items, total);
    }

    /// <summary>One index row of a timeline page: its event, target, version, current status and the retraction/correction in force now.</summary>
    readonly record struct TimelineRow(Guid EventId, Guid? Target, long Version, IndexStatus Status, Guid? RetractedBy, Guid? CorrectedBy);

    /// <summary>The filtered, paged index rows and their count; with <paramref name="version"/>, only rows recorded by that stream version.</summary>
    static async Task<(List<TimelineRow> Rows, int Total)> TimelineRowsAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, string id, DateOnly? from, DateOnly? to,
        string? type, string? actor, int offset, int limit, int? version, CancellationToken ct)
    {
        var where = "i.negotiation_id = @id" + (from is null ? "" : " and i.domain_date >= @from") + (to is null ? "" : " and i.domain_date <= @to")
            + (type is null ? "" : " and i.type = any(@types)") + (actor is null ? "" : " and i.actor = @actor") + (version is null ? "" : " and i.version <= @v");
        void Bind(NpgsqlCommand c)
        {
            c.Parameters.AddWithValue("id", id);
            if (from is not null) c.Parameters.AddWithValue("from", from.Value);
            if (to is not null) c.Parameters.AddWithValue("to", to.Value);
            // Rows written before a rename keep the old name (the index is not rewritten until a rebuild): every stored name of the type.
            if (type is not null) c.Parameters.AddWithValue("types", EventUpcasters.StoredNamesOf(type).ToArray());
            if (actor is not null) c.Parameters.AddWithValue("actor", actor);
            if (version is not null) c.Parameters.AddWithValue("v", version.Value);
        }
        int total;
        await using (var count = new NpgsqlCommand($"select count(*) from nz_events i where {where}", conn, tx))
        {
            Bind(count);
            total = Convert.ToInt32(await count.ExecuteScalarAsync(ct));
        }
        var rows = new List<TimelineRow>();
        await using (var cmd = new NpgsqlCommand($"""
            select i.event_id, i.status, i.version, i.target_event_id,
              (select r.event_id from nz_events r where r.negotiation_id = i.negotiation_id and r.target_event_id = i.event_id and r.role = 1 and r.status = 'active' limit 1),
              (select c.event_id from nz_events c where c.negotiation_id = i.negotiation_id and c.target_event_id = i.event_id and c.role = 2 and c.status = 'active' limit 1)
            from nz_events i
            where {where} order by i.sort_key, i.version offset @offset limit @limit
            """, conn, tx))
        {
            Bind(cmd);
            cmd.Parameters.AddWithValue("offset", offset);
            cmd.Parameters.AddWithValue("limit", limit);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
                rows.Add(new TimelineRow(r.GetGuid(0), r.IsDBNull(3) ? null : r.GetGuid(3), r.GetInt32(2), StatusFromDb(r.GetString(1)),
                    r.IsDBNull(4) ? null : r.GetGuid(4), r.IsDBNull(5) ? null : r.GetGuid(5)));
        }
        return (rows, total);
    }
}
