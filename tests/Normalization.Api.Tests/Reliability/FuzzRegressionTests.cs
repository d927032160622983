using System.Text;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using Normalization.Domain.Histories;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Reliability;

/// <summary>Each bug the fuzz corpus found, pinned down on its own.</summary>
[Collection(ApiCollection.Name)]
public sealed class FuzzRegressionTests(AppFixture app)
{
    async Task<(int Status, string Body)> Post(string url, byte[] body)
    {
        using var client = app.Client();
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add(Normalization.Api.Security.ApiKeys.Header, AppFixture.LoadKey(20));
        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("""{"reason":"fuzz","expected_version":1}""", "unknown_field")] // was 201 (found by the corpus): the retraction was stored
    [InlineData("""{"reason":"fuzz","occurredOn":5}""", "invalid_date")]       // was 201: occurredOn silently ignored (now read by EventReader, as in every event)
    [InlineData("""{"reason":42}""", "wrong_type")]
    [InlineData("""{"reason":"fuzz","actor":["US"]}""", "wrong_type")]         // was 201: actor silently ignored
    public async Task Regression_Given_a_retraction_with_an_unknown_field_or_a_wrong_type_When_posted_Then_400_and_nothing_stored(string body, string code)
    {
        var id = await app.GivenNegotiation("rgr");
        var target = Guid.NewGuid();
        await app.GivenEvents(id, Talks(Day(20), eventId: target));

        var (status, answer) = await Post($"/api/negotiations/{id}/events/{target}/retract", Encoding.UTF8.GetBytes(body));

        status.ShouldBe(400, answer);
        answer.ShouldContain(code);
        (await ReliabilityKit.Counts(app.ConnectionString, id)).Version.ShouldBe(2);
    }

    [Fact]
    public async Task Regression_Given_duplicate_property_names_When_posted_Then_400_and_nothing_stored()
    {
        // Without the check JsonDocument accepts a repeated name and the last one wins.
        var id = await app.GivenNegotiation("dup");
        var e = Talks(Day(3)).ToJsonString().Replace("\"type\":\"TalksHeld\"", "\"type\":\"TalksHeld\",\"type\":\"TalksHeld\"");
        var (status, answer) = await Post($"/api/negotiations/{id}/events", Encoding.UTF8.GetBytes($$"""{"events":[{{e}}]}"""));
        status.ShouldBe(400, answer);
        answer.ShouldContain("malformed_json");
        (await ReliabilityKit.Counts(app.ConnectionString, id)).Version.ShouldBe(1);
    }

    [Fact]
    public async Task Regression_Given_bytes_that_are_not_UTF8_or_an_unpaired_surrogate_When_posted_Then_400_not_500()
    {
        var id = await app.GivenNegotiation("utf");
        var json = Encoding.UTF8.GetBytes($$"""{"events":[{{Talks(Day(3)).ToJsonString().Replace("Doha", "DOHA_")}}]}""");
        var at = Encoding.UTF8.GetString(json).IndexOf("DOHA_", StringComparison.Ordinal);
        byte[] invalid = [.. json[..at], 0xC3, 0x28, .. json[at..]];
        var (s1, a1) = await Post($"/api/negotiations/{id}/events", invalid);
        s1.ShouldBe(400, a1);
        a1.ShouldContain("invalid_utf8");

        var surrogate = Encoding.UTF8.GetBytes("""{"id":"x-\ud800","title":"\udfff","parties":[{"code":"US","name":"U"},{"code":"TB","name":"T"}]}""".Replace("\ud800", "\\ud800").Replace("\udfff", "\\udfff"));
        var (s2, a2) = await Post("/api/negotiations", surrogate);
        s2.ShouldBe(400, a2);
        a2.ShouldContain("invalid_unicode");
        (await ReliabilityKit.Counts(app.ConnectionString, id)).Version.ShouldBe(1);
    }

    [Fact]
    public void Regression_Given_an_import_line_with_an_unpaired_surrogate_or_a_duplicate_field_When_parsed_Then_a_line_error_not_an_exception()
    {
        var line = Talks(Day(3)).ToJsonString().Replace("\"Doha\"", "\"\\ud800\"");
        NdjsonHistory.ParseLine(7, line).Errors.ShouldContain(e => e.Code == "invalid_unicode");
        var dup = Talks(Day(3)).ToJsonString().Replace("\"type\":\"TalksHeld\"", "\"type\":\"TalksHeld\",\"type\":\"TalksHeld\"");
        NdjsonHistory.ParseLine(8, dup).Errors.ShouldContain(e => e.Code == "malformed_json");
    }
}
