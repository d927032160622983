using Normalization.Domain.Validation;
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Mvc;
using Normalization.Api.Http;
using Normalization.Api.Http.Requests;
using Normalization.Api.Storage;
using Wolverine.Attributes;
using Wolverine.Http;

namespace Normalization.Api.Exporting;

/// <summary>
/// GET /api/negotiations/{id}/cameo?format=csv|xlsx&amp;dialect=&amp;party=US=USA&amp;knownAt= — the effective history as
/// CAMEO/PLOVER event rows (<see cref="CameoExport"/>), as a CSV (default) or XLSX attachment.
/// </summary>
public static class CameoEndpoint
{
    /// <summary>The attachment <c>{id}-cameo.csv</c> or <c>{id}-cameo.xlsx</c>; 404 <c>negotiation_not_found</c> / <c>not_known_then</c>.</summary>
    [Tags("Events"), EndpointSummary("CAMEO/PLOVER event rows")]
    [EndpointDescription("The effective history (retracted events left out, corrected ones as corrected) in domain order, one row per event (GDELT 2.0 column names where GDELT has the column; see docs/data.md), as an attachment {id}-cameo.csv or {id}-cameo.xlsx (one sheet, Events). Actor codes come from the party mapping; invalid_party_mapping names the bad pair. 404 negotiation_not_found, or not_known_then before the negotiation was recorded.")]
    [ProducesResponseType<string>(StatusCodes.Status200OK, "text/csv", TimelineWorkbook.MediaType), ProducesProblem(StatusCodes.Status404NotFound)]
    [WolverineGet("/api/negotiations/{id}/cameo")]
    [Middleware(typeof(KnownNegotiation))]
    public static async Task<IResult> Get(CameoQuery query, string id, NegotiationStore store, CancellationToken ct)
    {
        var history = await store.LoadHistoryAsync(id, query.KnownAt, ct);
        if (history is null) return await Problems.NotKnownThenAsync(store, id, query.KnownAt, ct);

        // A pair for a code the record never names would be silently unused (a typo of a party's code, say): refused as the
        // import refuses a party=CODE=ACTOR whose CODE is not a party (400 at party). A third state's or a mediator's code may
        // be mapped: CAMEO rows carry them as actors.
        var named = history.Opening.Parties.Select(p => p.Code).Concat(history.Opening.Mediators.Select(m => m.Code))
            .Concat(history.Events.SelectMany(r => new[] { r.Event.Actor, r.Event.Target })).OfType<string>().ToHashSet(StringComparer.Ordinal);
        var unknown = query.Codes.Codes.Where(c => !named.Contains(c)).ToList();
        if (unknown.Count > 0)
            return Problems.Validation(unknown.Select(c => new Domain.Validation.FieldError("party", "not_a_party",
                $"party={c}=…: '{c}' is not a party of '{id}' (its parties: {string.Join(", ", history.Opening.Parties.Select(p => p.Code))}), a mediator or an actor of its record.")));
        var rows = CameoExport.Rows(history.Events.Select(r => r.Event), query.Codes);
        if (query.Format == ExportMedia.Csv)
            return Results.File(TimelineCsv.ToBytes(query.Dialect, csv => CameoExport.Write(csv, rows)), "text/csv; charset=utf-8", $"{id}-cameo.csv");
        using var buffer = new MemoryStream();
        await CameoExport.WriteAsync(buffer, rows, ct);
        return Results.File(buffer.ToArray(), TimelineWorkbook.MediaType, $"{id}-cameo.xlsx");
    }
}

/// <summary>Query of GET …/cameo: <c>format</c> (csv, the default; xlsx), <c>dialect</c> (CSV), <c>party</c> (repeatable CODE=ACTOR pairs), <c>knownAt</c>.</summary>
public sealed record CameoQuery(
    [Description("csv (default) or xlsx.")] [AllowedValues("csv", "xlsx")] ExportMedia Format,
    [Description("CSV only: rfc4180 (default) or excel — UTF-8 with BOM, CRLF, and text cells starting with = + - @ tab or CR written with a leading apostrophe (OWASP CSV injection).")]
    [AllowedValues("rfc4180", "excel")] CsvDialect Dialect,
    [Description("CODE=ACTOR, repeatable: the event-data actor code of a party (e.g. US=USA, TB=AFGTAL). Default: the party code itself.")]
    [RegularExpression(ActorCodes.PairPattern)] ActorCodes Party,
    [Description("ISO 8601 instant with Z or an offset: the record as it was then.")] DateTimeOffset? KnownAt) : IQueryRequest<CameoQuery>
{
    static readonly ExportMedia[] Formats = [ExportMedia.Csv, ExportMedia.Xlsx];

    /// <summary>The party → actor-code mapping (<see cref="Party"/>).</summary>
    public ActorCodes Codes => Party;

    /// <inheritdoc/>
    public static string[] Parameters => ["format", "dialect", "party", "knownAt"];

    /// <inheritdoc/>
    public static IResult? Read(HttpRequest request, DateOnly today, List<FieldError> errors, out CameoQuery query)
    {
        var q = request.Query;
        var knownFormat = ExportQuery.TryFormat(q["format"], "", Formats, out var format, errors);
        ExportQuery.TryDialect(q["dialect"], !knownFormat || format == ExportMedia.Csv, out var dialect, errors);
        ExportQuery.TryActorCodes(q["party"], out var codes, errors);
        Query.TryInstant(q["knownAt"], "knownAt", out var knownAt, errors);
        query = new(format, dialect, codes, knownAt);
        return null;
    }
}
