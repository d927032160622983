using Normalization.Domain.Validation;
using System.ComponentModel;
using System.ComponentModel.DataAnnotations;
using Normalization.Api.Exporting;
using Normalization.Api.Http;
using Normalization.Api.Http.Requests;
using Normalization.Api.Storage;
using Normalization.Domain.Catalog;

namespace Normalization.Api.Timeline;

/// <summary>
/// Query of GET …/timeline: <c>from</c>, <c>to</c> (domain dates: YYYY-MM / YYYY are the start of the period in <c>from</c>, its end in <c>to</c>), <c>type</c> (a catalog type, case-insensitive),
/// <c>actor</c> (a party code), <c>knownAt</c> (an instant: the record as it then stood), <c>page</c>, <c>pageSize</c> (1–500, default 100; for an export 1–100,000, default all).
/// <see cref="Format"/>: <c>json|csv|ndjson|xlsx</c>, absent: from the Accept header (<c>text/csv</c>, <c>application/x-ndjson</c>);
/// <see cref="Dialect"/>: the CSV dialect, <c>rfc4180</c> (default) or <c>excel</c>.
/// </summary>
public sealed record TimelineQuery(
    [Description("Events on or after this date (YYYY-MM / YYYY: the start of that period; an event's occurredOn, a correction's: the date of the event as corrected).")] DateOnly? From,
    [Description("Events on or before this date (YYYY-MM / YYYY: end of that period; a correction counts at the date of the event as corrected).")] DateOnly? To,
    [Description("Only this event type (case-insensitive; GET /api/event-types lists them).")] [EventTypeName] string? Type,
    [Description("Only events by this party code.")] string? Actor,
    [Description("Page number, from 1.")] int Page,
    [Description("1–500 (JSON, default 100); 1–100000 for exports (default everything).")] int PageSize,
    [Description("json (default), csv, ndjson or xlsx (sheets Timeline, Stages and one per event type). Absent: the Accept header decides (text/csv, application/x-ndjson).")] [AllowedValues("json", "csv", "ndjson", "xlsx")] ExportMedia Format,
    [Description("CSV only: rfc4180 (default) or excel — UTF-8 with BOM, CRLF, and text cells starting with = + - @ tab or CR written with a leading apostrophe (OWASP CSV injection).")] [AllowedValues("rfc4180", "excel")] CsvDialect Dialect,
    [Description("ISO 8601 instant with Z or an offset (a date alone: 00:00 UTC): the timeline as the record stood then — only events recorded by then, each with the status it had then.")] DateTimeOffset? KnownAt = null)
    : IQueryRequest<TimelineQuery>
{
    /// <summary>The formats of the timeline: JSON (a page), and the exports CSV, NDJSON and XLSX.</summary>
    static readonly ExportMedia[] Formats = [ExportMedia.Json, ExportMedia.Csv, ExportMedia.Ndjson, ExportMedia.Xlsx];

    /// <inheritdoc/>
    /// <remarks><c>tz</c>: the XLSX export's <c>Stages</c> sheet runs to the reader's today, as <c>…/stages</c> does.</remarks>
    public static string[] Parameters => ["from", "to", "type", "actor", "page", "pageSize", "format", "dialect", "knownAt", Readers.TimeZones.Parameter];

    /// <inheritdoc/>
    public static IResult? Read(HttpRequest request, DateOnly today, List<FieldError> errors, out TimelineQuery query)
    {
        var q = request.Query;
        Query.TryRangeStart(q["from"], "from", out var from, errors);
        Query.TryDate(q["to"], "to", out var to, errors);
        // The range must not run backwards, with or without an explicit `to` (today by default), as on /stages (docs/api.md).
        if (from > (to ?? today))
            errors.Add(new("from", "out_of_range", to is null ? "from must not be after today (to defaults to today)." : "from must not be after to."));
        Query.TryInt(q["page"], "page", 1, 1_000_000, 1, out var page, errors);
        // With a bad format, pageSize is judged by the JSON page bounds (its error and the format's come together).
        // A dialect with a bad format is judged as for CSV: only the format's error is given.
        var knownFormat = ExportQuery.TryFormat(q["format"], request.Headers.Accept.ToString(), Formats, out var format, errors);
        ExportQuery.TryDialect(q["dialect"], !knownFormat || format == ExportMedia.Csv, out var dialect, errors);
        var exporting = format != ExportMedia.Json;
        Query.TryInt(q["pageSize"], "pageSize", 1, exporting ? 100_000 : 500, exporting ? 100_000 : 100, out var pageSize, errors);
        Query.TryText(q["type"], "type", out var typeText, errors);
        // Case-insensitive like every enum in a query string (?type=talksheld); the catalog's spelling is used.
        var type = typeText is null ? null : EventCatalog.Names.FirstOrDefault(n => string.Equals(n, typeText, StringComparison.OrdinalIgnoreCase));
        if (typeText is not null && type is null)
            errors.Add(new("type", "unknown_event_type", $"Unknown event type. Known types: {string.Join(", ", EventCatalog.Names)}."));
        Query.TryPartyCode(q["actor"], "actor", out var actor, errors);
        Query.TryInstant(q["knownAt"], "knownAt", out var knownAt, errors);
        query = new(from, to, type, actor, page, pageSize, format, dialect, knownAt);
        return null;
    }
}

/// <summary>A page of the timeline: <see cref="Total"/> counts every event that passes the filters.</summary>
public sealed record TimelinePage(string Id, int Page, int PageSize, int Total, IReadOnlyList<TimelineItem> Items);

/// <summary>
/// One recorded event in domain order: its envelope, its status (<c>active</c>, <c>retracted</c>, <c>corrected</c>,
/// <c>superseded</c>) and by which event, its CAMEO code, Goldstein weight and PLOVER category, the stream version and
/// instant it was recorded at, who posted it, and the flat event itself.
/// </summary>
public sealed record TimelineItem(Guid EventId, string Type, DomainDate OccurredOn, DatePrecision Precision, string Actor, string? Target,
    Confidence Confidence, IReadOnlyList<Source> Sources, string? Note,
    [property: AllowedValues("active", "retracted", "corrected", "superseded")] string Status, Guid? RetractedBy, Guid? CorrectedBy,
    double Goldstein, string Cameo, string Plover, int Version, DateTimeOffset RecordedAt, string? PostedBy, NegotiationEvent Event)
{
    /// <summary>The item for a stored entry.</summary>
    public static TimelineItem Of(TimelineEntry i) =>
        new(i.Event.EventId, i.Event.Type, i.Event.OccurredOn, i.Event.OccurredOn.Precision, i.Event.Actor, i.Event.Target, i.Event.Confidence,
            i.Event.Sources, i.Event.Note, i.Status.Db(), i.RetractedBy, i.CorrectedBy, EventCatalog.GoldsteinOf(i.Event), EventCatalog.CameoOf(i.Event),
            EventCatalog.Of(i.Event).Plover, i.Version, i.RecordedAt, i.PostedBy, i.Event);
}
