using System.Text.Json;
using System.Text.Json.Nodes;
using Normalization.Domain.Catalog;
using Normalization.Domain.Validation;

namespace Normalization.Api.Http.Requests;

/// <summary>
/// A small body that is stored as one flat event (a retraction's, a coverage declaration's): the client's fields, each one
/// the contract allows (else <c>unknown_field</c>), plus the fields the server sets, read by <see cref="EventReader"/> like
/// every posted or imported event. <b>Every</b> error is listed at once: an unknown field is reported and left out, and the
/// known fields are still read, so their own errors come in the same answer (docs/api.md, "Errors").
/// </summary>
public static class FlatEventBody
{
    /// <summary>
    /// The client's known fields (<paramref name="fields"/>) of <paramref name="body"/>, in its order; each other field is
    /// an <c>unknown_field</c> error at its name (cut to 40 characters).
    /// </summary>
    public static JsonObject KnownFields(JsonElement body, string[] fields, List<FieldError> errors)
    {
        var known = new JsonObject();
        foreach (var p in body.EnumerateObject())
            if (fields.Contains(p.Name, StringComparer.Ordinal)) known[p.Name] = JsonNode.Parse(p.Value.GetRawText());
            else errors.Add(new(p.Name.Length > 40 ? p.Name[..40] : p.Name, "unknown_field", $"Unknown field. Allowed: {string.Join(", ", fields)}."));
        return known;
    }

    /// <summary>
    /// The event of type <typeparamref name="T"/> made of <paramref name="known"/> and the server's fields
    /// (<paramref name="set"/>, which may also default a missing field), read by <see cref="EventReader"/>; its errors go to
    /// <paramref name="errors"/> with the client's field names as paths. Null when it does not read.
    /// </summary>
    public static T? Read<T>(JsonObject known, Action<JsonObject> set, List<FieldError> errors) where T : NegotiationEvent
    {
        var flat = known.DeepClone().AsObject();
        flat["type"] = typeof(T).Name;
        set(flat);
        using var doc = JsonDocument.Parse(flat.ToJsonString());
        var before = errors.Count;
        var read = EventReader.Read(doc.RootElement, "", errors) as T;
        return errors.Count > before ? null : read;
    }

    /// <summary>Sets <paramref name="name"/> to <paramref name="value"/> when the client left it out (or sent null).</summary>
    public static void Default(JsonObject flat, string name, string value)
    {
        if (flat[name] is null) flat[name] = value;
    }
}
