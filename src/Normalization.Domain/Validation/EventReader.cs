using System.Text.Json;
using System.Text.RegularExpressions;
using Normalization.Domain.Catalog;

namespace Normalization.Domain.Validation;

/// <summary>
/// Reads one flat JSON event against the catalog's field specs. Reports every structural problem with its
/// path instead of throwing, so the caller can answer 400 with all of them at once.
/// </summary>
public static partial class EventReader
{
    const int MaxArrayItems = 200;

    [GeneratedRegex(@"^[A-Z][A-Z0-9\-]{0,15}$")]
    public static partial Regex PartyCode();

    public static NegotiationEvent? Read(JsonElement element, string path, List<FieldError> errors, bool allowMissingEventId = true)
    {
        var before = errors.Count;
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(path, "not_an_object", "An event must be a JSON object."));
            return null;
        }
        string? typeName = null;
        if (element.TryGetProperty("type", out var typeEl))
        {
            if (typeEl.ValueKind == JsonValueKind.String) typeName = typeEl.GetString();
            else errors.Add(new(Join(path, "type"), "wrong_type", "type must be a string."));
        }
        else errors.Add(new(Join(path, "type"), "required", "type is required."));

        if (typeName is null) return null;
        if (!EventCatalog.TryGet(typeName, out var info))
        {
            errors.Add(new(Join(path, "type"), "unknown_event_type",
                $"Unknown event type '{Truncate(typeName)}'. Known types: {string.Join(", ", EventCatalog.Names)}."));
            return null;
        }

        CheckObject(element, path, EventCatalog.EnvelopeFields.Concat(info.Fields).ToList(), errors);
        if (element.TryGetProperty("actor", out var actor) && actor.ValueKind == JsonValueKind.String && !PartyCode().IsMatch(actor.GetString()!))
            errors.Add(new(Join(path, "actor"), "invalid_party_code", "actor must be a party code: upper-case letters, digits, hyphens (e.g. US, TB, ISIS-K)."));
        if (element.TryGetProperty("target", out var target) && target.ValueKind == JsonValueKind.String && !PartyCode().IsMatch(target.GetString()!))
            errors.Add(new(Join(path, "target"), "invalid_party_code", "target must be a party code: upper-case letters, digits, hyphens."));

        if (errors.Count > before) return null;
        try
        {
            if (info.ClrType == typeof(EventCorrected))
            {
                // The correction is a flat event in its own right: read it with this reader (paths through
                // "correction", any field order) rather than through the polymorphic deserializer.
                var inner = element.TryGetProperty("correction", out var corrEl) ? Read(corrEl, Join(path, "correction"), errors) : null;
                if (errors.Count > before) return null;
                var outer = System.Text.Json.Nodes.JsonNode.Parse(element.GetRawText())!.AsObject();
                outer.Remove("correction");
                return outer.Deserialize<EventCorrected>(EventJson.Options)! with { Correction = inner };
            }
            return (NegotiationEvent)element.Deserialize(info.ClrType, EventJson.Options)!;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException or FormatException)
        {
            errors.Add(new(path, "invalid_event", "The event could not be read: " + Truncate(ex.Message, 200)));
            return null;
        }
    }

    static void CheckObject(JsonElement obj, string path, IReadOnlyList<FieldSpec> specs, List<FieldError> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in obj.EnumerateObject())
        {
            var fieldPath = Join(path, p.Name);
            if (!seen.Add(p.Name)) { errors.Add(new(fieldPath, "duplicate_field", $"{Truncate(p.Name)} appears more than once.")); continue; }
            var spec = specs.FirstOrDefault(s => s.Name == p.Name);
            if (spec is null)
            {
                errors.Add(new(fieldPath, "unknown_field", $"Unknown field '{Truncate(p.Name)}'. Allowed: {string.Join(", ", specs.Select(s => s.Name))}."));
                continue;
            }
            if (p.Value.ValueKind == JsonValueKind.Null)
            {
                if (spec.Required) errors.Add(new(fieldPath, "required", $"{spec.Name} is required."));
                continue;
            }
            CheckValue(p.Value, fieldPath, spec, errors);
        }
        foreach (var s in specs.Where(s => s.Required && !seen.Contains(s.Name)))
            errors.Add(new(Join(path, s.Name), "required", $"{s.Name} is required."));
    }

    static void CheckValue(JsonElement v, string path, FieldSpec spec, List<FieldError> errors)
    {
        switch (spec.Kind)
        {
            case FieldKind.String:
                if (v.ValueKind != JsonValueKind.String) { errors.Add(new(path, "wrong_type", $"{spec.Name} must be a string.")); return; }
                var s = v.GetString()!;
                if (spec.Required && string.IsNullOrWhiteSpace(s)) errors.Add(new(path, "required", $"{spec.Name} must not be empty."));
                if (s.Length > spec.MaxLength) errors.Add(new(path, "too_long", $"{spec.Name} is longer than {spec.MaxLength} characters."));
                return;
            case FieldKind.Integer:
                if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var i)) errors.Add(new(path, "wrong_type", $"{spec.Name} must be an integer."));
                else if (i < 0) errors.Add(new(path, "out_of_range", $"{spec.Name} must not be negative."));
                return;
            case FieldKind.Number:
                if (v.ValueKind != JsonValueKind.Number || !v.TryGetDecimal(out var d)) errors.Add(new(path, "wrong_type", $"{spec.Name} must be a number."));
                else if (d < 0) errors.Add(new(path, "out_of_range", $"{spec.Name} must not be negative."));
                return;
            case FieldKind.Enum:
                if (v.ValueKind != JsonValueKind.String || !spec.EnumValues!.Contains(v.GetString()))
                    errors.Add(new(path, "unknown_value", $"{spec.Name} must be one of: {string.Join(", ", spec.EnumValues!)}."));
                return;
            case FieldKind.Date:
                if (v.ValueKind != JsonValueKind.String || !DomainDate.TryParse(v.GetString(), out _))
                    errors.Add(new(path, "invalid_date", $"{spec.Name} must be a date: YYYY-MM-DD, YYYY-MM or YYYY."));
                return;
            case FieldKind.Guid:
                if (v.ValueKind != JsonValueKind.String || !Guid.TryParse(v.GetString(), out var g) || g == Guid.Empty)
                    errors.Add(new(path, "invalid_guid", $"{spec.Name} must be a non-empty GUID."));
                return;
            case FieldKind.StringArray:
                if (v.ValueKind != JsonValueKind.Array) { errors.Add(new(path, "wrong_type", $"{spec.Name} must be an array of strings.")); return; }
                if (v.GetArrayLength() > MaxArrayItems) { errors.Add(new(path, "too_many", $"{spec.Name} has more than {MaxArrayItems} items.")); return; }
                if (spec.Required && v.GetArrayLength() == 0) errors.Add(new(path, "required", $"{spec.Name} must not be empty."));
                var k = 0;
                foreach (var item in v.EnumerateArray())
                {
                    if (item.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(item.GetString()))
                        errors.Add(new($"{path}[{k}]", "wrong_type", $"{spec.Name} items must be non-empty strings."));
                    else if (item.GetString()!.Length > 500)
                        errors.Add(new($"{path}[{k}]", "too_long", "Longer than 500 characters."));
                    k++;
                }
                return;
            case FieldKind.ObjectArray:
                if (v.ValueKind != JsonValueKind.Array) { errors.Add(new(path, "wrong_type", $"{spec.Name} must be an array of objects.")); return; }
                if (v.GetArrayLength() > MaxArrayItems) { errors.Add(new(path, "too_many", $"{spec.Name} has more than {MaxArrayItems} items.")); return; }
                if (spec.Required && v.GetArrayLength() == 0) errors.Add(new(path, "required", $"{spec.Name} must not be empty."));
                var j = 0;
                foreach (var item in v.EnumerateArray())
                {
                    var itemPath = $"{path}[{j++}]";
                    if (item.ValueKind != JsonValueKind.Object) errors.Add(new(itemPath, "wrong_type", $"{spec.Name} items must be objects."));
                    else CheckObject(item, itemPath, spec.ItemFields!, errors);
                }
                return;
            case FieldKind.Event:
                if (v.ValueKind != JsonValueKind.Object) errors.Add(new(path, "wrong_type", $"{spec.Name} must be an event object."));
                return; // read recursively by the caller
        }
    }

    public static string Join(string path, string name) => string.IsNullOrEmpty(path) ? name : $"{path}.{name}";
    static string Truncate(string s, int max = 60) => s.Length <= max ? s : s[..max] + "…";
}
