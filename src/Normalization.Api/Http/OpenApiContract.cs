using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Normalization.Api.Catalog;
using Normalization.Api.Events.Posting;
using Normalization.Api.Security;
using Normalization.Domain.Catalog;
using Normalization.Domain.Stages;

namespace Normalization.Api.Http;

/// <summary>
/// The endpoints read their bodies from the request and answer <c>IResult</c>, so ApiExplorer knows only their
/// routes. This transformer describes each /api operation: summary, query parameters, request body schema and
/// examples (an example per event type), every response with its schema, and the API key on writes.
/// </summary>
public sealed partial class OpenApiContract : IOpenApiDocumentTransformer
{
    const string Problem = "application/problem+json";

    public Task TransformAsync(OpenApiDocument doc, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        doc.Info.Title = "Normalization API";
        doc.Info.Description = "Record the events of a diplomatic normalization process and ask for its stage, ledger and momentum at any date. " +
            "Reads are open; every POST needs an API key in X-Api-Key. Errors are RFC 7807 ProblemDetails with a `code` and, for validation, " +
            $"`errors[{{path,code,message}}]`. Limits: {JsonBody.MaxBytes} bytes per request body, {PostEventsEndpoint.MaxEventsPerBatch} events per batch. See docs/api.md.";

        doc.Components ??= new OpenApiComponents();
        doc.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        doc.Components.Schemas.Remove("IResult");
        foreach (var (name, schema) in OpenApiSchemas.Build(doc)) doc.Components.Schemas[name] = schema;
        doc.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        doc.Components.SecuritySchemes["ApiKey"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey, Name = ApiKeys.Header, In = ParameterLocation.Header,
            Description = "Required on every POST. Keys are configured as ApiKeys:{name} = SHA-256 of the key, lower-case hex.",
        };

        foreach (var (path, method, describe) in Operations().Concat(ExportOperations()))
        {
            if (doc.Paths.TryGetValue(path, out var item) && item.Operations is { } ops && ops.TryGetValue(method, out var op))
                describe(op, doc);
        }
        Readers.ReadersOpenApi.Describe(doc);
        return Task.CompletedTask;
    }

    static IEnumerable<(string Path, HttpMethod Method, Action<OpenApiOperation, OpenApiDocument> Describe)> Operations()
    {
        yield return ("/api/negotiations", HttpMethod.Post, (op, doc) =>
        {
            Describe(op, doc, "Negotiations", "Create a negotiation",
                "Opens a negotiation between exactly two parties, with optional mediators and baseline. 201 with Location and the initial state.");
            op.RequestBody = Body(doc, "CreateNegotiationRequest", ("us-taliban", "The US–Taliban negotiation", OpenApiExamples.CreateNegotiation));
            Responses(op, doc, (201, "Created; Location: /api/negotiations/{id}.", "NegotiationState"));
            Errors(op, doc, write: true, (400, "Malformed JSON or invalid fields (invalid_slug, exactly_two, invalid_party_code, …)."),
                (409, "A negotiation with this id exists (negotiation_exists)."));
        });
        yield return ("/api/negotiations", HttpMethod.Get, (op, doc) =>
        {
            Describe(op, doc, "Negotiations", "The board", "Every negotiation with its stage today, ordered by id; filter by stage and party; paged.");
            op.Parameters = [Query("stage", "Only negotiations at this stage today.", OpenApiSchemas.EnumOf<Stage>(null), "Exploratory"),
                Query("party", "Only negotiations with this party code (case-insensitive).", Str(), "TB"),
                Query("tag", "Only negotiations whose opening carries this tag (the shipped library: library). A slug: 3–64 characters, lower-case letters, digits and single hyphens.", Str("^[a-z0-9](?:[a-z0-9-]{1,62})[a-z0-9]$"), "library"),
                Query("page", "Page number, from 1.", Int(1, 1_000_000, 1), 1), Query("pageSize", "Items per page, 1–200.", Int(1, 200, 50), 50)];
            Responses(op, doc, (200, "A page of the board.", "Board"));
            Errors(op, doc, write: false, (400, "A bad query parameter (path = its name)."));
        });
        yield return ("/api/negotiations/{id}", HttpMethod.Get, (op, doc) =>
        {
            Describe(op, doc, "Negotiations", "Current state", "Stage (today), since when, why, ledger, momentum, stage history and version.");
            op.Parameters = [IdParameter()];
            Responses(op, doc, (200, "The state today.", "NegotiationState"));
            Errors(op, doc, write: false, (404, "No such negotiation (negotiation_not_found)."));
        });
        yield return ("/api/negotiations/{id}/state", HttpMethod.Get, (op, doc) =>
        {
            Describe(op, doc, "Negotiations", "Time travel", "The state as of a date, optionally as the record stood at an instant (knownAt: events recorded later, such as retractions, are ignored) and with a confidence threshold.");
            op.Parameters = [IdParameter(),
                Query("asOf", "Date to answer for: YYYY-MM-DD, or YYYY-MM / YYYY meaning the end of that period. Default today.", Str(OpenApiSchemas.DatePattern), "2025-03-15"),
                Query("knownAt", "ISO 8601 instant with Z or an offset (a date alone: 00:00 UTC): read the record as it was then.", Str(format: "date-time"), "2025-04-01T00:00:00Z"),
                Query("minConfidence", "Leave out events below this confidence. Default Reported.", OpenApiSchemas.EnumOf<Confidence>(null), "Reported")];
            Responses(op, doc, (200, "The state on asOf.", "NegotiationState"));
            Errors(op, doc, write: false, (400, "A bad query parameter."), (404, "No such negotiation, or not yet recorded at knownAt (not_known_then)."));
        });
        yield return ("/api/negotiations/{id}/stages", HttpMethod.Get, (op, doc) =>
        {
            Describe(op, doc, "Negotiations", "Stage history", "The stage transitions in [from, to] with the rule and the event ids behind each; with from, the stage in force on from comes first.");
            op.Parameters = [IdParameter(),
                Query("from", "First date (YYYY-MM-DD, YYYY-MM, YYYY).", Str(OpenApiSchemas.DatePattern), "2025-01-01"),
                Query("to", "Last date. Default today.", Str(OpenApiSchemas.DatePattern), "2025-12-31"),
                Query("knownAt", "ISO 8601 instant with Z or an offset (a date alone: 00:00 UTC): the record as it was then.", Str(format: "date-time"), null)];
            Responses(op, doc, (200, "The transitions.", "StageHistory"));
            Errors(op, doc, write: false, (400, "A bad query parameter, or from after to."), (404, "No such negotiation, or not yet recorded at knownAt (not_known_then)."));
        });
        yield return ("/api/negotiations/{id}/timeline", HttpMethod.Get, (op, doc) =>
        {
            Describe(op, doc, "Events", "Timeline and export",
                "The recorded events in domain order with sources, confidence and retraction/correction status. Exports: format=csv (RFC 4180; dialect=excel: UTF-8 with BOM, CRLF, formula-leading cells protected), " +
                "format=ndjson, format=xlsx (sheets Timeline, Stages and one per event type, text cells for codes and dates) — or Accept: text/csv / application/x-ndjson. Page size up to 100000 for exports, default everything.");
            op.Parameters = [IdParameter(),
                Query("from", "Events on or after this date.", Str(OpenApiSchemas.DatePattern), null),
                Query("to", "Events on or before this date (YYYY-MM / YYYY: end of that period).", Str(OpenApiSchemas.DatePattern), null),
                Query("type", "Only this event type.", new OpenApiSchema { Type = JsonSchemaType.String, Enum = EventCatalog.Names.Select(n => (JsonNode)JsonValue.Create(n)).ToList() }, "PrisonerReleased"),
                Query("actor", "Only events by this party code.", Str(), "TB"),
                Query("page", "Page number, from 1.", Int(1, 1_000_000, 1), null), Query("pageSize", "1–500 (JSON, default 100); 1–100000 for exports.", Int(1, 100_000, 100), null),
                FormatParameter("json (default), csv, ndjson or xlsx. Absent: the Accept header decides.", ["json", "csv", "ndjson", "xlsx"]), DialectParameter()];
            op.Responses ??= new OpenApiResponses();
            op.Responses["200"] = new OpenApiResponse
            {
                Description = "A page of the timeline (JSON), or the export: CSV with columns " + string.Join(",", Timeline.TimelineEndpoint.CsvColumns) + ", or one flat event per line (NDJSON).",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/json"] = new OpenApiMediaType { Schema = new OpenApiSchemaReference("Timeline", doc), Example = OpenApiExamples.Timeline },
                    ["text/csv"] = new OpenApiMediaType { Schema = Str(), Example = JsonValue.Create(OpenApiExamples.TimelineCsv) },
                    ["application/x-ndjson"] = new OpenApiMediaType { Schema = Str(), Example = JsonValue.Create(OpenApiExamples.PrisonerRelease.ToJsonString() + "\n") },
                    [Exporting.TimelineWorkbook.MediaType] = new OpenApiMediaType { Schema = Binary() },
                },
            };
            Errors(op, doc, write: false, (400, "A bad query parameter (unknown_event_type lists the known types)."), (404, "No such negotiation."));
        });
        yield return ("/api/negotiations/{id}/export", HttpMethod.Get, (op, doc) =>
        {
            Describe(op, doc, "Events", "Export the history",
                "The CLI's export over HTTP, as a download: the whole history as NDJSON (first line the negotiation, then every recorded event in recording order, retractions and corrections included; "
                + "what import and the Normalization.Domain package's WhatIf.FromNdjson / WhatIf.FromServerAsync read), the timeline CSV, or the stage history as CSV.");
            op.Parameters = [IdParameter(),
                Query("format", "ndjson (default), csv or stages.", new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create("ndjson"), JsonValue.Create("csv"), JsonValue.Create("stages")] }, "ndjson"),
                Query("knownAt", "ISO 8601 instant with Z or an offset (a date alone: 00:00 UTC): the record as it was then.", Str(format: "date-time"), null)];
            op.Responses ??= new OpenApiResponses();
            op.Responses["200"] = new OpenApiResponse
            {
                Description = "The export (Content-Disposition: attachment): NDJSON, or CSV with columns " + string.Join(",", Timeline.TimelineEndpoint.CsvColumns)
                    + " (format=csv) or " + string.Join(",", Importing.Exporter.StageColumns) + " (format=stages).",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    ["application/x-ndjson"] = new OpenApiMediaType { Schema = Str(), Example = JsonValue.Create(OpenApiExamples.ExportNdjson) },
                    ["text/csv"] = new OpenApiMediaType { Schema = Str(), Example = JsonValue.Create(OpenApiExamples.TimelineCsv) },
                },
            };
            Errors(op, doc, write: false, (400, "A bad query parameter (format not ndjson, csv or stages; knownAt not an instant)."), (404, "No such negotiation, or not yet recorded at knownAt (not_known_then)."));
        });
        yield return ("/api/negotiations/{id}/events", HttpMethod.Post, (op, doc) =>
        {
            Describe(op, doc, "Events", "Post events",
                $"Appends a batch of flat events atomically: all stored or none. An eventId already stored is reported as a duplicate and not stored twice. At most {PostEventsEndpoint.MaxEventsPerBatch} events and {JsonBody.MaxBytes} bytes.");
            op.Parameters = [IdParameter()];
            var examples = new List<(string, string, JsonNode)>
            {
                ("prisoner-release", "The March 2025 prisoner release", new JsonObject { ["events"] = new JsonArray(OpenApiExamples.PrisonerRelease) }),
            };
            examples.AddRange(EventCatalog.All.Select(t => (t.Name, $"One {t.Name}", (JsonNode)new JsonObject { ["events"] = new JsonArray(EventExamples.For(t)) })));
            op.RequestBody = Body(doc, "PostEventsRequest", [.. examples]);
            Responses(op, doc, (201, "Stored (or all duplicates); the version, each eventId with its status and the resulting stage.", "PostEventsResponse"));
            Errors(op, doc, write: true,
                (400, "Malformed JSON, unknown event type (listing the known ones) or invalid fields, each with its path (events[2].occurredOn)."),
                (404, "No such negotiation."),
                (409, "expectedVersion is stale (version_conflict, with currentVersion)."),
                (422, "Events that are well-formed but wrong for this negotiation: a party that is not a principal, a date in the future, an unknown reference…"));
        });
        yield return ("/api/negotiations/{id}/events/{eventId}/retract", HttpMethod.Post, (op, doc) =>
        {
            Describe(op, doc, "Events", "Retract an event", "Appends an EventRetracted: the fold reads history as if the event never happened (knownAt before the retraction still sees it).");
            op.Parameters = [IdParameter(), new OpenApiParameter { Name = "eventId", In = ParameterLocation.Path, Required = true, Description = "The event to retract.", Schema = Str(format: "uuid") }];
            op.RequestBody = Body(doc, "RetractRequest", ("retract", "Retract with a reason", JsonNode.Parse("""{"reason":"The report was denied by both sides."}""")!));
            Responses(op, doc, (201, "Retracted.", "RetractResponse"));
            Errors(op, doc, write: true, (400, "reason missing, eventId not a GUID, bad occurredOn or actor."),
                (404, "No such negotiation (negotiation_not_found) or event (event_not_found)."),
                (409, "The event is already retracted (already_retracted)."),
                (422, "The retraction is invalid for this negotiation (e.g. occurredOn in the future)."));
        });
        yield return ("/api/negotiations/{id}/coverage", HttpMethod.Put, (op, doc) =>
        {
            Describe(op, doc, "Negotiations", "Declare how far the record reaches",
                "Appends a RecordReviewed: the record is complete through coveredUntil. A state asked for a later date says extrapolated, and transitions after it are projected. No stage, ledger or momentum effect.");
            op.Parameters = [IdParameter()];
            op.RequestBody = Body(doc, "CoverageRequest", ("april-2025", "Reviewed through the April 2025 report", JsonNode.Parse("""{"coveredUntil":"2025-04-30"}""")!));
            Responses(op, doc, (200, "Recorded.", "CoverageResponse"));
            Errors(op, doc, write: true, (400, "coveredUntil missing or not a date, bad occurredOn, actor or eventId, unknown field."),
                (404, "No such negotiation (negotiation_not_found)."),
                (422, "The review is invalid for this negotiation (e.g. occurredOn in the future)."));
        });
        yield return ("/api/negotiations/{id}/what-if", HttpMethod.Post, (op, doc) =>
        {
            Describe(op, doc, "What-if", "What if", "Branches the recorded history at asOf, applies hypothetical additions, removals and replacements, and answers with the projected state and its comparison with the baseline. Nothing is stored (docs/what-if.md).");
            op.Parameters = [IdParameter()];
            op.RequestBody = Body(doc, "WhatIfRequest", ("detention", "What if an American had been detained the next day?", JsonNode.Parse("""
                {"asOf":"2025-04-03","add":[{"type":"PersonDetained","occurredOn":"2025-04-04","actor":"TB","target":"US","person":"an aid worker","nationality":"US"}]}
                """)!));
            Responses(op, doc, (200, "The projection.", "WhatIfResult"));
            Errors(op, doc, write: true, (400, "The body cannot be read (every field path listed: asOf, add[0].occurredOn, remove[1]…)."),
                (404, "No such negotiation (or not yet recorded at knownAt)."),
                (422, "A hypothetical change breaks the rules real events obey."));
        });
        yield return ("/api/negotiations/{id}/scenarios", HttpMethod.Post, (op, doc) =>
        {
            Describe(op, doc, "What-if", "Save a scenario", "Saves (or overwrites) a named what-if: only its changes are stored; 201 when new, 200 when overwritten, with its current answer.");
            op.Parameters = [IdParameter()];
            op.RequestBody = Body(doc, "ScenarioRequest", ("equipment-returned", "What if the equipment had been returned?", JsonNode.Parse("""
                {"name":"equipment-returned","add":[{"type":"DemandMet","occurredOn":"2025-04-10","actor":"TB","target":"US","demandId":"us-equipment"}]}
                """)!));
            Responses(op, doc, (201, "Saved (new).", "WhatIfResult"));
            op.Responses!["200"] = new OpenApiResponse { Description = "Saved (overwritten).", Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new OpenApiMediaType { Schema = new OpenApiSchemaReference("WhatIfResult", doc) } } };
            Errors(op, doc, write: true, (400, "The body cannot be read, or the name is invalid."), (404, "No such negotiation."),
                (422, "The changes do not hold against today's history."));
        });
        yield return ("/api/negotiations/{id}/scenarios", HttpMethod.Get, (op, doc) =>
        {
            Describe(op, doc, "What-if", "List scenarios", "The saved scenarios of a negotiation.");
            op.Parameters = [IdParameter()];
            Responses(op, doc, (200, "The scenarios.", "ScenarioList"));
            Errors(op, doc, write: false, (404, "No such negotiation."));
        });
        yield return ("/api/negotiations/{id}/scenarios/{name}", HttpMethod.Get, (op, doc) =>
        {
            Describe(op, doc, "What-if", "Re-run a scenario", "Runs a saved scenario against the history as it is now.");
            op.Parameters = [IdParameter(),
                new OpenApiParameter { Name = "name", In = ParameterLocation.Path, Required = true, Description = "The scenario's name.", Schema = Str(), Example = JsonValue.Create("equipment-returned") },
                Query("asOf", "Branch point. Default today.", Str(OpenApiSchemas.DatePattern), "2025-06-01"),
                Query("projectTo", "Projection date.", Str(OpenApiSchemas.DatePattern), null),
                Query("knownAt", "ISO 8601 instant with Z or an offset (a date alone: 00:00 UTC): the record as it was then.", Str(format: "date-time"), null)];
            Responses(op, doc, (200, "The projection.", "WhatIfResult"));
            Errors(op, doc, write: false, (400, "A bad query parameter."), (404, "No such negotiation or scenario (scenario_not_found)."),
                (422, "The saved changes no longer hold against the grown history."));
        });
        yield return ("/api/negotiations/{id}/imports", HttpMethod.Post, (op, doc) =>
        {
            Describe(op, doc, "Importing", "Import a file",
                "The import command over HTTP: the body is the file's bytes as saved (NDJSON, CSV, or GDELT / ICEWS / POLECAT event data; gzip, UTF-16 with a byte-order mark and named encodings are read). " +
                "Our formats append unless scenario is given; event data needs scenario (land it as a saved what-if) or commit=true. Idempotent by eventId (docs/event-data.md).");
            op.Parameters = [IdParameter(),
                Query("format", "ndjson (default), csv, gdelt, icews or polecat.", Str(), "gdelt"),
                Query("party", "Event data: CODE=ACTOR, an actor code (country, group, code prefix or name) of one of the two parties; repeat it.", Str(), "TB=AFGTAL"),
                Query("encoding", "The text's encoding when it is not UTF-8 and has no byte-order mark, e.g. windows-1252.", Str(), "windows-1252"),
                Query("scenario", "Land the import as this saved what-if scenario (nothing enters the record).", Str(), "gdelt-march"),
                Query("commit", "true: append to the record (event data needs it unless scenario is given).", new OpenApiSchema { Type = JsonSchemaType.Boolean }, "true")];
            op.RequestBody = new OpenApiRequestBody
            {
                Required = true, Description = $"The file, at most {JsonBody.MaxBytes} bytes (gzip counts compressed).",
                Content = new Dictionary<string, OpenApiMediaType> { ["application/octet-stream"] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } } },
            };
            Responses(op, doc, (200, "Appended (or every event already recorded).", "ImportReport"));
            op.Responses!["201"] = new OpenApiResponse { Description = "Landed as the saved scenario; Location: /api/negotiations/{id}/scenarios/{name}.", Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new OpenApiMediaType { Schema = new OpenApiSchemaReference("ImportReport", doc) } } };
            Errors(op, doc, write: true, (400, "A bad query parameter, options that cannot go together (import_refused), or text that cannot be read: invalid_utf8, nul_characters, not_ndjson (path lines[N])."),
                (404, "No such negotiation."), (422, "Rows break the rules (every one listed, path lines[N].field: excel_date, wrong_column_count, invalid_date, …)."));
        });
        yield return ("/api/event-types", HttpMethod.Get, (op, doc) =>
        {
            Describe(op, doc, "Catalog", "Event types", "Every event type with its fields (kind, required, enum values), momentum weight and a JSON example: enough to build a form.");
            Responses(op, doc, (200, "The catalog.", "EventTypes"));
        });
        yield return ("/api/parties/{code}", HttpMethod.Get, (op, doc) =>
        {
            Describe(op, doc, "Parties", "Party profile", "The negotiations a party is a principal in, with the counterpart and the stage today.");
            op.Parameters = [new OpenApiParameter { Name = "code", In = ParameterLocation.Path, Required = true, Description = "Party code (case-insensitive).", Schema = Str(), Example = JsonValue.Create("TB") }];
            Responses(op, doc, (200, "The profile.", "PartyProfile"));
            Errors(op, doc, write: false, (404, "No negotiation has this party (party_not_found)."));
        });
        foreach (var alerts in AlertOperations()) yield return alerts;
    }

    // ---------------------------------------------------------------- builders

    static void Describe(OpenApiOperation op, OpenApiDocument doc, string tag, string summary, string description)
    {
        op.Summary = summary;
        op.Description = description;
        doc.Tags ??= new HashSet<OpenApiTag>();
        if (!doc.Tags.Any(t => t.Name == tag)) doc.Tags.Add(new OpenApiTag { Name = tag });
        op.Tags = new HashSet<OpenApiTagReference> { new(tag, doc) };
        op.Responses = new OpenApiResponses();
    }

    static OpenApiRequestBody Body(OpenApiDocument doc, string schema, params (string Key, string Summary, JsonNode Value)[] examples) => new()
    {
        Required = true,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["application/json"] = new OpenApiMediaType
            {
                Schema = new OpenApiSchemaReference(schema, doc),
                Examples = examples.ToDictionary(e => e.Key, e => (IOpenApiExample)new OpenApiExample { Summary = e.Summary, Value = e.Value }),
            },
        },
    };

    static void Responses(OpenApiOperation op, OpenApiDocument doc, (int Status, string Description, string Schema) ok)
    {
        op.Responses ??= new OpenApiResponses();
        op.Responses[ok.Status.ToString()] = new OpenApiResponse
        {
            Description = ok.Description,
            Headers = ok.Status != 201 ? null : new Dictionary<string, IOpenApiHeader>
            {
                ["Location"] = new OpenApiHeader { Description = "/api/negotiations/{id}", Schema = Str() },
            },
            Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new OpenApiMediaType { Schema = new OpenApiSchemaReference(ok.Schema, doc) } },
        };
    }

    static void Errors(OpenApiOperation op, OpenApiDocument doc, bool write, params (int Status, string Description)[] errors)
    {
        var all = errors.ToList();
        if (write)
        {
            all.Add((401, $"No valid API key in {ApiKeys.Header} (api_key_missing, api_key_invalid)."));
            all.Add((413, $"Body over {JsonBody.MaxBytes} bytes (payload_too_large) or more than {PostEventsEndpoint.MaxEventsPerBatch} events (too_many_events)."));
            all.Add((415, "Content-Type is not JSON."));
            op.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("ApiKey", doc)] = [] }];
        }
        op.Responses ??= new OpenApiResponses();
        foreach (var (status, description) in all.OrderBy(e => e.Status))
            op.Responses[status.ToString()] = new OpenApiResponse
            {
                Description = description,
                Content = new Dictionary<string, OpenApiMediaType> { [Problem] = new OpenApiMediaType { Schema = new OpenApiSchemaReference("ProblemDetails", doc) } },
            };
    }

    static OpenApiParameter IdParameter() => new()
    {
        Name = "id", In = ParameterLocation.Path, Required = true, Description = "The negotiation's id (slug).", Schema = Str(), Example = JsonValue.Create("us-taliban-demo"),
    };

    static OpenApiParameter Query(string name, string description, IOpenApiSchema schema, object? example) => new()
    {
        Name = name, In = ParameterLocation.Query, Required = false, Description = description, Schema = schema,
        Example = example switch { null => null, int i => JsonValue.Create(i), _ => JsonValue.Create(example.ToString()) },
    };

    static OpenApiSchema Str(string? pattern = null, string? format = null) => new() { Type = JsonSchemaType.String, Pattern = pattern, Format = format };
    static OpenApiSchema Int(int min, int max, int @default) => new() { Type = JsonSchemaType.Integer, Minimum = min.ToString(), Maximum = max.ToString(), Default = JsonValue.Create(@default) };
}
