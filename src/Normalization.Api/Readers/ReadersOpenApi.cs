using System.Text.Json.Nodes;
using Microsoft.OpenApi;

namespace Normalization.Api.Readers;

/// <summary>
/// The reader features in the OpenAPI document (called by Http/OpenApiContract.cs after it has described each operation): the
/// <c>tz</c> query parameter on every operation whose answer depends on "today", the 403 <c>read_only</c> answer on every write.
/// (<c>GET /api/site</c> describes itself by its metadata, like every endpoint.)
/// </summary>
public static class ReadersOpenApi
{
    /// <summary>The operations that take <c>?tz=</c>: those that use "today" (the default as-of, the stage today, the future-date rule).</summary>
    public static readonly (string Path, HttpMethod Method)[] ZonedOperations =
    [
        ("/api/negotiations", HttpMethod.Get), ("/api/negotiations", HttpMethod.Post), ("/api/negotiations/{id}", HttpMethod.Get),
        ("/api/negotiations/{id}/state", HttpMethod.Get), ("/api/negotiations/{id}/stages", HttpMethod.Get),
        ("/api/negotiations/{id}/events", HttpMethod.Post), ("/api/negotiations/{id}/events/{eventId}/retract", HttpMethod.Post),
        ("/api/negotiations/{id}/what-if", HttpMethod.Post), ("/api/negotiations/{id}/scenarios", HttpMethod.Post),
        ("/api/negotiations/{id}/scenarios/{name}", HttpMethod.Get), ("/api/parties/{code}", HttpMethod.Get),
        // Their stage histories run to today: the summary's through, the export's stages, the timeline workbook's Stages sheet.
        ("/api/negotiations/{id}/summary", HttpMethod.Get), ("/api/negotiations/{id}/export", HttpMethod.Get),
        ("/api/negotiations/{id}/timeline", HttpMethod.Get),
        // Writes whose future-date rule (and default occurredOn) is today: a declared coverage, an imported file.
        ("/api/negotiations/{id}/coverage", HttpMethod.Put), ("/api/negotiations/{id}/imports", HttpMethod.Post),
    ];

    /// <summary>The <c>tz</c> query parameter.</summary>
    public static OpenApiParameter TimeZoneParameter() => new()
    {
        Name = TimeZones.Parameter, In = ParameterLocation.Query, Required = false,
        Description = "The reader's time zone (IANA id): \"today\" is the date there (the future-date rule, the default as-of). Default: the deployment's zone (Normalization:TimeZone, default UTC). 400 unknown_time_zone otherwise.",
        Schema = new OpenApiSchema { Type = JsonSchemaType.String, Format = "iana-time-zone", MaxLength = 64, Pattern = @"^[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+){0,2}$" },
        Example = JsonValue.Create("Asia/Kabul"),
    };

    /// <summary>Adds the parameter to the writes that take it and the 403 answers to <paramref name="doc"/>.</summary>
    public static void Describe(OpenApiDocument doc)
    {
        foreach (var (path, method) in ZonedOperations)
        {
            if (!doc.Paths.TryGetValue(path, out var item) || item.Operations is not { } ops || !ops.TryGetValue(method, out var op)) continue;
            op.Parameters ??= [];
            // A GET's query record lists tz among its parameters (and so has it already); a write takes it besides its body.
            if (!op.Parameters.Any(p => p.Name == TimeZones.Parameter)) op.Parameters.Add(TimeZoneParameter());
        }
        foreach (var (path, item) in doc.Paths)
        foreach (var (method, op) in item.Operations ?? [])
        {
            // What-if stores nothing: read-only mode leaves it open, so it never answers read_only.
            if (method == HttpMethod.Get || method == HttpMethod.Head || !path.StartsWith("/api/", StringComparison.Ordinal) || ReadOnlyMode.Computations.Contains(path)) continue;
            op.Responses ??= new OpenApiResponses();
            op.Responses["403"] = new OpenApiResponse
            {
                Description = "The deployment is read-only (read_only).",
                Content = new Dictionary<string, OpenApiMediaType> { ["application/problem+json"] = new OpenApiMediaType { Schema = new OpenApiSchemaReference("ProblemDetails", doc) } },
            };
        }
    }
}
