using Microsoft.AspNetCore.Mvc;
using Normalization.Api.Exporting;
using Normalization.Api.Http;
using Normalization.Api.Storage;
using Normalization.Domain.Catalog;
using Normalization.Api.Http.Requests;
using Wolverine.Attributes;
using Wolverine.Http;

namespace Normalization.Api.Timeline;

/// <summary>
/// GET /api/negotiations/{id}/timeline?from=&amp;to=&amp;type=&amp;actor=&amp;knownAt=&amp;page=&amp;pageSize= — events in domain order with
/// sources, confidence and retraction/correction status;
/// exports with <c>format=csv|ndjson|xlsx</c> (or Accept: text/csv, application/x-ndjson) and <c>dialect=excel</c> for CSV.
/// </summary>
public static class TimelineEndpoint
{
    /// <summary>A page of the timeline as JSON, or the export (CSV, NDJSON, XLSX) that format or Accept asks for; 404 <c>negotiation_not_found</c>.</summary>
    [Tags("Events"), EndpointSummary("Timeline and export")]
    [EndpointDescription("The recorded events in domain order with sources, confidence and retraction/correction status. format=csv (columns: eventId,type,occurredOn,actor,target,confidence,status,cameo,goldstein,plover,sources,note,fields; RFC 4180 with CRLF, or dialect=excel: UTF-8 BOM, formula-leading cells protected), format=ndjson (one flat event per line) or format=xlsx (the events and the stage history as a workbook) exports; without format the Accept header (text/csv, application/x-ndjson) decides. Page size up to 100000 for exports, default everything.")]
    [ProducesResponseType(typeof(TimelinePage), StatusCodes.Status200OK, "application/json", "text/csv", "application/x-ndjson", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"), ProducesProblem(StatusCodes.Status404NotFound)]
    [WolverineGet("/api/negotiations/{id}/timeline")]
    [Middleware(typeof(KnownNegotiation))]
    public static async Task<IResult> Get(TimelineQuery query, string id, NegotiationStore store, CancellationToken ct)
    {
        var offset = (query.Page - 1) * query.PageSize;
        IReadOnlyList<TimelineEntry> items;
        int total;
        if (query.KnownAt is { } knownAt)
        {
            // As known at an instant: the rows recorded by then with the statuses they had then (docs/time-travel.md).
            if (await store.TimelineKnownAtAsync(id, knownAt, query.From, query.To, query.Type, query.Actor, offset, query.PageSize, ct) is not { } page)
                return await Problems.NotKnownThenAsync(store, id, knownAt, ct);
            (items, total) = page;
        }
        else (items, total) = await store.TimelineAsync(id, query.From, query.To, query.Type, query.Actor, offset, query.PageSize, ct);
        return query.Format switch
        {
            ExportMedia.Csv => Results.File(TimelineCsv.ToBytes(query.Dialect, csv => TimelineCsv.Write(csv, items)), "text/csv; charset=utf-8", $"{id}-timeline.csv"),
            ExportMedia.Ndjson => Results.Text(string.Concat(items.Select(i => EventJson.Serialize(i.Event) + "\n")), "application/x-ndjson; charset=utf-8"),
            ExportMedia.Xlsx => await TimelineXlsx.AnswerAsync(id, items, store, ct, query.KnownAt),
            _ => ApiJson.Ok(new TimelinePage(id, query.Page, query.PageSize, total, [.. items.Select(TimelineItem.Of)])),
        };
    }

    /// <summary>The CSV layout (docs/data.md): envelope columns, then the type's own fields as one JSON column (<see cref="TimelineCsv"/>).</summary>
    public static string[] CsvColumns => TimelineCsv.Columns;
}
