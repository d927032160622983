using System.Text.Json;
using Normalization.Api.Exporting;
using Normalization.Api.Http;
using Normalization.Api.Storage;
using Normalization.Domain.Catalog;
using Wolverine.Http;

namespace Normalization.Api.Timeline;

/// <summary>
/// GET /api/negotiations/{id}/timeline?from=&amp;to=&amp;type=&amp;actor=&amp;page=&amp;pageSize= — events in domain order with
/// sources, confidence and retraction/correction status;
/// exports with <c>format=csv|ndjson|xlsx</c> (or Accept: text/csv, application/x-ndjson) and <c>dialect=excel</c> for CSV.
/// </summary>
public static class TimelineEndpoint
{
    [WolverineGet("/api/negotiations/{id}/timeline")]
    public static async Task<IResult> Get(string id, HttpRequest request, NegotiationStore store, CancellationToken ct)
    {
        var q = request.Query;
        if (Query.Only(q, "from", "to", "type", "actor", "page", "pageSize", "format", "dialect") is { } unknown) return unknown;
        if (!Query.TryDate(q["from"], "from", out var from, out var p1)) return p1!;
        if (!Query.TryDate(q["to"], "to", out var to, out var p2)) return p2!;
        if (from > to) return Problems.Field("from", "out_of_range", "from must not be after to.");
        if (!Query.TryInt(q["page"], "page", 1, 1_000_000, 1, out var page, out var p3)) return p3!;
        if (!ExportQuery.TryFormat(q["format"], request.Headers.Accept.ToString(), Formats, out var format, out var p7)) return p7!;
        if (!ExportQuery.TryDialect(q["dialect"], out var dialect, out var p8)) return p8!;
        var export = format != ExportMedia.Json;
        if (!Query.TryInt(q["pageSize"], "pageSize", 1, export ? 100_000 : 500, export ? 100_000 : 100, out var pageSize, out var p4)) return p4!;
        if (!Query.TryText(q["type"], "type", out var typeText, out var p6)) return p6!;
        // Case-insensitive like every enum in a query string (?type=talksheld); the catalog's spelling is used.
        string? type = typeText is null ? null : EventCatalog.Names.FirstOrDefault(n => string.Equals(n, typeText, StringComparison.OrdinalIgnoreCase));
        if (typeText is not null && type is null)
            return Problems.Field("type", "unknown_event_type", $"Unknown event type. Known types: {string.Join(", ", EventCatalog.Names)}.");
        if (!Query.TryPartyCode(q["actor"], "actor", out var actor, out var p5)) return p5!;
        if (await store.VersionAsync(id, ct) is null) return Problems.NegotiationNotFound(id);

        var (items, total) = await store.TimelineAsync(id, from, to, type, actor, (page - 1) * pageSize, pageSize, ct);
        switch (format)
        {
            case ExportMedia.Csv:
                return Results.File(TimelineCsv.ToBytes(dialect, csv => TimelineCsv.Write(csv, items)), "text/csv; charset=utf-8", $"{id}-timeline.csv");
            case ExportMedia.Ndjson:
                return Results.Text(string.Concat(items.Select(i => EventJson.Serialize(i.Event) + "\n")), "application/x-ndjson; charset=utf-8");
            case ExportMedia.Xlsx:
                return await TimelineXlsx.AnswerAsync(id, items, store, ct);
            default:
                return ApiJson.Ok(new { id, page, pageSize, total, items = items.Select(Entry) });
        }
    }

    /// <summary>The formats of the timeline: JSON (a page), and the exports CSV, NDJSON and XLSX.</summary>
    static readonly ExportMedia[] Formats = [ExportMedia.Json, ExportMedia.Csv, ExportMedia.Ndjson, ExportMedia.Xlsx];

    public static object Entry(TimelineEntry i) => new
    {
        eventId = i.Event.EventId, type = i.Event.Type, occurredOn = i.Event.OccurredOn, precision = i.Event.OccurredOn.Precision,
        actor = i.Event.Actor, target = i.Event.Target, confidence = i.Event.Confidence, sources = i.Event.Sources, note = i.Event.Note,
        status = i.Status.Db(), retractedBy = i.RetractedBy, correctedBy = i.CorrectedBy,
        goldstein = EventCatalog.GoldsteinOf(i.Event), cameo = EventCatalog.CameoOf(i.Event), plover = EventCatalog.Of(i.Event).Plover,
        version = i.Version, recordedAt = i.RecordedAt, postedBy = i.PostedBy,
        @event = JsonSerializer.SerializeToNode(i.Event, EventJson.Options),
    };

    /// <summary>The CSV layout (docs/data.md): envelope columns, then the type's own fields as one JSON column (<see cref="TimelineCsv"/>).</summary>
    public static string[] CsvColumns => TimelineCsv.Columns;
}
