using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Normalization.Domain.Catalog;

/// <summary>
/// Enums in the product's JSON: written as their names, read from <b>exact names only</b> (docs/reliability.md, "Input
/// rules"). <see cref="JsonStringEnumConverter"/> reads case-insensitively, trims, and takes comma lists as flag
/// combinations (<c>"None,Severed"</c> became a value that is no name at all). Stored events and checkpoints were
/// written with exact names, so reading them is unchanged.
/// </summary>
public sealed class ExactEnumConverter : JsonConverterFactory
{
    /// <summary>Any enum.</summary>
    public override bool CanConvert(Type typeToConvert) => typeToConvert.IsEnum;

    /// <summary>The converter for <paramref name="typeToConvert"/>.</summary>
    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(Exact<>).MakeGenericType(typeToConvert))!;

    sealed class Exact<T> : JsonConverter<T> where T : struct, Enum
    {
        static readonly FrozenDictionary<string, T> ByName = Enum.GetNames<T>().ToFrozenDictionary(n => n, Enum.Parse<T>, StringComparer.Ordinal);
        static readonly string Names = string.Join(", ", Enum.GetNames<T>());

        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String) throw new JsonException($"Expected one of: {Names}.");
            return Parse(reader.GetString());
        }

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(Name(value));

        public override T ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => Parse(reader.GetString());

        public override void WriteAsPropertyName(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WritePropertyName(Name(value));

        static T Parse(string? text) =>
            text is not null && ByName.TryGetValue(text, out var value) ? value : throw new JsonException($"Expected one of: {Names}.");

        static string Name(T value) => Enum.GetName(value) ?? throw new JsonException($"{typeof(T).Name} has no name for {value}.");
    }
}
