using System.Text.Json.Nodes;
using Microsoft.OpenApi;
using Normalization.Api.Catalog;
using Normalization.Domain.Catalog;
using Normalization.Domain.Stages;

namespace Normalization.Api.Http;

/// <summary>
/// The component schemas no signature can generate, built from the event catalog (so the event union never drifts
/// from validation): one schema per event type, the <c>Event</c> oneOf keyed by <c>type</c>; the request bodies (named
/// after their request records: the strict readers, not the records, define what a body may hold — patterns, lengths,
/// flat events); and the ProblemDetails error model with <c>code</c> and <c>errors</c>. The responses are generated
/// from the response records.
/// </summary>
public static class OpenApiSchemas
{
    public const string DatePattern = @"^\d{4}(-\d{2}(-\d{2})?)?$";

    /// <summary>A day only (<see cref="FieldFormat.Day"/>: a review's <c>coveredUntil</c>).</summary>
    public const string DayPattern = @"^\d{4}-\d{2}-\d{2}$";

    public static IDictionary<string, IOpenApiSchema> Build(OpenApiDocument doc)
    {
        OpenApiSchemaReference Ref(string name) => new(name, doc);
        var s = new Dictionary<string, IOpenApiSchema>(StringComparer.Ordinal);

        // ---------------------------------------------------------------- errors
        s["FieldError"] = Obj("One invalid field.", ["path", "code", "message"],
            ("path", Str("Field path in the request, e.g. events[2].occurredOn.")),
            ("code", Str("Machine-readable code, e.g. invalid_date, required, unknown_event_type, not_a_party.")),
            ("message", Str("What is wrong and what to do.")));
        s["ProblemDetails"] = Obj("RFC 7807 problem with a machine-readable code; validation problems list every field error.",
            ["type", "title", "status", "code"],
            ("type", Str("https://normalization.dev/problems/{code}")),
            ("title", Str("Short summary.")),
            ("status", Int("HTTP status code.")),
            ("detail", Str("Explanation.")),
            ("code", Str("Machine-readable code: validation_failed, malformed_json, empty_body, not_an_object, unsupported_media_type, payload_too_large, too_many_events, api_key_missing, api_key_invalid, read_only, rate_limited, negotiation_not_found, event_not_found, party_not_found, not_known_then, negotiation_exists, version_conflict, already_retracted.")),
            ("errors", Arr(Ref("FieldError"), "Every field error (validation_failed only).")),
            ("currentVersion", Int("The negotiation's version (version_conflict only).")),
            ("expectedVersion", Int("The version the request expected (version_conflict only).")),
            ("firstRecordedAt", Str("When the negotiation was first recorded: the earliest knownAt it answers (not_known_then only).", "date-time")));
        s["ProblemDetails"].Example().Set(JsonNode.Parse("""
            {"type":"https://normalization.dev/problems/validation_failed","title":"The request is not valid.","status":400,
             "detail":"See errors: each names the field path, a code and what to do.","code":"validation_failed",
             "errors":[{"path":"events[2].occurredOn","code":"invalid_date","message":"occurredOn must be a date: YYYY-MM-DD, YYYY-MM or YYYY."}]}
            """));

        // ---------------------------------------------------------------- negotiations
        s["Party"] = Obj("A party or mediator.", ["code", "name"],
            ("code", Str("1–16 characters: upper-case letters, digits, hyphens, starting with a letter.", pattern: "^[A-Z][A-Z0-9\\-]{0,15}$")),
            ("name", Str("Display name.", maxLength: 200)));
        s["Baseline"] = Obj("Structural facts true before the first recorded event.", [],
            ("relations", EnumOf<RelationsStatus>("Diplomatic relations before the first event. Default None.")),
            ("recognition", Arr(Obj(null, ["by", "of"], ("by", Str("Party code.")), ("of", Str("Party code.")), ("form", EnumOf<RecognitionForm>("Default DeJure."))), "Recognition in force.")),
            ("offices", Arr(Obj(null, ["sender", "host"], ("sender", Str("Party code.")), ("host", Str("Party code.")), ("officeKind", EnumOf<OfficeKind>(null)), ("city", Str(null))), "Offices operating.")),
            ("sanctions", Arr(Str(null, maxLength: 500), "Scopes of sanctions in force.")),
            ("designations", Arr(Obj(null, ["designee"], ("by", Str("Party code.")), ("designee", Str(null)), ("list", EnumOf<DesignationList>(null))), "Designations in force.")));
        s["CreateNegotiationRequest"] = Obj("A new negotiation between exactly two parties.", ["id", "title", "parties"],
            ("id", Str("Slug: 3–64 characters, lower-case letters, digits and single hyphens.", pattern: "^[a-z0-9](?:[a-z0-9-]{1,62})[a-z0-9]$")),
            ("title", Str(null, maxLength: 200)),
            ("parties", new OpenApiSchema { Type = JsonSchemaType.Array, Items = Ref("Party"), MinItems = 2, MaxItems = 2, Description = "Exactly two principals." }),
            ("mediators", new OpenApiSchema { Type = JsonSchemaType.Array, Items = Ref("Party"), MaxItems = 20 }),
            ("baseline", Ref("Baseline")),
            ("coveredUntil", Str("The last day the record is complete through; later dates are extrapolated. Omitted: not declared.", format: "date")),
            ("tags", Arr(Str("A slug: 3–64 characters, lower-case letters, digits and single hyphens.", pattern: "^[a-z0-9](?:[a-z0-9-]{1,62})[a-z0-9]$"), "Labels for the board's tag filter, at most 10 (the shipped library: library).")));
        s["CreateNegotiationRequest"].Example().Set(OpenApiExamples.CreateNegotiation);

        // ---------------------------------------------------------------- events
        var mapping = new Dictionary<string, OpenApiSchemaReference>(StringComparer.Ordinal);
        foreach (var t in EventCatalog.All)
        {
            s[t.Name] = EventSchema(t, doc);
            mapping[t.Name] = Ref(t.Name);
        }
        s["Event"] = new OpenApiSchema
        {
            Description = "One flat event: the envelope (eventId, type, occurredOn, actor, target, confidence, sources, note) and the type's own fields. GET /api/event-types lists them.",
            OneOf = EventCatalog.All.Select(t => (IOpenApiSchema)Ref(t.Name)).ToList(),
            Discriminator = new OpenApiDiscriminator { PropertyName = "type", Mapping = mapping },
        };
        s["Source"] = FieldsObject("Where the fact comes from.", EventCatalog.EnvelopeFields.Single(f => f.Name == "sources").ItemFields!, doc);
        s["PostEventsRequest"] = Obj("A batch of events, stored atomically (all or none). At most 1000 events and 1 MiB.", ["events"],
            ("expectedVersion", Int("Optimistic concurrency: the version you last saw; 409 when the negotiation has moved on.", minimum: 1)),
            ("events", new OpenApiSchema { Type = JsonSchemaType.Array, Items = Ref("Event"), MinItems = 1, MaxItems = 1000 }));
        s["CoverageRequest"] = Obj("Declare how far the record reaches: appends a RecordReviewed.", ["coveredUntil"],
            ("coveredUntil", Str("The last day the record is complete through: YYYY-MM-DD (a month or year form is invalid_date, as at create).", format: "date")),
            ("occurredOn", Str("When the review was made. Default today.", pattern: DatePattern)),
            ("actor", Str("Who reviewed. Default EDITOR.")),
            ("eventId", Str("The review's own id (idempotency). Generated when absent.", format: "uuid")));
        s["RetractRequest"] = Obj("Retract an event: the fold reads history as if it never happened.", ["reason"],
            ("reason", Str("Why (required).", maxLength: 2000)),
            ("occurredOn", Str("When it was retracted. Default today.", pattern: DatePattern)),
            ("actor", Str("Who retracts. Default EDITOR.")),
            ("eventId", Str("The retraction's own id (idempotency). Generated when absent.", format: "uuid")));
        s["RetractRequest"].Example().Set(JsonNode.Parse("""{"reason":"The report was denied by both sides."}"""));
        // ---------------------------------------------------------------- alerts (docs/alerts.md)
        s["CreateSubscription"] = Obj("A webhook subscription: every stage change of the matching negotiations is POSTed to url, signed with secret.", ["url", "secret"],
            ("url", Str("http(s) URL to POST alerts to; must pass Normalization:Alerts:AllowedHosts (private and loopback addresses refused unless listed).", format: "uri")),
            ("secret", Str("8–200 characters: the HMAC-SHA256 key of X-Normalization-Signature. Never shown again.", maxLength: 200)),
            ("negotiationId", Str("Only this negotiation (a slug).", pattern: "^[a-z0-9](?:[a-z0-9-]{1,62})[a-z0-9]$")),
            ("party", Str("Only negotiations with this party code.")),
            ("stages", Arr(EnumOf<Stage>(null), "Only changes into or out of these stages.")));
        // ---------------------------------------------------------------- what-if (docs/what-if.md)
        (string, IOpenApiSchema)[] changes =
        [
            ("add", Arr(Ref("Event"), "Hypothetical flat events, exactly as POST …/events takes them.")),
            ("remove", Arr(Uuid(), "eventIds of recorded events to leave out.")),
            ("replace", Arr(Obj(null, ["eventId", "event"], ("eventId", Uuid("The recorded event replaced.")), ("event", Ref("Event"))), "Recorded events replaced by hypothetical ones.")),
        ];
        s["WhatIfRequest"] = Obj("A hypothetical change of the recorded history. Nothing is stored.", [],
            [("asOf", Str("Branch point (YYYY-MM-DD, YYYY-MM, YYYY). Default today.", pattern: DatePattern)),
             ("knownAt", Str("Branch the record as it was known at this instant.", format: "date-time")),
             ("projectTo", Str("Projection date.", pattern: DatePattern)), .. changes]);
        s["WhatIfRequest"].Example().Set(JsonNode.Parse("""
            {"asOf":"2025-04-03","projectTo":"2026-03-25",
             "add":[{"type":"PersonDetained","occurredOn":"2025-04-04","actor":"TB","target":"US","person":"an aid worker","nationality":"US"}],
             "remove":["82f13cab-8c24-5784-9dce-c240e2064068"]}
            """));
        s["SaveScenarioRequest"] = Obj("A named what-if: only its changes are stored.", ["name"],
            [("name", Str("1–64 lower-case letters, digits and hyphens.", pattern: "^[a-z0-9-]{1,64}$")), .. changes]);
        s["SaveScenarioRequest"].Example().Set(JsonNode.Parse("""
            {"name":"equipment-returned","add":[{"type":"DemandMet","occurredOn":"2025-04-10","actor":"TB","target":"US","demandId":"us-equipment"}]}
            """));
        return s;
    }

    static OpenApiSchema EventSchema(EventTypeInfo t, OpenApiDocument doc)
    {
        var fields = EventCatalog.EnvelopeFields.Concat(t.Fields).ToList();
        var schema = FieldsObject($"{t.Name}: {t.Meaning} Stage effect: {t.StageEffect} Momentum weight {t.Goldstein}.", fields, doc);
        schema.Properties!["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Enum = [JsonValue.Create(t.Name)], Description = "The event type." };
        // In answers only: an event of a what-if branch says so (NegotiationEvent.Hypothetical); a request never carries it.
        schema.Properties["hypothetical"] = new OpenApiSchema
        {
            Type = JsonSchemaType.Boolean, ReadOnly = true,
            Description = "In answers only, and only when true: the event was added in a what-if branch (never stored; a request does not send it).",
        };
        schema.Examples = [EventExamples.For(t)];
        return schema;
    }

    static OpenApiSchema FieldsObject(string? description, IEnumerable<FieldSpec> fields, OpenApiDocument doc)
    {
        var list = fields.ToList();
        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = description,
            Properties = list.ToDictionary(f => f.Name, f => FieldSchema(f, doc)),
            Required = new HashSet<string>(list.Where(f => f.Required).Select(f => f.Name)),
            AdditionalPropertiesAllowed = false,
        };
    }

    static IOpenApiSchema FieldSchema(FieldSpec f, OpenApiDocument doc) => f.Name switch
    {
        "sources" when f.Kind == FieldKind.ObjectArray => Arr(new OpenApiSchemaReference("Source", doc), f.Description),
        _ => f.Kind switch
        {
            FieldKind.String => Str(f.Description, pattern: CodePattern(f.Format), maxLength: f.MaxLength),
            FieldKind.Integer => new OpenApiSchema { Type = JsonSchemaType.Integer, Minimum = "0", Maximum = f.NumberMax.ToString(System.Globalization.CultureInfo.InvariantCulture), Description = f.Description },
            FieldKind.Number => new OpenApiSchema
            {
                Type = JsonSchemaType.Number | JsonSchemaType.Null, Minimum = "0", Maximum = f.NumberMax.ToString(System.Globalization.CultureInfo.InvariantCulture),
                MultipleOf = f.Decimals == 2 ? 0.01m : null, Description = f.Description,
            },
            FieldKind.Enum => new OpenApiSchema { Type = JsonSchemaType.String, Description = f.Description, Enum = f.EnumValues!.Select(v => (JsonNode)JsonValue.Create(v)).ToList() },
            FieldKind.Date => Str(f.Description, pattern: f.Format == FieldFormat.Day ? DayPattern : DatePattern),
            FieldKind.Guid => Uuid(f.Description),
            FieldKind.StringArray => new OpenApiSchema
            {
                Type = JsonSchemaType.Array, Items = Str(null, pattern: CodePattern(f.Format), maxLength: f.Format == FieldFormat.Text ? 500 : f.MaxLength), MaxItems = 200,
                UniqueItems = f.Format != FieldFormat.Text ? true : null, Description = f.Description,
            },
            FieldKind.ObjectArray => new OpenApiSchema { Type = JsonSchemaType.Array, Items = FieldsObject(null, f.ItemFields!, doc), MaxItems = 200, Description = f.Description },
            FieldKind.Event => new OpenApiSchemaReference("Event", doc),
            _ => new OpenApiSchema { Description = f.Description },
        },
    };

    /// <summary>The pattern of a code field (party or country code); null for free text.</summary>
    static string? CodePattern(FieldFormat format) => format switch
    {
        FieldFormat.PartyCode => "^[A-Z][A-Z0-9-]{0,15}$",
        FieldFormat.CountryCode => "^[A-Z]{2}$",
        FieldFormat.LanguageTag => "^[a-z]{2,3}(-[A-Z]{2})?$",
        _ => null,
    };

    // ---------------------------------------------------------------- small builders

    static OpenApiSchema Obj(string? description, string[] required, params (string Name, IOpenApiSchema Schema)[] properties) => new()
    {
        Type = JsonSchemaType.Object,
        Description = description,
        Properties = properties.ToDictionary(p => p.Name, p => p.Schema),
        Required = new HashSet<string>(required),
    };

    static OpenApiSchema Str(string? description, string? format = null, string? pattern = null, int? maxLength = null) =>
        new() { Type = JsonSchemaType.String, Description = description, Format = format, Pattern = pattern, MaxLength = maxLength };

    static OpenApiSchema Uuid(string? description = null) => Str(description, format: "uuid");
    static OpenApiSchema Int(string? description, int? minimum = null) => new() { Type = JsonSchemaType.Integer, Description = description, Minimum = minimum?.ToString() };
    static OpenApiSchema Num(string? description) => new() { Type = JsonSchemaType.Number, Description = description };
    static OpenApiSchema Arr(IOpenApiSchema items, string? description) => new() { Type = JsonSchemaType.Array, Items = items, Description = description };

    public static OpenApiSchema EnumOf<T>(string? description) where T : struct, Enum =>
        new() { Type = JsonSchemaType.String, Description = description, Enum = Enum.GetNames<T>().Select(n => (JsonNode)JsonValue.Create(n)).ToList() };

    /// <summary>Lets the builder attach an example after creating a schema in the dictionary.</summary>
    static ExampleSetter Example(this IOpenApiSchema schema) => new((OpenApiSchema)schema);

    readonly struct ExampleSetter(OpenApiSchema schema)
    {
        public void Set(JsonNode? example) => schema.Examples = example is null ? null : [example];
    }
}
