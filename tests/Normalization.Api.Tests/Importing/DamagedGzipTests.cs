using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;

namespace Normalization.Api.Tests.Importing;

/// <summary>
/// A gzip body that is damaged or cut short (an upload broken off) is refused whole — 400 <c>invalid_gzip</c> at
/// <c>body</c>, nothing stored — never a 500, and never imported as the shorter file its bytes so far decompress to.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class DamagedGzipTests(AppFixture app)
{
    const int Whole = 12;

    static string Text(int count) => string.Join("\n", TestApi.SeedEvents().Take(count).Select(e => e.ToJsonString())) + "\n";

    /// <summary>The first 6 events, flushed (a deflate sync point: they decompress whole), then the rest, then the trailer.</summary>
    static (byte[] Whole, int FlushedAt) Gzip()
    {
        using var buffer = new MemoryStream();
        int flushedAt;
        using (var gz = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gz.Write(Encoding.UTF8.GetBytes(Text(6)));
            gz.Flush();
            flushedAt = (int)buffer.Length;
            gz.Write(Encoding.UTF8.GetBytes(Text(Whole)[Text(6).Length..]));
        }
        return (buffer.ToArray(), flushedAt);
    }

    Task<(int Status, JsonNode? Body)> PostFileAsync(string id, byte[] body) => app.PostImportFile(id, "", body, "application/gzip");

    async Task<int> VersionAsync(string id) => (await app.GetJson($"/api/negotiations/{id}")).Body!["version"]!.GetValue<int>();

    public static TheoryData<string> Damages => ["cut after whole lines", "cut in the header", "bytes garbled", "trailer garbled", "only the magic bytes"];

    [Theory]
    [MemberData(nameof(Damages))]
    public async Task Given_a_gzip_body_damaged_or_cut_short_When_imported_Then_400_invalid_gzip_at_body_and_nothing_is_stored(string damage)
    {
        // Given a negotiation and a gzip of 12 events, damaged
        var id = TestApi.NewId("gzip");
        (await app.PostJson("/api/negotiations", TestApi.UsTaliban(id))).Status.ShouldBe(201);
        var (whole, flushedAt) = Gzip();
        var body = damage switch
        {
            "cut after whole lines" => whole[..flushedAt], // decompresses to the first 6 events exactly
            "cut in the header" => whole[..40],
            "bytes garbled" => whole.Select((b, i) => i is > 30 and < 200 ? (byte)(b ^ 0x5A) : b).ToArray(),
            "trailer garbled" => whole.Select((b, i) => i == whole.Length - 8 ? (byte)(b ^ 0xFF) : b).ToArray(),
            _ => [0x1F, 0x8B, 0x08, 0x00, (byte)'x', (byte)'y'],
        };
        var before = await VersionAsync(id);

        // When it is posted to the import
        var (status, problem) = await PostFileAsync(id, body);

        // Then one 400 naming the body, and the record is as it was
        status.ShouldBe(400, problem?.ToJsonString());
        problem.ShouldHaveError("body", "invalid_gzip");
        problem.Errors().Count.ShouldBe(1);
        (await VersionAsync(id)).ShouldBe(before);
    }

    [Fact]
    public async Task Given_the_whole_gzip_When_imported_Then_every_event_is_stored()
    {
        // Given the same gzip, whole (flushed midway: a sync point is not an end)
        var id = TestApi.NewId("gzip");
        (await app.PostJson("/api/negotiations", TestApi.UsTaliban(id))).Status.ShouldBe(201);

        // When it is imported
        var (status, report) = await PostFileAsync(id, Gzip().Whole);

        // Then all 12 events are stored
        status.ShouldBe(200, report?.ToJsonString());
        report!["stored"]!.GetValue<int>().ShouldBe(Whole);
    }
}
