using System.Text.Json.Nodes;
using Normalization.Domain.Catalog;

namespace Normalization.Api.Tests.Reliability.Fuzz;

/// <summary>
/// One hostile value put in one place of an otherwise valid input. <see cref="Refused"/>: the answer must be a 4xx naming
/// <see cref="Path"/> (or a path under it); otherwise the value is allowed by the contract (an optional field sent as
/// null, a number at its limit) and the answer must not name the path as wrong. Never a 5xx either way.
/// </summary>
public sealed record HostileCase(string Type, string Path, string Class, JsonObject Event, bool Refused)
{
    public override string ToString() => $"{Type}.{Path} [{Class}] {(Refused ? "refused" : "allowed")}";
}

/// <summary>
/// Generates the fuzz from the contract, not from a list of examples (issue 14): every event type of the catalog ×
/// every field of its <see cref="FieldSpec"/>s (the envelope, the type's own fields, the fields of object-array items
/// and of a nested event) × every hostile class that applies to the field's kind. A new event type or field is covered
/// as soon as the catalog has it. The classes are the ones of docs/reliability.md, "Input rules".
/// </summary>
public static class ContractCases
{
    /// <summary>Digits of other scripts that .NET's <c>\d</c> matches: Persian, Arabic-Indic, full-width.</summary>
    public static readonly (string Class, char Zero)[] ForeignDigits = [("persian-digits", '۰'), ("arabic-indic-digits", '٠'), ("full-width-digits", '０')];

    public static string WithDigits(string s, char zero) => new(s.Select(c => c is >= '0' and <= '9' ? (char)(zero + (c - '0')) : c).ToArray());

    /// <summary>Every case for every catalog type, in a fixed order.</summary>
    public static IEnumerable<HostileCase> All() => EventCatalog.All.SelectMany(For);

    /// <summary>Every case for one type.</summary>
    public static IEnumerable<HostileCase> For(EventTypeInfo type)
    {
        var specs = EventCatalog.EnvelopeFields.Concat(type.Fields).ToList();
        foreach (var spec in specs)
            foreach (var c in Cases(type.Name, spec, "", () => ValidEvent(type)))
                yield return c;
    }

    static IEnumerable<HostileCase> Cases(string typeName, FieldSpec spec, string prefix, Func<JsonObject> fresh)
    {
        var path = prefix + spec.Name;
        foreach (var (cls, value, refused) in Values(spec))
        {
            var e = fresh();
            Set(e, path, value);
            yield return new HostileCase(typeName, path, cls, e, refused);
        }
        // Inside object-array items (sources[0].publisher) and a nested event (correction.occurredOn).
        if (spec.Kind == FieldKind.ObjectArray)
            foreach (var item in spec.ItemFields!)
                foreach (var c in Cases(typeName, item, $"{path}[0].", fresh)) yield return c;
        if (spec.Kind == FieldKind.Event)
            foreach (var inner in EventCatalog.EnvelopeFields.Concat(EventCatalog.All.First(t => t.Name == "TalksHeld").Fields).Where(f => f.Name != "sources"))
                foreach (var c in Cases(typeName, inner, $"{path}.", fresh)) yield return c;
    }

    /// <summary>The hostile values for a field of this kind, with whether the contract refuses each.</summary>
    public static IEnumerable<(string Class, JsonNode? Value, bool Refused)> Values(FieldSpec spec)
    {
        // originalLanguage is required with originalQuote, and the valid source item carries one.
        yield return ("null", null, spec.Required || spec.Name == "originalLanguage");
        var valid = ValidValue(spec);
        switch (spec.Kind)
        {
            case FieldKind.String or FieldKind.Enum or FieldKind.Date or FieldKind.Guid:
            {
                var v = valid!.GetValue<string>();
                yield return ("wrong-json-type", JsonValue.Create(42), true);
                yield return ("empty", "", true);
                yield return ("whitespace-only", "   ", true);
                yield return ("leading-whitespace", " " + v, true);
                yield return ("trailing-whitespace", v + " ", true);
                yield return ("trailing-lf", v + "\n", true);
                yield return ("trailing-crlf", v + "\r\n", true);
                yield return ("control-character", v[..1] + "\u0007" + v[1..], true);
                yield return ("inner-line-break", v[..1] + "\n" + v[1..], !spec.Multiline);
                // Invisible format characters (Unicode Cf): the value looks the same but is not.
                yield return ("zero-width-space", v[..1] + "\u200B" + v[1..], true);
                yield return ("bom", "\uFEFF" + v, true);
                yield return ("bidi-override", v[..1] + "\u202E" + v[1..], true);
                yield return ("over-long", new string('A', Math.Max(spec.MaxLength, 500) + 1), true);
                var digits = spec.Kind is FieldKind.Date or FieldKind.Guid ? v : spec.Format == FieldFormat.PartyCode ? "P1" : spec.Format == FieldFormat.CountryCode ? "U1" : null;
                if (digits is not null)
                    foreach (var (cls, zero) in ForeignDigits) yield return (cls, WithDigits(digits, zero), true);
                if (spec.Format == FieldFormat.HttpUrl)
                {
                    yield return ("url-not-absolute", "notaurl", true);
                    yield return ("url-not-http", "javascript:alert(1)", true);
                }
                else if (spec.Format is not (FieldFormat.Text or FieldFormat.Day)) // a day is a date, not a code
                {
                    yield return ("code-lower-case", v.ToLowerInvariant(), true);
                    yield return ("code-punctuation", v + "!", true);
                }
                if (spec.Kind == FieldKind.Enum)
                {
                    yield return ("enum-number", "1", true);
                    yield return ("enum-list", string.Join(",", spec.EnumValues!.Take(2)), true);
                    yield return ("enum-other-case", v.ToUpperInvariant() == v ? v.ToLowerInvariant() : v.ToUpperInvariant(), true);
                }
                break;
            }
            case FieldKind.Integer:
                yield return ("wrong-json-type", "3", true);
                foreach (var (cls, zero) in ForeignDigits) yield return (cls, WithDigits("3", zero), true);
                // The spec's documented range (FieldSpec.NumberMax), then numbers no .NET integer holds.
                yield return ("at-limit", JsonValue.Create(spec.NumberMax), false);
                yield return ("zero", JsonValue.Create(0), false);
                yield return ("past-limit", JsonValue.Create(spec.NumberMax + 1), true);
                yield return ("huge", JsonNode.Parse("79228162514264337593543950336"), true);
                yield return ("negative", JsonValue.Create(-1), true);
                yield return ("fraction", JsonValue.Create(1.5), true);
                // A JSON integer is its value, whatever the spelling (JSON Schema's integer): 1e1 and 3.0 are read; 1e20 is out of range.
                yield return ("exponent", JsonNode.Parse("1e1"), false);
                yield return ("integral-fraction", JsonNode.Parse("3.0"), false);
                yield return ("exponent-huge", JsonNode.Parse("1e20"), true);
                break;
            case FieldKind.Number:
                yield return ("wrong-json-type", "3", true);
                foreach (var (cls, zero) in ForeignDigits) yield return (cls, WithDigits("3", zero), true);
                yield return ("at-limit", JsonValue.Create(spec.NumberMax), false);
                yield return ("past-limit", JsonValue.Create(spec.NumberMax + 0.01m), true);
                yield return ("huge", JsonNode.Parse("79228162514264337593543950335"), true);
                yield return ("overflow", JsonNode.Parse("1e400"), true);
                yield return ("too-precise", JsonNode.Parse("0.001"), true);
                yield return ("underflow", JsonNode.Parse("1e-30"), true);
                yield return ("negative", JsonValue.Create(-1), true);
                break;
            case FieldKind.StringArray:
                yield return ("wrong-json-type", "US", true);
                yield return ("empty", new JsonArray(), spec.Required);
                yield return ("null-item", new JsonArray((JsonNode?)null), true);
                foreach (var (cls, item) in new[] { ("whitespace-only", "  "), ("trailing-lf", "US\n"), ("trailing-crlf", "US\r\n"), ("leading-whitespace", " US"), ("control-character", "U\u0000S"),
                             ("zero-width-space", "U\u200BS"), ("bom", "\uFEFFUS"), ("bidi-override", "U\u202ES") })
                    yield return (cls, new JsonArray(JsonValue.Create(item)), true);
                if (spec.Format != FieldFormat.Text)
                {
                    yield return ("code-lower-case", new JsonArray("us", "TB"), true);
                    yield return ("duplicate-item", new JsonArray("US", "TB", "US"), true);
                }
                yield return ("over-long", new JsonArray(Enumerable.Range(0, 201).Select(_ => (JsonNode?)JsonValue.Create("US")).ToArray()), true);
                break;
            case FieldKind.ObjectArray:
                yield return ("wrong-json-type", "CNN", true);
                yield return ("empty", new JsonArray(), spec.Required);
                yield return ("null-item", new JsonArray((JsonNode?)null), true);
                yield return ("over-long", new JsonArray(Enumerable.Range(0, 201).Select(_ => (JsonNode?)ValidItem(spec)).ToArray()), true);
                break;
            case FieldKind.Event:
                yield return ("wrong-json-type", "TalksHeld", true);
                yield return ("empty", new JsonObject(), true);
                break;
        }
    }

    /// <summary>A structurally valid event of the type, with every optional field present (so each can be broken).</summary>
    public static JsonObject ValidEvent(EventTypeInfo type)
    {
        var e = new JsonObject();
        foreach (var spec in EventCatalog.EnvelopeFields.Concat(type.Fields))
            e[spec.Name] = spec.Name == "type" ? type.Name : ValidValue(spec);
        return e;
    }

    static JsonNode? ValidValue(FieldSpec spec) => spec.Kind switch
    {
        FieldKind.String => spec.Name switch
        {
            "actor" => "US",
            "target" => "TB",
            _ when spec.Format == FieldFormat.CountryCode => "AF",
            // With a region, so that the lower-cased value (fr-fr) is a wrong tag.
            _ when spec.Format == FieldFormat.LanguageTag => "fr-FR",
            _ when spec.Format == FieldFormat.PartyCode => "QA",
            _ when spec.Format == FieldFormat.HttpUrl => "https://example.org/story",
            _ => "Talks in Doha",
        },
        FieldKind.Enum => spec.EnumValues![0],
        FieldKind.Date => "2025-03-20",
        FieldKind.Guid => "0b9e3c1e-5d2a-4c8f-9a51-2f6d7e8a9b10",
        FieldKind.Integer => 3,
        FieldKind.Number => 1000.5m,
        FieldKind.StringArray => new JsonArray("US", "TB"),
        FieldKind.ObjectArray => new JsonArray(ValidItem(spec)),
        FieldKind.Event => ValidEvent(EventCatalog.All.First(t => t.Name == "TalksHeld")).Also(o => o.Remove("sources")),
        _ => throw new ArgumentOutOfRangeException(nameof(spec)),
    };

    static JsonObject ValidItem(FieldSpec spec)
    {
        var o = new JsonObject();
        foreach (var f in spec.ItemFields!) o[f.Name] = ValidValue(f);
        return o;
    }

    static JsonObject Also(this JsonObject o, Action<JsonObject> change) { change(o); return o; }

    /// <summary>Sets a value at a path like <c>sources[0].publisher</c> or <c>correction.occurredOn</c>.</summary>
    static void Set(JsonObject root, string path, JsonNode? value)
    {
        JsonNode node = root;
        var parts = path.Split('.');
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            var bracket = part.IndexOf('[');
            var name = bracket < 0 ? part : part[..bracket];
            if (i == parts.Length - 1 && bracket < 0) { node.AsObject()[name] = value; return; }
            node = node[name]!;
            if (bracket >= 0) node = node[int.Parse(part[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)]!;
        }
    }

    /// <summary>True when an error path names the broken place: the path itself or a place inside it.</summary>
    public static bool Names(string errorPath, string casePath) =>
        errorPath == casePath || errorPath.StartsWith(casePath + "[", StringComparison.Ordinal) || errorPath.StartsWith(casePath + ".", StringComparison.Ordinal);
}
