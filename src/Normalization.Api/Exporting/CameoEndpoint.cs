using Normalization.Api.Http;
using Normalization.Api.Storage;
using Wolverine.Http;

namespace Normalization.Api.Exporting;

/// <summary>
/// GET /api/negotiations/{id}/cameo?format=csv|xlsx&amp;dialect=&amp;party=US=USA&amp;knownAt= — the effective history as
/// CAMEO/PLOVER event rows (<see cref="CameoExport"/>), as a CSV (default) or XLSX attachment.
/// </summary>
public static class CameoEndpoint
{
    static readonly ExportMedia[] Formats = [ExportMedia.Csv, ExportMedia.Xlsx];

    [WolverineGet("/api/negotiations/{id}/cameo")]
    public static async Task<IResult> Get(string id, HttpRequest request, NegotiationStore store, CancellationToken ct)
    {
        var q = request.Query;
        if (Query.Only(q, "format", "dialect", "party", "knownAt") is { } unknown) return unknown;
        if (!ExportQuery.TryFormat(q["format"], "", Formats, out var format, out var p1)) return p1!;
        if (!ExportQuery.TryDialect(q["dialect"], out var dialect, out var p2)) return p2!;
        if (!ExportQuery.TryActorCodes(q["party"], out var codes, out var p3)) return p3!;
        if (!Query.TryInstant(q["knownAt"], "knownAt", out var knownAt, out var p4)) return p4!;
        if (await store.VersionAsync(id, ct) is null) return Problems.NegotiationNotFound(id);
        var history = await store.LoadHistoryAsync(id, knownAt, ct);
        if (history is null) return Problems.NotKnownThen(knownAt);

        var rows = CameoExport.Rows(history.Events.Select(r => r.Event), codes);
        if (format == ExportMedia.Csv)
            return Results.File(TimelineCsv.ToBytes(dialect, csv => CameoExport.Write(csv, rows)), "text/csv; charset=utf-8", $"{id}-cameo.csv");
        using var buffer = new MemoryStream();
        await CameoExport.WriteAsync(buffer, rows, ct);
        return Results.File(buffer.ToArray(), TimelineWorkbook.MediaType, $"{id}-cameo.xlsx");
    }
}
