using System.Text.Json;
using System.Text.Json.Nodes;
using Normalization.Domain.Catalog;
using Normalization.Domain.Validation;

namespace Normalization.Domain.WhatIf;

public sealed partial class Branch
{
    /// <summary>
    /// Judges a hypothetical event built in code by the reader every event sent over HTTP goes through
    /// (<see cref="EventReader.Read"/>, as in a POST or a what-if body): a lower-case or unknown-format party code, a
    /// required field left empty, an enum value outside its type, a number out of range, untrimmed text — what a JSON body
    /// is refused for (400) — is refused in <paramref name="errors"/> at <paramref name="path"/>, with the same field path,
    /// code and message, before any rule of the negotiation is judged. The event is read as its JSON, the form a body sends
    /// (the <c>hypothetical</c> mark, which a body does not carry, aside). Returns the event as the reader reads it, marked
    /// hypothetical again, so the branch judges and folds what a body's event would be: an optional list left null in code
    /// (<c>Sources</c>, <c>Commitments</c>) is the reader's empty list, as <c>"sources": null</c> is in a body (one rule for
    /// null, docs/reliability.md) — not a null the validator or the fold would trip on. On an error, <paramref name="e"/> itself.
    /// </summary>
    static NegotiationEvent Readable(NegotiationEvent e, string path, List<FieldError> errors)
    {
        // An enum value without a name (a cast from a number) has no JSON to write: said as the reader says an unknown name.
        if (UnnamedEnums(e, path, errors)) return e;
        var json = JsonNode.Parse(EventJson.Serialize(e))!.AsObject();
        json.Remove("hypothetical");
        if (json["correction"] is JsonObject correction) correction.Remove("hypothetical");
        using var doc = JsonDocument.Parse(json.ToJsonString());
        return EventReader.Read(doc.RootElement, path, errors) is { } read ? Mark(read) : e;
    }

    /// <summary>Each enum property of <paramref name="e"/> (and of its correction) holding a value its type does not name: <c>unknown_value</c>, as the reader says it.</summary>
    static bool UnnamedEnums(NegotiationEvent e, string path, List<FieldError> errors)
    {
        var found = false;
        foreach (var p in e.GetType().GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance))
        {
            var type = Nullable.GetUnderlyingType(p.PropertyType) ?? p.PropertyType;
            if (!type.IsEnum || p.GetValue(e) is not { } value || Enum.IsDefined(type, value)) continue;
            var name = JsonNamingPolicy.CamelCase.ConvertName(p.Name);
            errors.Add(new(EventReader.Join(path, name), "unknown_value", $"{name} must be one of: {string.Join(", ", Enum.GetNames(type))}."));
            found = true;
        }
        return e is EventCorrected { Correction: { } c } ? UnnamedEnums(c, EventReader.Join(path, "correction"), errors) | found : found;
    }
}
