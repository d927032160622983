using Microsoft.AspNetCore.Mvc;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Normalization.Api.Http;
using Normalization.Api.Storage;
using Normalization.Domain.Catalog;
using Normalization.Api.Http.Requests;
using Wolverine.Attributes;
using Wolverine.Http;

namespace Normalization.Api.Timeline;

/// <summary>
/// GET /api/negotiations/{id}/timeline?from=&amp;to=&amp;type=&amp;actor=&amp;page=&amp;pageSize= — events in domain order with
/// sources, confidence and retraction/correction status. Accept: text/csv or application/x-ndjson exports.
/// </summary>
public static class TimelineEndpoint
{
    /// <summary>A page of the timeline as JSON, or the export (CSV, NDJSON) when Accept asks for it; 404 <c>negotiation_not_found</c>.</summary>
    [Tags("Events"), EndpointSummary("Timeline and export")]
    [EndpointDescription("The recorded events in domain order with sources, confidence and retraction/correction status. Accept: text/csv (columns: eventId,type,occurredOn,actor,target,confidence,status,cameo,goldstein,plover,sources,note,fields) or application/x-ndjson (one flat event per line) exports, page size up to 100000 there, default everything.")]
    [ProducesResponseType(typeof(TimelinePage), StatusCodes.Status200OK, "application/json", "text/csv", "application/x-ndjson"), ProducesProblem(StatusCodes.Status404NotFound)]
    [WolverineGet("/api/negotiations/{id}/timeline")]
    [Middleware(typeof(KnownNegotiation))]
    public static async Task<IResult> Get(TimelineQuery query, string id, NegotiationStore store, CancellationToken ct)
    {
        var (items, total) = await store.TimelineAsync(id, query.From, query.To, query.Type, query.Actor, (query.Page - 1) * query.PageSize, query.PageSize, ct);
        return query.Export switch
        {
            TimelineExport.Csv => Results.Text(Csv(items), "text/csv; charset=utf-8"),
            TimelineExport.Ndjson => Results.Text(string.Concat(items.Select(i => EventJson.Serialize(i.Event) + "\n")), "application/x-ndjson; charset=utf-8"),
            _ => ApiJson.Ok(new TimelinePage(id, query.Page, query.PageSize, total, [.. items.Select(TimelineItem.Of)])),
        };
    }

    /// <summary>The CSV layout (docs/api.md): envelope columns, then the type's own fields as one JSON column.</summary>
    public static readonly string[] CsvColumns = ["eventId", "type", "occurredOn", "actor", "target", "confidence", "status", "cameo", "goldstein", "plover", "sources", "note", "fields"];

    public static string CsvHeader => string.Join(",", CsvColumns);

    public static string Csv(IEnumerable<TimelineEntry> items)
    {
        var sb = new StringBuilder(CsvHeader).Append('\n');
        foreach (var i in items) sb.Append(CsvRow(i)).Append('\n');
        return sb.ToString();
    }

    /// <summary>One row of the CSV layout (without the line break).</summary>
    public static string CsvRow(TimelineEntry i)
    {
        var e = i.Event;
        var node = JsonSerializer.SerializeToNode(e, EventJson.Options)!.AsObject();
        foreach (var k in new[] { "type", "eventId", "occurredOn", "actor", "target", "confidence", "sources", "note" }) node.Remove(k);
        string[] row = [e.EventId.ToString(), e.Type, e.OccurredOn.ToString(), e.Actor, e.Target ?? "", e.Confidence.ToString(), i.Status.Db(),
            EventCatalog.CameoOf(e), EventCatalog.GoldsteinOf(e).ToString(System.Globalization.CultureInfo.InvariantCulture), EventCatalog.Of(e).Plover,
            JsonSerializer.Serialize(e.Sources, EventJson.Options), e.Note ?? "", node.ToJsonString()];
        return string.Join(',', row.Select(Escape));
    }

    public static string Escape(string s) => s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;
}
