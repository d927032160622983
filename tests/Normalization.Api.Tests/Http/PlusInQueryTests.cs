using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Http;

/// <summary>
/// A '+' typed into a query string unencoded reads as a space (HTML form encoding, which every server applies): a desk's
/// <c>knownAt=2025-04-01T10:00:00+02:00</c> arrives as <c>2025-04-01T10:00:00 02:00</c>, a <c>tz=Etc/GMT+5</c> as
/// <c>Etc/GMT 5</c>. The 400 names the parameter and says to send the '+' as <c>%2B</c> — not only that an offset is
/// needed, which the reader did send.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class PlusInQueryTests(AppFixture app)
{
    [Theory]
    [InlineData("state?knownAt={0}")]
    [InlineData("stages?knownAt={0}")]
    [InlineData("timeline?knownAt={0}")]
    [InlineData("export?knownAt={0}")]
    [InlineData("summary?knownAt={0}")]
    [InlineData("cameo?knownAt={0}")]
    public async Task Given_an_instant_with_an_unencoded_plus_offset_When_read_Then_400_at_knownAt_saying_to_send_it_as_2B(string query)
    {
        var id = await app.GivenNegotiation("plus");

        var (status, body) = await app.GetJson($"/api/negotiations/{id}/" + string.Format(query, "2025-04-01T10:00:00+02:00"));

        status.ShouldBe(400);
        var error = body.Errors().Single(e => e.Path == "knownAt");
        error.Code.ShouldBe("invalid_instant");
        error.Message.ShouldContain("%2B");
        // The same instant encoded is read
        (await app.GetJson($"/api/negotiations/{id}/" + string.Format(query, "2025-04-01T10:00:00%2B02:00"))).Status.ShouldBeOneOf(200, 404);
    }

    [Fact]
    public async Task Given_a_zone_with_an_unencoded_plus_When_read_Then_400_at_tz_saying_to_send_it_as_2B()
    {
        var id = await app.GivenNegotiation("plustz");

        var (status, body) = await app.GetJson($"/api/negotiations/{id}/state?tz=Etc/GMT+5");

        status.ShouldBe(400);
        var error = body.Errors().Single(e => e.Path == "tz");
        error.Code.ShouldBe("unknown_time_zone");
        error.Message.ShouldContain("%2B");
        (await app.GetJson($"/api/negotiations/{id}/state?tz=Etc/GMT%2B5")).Status.ShouldBe(200);
    }

    [Theory]
    [InlineData("state?knownAt=soon", "knownAt")]
    [InlineData("state?knownAt=2025-04-01T10:00:00", "knownAt")]
    [InlineData("state?tz=Europe/Nowhere", "tz")]
    [InlineData("state?tz=Romance%20Standard%20Time", "tz")]
    public async Task Given_a_value_wrong_for_another_reason_Then_the_message_does_not_speak_of_plus(string query, string path)
    {
        var id = await app.GivenNegotiation("plusno");

        var (status, body) = await app.GetJson($"/api/negotiations/{id}/{query}");

        status.ShouldBe(400);
        body.Errors().Single(e => e.Path == path).Message.ShouldNotContain("%2B");
    }
}
