using System.Text;
using Normalization.Api.Http;
using Normalization.Api.Storage;
using Wolverine.Http;

namespace Normalization.Api.Importing;

/// <summary>
/// GET /api/negotiations/{id}/export?format=ndjson|csv|stages&amp;knownAt= — the CLI's <c>export</c> over HTTP: the whole
/// history as NDJSON (first line the negotiation, then one flat event per line, in recording order; the file
/// <c>import</c> and <c>WhatIf.FromNdjson</c> read), CSV in the timeline layout, or the stage history as CSV. It is what
/// <c>WhatIf.FromServerAsync</c> in the Normalization.Domain package loads for analysts' own tests.
/// </summary>
public static class ExportEndpoint
{
    [WolverineGet("/api/negotiations/{id}/export")]
    public static async Task<IResult> Get(string id, HttpRequest request, NegotiationStore store, Exporter exporter, CancellationToken ct)
    {
        var q = request.Query;
        if (Query.Only(q, "format", "knownAt") is { } unknown) return unknown;
        if (!Query.TryText(q["format"], "format", out var formatText, out var p1)) return p1!;
        if (!Query.TryInstant(q["knownAt"], "knownAt", out var knownAt, out var p2)) return p2!;
        ExportFormat format;
        try { format = Exporter.FormatOf(formatText ?? "ndjson", null); }
        catch (ImportException e) { return Problems.Field("format", "unknown_format", e.Message); }
        // The history files (the timeline and the CAMEO endpoints serve the spreadsheet and event-data formats).
        if (format is not (ExportFormat.Ndjson or ExportFormat.Csv or ExportFormat.Stages))
            return Problems.Field("format", "unknown_format", $"Unknown export format '{formatText}': use ndjson, csv or stages.");

        if (await store.VersionAsync(id, ct) is null) return Problems.NegotiationNotFound(id);
        var history = await store.LoadHistoryAsync(id, knownAt, ct);
        if (history is null) return Problems.NotKnownThen(knownAt);

        var (contentType, extension) = format == ExportFormat.Ndjson ? ("application/x-ndjson; charset=utf-8", "ndjson") : ("text/csv; charset=utf-8", "csv");
        var fileName = format == ExportFormat.Stages ? $"{id}-stages.csv" : $"{id}.{extension}";
        // Streamed: a 1M-event history is not built up as one string in memory.
        return Results.Stream(async body =>
        {
            // The writers (CsvHelper) write synchronously, which the response body refuses: buffer (in memory, then a
            // temporary file past 32 KiB) and copy asynchronously.
            await using var buffer = new Microsoft.AspNetCore.WebUtilities.FileBufferingWriteStream();
            await exporter.WriteAsync(history, format, buffer, ct: CancellationToken.None);
            await buffer.DrainBufferAsync(body);
        }, contentType, fileName);
    }
}
