using System.Text.Json.Nodes;

namespace Normalization.Api.Tests.Http;

/// <summary>
/// A real JSON answer against its schema in the served OpenAPI document, both ways: every property the schema requires is
/// present, every property present is one the schema lists, and a null is only where the schema allows null. References,
/// the event union (<c>oneOf</c> by its discriminator), nullable <c>oneOf</c>s, arrays and maps are followed. Only the shape
/// is checked (names, presence, null), not formats or ranges: the fuzz tests cover values.
/// </summary>
public sealed class SchemaConformance(JsonNode document)
{
    readonly JsonObject schemas = document["components"]!["schemas"]!.AsObject();

    /// <summary>Every mismatch of <paramref name="value"/> against <paramref name="schema"/>, each with its JSON path.</summary>
    public List<string> Check(JsonNode? value, JsonNode schema, string path = "$")
    {
        var failures = new List<string>();
        Visit(value, schema, path, failures, depth: 0);
        return failures;
    }

    JsonNode Resolve(JsonNode schema)
    {
        for (var i = 0; i < 10 && schema["$ref"]?.GetValue<string>() is { } reference; i++)
            schema = schemas[reference["#/components/schemas/".Length..]] ?? throw new InvalidOperationException($"unknown {reference}");
        return schema;
    }

    static bool IsNullType(JsonNode schema) => schema["type"] is JsonValue t ? t.GetValue<string>() == "null" : schema["type"] is JsonArray a && a.Any(x => x!.GetValue<string>() == "null");

    bool AllowsNull(JsonNode schema)
    {
        schema = Resolve(schema);
        return IsNullType(schema) || Alternatives(schema).Any(a => AllowsNull(a));
    }

    static IEnumerable<JsonNode> Alternatives(JsonNode schema) =>
        (schema["oneOf"]?.AsArray() ?? []).Concat(schema["anyOf"]?.AsArray() ?? []).Select(x => x!);

    void Visit(JsonNode? value, JsonNode schema, string path, List<string> failures, int depth)
    {
        if (depth > 40) return;
        schema = Resolve(schema);
        if (value is null)
        {
            if (!AllowsNull(schema)) failures.Add($"{path}: null where the schema does not allow it");
            return;
        }
        foreach (var part in schema["allOf"]?.AsArray() ?? []) Visit(value, part!, path, failures, depth + 1);
        var alternatives = Alternatives(schema).Where(a => !IsNullType(Resolve(a))).ToList();
        if (alternatives.Count > 0)
        {
            // The event union: the discriminator names the alternative; else the one non-null alternative, or any that fits.
            if (schema["discriminator"] is { } discriminator && value is JsonObject o)
            {
                var name = o[discriminator["propertyName"]!.GetValue<string>()]?.GetValue<string>();
                var mapped = name is null ? null : discriminator["mapping"]?[name];
                if (mapped is null) failures.Add($"{path}: discriminator value '{name}' is not in the mapping");
                else Visit(value, new JsonObject { ["$ref"] = mapped.GetValue<string>() }, path, failures, depth + 1);
            }
            else if (alternatives.Count == 1) Visit(value, alternatives[0], path, failures, depth + 1);
            else if (alternatives.All(a => Check(value, a, path).Count > 0)) failures.Add($"{path}: fits none of its {alternatives.Count} alternatives");
        }
        switch (value)
        {
            case JsonObject obj when schema["properties"] is JsonObject properties:
                foreach (var required in schema["required"]?.AsArray() ?? [])
                    if (!obj.ContainsKey(required!.GetValue<string>())) failures.Add($"{path}.{required}: required by the schema, absent from the answer");
                var open = schema["additionalProperties"] is { } extra && (extra is not JsonValue v || v.GetValue<bool>());
                foreach (var (key, item) in obj)
                {
                    if (properties[key] is { } property) Visit(item, property, $"{path}.{key}", failures, depth + 1);
                    else if (!open) failures.Add($"{path}.{key}: in the answer, not in the schema");
                }
                break;
            case JsonObject map when schema["additionalProperties"] is JsonObject itemSchema:
                foreach (var (key, item) in map) Visit(item, itemSchema, $"{path}.{key}", failures, depth + 1);
                break;
            case JsonArray array when schema["items"] is { } items:
                for (var i = 0; i < array.Count; i++) Visit(array[i], items, $"{path}[{i}]", failures, depth + 1);
                break;
        }
    }
}
