using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Normalization.Domain.Negotiations;

namespace Normalization.Domain.Catalog;

/// <summary>The one JSON contract of the product: flat events with a "type" discriminator, camelCase, enums as strings.</summary>
public static class EventJson
{
    /// <summary>The options of the flat JSON form (camelCase, enums by exact name, <c>type</c> naming the event type).</summary>
    public static readonly JsonSerializerOptions Options = CreateOptions();

    /// <summary>A new copy of <see cref="Options"/>, indented if asked.</summary>
    public static JsonSerializerOptions CreateOptions(bool indented = false)
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = indented };
        Configure(o);
        return o;
    }

    /// <summary>Applies the contract to options owned by someone else (Marten's serializer, ASP.NET's).</summary>
    public static void Configure(JsonSerializerOptions o)
    {
        o.PropertyNamingPolicy = JsonNamingPolicy.CamelCase;
        o.PropertyNameCaseInsensitive = true;
        // PostgreSQL jsonb reorders keys ("note" sorts before "type"): a nested event's "type" need not come first.
        o.AllowOutOfOrderMetadataProperties = true;
        o.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        o.TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { AddEventPolymorphism } };
        // Exact enum names only, ahead of any JsonStringEnumConverter the owner added (Marten adds one): the first
        // converter that can convert a type wins.
        if (!o.Converters.Any(c => c is ExactEnumConverter)) o.Converters.Insert(0, new ExactEnumConverter());
    }

    /// <summary>Flat polymorphism on <see cref="NegotiationEvent"/>: the catalog is the only list of types.</summary>
    static void AddEventPolymorphism(JsonTypeInfo info)
    {
        // An empty eventId means "none" (a correction's inner event has none): never write it, since the reader
        // accepts an absent eventId but rejects an empty GUID.
        if (info.Kind == JsonTypeInfoKind.Object && typeof(NegotiationEvent).IsAssignableFrom(info.Type))
            foreach (var p in info.Properties)
                if (p.PropertyType == typeof(Guid) && p.Name == "eventId") p.ShouldSerialize = static (_, v) => v is Guid g && g != Guid.Empty;
        if (info.Type != typeof(NegotiationEvent)) return;
        info.PolymorphismOptions = new JsonPolymorphismOptions
        {
            TypeDiscriminatorPropertyName = "type",
            IgnoreUnrecognizedTypeDiscriminators = false,
            UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization,
        };
        foreach (var t in EventCatalog.All)
            info.PolymorphismOptions.DerivedTypes.Add(new JsonDerivedType(t.ClrType, t.Name));
    }

    /// <summary>An event as one line of flat JSON.</summary>
    public static string Serialize(NegotiationEvent e) => JsonSerializer.Serialize(e, Options);
    /// <summary>A negotiation's opening as one line of JSON.</summary>
    public static string Serialize(NegotiationOpened e) => JsonSerializer.Serialize(e, Options);
    /// <summary>The same JSON as <see cref="Serialize(NegotiationEvent)"/>, as UTF-8 bytes (what PostgreSQL receives; no string in between).</summary>
    public static byte[] SerializeToUtf8Bytes(NegotiationEvent e) => JsonSerializer.SerializeToUtf8Bytes(e, Options);
    /// <summary>An event from its flat JSON (throws <see cref="JsonException"/> when it is not one).</summary>
    public static NegotiationEvent Deserialize(string json) => JsonSerializer.Deserialize<NegotiationEvent>(json, Options)!;
    /// <summary>Reads a stored payload of <paramref name="typeName"/>; old shapes are upcast first (<see cref="EventUpcasters"/>).</summary>
    public static NegotiationEvent Deserialize(string typeName, string json)
    {
        (typeName, json) = EventUpcasters.Upcast(typeName, json);
        return EventCatalog.TryGet(typeName, out var info)
            ? (NegotiationEvent)JsonSerializer.Deserialize(json, info.ClrType, Options)!
            : throw new JsonException($"Unknown event type '{typeName}'.");
    }
}
