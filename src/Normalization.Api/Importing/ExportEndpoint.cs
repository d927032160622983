using Normalization.Domain.Validation;
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Normalization.Api.Http;
using Normalization.Api.Http.Requests;
using Normalization.Api.Storage;
using Wolverine.Attributes;
using Wolverine.Http;

namespace Normalization.Api.Importing;

/// <summary>
/// GET /api/negotiations/{id}/export?format=ndjson|csv|stages&amp;dialect=&amp;knownAt= — the CLI's <c>export</c> over HTTP: the whole
/// history as NDJSON (first line the negotiation, then one flat event per line, in recording order; the file
/// <c>import</c> and <c>WhatIf.FromNdjson</c> read), CSV in the timeline layout, or the stage history as CSV (both in the
/// <c>dialect</c> asked for, as the CLI's <c>--dialect</c>). It is what
/// <c>WhatIf.FromServerAsync</c> in the Normalization.Domain package loads for analysts' own tests.
/// </summary>
public static class ExportEndpoint
{
    /// <summary>The export, streamed (a 1M-event history is not built up as one string): 404 <c>not_known_then</c> before the negotiation was recorded.</summary>
    [Tags("Importing"), EndpointSummary("Export a negotiation")]
    [EndpointDescription("The whole history as the file import reads: NDJSON (the negotiation line, then one flat event per line, in recording order), CSV in the timeline layout, or the stage history as CSV (on,from,to,rule,eventIds,projected) — CSV in the dialect asked for (rfc4180 or excel); as the record stood at knownAt when given.")]
    [ProducesResponseType(typeof(string), StatusCodes.Status200OK, "application/x-ndjson", "text/csv"), ProducesProblem(StatusCodes.Status404NotFound)]
    [WolverineGet("/api/negotiations/{id}/export")]
    [Middleware(typeof(KnownNegotiation))]
    public static async Task<IResult> Get(ExportQuery query, string id, NegotiationStore store, Exporter exporter, CancellationToken ct)
    {
        var history = await store.LoadHistoryAsync(id, query.KnownAt, ct);
        if (history is null) return await Problems.NotKnownThenAsync(store, id, query.KnownAt, ct);

        var format = query.Kind;
        var (contentType, extension) = format == ExportFormat.Ndjson ? ("application/x-ndjson; charset=utf-8", "ndjson") : ("text/csv; charset=utf-8", "csv");
        var fileName = format == ExportFormat.Stages ? $"{id}-stages.csv" : $"{id}.{extension}";
        return Results.Stream(async body =>
        {
            // The writers (CsvHelper) write synchronously, which the response body refuses: buffer (in memory, then a
            // temporary file past 32 KiB) and copy asynchronously.
            await using var buffer = new Microsoft.AspNetCore.WebUtilities.FileBufferingWriteStream();
            await exporter.WriteAsync(history, format, buffer, new ExportOptions(query.Dialect), CancellationToken.None);
            await buffer.DrainBufferAsync(body);
        }, contentType, fileName);
    }
}

/// <summary>Query of an export: <c>format</c> (ndjson, the default; csv; stages), <c>dialect</c> (CSV: rfc4180, the default, or excel), <c>knownAt</c> (an instant).</summary>
public sealed record ExportQuery(
    [Description("ndjson (default; jsonl also read), csv (the timeline layout) or stages (the stage history as CSV).")]
    [AllowedValues("ndjson", "csv", "stages")] string? Format,
    [Description("ISO 8601 instant with Z or an offset (a date alone: 00:00 UTC): the record as it was then.")] DateTimeOffset? KnownAt,
    [Description("CSV only (csv, stages): rfc4180 (default) or excel — UTF-8 with BOM, CRLF, and text cells starting with = + - @ tab or CR written with a leading apostrophe (OWASP CSV injection); the import reads either.")]
    [AllowedValues("rfc4180", "excel")] Exporting.CsvDialect Dialect = Exporting.CsvDialect.Rfc4180) : IQueryRequest<ExportQuery>
{
    /// <summary>The format asked for (<see cref="Format"/> read by the CLI's rule, <see cref="Exporter.FormatOf"/>).</summary>
    public ExportFormat Kind => Exporter.FormatOf(Format ?? "ndjson", null);

    /// <inheritdoc/>
    public static string[] Parameters => ["format", "dialect", "knownAt", Readers.TimeZones.Parameter];

    /// <inheritdoc/>
    public static IResult? Read(HttpRequest request, DateOnly today, List<FieldError> errors, out ExportQuery query)
    {
        var q = request.Query;
        query = null!;
        var single = Query.TryText(q["format"], "format", out var formatText, errors);
        Query.TryInstant(q["knownAt"], "knownAt", out var knownAt, errors);
        ExportFormat? format = null;
        if (single)
        {
            try { format = Exporter.FormatOf(formatText ?? "ndjson", null); }
            catch (ImportException) { }
            // The history files only (the timeline and the CAMEO endpoints serve the spreadsheet and event-data formats):
            // the message lists what this endpoint takes, and the code is the timeline's and cameo's for an unknown format.
            if (format is not (ExportFormat.Ndjson or ExportFormat.Csv or ExportFormat.Stages))
            {
                errors.Add(new("format", "unknown_value", $"Unknown export format '{Truncate(formatText)}': use ndjson, csv or stages."));
                format = null;
            }
        }
        // A dialect with a bad format is judged as for CSV: only the format's error is given.
        Exporting.ExportQuery.TryDialect(q["dialect"], format is null or ExportFormat.Csv or ExportFormat.Stages, out var dialect, errors);
        query = new(formatText, knownAt, dialect);
        return null;
    }

    static string? Truncate(string? s) => s is { Length: > 40 } ? s[..40] + "…" : s;
}
