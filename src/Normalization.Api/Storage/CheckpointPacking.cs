using System.IO.Compression;
using System.Text.Json;
using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;

namespace Normalization.Api.Storage;

/// <summary>
/// How a fold checkpoint is stored: the accumulator's JSON, gzip-compressed (it is mostly repeated property names and ids,
/// about 8× smaller), so a long history's hundreds of checkpoints cost a fraction of the bytes to write and to read.
/// Uncompressed UTF-8 JSON (rows from before compression) is read too.
/// </summary>
public static class CheckpointPacking
{
    public static byte[] Pack(FoldAccumulator acc)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
            JsonSerializer.Serialize(gzip, acc, EventJson.Options);
        return buffer.ToArray();
    }

    public static FoldAccumulator Unpack(byte[] packed)
    {
        using Stream input = packed is [0x1f, 0x8b, ..] ? new GZipStream(new MemoryStream(packed), CompressionMode.Decompress) : new MemoryStream(packed);
        return JsonSerializer.Deserialize<FoldAccumulator>(input, EventJson.Options)
            ?? throw new InvalidDataException("An empty fold checkpoint.");
    }
}
