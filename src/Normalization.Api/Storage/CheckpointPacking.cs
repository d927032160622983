using System.Buffers;
using System.IO.Compression;
using System.Text.Json;
using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;

namespace Normalization.Api.Storage;

/// <summary>
/// How a fold checkpoint is stored: the accumulator's UTF-8 JSON, Brotli-compressed at quality 1 behind a one-byte marker
/// (<see cref="BrotliMarker"/>). The JSON is mostly repeated property names and ids: Brotli's larger window packs it about
/// 4.5× (a 200,000-event record's 357 checkpoints: 40 KiB each against 63 KiB with gzip, in about the same CPU time), and a
/// bulk load writes every checkpoint of the record, so their bytes are server work on its one transaction
/// (docs/benchmarks.md section 9). Rows written before are read too: gzip (magic <c>1f 8b</c>) and plain JSON.
/// </summary>
public static class CheckpointPacking
{
    /// <summary>The first byte of a Brotli-packed checkpoint: never the first byte of JSON (a UTF-8 continuation byte) nor of gzip (<c>1f</c>).</summary>
    public const byte BrotliMarker = 0xB5;

    /// <summary>Brotli quality 1 of 11: the fastest; higher qualities cost several times the CPU for a few percent fewer bytes.</summary>
    const int Quality = 1;
    /// <summary>Brotli's default window (4 MiB, log2 22): a whole accumulator's JSON fits in it, so repeats anywhere in it are found.</summary>
    const int Window = 22;

    /// <summary>The accumulator packed: <see cref="BrotliMarker"/>, then its JSON compressed.</summary>
    public static byte[] Pack(FoldAccumulator acc)
    {
        // Serialized to one buffer first, then compressed in one call: streaming the serializer's small writes through a
        // compression stream cost more CPU than both steps apart.
        var json = new ArrayBufferWriter<byte>(64 * 1024);
        using (var writer = new Utf8JsonWriter(json)) JsonSerializer.Serialize(writer, acc, EventJson.Options);
        var packed = new byte[1 + BrotliEncoder.GetMaxCompressedLength(json.WrittenCount)];
        packed[0] = BrotliMarker;
        if (!BrotliEncoder.TryCompress(json.WrittenSpan, packed.AsSpan(1), out var written, Quality, Window))
            throw new InvalidOperationException("Brotli could not compress a fold checkpoint into its maximum compressed length.");
        return packed[..(1 + written)];
    }

    public static FoldAccumulator Unpack(byte[] packed)
    {
        if (packed is [BrotliMarker, ..])
        {
            using var brotli = new BrotliStream(new MemoryStream(packed, 1, packed.Length - 1), CompressionMode.Decompress);
            return Read(brotli);
        }
        using Stream input = packed is [0x1f, 0x8b, ..] ? new GZipStream(new MemoryStream(packed), CompressionMode.Decompress) : new MemoryStream(packed);
        return Read(input);
    }

    static FoldAccumulator Read(Stream input) =>
        JsonSerializer.Deserialize<FoldAccumulator>(input, EventJson.Options) ?? throw new InvalidDataException("An empty fold checkpoint.");
}
