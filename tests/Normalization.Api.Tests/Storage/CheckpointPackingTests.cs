using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Normalization.Api.Storage;
using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using static Normalization.Api.Tests.Storage.StoreSupport;

namespace Normalization.Api.Tests.Storage;

public class CheckpointPackingTests
{
    static FoldAccumulator Folded() => NegotiationFold.FoldAll(Opening("packing"), Synthetic(2_000, 3));

    [Fact]
    public void Given_an_accumulator_When_packed_and_unpacked_Then_it_is_the_same_and_smaller_than_its_JSON()
    {
        var acc = Folded();
        var json = JsonSerializer.Serialize(acc, EventJson.Options);

        var packed = CheckpointPacking.Pack(acc);

        JsonSerializer.Serialize(CheckpointPacking.Unpack(packed), EventJson.Options).ShouldBe(json);
        packed.Length.ShouldBeLessThan(Encoding.UTF8.GetByteCount(json) / 2);
    }

    [Fact]
    public void Given_an_accumulator_When_packed_Then_it_takes_fewer_bytes_than_the_gzip_packing_it_replaced()
    {
        // A bulk load writes every checkpoint of the record in its one transaction: their bytes are server work on its
        // critical path (docs/benchmarks.md section 9).
        var acc = Folded();

        var packed = CheckpointPacking.Pack(acc);

        packed[0].ShouldBe(CheckpointPacking.BrotliMarker);
        packed.Length.ShouldBeLessThan(Gzipped(JsonSerializer.Serialize(acc, EventJson.Options)).Length * 3 / 4);
    }

    [Fact]
    public void Given_a_checkpoint_stored_gzip_compressed_When_unpacked_Then_it_reads()
    {
        var acc = Folded();
        var json = JsonSerializer.Serialize(acc, EventJson.Options);

        var read = CheckpointPacking.Unpack(Gzipped(json));

        JsonSerializer.Serialize(read, EventJson.Options).ShouldBe(json);
    }

    /// <summary>A checkpoint as stored before Brotli: the JSON, gzip-compressed at the fastest level.</summary>
    static byte[] Gzipped(string json)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(Encoding.UTF8.GetBytes(json));
        return buffer.ToArray();
    }

    [Fact]
    public void Given_a_checkpoint_stored_before_compression_as_plain_JSON_When_unpacked_Then_it_reads()
    {
        var acc = Folded();
        var json = JsonSerializer.Serialize(acc, EventJson.Options);

        var read = CheckpointPacking.Unpack(Encoding.UTF8.GetBytes(json));

        JsonSerializer.Serialize(read, EventJson.Options).ShouldBe(json);
        read.StateAt(new DateOnly(2030, 1, 1)).Stage.ShouldBe(acc.StateAt(new DateOnly(2030, 1, 1)).Stage);
    }
}
