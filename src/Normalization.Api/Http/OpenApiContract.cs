using System.ComponentModel;
using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Normalization.Api.Events.Posting;
using Normalization.Api.Http.Requests;
using Normalization.Api.Security;

namespace Normalization.Api.Http;

/// <summary>
/// The OpenAPI document is generated from the endpoints' signatures and metadata: summaries, tags and answers
/// (<c>[EndpointSummary]</c>, <c>[ProducesResponseType]</c>, <c>[ProducesProblem]</c> on each endpoint; 400/413/415/503
/// from <see cref="RequestStepOrder"/>, 401/429 from the writer policy), response schemas from the response records.
/// This document transformer adds what no signature carries: the API's description, the API-key scheme, and the
/// catalog's component schemas (<see cref="OpenApiSchemas"/>: the event union, <c>oneOf</c> by <c>type</c>, the
/// request bodies the strict readers accept, the ProblemDetails with <c>code</c> and <c>errors</c>); and it points every
/// use of a .NET event type at the one <c>Event</c> union.
/// </summary>
public sealed partial class OpenApiContract : IOpenApiDocumentTransformer
{
    /// <inheritdoc/>
    public Task TransformAsync(OpenApiDocument doc, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        doc.Info.Title = "Normalization API";
        doc.Info.Description = "Record the events of a diplomatic normalization process and ask for its stage, ledger and momentum at any date. " +
            "Reads are open; every POST needs an API key in X-Api-Key. Errors are RFC 7807 ProblemDetails with a `code` and, for validation, " +
            $"`errors[{{path,code,message}}]`. Limits: {JsonBody.MaxBytes} bytes per request body, {PostEventsEndpoint.MaxEventsPerBatch} events per batch. See docs/api.md.";

        doc.Components ??= new OpenApiComponents();
        doc.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        foreach (var (name, schema) in OpenApiSchemas.Build(doc)) doc.Components.Schemas[name] = schema;
        doc.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        doc.Components.SecuritySchemes["ApiKey"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.ApiKey, Name = ApiKeys.Header, In = ParameterLocation.Header,
            Description = "Required on every POST. Keys are configured as ApiKeys:{name} = SHA-256 of the key, lower-case hex.",
        };
        EventReferences.PointAtTheUnion(doc);
        Readers.ReadersOpenApi.Describe(doc);
        return Task.CompletedTask;
    }
}

/// <summary>
/// Per operation, from its endpoint metadata (never from its path): the request record as the JSON body (the
/// component named after the record, with its examples) or as query parameters (<see cref="IQueryRequest{TSelf}.Parameters"/>,
/// typed from the record's properties, described by their <c>[Description]</c>); the API-key requirement of the writer
/// policy; the <c>Location</c> header of a 201; a plain-text schema for the non-JSON exports.
/// </summary>
public sealed class OpenApiOperations : IOpenApiOperationTransformer
{
    /// <inheritdoc/>
    public Task TransformAsync(OpenApiOperation op, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var doc = context.Document!;
        if (metadata.OfType<RequestRecordMetadata>().FirstOrDefault() is { } request)
        {
            // The record declares every query parameter the endpoint reads; the generator's guesses (a route value of
            // another endpoint of the class seen as a query "id") are dropped.
            if (op.Parameters is { } guessed)
                foreach (var p in guessed.Where(p => p.In == ParameterLocation.Query).ToList()) guessed.Remove(p);
            if (request.Body)
                op.RequestBody = new OpenApiRequestBody
                {
                    Required = true,
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        ["application/json"] = new()
                        {
                            Schema = new OpenApiSchemaReference(request.Type.Name, doc),
                            Examples = OpenApiExamples.ForRequest(request.Type).ToDictionary(e => e.Key, e => (IOpenApiExample)new OpenApiExample { Summary = e.Summary, Value = e.Value }),
                        },
                    },
                };
            else
            {
                op.Parameters ??= [];
                foreach (var name in QueryParameters(request.Type))
                    op.Parameters.Add(QueryParameter(request.Type, name));
            }
        }
        if (metadata.OfType<RequestRecordMetadata>().FirstOrDefault() is { Body: true } write && write.Type.GetCustomAttribute<IfMatchHeaderAttribute>() is not null)
        {
            op.Parameters ??= [];
            op.Parameters.Add(new OpenApiParameter
            {
                Name = "If-Match", In = ParameterLocation.Header, Required = false,
                Description = "The negotiation's ETag (\"<version>\", from GET /api/negotiations/{id}): stale → 409 version_conflict; * → the negotiation must exist; anything else → 400 invalid_etag at header.If-Match.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = IfMatchPattern },
            });
        }
        if (metadata.OfType<FileBodyAttribute>().FirstOrDefault() is { } file)
            op.RequestBody = new OpenApiRequestBody
            {
                Required = true, Description = file.Description,
                Content = new Dictionary<string, OpenApiMediaType> { ["application/octet-stream"] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "binary" } } },
            };
        if (metadata.OfType<IAuthorizeData>().Any(a => a.Policy == ApiKeyAuthentication.WriterPolicy))
            op.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("ApiKey", doc)] = [] }];
        if (op.Responses is { } responses)
        {
            var sorted = responses.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
            responses.Clear();
            foreach (var (status, response) in sorted) responses[status] = response;
        }
        foreach (var (status, response) in op.Responses ?? [])
        {
            if (response is not OpenApiResponse r) continue;
            if (status == "201")
                r.Headers = new Dictionary<string, IOpenApiHeader> { ["Location"] = new OpenApiHeader { Description = "The created resource's path.", Schema = new OpenApiSchema { Type = JsonSchemaType.String } } };
            if (status is "200" or "201" && metadata.OfType<VersionETagAttribute>().Any())
                (r.Headers ??= new Dictionary<string, IOpenApiHeader>())["ETag"] = new OpenApiHeader { Description = "The stream version as a strong entity tag (\"<version>\"), the If-Match of the negotiation's writes.", Schema = new OpenApiSchema { Type = JsonSchemaType.String, Pattern = ETagPattern } };
            foreach (var (mediaType, content) in r.Content ?? new Dictionary<string, OpenApiMediaType>())
                if (!mediaType.Contains("json", StringComparison.Ordinal)) content.Schema = new OpenApiSchema { Type = JsonSchemaType.String };
        }
        return Task.CompletedTask;
    }

    /// <summary>An If-Match the writes take: one quoted version (1 or more, no leading zero) or <c>*</c> (<see cref="IfMatch"/>).</summary>
    const string IfMatchPattern = "^(\"[1-9][0-9]*\"|\\*)$";

    /// <summary>The ETag of a negotiation's reads: its stream version, quoted.</summary>
    const string ETagPattern = "^\"[1-9][0-9]*\"$";

    static string[] QueryParameters(Type record) =>
        (string[])record.GetProperty(nameof(IQueryRequest<NoQuery>.Parameters), BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!;

    static OpenApiParameter QueryParameter(Type record, string name)
    {
        if (name == Readers.TimeZones.Parameter) return Readers.ReadersOpenApi.TimeZoneParameter();
        var parameter = record.GetConstructors().SelectMany(c => c.GetParameters()).FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase));
        var type = parameter is null ? typeof(string) : Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
        return new OpenApiParameter
        {
            Name = name, In = ParameterLocation.Query, Required = false,
            Description = parameter?.GetCustomAttribute<DescriptionAttribute>()?.Description,
            Schema = type == typeof(DateOnly) ? new OpenApiSchema { Type = JsonSchemaType.String, Pattern = OpenApiSchemas.DatePattern }
                : type == typeof(DateTimeOffset) ? new OpenApiSchema { Type = JsonSchemaType.String, Format = "date-time" }
                : type == typeof(int) ? new OpenApiSchema { Type = JsonSchemaType.Integer }
                : parameter?.GetCustomAttribute<EventTypeNameAttribute>() is not null
                    ? new OpenApiSchema { Type = JsonSchemaType.String, Enum = Domain.Catalog.EventCatalog.Names.Select(n => (JsonNode)JsonValue.Create(n)).ToList() }
                : parameter?.GetCustomAttribute<System.ComponentModel.DataAnnotations.AllowedValuesAttribute>() is { } allowed
                    ? new OpenApiSchema { Type = JsonSchemaType.String, Enum = allowed.Values.Select(v => (JsonNode)JsonValue.Create(v?.ToString())!).ToList() }
                : type.IsEnum ? new OpenApiSchema { Type = JsonSchemaType.String, Enum = Enum.GetNames(type).Select(n => (JsonNode)JsonValue.Create(n)).ToList() }
                : type == typeof(bool) ? new OpenApiSchema { Type = JsonSchemaType.Boolean }
                : new OpenApiSchema { Type = JsonSchemaType.String, Pattern = parameter?.GetCustomAttribute<System.ComponentModel.DataAnnotations.RegularExpressionAttribute>()?.Pattern },
        };
    }
}

/// <summary>
/// Microsoft.AspNetCore.OpenApi describes a .NET event type (<c>NegotiationEvent</c> and its derived records) by
/// reflection, as its own components. The catalog's <c>Event</c> union is the contract: every reference to one of those
/// components is pointed at <c>Event</c>, and the components are dropped.
/// </summary>
static class EventReferences
{
    const string Generated = "NegotiationEvent";

    public static void PointAtTheUnion(OpenApiDocument doc)
    {
        var union = new OpenApiSchemaReference("Event", doc);
        IOpenApiSchema Visit(IOpenApiSchema schema)
        {
            if (schema is OpenApiSchemaReference r) return r.Reference.Id?.StartsWith(Generated, StringComparison.Ordinal) == true ? union : r;
            if (schema is not OpenApiSchema s) return schema;
            if (s.Properties is { } properties)
                foreach (var key in properties.Keys.ToList()) properties[key] = Visit(properties[key]);
            if (s.Items is { } items) s.Items = Visit(items);
            if (s.AdditionalProperties is { } additional) s.AdditionalProperties = Visit(additional);
            foreach (var list in new[] { s.AllOf, s.AnyOf, s.OneOf })
                if (list is not null)
                    for (var i = 0; i < list.Count; i++) list[i] = Visit(list[i]);
            return s;
        }
        var schemas = doc.Components!.Schemas!;
        foreach (var name in schemas.Keys.Where(n => n.StartsWith(Generated, StringComparison.Ordinal)).ToList()) schemas.Remove(name);
        foreach (var name in schemas.Keys.ToList()) schemas[name] = Visit(schemas[name]);
        foreach (var op in doc.Paths.Values.SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []))
        {
            var bodies = op.RequestBody?.Content?.Values.AsEnumerable() ?? [];
            var answers = op.Responses?.Values.SelectMany(r => r.Content?.Values.AsEnumerable() ?? []) ?? [];
            foreach (var content in bodies.Concat(answers))
                if (content.Schema is { } schema) content.Schema = Visit(schema);
        }
    }
}

/// <summary>
/// Per generated schema, by .NET type: enums as their names (the product's <c>ExactEnumConverter</c> writes names, which
/// the generator cannot see), a <c>DomainDate</c> as its <c>YYYY[-MM[-DD]]</c> string, a string property's
/// <c>[AllowedValues]</c> as its enum, and the examples of the main answers.
/// </summary>
public sealed class OpenApiTypes : IOpenApiSchemaTransformer
{
    /// <inheritdoc/>
    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        var type = Nullable.GetUnderlyingType(context.JsonTypeInfo.Type) ?? context.JsonTypeInfo.Type;
        if (type.IsEnum)
        {
            var nullable = type != context.JsonTypeInfo.Type;
            schema.Type = nullable ? JsonSchemaType.String | JsonSchemaType.Null : JsonSchemaType.String;
            schema.Format = null;
            schema.Enum = Enum.GetNames(type).Select(n => (JsonNode)JsonValue.Create(n)).ToList();
        }
        else if (type == typeof(Domain.Catalog.DomainDate))
        {
            schema.Type = JsonSchemaType.String;
            schema.Pattern = OpenApiSchemas.DatePattern;
            schema.Properties = null;
            schema.Required = null;
        }
        else if (context.JsonPropertyInfo?.AttributeProvider?.GetCustomAttributes(typeof(System.ComponentModel.DataAnnotations.AllowedValuesAttribute), false)
                 .OfType<System.ComponentModel.DataAnnotations.AllowedValuesAttribute>().FirstOrDefault() is { } allowed)
            schema.Enum = allowed.Values.Select(v => (JsonNode)JsonValue.Create(v?.ToString())!).ToList();
        else if (Examples.TryGetValue(type, out var example))
            schema.Examples = [example()];
        return Task.CompletedTask;
    }

    static readonly Dictionary<Type, Func<JsonNode>> Examples = new()
    {
        [typeof(Negotiations.GettingState.NegotiationStateResponse)] = () => OpenApiExamples.State,
        [typeof(Negotiations.ListingBoard.BoardPage)] = () => OpenApiExamples.Board,
        [typeof(Negotiations.GettingState.StageHistoryResponse)] = () => OpenApiExamples.Stages,
        [typeof(Timeline.TimelinePage)] = () => OpenApiExamples.Timeline,
        [typeof(PostEventsResponse)] = () => OpenApiExamples.PostEventsResponse,
    };
}

/// <summary>A query parameter that names an event type of the catalog: its schema is the enum of the catalog's names.</summary>
[AttributeUsage(AttributeTargets.Parameter)]
public sealed class EventTypeNameAttribute : Attribute;

/// <summary>
/// An endpoint whose body is a file's raw bytes (read as a stream by its request record, not as JSON): the document shows
/// an <c>application/octet-stream</c> body with this description.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class FileBodyAttribute(string description) : Attribute
{
    /// <summary>What the body is and its limits.</summary>
    public string Description { get; } = description;
}
