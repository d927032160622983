using System.Text.Json;
using Normalization.Domain.Catalog;
using Normalization.Domain.Validation;

namespace Normalization.Api.Http.Requests;

/// <summary>
/// An event read from an item of a body's list (<c>events[i]</c>, what-if <c>add[i]</c>, <c>replace[i].event</c>): a
/// <c>null</c> item is <c>required</c>, as every null list item and every null required field (docs/api.md, "Input
/// rules"; what-if <c>remove[i]</c> says the same) — not <c>not_an_object</c>, which stays for a value of another kind.
/// </summary>
public static class EventItems
{
    /// <summary>The event at <paramref name="path"/>, or null with its errors in <paramref name="errors"/>.</summary>
    public static NegotiationEvent? Read(JsonElement item, string path, List<FieldError> errors)
    {
        if (item.ValueKind != JsonValueKind.Null) return EventReader.Read(item, path, errors);
        errors.Add(new(path, "required", "A null item: send the event as a JSON object."));
        return null;
    }
}
