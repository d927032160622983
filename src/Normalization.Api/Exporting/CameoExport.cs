using System.Globalization;
using CsvHelper;
using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using SpreadCheetah;

namespace Normalization.Api.Exporting;

/// <summary>One event as the event-data tools read it (<see cref="CameoExport.Columns"/>).</summary>
public sealed record CameoRow(
    Guid EventId, string SqlDate, string OccurredOn, string Precision, string Actor1Code, string Actor2Code,
    string EventCode, string EventBaseCode, string EventRootCode, double GoldsteinScale, string PloverCategory,
    string Type, string Confidence, int NumSources, string SourceUrl);

/// <summary>
/// The record as machine-coded event data: one row per event of the <b>effective</b> history (the events the fold reads:
/// retracted events left out, corrected events as corrected; reviews of the record left out too), in domain order, with the columns named as in the GDELT
/// 2.0 event codebook where GDELT has the column, so the scripts analysts already run on GDELT (R, pandas, Stata) read it:
/// <list type="table">
/// <item><term>GLOBALEVENTID</term><description>our eventId (a GUID, not GDELT's integer)</description></item>
/// <item><term>SQLDATE</term><description>the event's day as <c>YYYYMMDD</c>; a month or year (<c>2025-03</c>) is its last day, as the fold orders it</description></item>
/// <item><term>OccurredOn, DatePrecision</term><description>the date as written, and its precision (Day, Month, Year)</description></item>
/// <item><term>Actor1Code, Actor2Code</term><description>actor and target, through the party → actor-code mapping (<see cref="ActorCodes"/>)</description></item>
/// <item><term>EventCode, EventBaseCode, EventRootCode</term><description>the CAMEO code of the event (the catalog's, refined by tone or demand category), its first three and first two digits</description></item>
/// <item><term>GoldsteinScale</term><description>the Goldstein weight (−10 … +10) the momentum sums</description></item>
/// <item><term>PloverCategory</term><description>the PLOVER event type of the catalog type</description></item>
/// <item><term>EventType, Confidence</term><description>our catalog type and the confidence of the report</description></item>
/// <item><term>NumSources, SOURCEURL</term><description>the number of sources and the first source's URL</description></item>
/// </list>
/// </summary>
public static class CameoExport
{
    /// <summary>The columns, in order.</summary>
    public static readonly string[] Columns =
        ["GLOBALEVENTID", "SQLDATE", "OccurredOn", "DatePrecision", "Actor1Code", "Actor2Code", "EventCode", "EventBaseCode", "EventRootCode",
         "GoldsteinScale", "PloverCategory", "EventType", "Confidence", "NumSources", "SOURCEURL"];

    /// <summary>
    /// The rows of a record (everything recorded, in any order): the effective history in domain order, without the reviews
    /// the fold reads for coverage (<see cref="EventCatalog.IsRecordKeeping"/>): a review is no event between actors and has
    /// no CAMEO code.
    /// </summary>
    public static IReadOnlyList<CameoRow> Rows(IEnumerable<NegotiationEvent> recorded, ActorCodes codes) =>
        NegotiationFold.Effective(recorded).Where(e => !EventCatalog.IsRecordKeeping(e)).Select(e => Row(e, codes)).ToList();

    static CameoRow Row(NegotiationEvent e, ActorCodes codes)
    {
        var cameo = EventCatalog.CameoOf(e);
        return new CameoRow(e.EventId, e.Date.ToString("yyyyMMdd", CultureInfo.InvariantCulture), e.OccurredOn.ToString(), e.OccurredOn.Precision.ToString(),
            codes.Of(e.Actor), codes.Of(e.Target), cameo, cameo.Length > 3 ? cameo[..3] : cameo, cameo.Length > 2 ? cameo[..2] : cameo,
            EventCatalog.GoldsteinOf(e), EventCatalog.Of(e).Plover, e.Type, e.Confidence.ToString(), e.Sources.Count, e.Sources.FirstOrDefault(s => s.Url is not null)?.Url ?? "");
    }

    /// <summary>Writes the rows as CSV (codes as text, the weight and counts as numbers).</summary>
    public static void Write(CsvWriter csv, IEnumerable<CameoRow> rows)
    {
        csv.WriteHeader(Columns);
        foreach (var r in rows)
        {
            foreach (var text in new[] { r.EventId.ToString(), r.SqlDate, r.OccurredOn, r.Precision, r.Actor1Code, r.Actor2Code, r.EventCode, r.EventBaseCode, r.EventRootCode })
                csv.WriteText(text);
            csv.WriteField(r.GoldsteinScale, "G");
            csv.WriteText(r.PloverCategory);
            csv.WriteText(r.Type);
            csv.WriteText(r.Confidence);
            csv.WriteField(r.NumSources, "G");
            csv.WriteText(r.SourceUrl);
            csv.EndRecord();
        }
    }

    /// <summary>Writes the rows as an XLSX workbook with one sheet, <c>Events</c>: codes and dates as text cells (<c>046</c>, <c>20250320</c>), the weight and counts as numbers.</summary>
    public static async Task WriteAsync(Stream output, IEnumerable<CameoRow> rows, CancellationToken ct = default)
    {
        await using var book = await Spreadsheet.CreateNewAsync(output, cancellationToken: ct);
        await book.StartWorksheetAsync("Events", new() { FrozenRows = 1 }, ct);
        await book.AddRowAsync(Columns.Select(c => new DataCell(c)).ToArray(), ct);
        foreach (var r in rows)
            await book.AddRowAsync(new DataCell[]
            {
                new(r.EventId.ToString()), new(r.SqlDate), new(r.OccurredOn), new(r.Precision), new(r.Actor1Code), new(r.Actor2Code),
                new(r.EventCode), new(r.EventBaseCode), new(r.EventRootCode), new(r.GoldsteinScale), new(r.PloverCategory), new(r.Type),
                new(r.Confidence), new(r.NumSources), new(r.SourceUrl),
            }, ct);
        await book.FinishAsync(ct);
    }
}
