using System.Text.Json.Nodes;

namespace Normalization.Domain.Catalog;

/// <summary>
/// Old stored shapes of events and how each becomes the current one. Stored events are never rewritten: an
/// upcaster runs when raw JSON is turned into an event (<see cref="EventJson.Deserialize(string, string)"/>, and
/// Marten's reads through the same registry). Upcasters chain: v1 → v2 → … until a catalog name is reached.
/// </summary>
public static class EventUpcasters
{
    /// <summary>Turns a stored payload of <see cref="OldName"/> into a payload of <see cref="NewName"/>.</summary>
    /// <param name="OldName">The type name as once stored.</param>
    /// <param name="NewName">The type name now.</param>
    /// <param name="Transform">Rewrites the stored JSON object to the new shape.</param>
    public sealed record Upcaster(string OldName, string NewName, Func<JsonObject, JsonObject> Transform);

    /// <summary>Every rename of an event type, oldest first.</summary>
    public static readonly IReadOnlyList<Upcaster> All =
    [
        // v1 (before the catalog settled its names): "OfficeRequestMade" with "kind"; now "OfficeRequested" with "officeKind".
        new("OfficeRequestMade", nameof(OfficeRequested), o => Rename(o, "kind", "officeKind")),
    ];

    static readonly Dictionary<string, Upcaster> ByOldName = All.ToDictionary(u => u.OldName, StringComparer.Ordinal);

    /// <summary>Whether <paramref name="typeName"/> is a type name that was renamed since.</summary>
    public static bool IsOldName(string typeName) => ByOldName.ContainsKey(typeName);

    /// <summary>
    /// The current name of a stored type name (the end of its chain of renames; unchanged when current). The domain-order index
    /// keeps each event's type name as it was written, so a rename reaches its rows only through this (and <see cref="StoredNamesOf"/>).
    /// </summary>
    public static string CurrentName(string typeName)
    {
        for (var hops = 0; hops < 16 && ByOldName.TryGetValue(typeName, out var u); hops++) typeName = u.NewName;
        return typeName;
    }

    /// <summary>Every name an event of current type <paramref name="typeName"/> may be stored under: the name itself and each older name that upcasts to it.</summary>
    public static IReadOnlyList<string> StoredNamesOf(string typeName) =>
        [typeName, .. All.Select(u => u.OldName).Where(old => old != typeName && CurrentName(old) == typeName)];

    /// <summary>The current type name and payload for a stored (type name, JSON); unchanged when the name is current.</summary>
    public static (string TypeName, string Json) Upcast(string typeName, string json)
    {
        if (!ByOldName.ContainsKey(typeName)) return (typeName, json);
        var node = JsonNode.Parse(json)!.AsObject();
        for (var hops = 0; hops < 16 && ByOldName.TryGetValue(typeName, out var u); hops++)
        {
            node = u.Transform(node);
            typeName = u.NewName;
        }
        if (node.ContainsKey("type")) node["type"] = typeName;
        return (typeName, node.ToJsonString());
    }

    static JsonObject Rename(JsonObject o, string from, string to)
    {
        if (o.Remove(from, out var value) && !o.ContainsKey(to)) o[to] = value;
        return o;
    }
}
