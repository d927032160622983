using System.Text.Json;
using System.Text.Json.Nodes;

namespace Normalization.Domain.Catalog;

/// <summary>
/// An event's content in canonical form, to tell the same event given again (a retried post, a line repeated in a file:
/// counted once) from another event given the same eventId (refused: <c>eventid_reused</c>). One definition for the store,
/// the import and the package's history readers (docs/api.md, "Idempotency").
/// </summary>
public static class EventContent
{
    /// <summary>
    /// The event in canonical form: the product's JSON of the event (so key order, white space, <c>null</c> for a missing
    /// optional field make no difference), without <c>hypothetical</c> (never stored), with every number written by its
    /// value (<see cref="CanonicalNumbers"/>): a C# decimal keeps the scale it was read with, so <c>1.50</c>, <c>1.5</c>,
    /// <c>15e-1</c> would otherwise differ.
    /// </summary>
    public static string Of(NegotiationEvent e) =>
        CanonicalNumbers(EventJson.Serialize(e.Hypothetical ? e with { Hypothetical = false } : e));

    /// <summary>Whether <paramref name="a"/> and <paramref name="b"/> are the same event (same canonical content).</summary>
    public static bool Same(NegotiationEvent a, NegotiationEvent b) => ReferenceEquals(a, b) || Of(a) == Of(b);

    /// <summary>
    /// <paramref name="json"/> with every number, at any depth, rewritten by its value: as a decimal without trailing zeros
    /// (<c>1.500</c> → <c>1.5</c>, <c>100.0</c> → <c>100</c>), or — out of decimal's range — as the shortest round-trip double.
    /// </summary>
    public static string CanonicalNumbers(string json) => Canonical(JsonNode.Parse(json))?.ToJsonString() ?? "null";

    static JsonNode? Canonical(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Select(p => KeyValuePair.Create(p.Key, Canonical(p.Value)))),
        JsonArray a => new JsonArray([.. a.Select(Canonical)]),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number =>
            v.TryGetValue<decimal>(out var d) ? JsonValue.Create(d / 1.000000000000000000000000000000000m) : JsonValue.Create(v.GetValue<double>()),
        _ => node?.DeepClone(),
    };
}
