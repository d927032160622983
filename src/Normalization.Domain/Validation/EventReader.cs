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

    /// <summary>The last year a date may name (9998-12-31, the contract's last day: docs/api.md, "Input rules").</summary>
    const int LastYear = 9998;

    /// <summary>A party code: 1–16 characters, upper-case ASCII letters, digits and hyphens, starting with a letter (whole text).</summary>
    [GeneratedRegex(@"\A[A-Z][A-Z0-9\-]{0,15}\z")]
    public static partial Regex PartyCode();

    /// <summary>An ISO 3166 alpha-2 country code: two upper-case ASCII letters (whole text).</summary>
    [GeneratedRegex(@"\A[A-Z]{2}\z")]
    public static partial Regex CountryCode();

    /// <summary>A language tag: an ISO 639 code (2–3 lower-case letters), optionally a hyphen and an ISO 3166 region (2 upper-case letters).</summary>
    [GeneratedRegex(@"\A[a-z]{2,3}(-[A-Z]{2})?\z")]
    public static partial Regex LanguageTag();

    /// <summary>The shape rule of a <see cref="FieldFormat"/>: the error code and message when <paramref name="value"/> breaks it, else null.</summary>
    public static (string Code, string Message)? FormatProblem(FieldFormat format, string value) => format switch
    {
        FieldFormat.PartyCode when !PartyCode().IsMatch(value) =>
            ("invalid_party_code", "must be a party code: upper-case letters, digits, hyphens, starting with a letter (e.g. US, TB, ISIS-K)."),
        FieldFormat.CountryCode when !CountryCode().IsMatch(value) =>
            ("invalid_country_code", "must be an ISO 3166 alpha-2 country code: two upper-case letters (e.g. US, AF)."),
        FieldFormat.LanguageTag when !LanguageTag().IsMatch(value) =>
            ("invalid_language_tag", "must be a language tag: an ISO 639 code in lower case, optionally a hyphen and an ISO 3166 region in upper case (e.g. fr, fr-FR, ps-AF)."),
        FieldFormat.HttpUrl when !IsHttpUrl(value) =>
            ("invalid_url", "must be an absolute http or https address (e.g. https://example.org/story)."),
        _ => null,
    };

    /// <summary>A source's link: an absolute URI whose scheme is http or https (not javascript:, file:, a bare word …).</summary>
    public static bool IsHttpUrl(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps);

    /// <summary>The envelope's fields but <c>type</c> (read first, on its own): what is judged of an event whose type is missing or unknown.</summary>
    static readonly IReadOnlyList<FieldSpec> EnvelopeWithoutType = EventCatalog.EnvelopeFields.Where(f => f.Name != "type").ToList();

    /// <summary>Reads one flat event at <paramref name="path"/>; every problem goes to <paramref name="errors"/> with its path, and null is returned when the event cannot be built.</summary>
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

        EventTypeInfo? info = null;
        if (typeName is not null && !EventCatalog.TryGet(typeName, out info))
            errors.Add(new(Join(path, "type"), "unknown_event_type",
                $"Unknown event type '{Truncate(typeName)}'. Known types: {string.Join(", ", EventCatalog.Names)}."));
        if (info is null)
        {
            // Every error at once: the envelope's fields are the same whatever the type, so they are judged even when
            // the type is missing or unknown. Other fields are not: without a type there is no telling whether they
            // belong to it, so no unknown_field (docs/api.md, "Every error at once").
            CheckObject(element, path, EnvelopeWithoutType, errors, judgeUnknown: false);
            OriginalNeedsLanguage(element, path, errors);
            return null;
        }

        var rewrite = CheckObject(element, path, EventCatalog.EnvelopeFields.Concat(info.Fields).ToList(), errors);
        OriginalNeedsLanguage(element, path, errors);

        if (errors.Count > before) return null;
        try
        {
            // One rule for null, from the catalog (docs/reliability.md): an optional field sent as null is the same as
            // a missing one, so the record's default applies (an empty list of sources, not a null one).
            var source = rewrite ? Canonical(System.Text.Json.Nodes.JsonNode.Parse(element.GetRawText())!) : null;
            if (info.ClrType == typeof(EventCorrected))
            {
                // The correction is a flat event in its own right: read it with this reader (paths through
                // "correction", any field order) rather than through the polymorphic deserializer.
                var inner = element.TryGetProperty("correction", out var corrEl) ? Read(corrEl, Join(path, "correction"), errors) : null;
                if (errors.Count > before) return null;
                var outer = (source ?? System.Text.Json.Nodes.JsonNode.Parse(element.GetRawText())!).AsObject();
                outer.Remove("correction");
                return outer.Deserialize<EventCorrected>(EventJson.Options)! with { Correction = inner };
            }
            return source is null
                ? (NegotiationEvent)element.Deserialize(info.ClrType, EventJson.Options)!
                : (NegotiationEvent)source.Deserialize(info.ClrType, EventJson.Options)!;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or NotSupportedException or FormatException)
        {
            errors.Add(new(path, "invalid_event", "The event could not be read: " + Truncate(ex.Message, 200)));
            return null;
        }
    }

    /// <summary>A source's originalQuote is words in some language: which one must be said (<c>required</c> at <c>sources[i].originalLanguage</c>).</summary>
    static void OriginalNeedsLanguage(JsonElement element, string path, List<FieldError> errors)
    {
        if (!element.TryGetProperty("sources", out var sources) || sources.ValueKind != JsonValueKind.Array) return;
        var i = 0;
        foreach (var item in sources.EnumerateArray())
        {
            var itemPath = $"{Join(path, "sources")}[{i++}]";
            if (item.ValueKind != JsonValueKind.Object) continue;
            var hasOriginal = item.TryGetProperty("originalQuote", out var q) && q.ValueKind != JsonValueKind.Null;
            var hasLanguage = item.TryGetProperty("originalLanguage", out var l) && l.ValueKind != JsonValueKind.Null;
            if (hasOriginal && !hasLanguage)
                errors.Add(new(Join(itemPath, "originalLanguage"), "required", "originalLanguage is required with originalQuote: the language the source wrote in (e.g. fr)."));
        }
    }

    /// <summary>Checks an object against its field specs; true when it must be rewritten (<see cref="Canonical"/>): some optional field was sent as null (to be dropped), or an integer in exponent form.</summary>
    static bool CheckObject(JsonElement obj, string path, IReadOnlyList<FieldSpec> specs, List<FieldError> errors, bool judgeUnknown = true)
    {
        var nulls = false;
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in obj.EnumerateObject())
        {
            var fieldPath = Join(path, p.Name);
            if (!seen.Add(p.Name)) { errors.Add(new(fieldPath, "duplicate_field", $"{Truncate(p.Name)} appears more than once.")); continue; }
            var spec = specs.FirstOrDefault(s => s.Name == p.Name);
            if (spec is null)
            {
                if (judgeUnknown) errors.Add(new(fieldPath, "unknown_field", $"Unknown field '{Truncate(p.Name)}'. Allowed: {string.Join(", ", specs.Select(s => s.Name))}."));
                continue;
            }
            if (p.Value.ValueKind == JsonValueKind.Null)
            {
                if (spec.Required) errors.Add(new(fieldPath, "required", $"{spec.Name} is required."));
                nulls = true;
                continue;
            }
            nulls |= CheckValue(p.Value, fieldPath, spec, errors);
        }
        foreach (var s in specs.Where(s => s.Required && !seen.Contains(s.Name)))
            errors.Add(new(Join(path, s.Name), "required", $"{s.Name} is required."));
        return nulls;
    }

    /// <summary>
    /// The text rules of <see cref="Strict.TextProblem"/> plus emptiness (a string field, when sent, has content), the
    /// length, and the field's <see cref="FieldFormat"/> (a code) once the text rules hold.
    /// </summary>
    static void CheckText(string s, string path, FieldSpec spec, string what, List<FieldError> errors)
    {
        if (Strict.IsBlank(s))
        {
            errors.Add(spec.Required
                ? new(path, "required", $"{what} must not be empty.")
                : new(path, "empty", $"{what} must not be empty or blank: leave the field out instead."));
            return;
        }
        if (Strict.TextProblem(s, spec.Multiline) is { } problem) { errors.Add(new(path, problem.Code, $"{what} {problem.Message}")); return; }
        if (FormatProblem(spec.Format, s) is { } format) { errors.Add(new(path, format.Code, $"{what} {format.Message}")); return; }
        if (s.Length > spec.MaxLength) errors.Add(new(path, "too_long", $"{what} is longer than {spec.MaxLength} characters."));
    }

    /// <summary>
    /// A JSON number against its spec: a number (else <c>wrong_type</c>), an integer where the kind says so — by value, as
    /// <see cref="Strict.ReadInteger"/> reads it (<c>1e3</c> is 1000; <c>1.5</c> is <c>wrong_type</c>) — at most
    /// <see cref="FieldSpec.Decimals"/> decimal places (<c>too_precise</c>: <c>1e-30</c> is not silently 0), and from 0
    /// to <see cref="FieldSpec.NumberMax"/> (<c>out_of_range</c>, also for numbers too large for any .NET type).
    /// True when the value is good but spelled in a form the serializer does not read as an integer (<c>1e3</c>, <c>1.0</c>):
    /// the caller rewrites it (<see cref="Canonical"/>) before deserializing.
    /// </summary>
    static bool CheckNumber(JsonElement v, string path, FieldSpec spec, List<FieldError> errors)
    {
        var integer = spec.Kind == FieldKind.Integer;
        var range = $"{spec.Name} must be from 0 to {spec.NumberMax.ToString("#,0", System.Globalization.CultureInfo.InvariantCulture)}"
            + (integer ? "." : $" with at most {spec.Decimals} decimal places.");
        if (v.ValueKind != JsonValueKind.Number) { errors.Add(new(path, "wrong_type", $"{spec.Name} must be {(integer ? "an integer" : "a number")}.")); return false; }
        if (integer)
        {
            switch (Strict.ReadInteger(v, 0, (long)spec.NumberMax, out _))
            {
                case Strict.IntegerReading.NotAnInteger: errors.Add(new(path, "wrong_type", $"{spec.Name} must be an integer.")); return false;
                case Strict.IntegerReading.OutOfRange: errors.Add(new(path, "out_of_range", range)); return false;
            }
            return !v.TryGetInt32(out _);
        }
        var places = Strict.DecimalPlaces(v.GetRawText());
        if (places > spec.Decimals) { errors.Add(new(path, "too_precise", $"{spec.Name} has more than {spec.Decimals} decimal places.")); return false; }
        if (!v.TryGetDecimal(out var d) || d < 0 || d > spec.NumberMax) errors.Add(new(path, "out_of_range", range));
        return false;
    }

    /// <summary>
    /// The event as the serializer reads it: every null-valued property removed (the "null is missing" rule) and every
    /// integral number written with an exponent or a fraction (<c>1e3</c>, <c>1.0</c>; checked in range by
    /// <see cref="CheckNumber"/>) written as plain digits, at any depth.
    /// </summary>
    static System.Text.Json.Nodes.JsonNode Canonical(System.Text.Json.Nodes.JsonNode node)
    {
        if (node is System.Text.Json.Nodes.JsonObject o)
        {
            foreach (var (k, v) in o.ToList())
                if (v is null) o.Remove(k);
                else if (IntegralSpelledOtherwise(v) is { } plain) o[k] = plain;
                else Canonical(v);
        }
        else if (node is System.Text.Json.Nodes.JsonArray a)
            for (var i = 0; i < a.Count; i++)
                if (a[i] is { } item)
                {
                    if (IntegralSpelledOtherwise(item) is { } plain) a[i] = plain;
                    else Canonical(item);
                }
        return node;
    }

    static System.Text.Json.Nodes.JsonValue? IntegralSpelledOtherwise(System.Text.Json.Nodes.JsonNode node)
    {
        if (node is not System.Text.Json.Nodes.JsonValue value || value.GetValueKind() != JsonValueKind.Number) return null;
        using var doc = JsonDocument.Parse(value.ToJsonString());
        var e = doc.RootElement;
        return !e.TryGetInt64(out _) && Strict.ReadInteger(e, long.MinValue, long.MaxValue, out var n) == Strict.IntegerReading.Ok
            ? System.Text.Json.Nodes.JsonValue.Create(n) : null;
    }

    /// <summary>
    /// <c>untrimmed</c> when a string value is refused only for white space around it (<c>" Confirmed "</c>, a date with a
    /// trailing space, as spreadsheets and hand-edited files leave them): the value without it is valid, so the error says
    /// so rather than listing the allowed values (<c>unknown_value</c>) or the date forms (<c>invalid_date</c>). Null otherwise.
    /// </summary>
    static FieldError? Untrimmed(JsonElement v, string path, FieldSpec spec, Func<string, bool> valid)
    {
        if (v.ValueKind != JsonValueKind.String || v.GetString() is not { Length: > 0 } text) return null;
        var trimmed = text.Trim();
        return trimmed.Length != text.Length && valid(trimmed)
            ? new(path, "untrimmed", $"{spec.Name} must not start or end with white space: write '{trimmed}'.")
            : null;
    }

    /// <summary>Checks one non-null value; true when it must be rewritten (<see cref="Canonical"/>).</summary>
    static bool CheckValue(JsonElement v, string path, FieldSpec spec, List<FieldError> errors)
    {
        switch (spec.Kind)
        {
            case FieldKind.String:
                if (v.ValueKind != JsonValueKind.String) { errors.Add(new(path, "wrong_type", $"{spec.Name} must be a string.")); return false; }
                CheckText(v.GetString()!, path, spec, spec.Name, errors);
                return false;
            case FieldKind.Integer or FieldKind.Number:
                return CheckNumber(v, path, spec, errors);
            case FieldKind.Enum:
                if (v.ValueKind != JsonValueKind.String || !spec.EnumValues!.Contains(v.GetString()))
                    errors.Add(Untrimmed(v, path, spec, s => spec.EnumValues!.Contains(s))
                        ?? new(path, "unknown_value", $"{spec.Name} must be one of: {string.Join(", ", spec.EnumValues!)}."));
                return false;
            case FieldKind.Date:
                if (v.ValueKind == JsonValueKind.String && Untrimmed(v, path, spec, s => DomainDate.TryParse(s, out _)) is { } padded)
                    errors.Add(padded);
                else if (v.ValueKind != JsonValueKind.String || !DomainDate.TryParse(v.GetString(), out var date))
                    errors.Add(new(path, "invalid_date", spec.Format == FieldFormat.Day ? $"{spec.Name} must be a day: YYYY-MM-DD." : $"{spec.Name} must be a date: YYYY-MM-DD, YYYY-MM or YYYY."));
                // A day-only date (a coverage): a month or year would be read as the period's last day — a day not written.
                else if (spec.Format == FieldFormat.Day && v.GetString()!.Length != 10)
                    errors.Add(new(path, "invalid_date", $"{spec.Name} must be a day: YYYY-MM-DD."));
                // Dates run to 9998-12-31 everywhere (docs/api.md, "Input rules"): past it, out_of_range with the body's
                // other shape errors — as create's coveredUntil and every date query parameter — not a 422 in_future.
                else if (date.Year > LastYear)
                    errors.Add(new(path, "out_of_range", $"{spec.Name} must be on or before 9998-12-31."));
                return false;
            case FieldKind.Guid:
                if (v.ValueKind != JsonValueKind.String || !Strict.TryGuid(v.GetString(), out _))
                    errors.Add(new(path, "invalid_guid", $"{spec.Name} must be a non-empty GUID."));
                return false;
            case FieldKind.StringArray:
                if (v.ValueKind != JsonValueKind.Array) { errors.Add(new(path, "wrong_type", $"{spec.Name} must be an array of strings.")); return false; }
                if (v.GetArrayLength() > MaxArrayItems) { errors.Add(new(path, "too_many", $"{spec.Name} has more than {MaxArrayItems} items.")); return false; }
                if (spec.Required && v.GetArrayLength() == 0) errors.Add(new(path, "required", $"{spec.Name} must not be empty."));
                var k = 0;
                var codes = new HashSet<string>(StringComparer.Ordinal);
                foreach (var item in v.EnumerateArray())
                {
                    var itemPath = $"{path}[{k++}]";
                    // A null item is a missing value (required), as in every list of every body; another kind is wrong_type.
                    if (item.ValueKind == JsonValueKind.Null)
                        errors.Add(new(itemPath, "required", $"{spec.Name} items must not be null."));
                    else if (item.ValueKind != JsonValueKind.String || Strict.IsBlank(item.GetString()))
                        errors.Add(new(itemPath, "wrong_type", $"{spec.Name} items must be non-empty strings."));
                    else
                    {
                        var before = errors.Count;
                        CheckText(item.GetString()!, itemPath, spec with { MaxLength = spec.Format == FieldFormat.Text ? 500 : spec.MaxLength, Multiline = false },
                            $"{spec.Name} items", errors);
                        // A list of codes names each party or country once.
                        if (errors.Count == before && spec.Format != FieldFormat.Text && !codes.Add(item.GetString()!))
                            errors.Add(new(itemPath, "duplicate_item", $"{spec.Name} lists '{item.GetString()}' more than once."));
                    }
                }
                return false;
            case FieldKind.ObjectArray:
                if (v.ValueKind != JsonValueKind.Array) { errors.Add(new(path, "wrong_type", $"{spec.Name} must be an array of objects.")); return false; }
                if (v.GetArrayLength() > MaxArrayItems) { errors.Add(new(path, "too_many", $"{spec.Name} has more than {MaxArrayItems} items.")); return false; }
                if (spec.Required && v.GetArrayLength() == 0) errors.Add(new(path, "required", $"{spec.Name} must not be empty."));
                var j = 0;
                var nulls = false;
                foreach (var item in v.EnumerateArray())
                {
                    var itemPath = $"{path}[{j++}]";
                    if (item.ValueKind == JsonValueKind.Null) errors.Add(new(itemPath, "required", $"{spec.Name} items must not be null."));
                    else if (item.ValueKind != JsonValueKind.Object) errors.Add(new(itemPath, "wrong_type", $"{spec.Name} items must be objects."));
                    else nulls |= CheckObject(item, itemPath, spec.ItemFields!, errors);
                }
                return nulls;
            case FieldKind.Event:
                if (v.ValueKind != JsonValueKind.Object) errors.Add(new(path, "wrong_type", $"{spec.Name} must be an event object."));
                return false; // read recursively by the caller
        }
        return false;
    }

    /// <summary>A field path: <c>path.name</c>, or <c>name</c> at the root.</summary>
    public static string Join(string path, string name) => string.IsNullOrEmpty(path) ? name : $"{path}.{name}";
    static string Truncate(string s, int max = 60) => s.Length <= max ? s : s[..max] + "…";
}
