using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Normalization.Api.Exporting;
using Normalization.Domain.Summaries;

namespace Normalization.Api.Http;

/// <summary>The operations of the exports and the record summary (Exporting/, Negotiations/Summarizing/).</summary>
public sealed partial class OpenApiContract
{
    static IEnumerable<(string Path, HttpMethod Method, Action<OpenApiOperation, OpenApiDocument> Describe)> ExportOperations()
    {
        yield return ("/api/negotiations/{id}/cameo", HttpMethod.Get, (op, doc) =>
        {
            Describe(op, doc, "Events", "CAMEO/PLOVER event rows",
                "The effective history (retracted events left out, corrected ones as corrected) in domain order, one row per event with the columns " +
                string.Join(",", CameoExport.Columns) + " (GDELT 2.0 names where GDELT has the column; see docs/data.md). Actor codes come from the party mapping.");
            op.Parameters = [IdParameter(), FormatParameter("csv (default) or xlsx.", ["csv", "xlsx"]), DialectParameter(),
                Query("party", "CODE=ACTOR, repeatable: the event-data actor code of a party (e.g. US=USA, TB=AFGTAL). Default: the party code itself.", Str(ActorCodes.PairPattern), "US=USA"),
                Query("knownAt", "ISO 8601 instant with Z or an offset: the record as it was then.", Str(format: "date-time"), null)];
            op.Responses ??= new OpenApiResponses();
            op.Responses["200"] = new OpenApiResponse
            {
                Description = "An attachment: {id}-cameo.csv or {id}-cameo.xlsx (one sheet, Events).",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["text/csv"] = new OpenApiMediaType { Schema = Str(), Example = JsonValue.Create(string.Join(",", CameoExport.Columns) + "\r\n") },
                    [TimelineWorkbook.MediaType] = new OpenApiMediaType { Schema = Binary() },
                },
            };
            Errors(op, doc, write: false, (400, "A bad query parameter (invalid_party_mapping names the pair)."), (404, "No such negotiation, or not yet recorded at knownAt (not_known_then)."));
        });
        yield return ("/api/negotiations/{id}/summary", HttpMethod.Get, (op, doc) =>
        {
            Describe(op, doc, "Negotiations", "Record summary",
                "The whole record at a glance, whatever its length: the stage history, and per day, week or month the events dated in it (cooperative, conflictual, retracted) " +
                "and the momentum on its last day — the fold sampled per period. The page draws its chart from it.");
            op.Parameters = [IdParameter(),
                Query("bucket", $"Day, Week (from Monday) or Month. Default by the span: days up to ~13 months, weeks up to 10 years, else months. At most {RecordSummaries.MaxPeriods} periods.",
                    OpenApiSchemas.EnumOf<SummaryBucket>(null), "Month"),
                Query("knownAt", "ISO 8601 instant with Z or an offset: the record as it was then.", Str(format: "date-time"), null)];
            op.Responses ??= new OpenApiResponses();
            op.Responses["200"] = new OpenApiResponse
            {
                Description = "The summary.",
                Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new OpenApiMediaType { Schema = SummarySchema(doc) } },
            };
            Errors(op, doc, write: false, (400, "A bad query parameter, or more periods than allowed (bucket out_of_range)."), (404, "No such negotiation, or not yet recorded at knownAt (not_known_then)."));
        });
    }

    static OpenApiParameter FormatParameter(string description, string[] values) =>
        Query("format", description, new OpenApiSchema { Type = JsonSchemaType.String, Enum = values.Select(v => (JsonNode)JsonValue.Create(v)).ToList() }, null);

    static OpenApiParameter DialectParameter() =>
        Query("dialect", "CSV only: rfc4180 (default) or excel — UTF-8 with BOM, CRLF, and text cells starting with = + - @ tab or CR written with a leading apostrophe (OWASP CSV injection).",
            new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("rfc4180"), JsonValue.Create("excel")] }, "excel");

    static OpenApiSchema Binary() => new() { Type = JsonSchemaType.String, Format = "binary" };

    static OpenApiSchema SummarySchema(OpenApiDocument doc)
    {
        static OpenApiSchema Date(string description) => new() { Type = JsonSchemaType.String, Format = "date", Description = description };
        static OpenApiSchema Count(string description) => new() { Type = JsonSchemaType.Integer, Minimum = "0", Description = description };
        var period = new OpenApiSchema
        {
            Type = JsonSchemaType.Object, Required = new HashSet<string> { "start", "end", "events", "cooperative", "conflictual", "retracted", "momentum" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["start"] = Date("First day of the period."), ["end"] = Date("Last day of the period."),
                ["events"] = Count("Catalog events dated in the period, as recorded (retracted ones included)."),
                ["cooperative"] = Count("Of those, still counting with a Goldstein weight above 0."), ["conflictual"] = Count("… below 0."), ["retracted"] = Count("… retracted."),
                ["momentum"] = new OpenApiSchema { Type = JsonSchemaType.Number, Description = "The momentum score on the period's last day (or the summary's through, if earlier)." },
            },
        };
        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object, Description = "The whole record at a glance.",
            Required = new HashSet<string> { "id", "bucket", "through", "events", "momentumDays", "stageHistory", "periods" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["id"] = Str(), ["knownAt"] = new OpenApiSchema { Type = JsonSchemaType.String | JsonSchemaType.Null, Format = "date-time" },
                ["bucket"] = OpenApiSchemas.EnumOf<SummaryBucket>(null),
                ["firstEventOn"] = Date("The first event's day (null: no events)."), ["lastEventOn"] = Date("The last event's day."),
                ["through"] = Date("The last day summarised: today, or the last event's day when later."),
                ["events"] = Count("Catalog events recorded."), ["momentumDays"] = Count("The momentum window, days."),
                ["stageHistory"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchemaReference("StageTransition", doc) },
                ["periods"] = new OpenApiSchema { Type = JsonSchemaType.Array, Items = period },
            },
        };
    }
}
