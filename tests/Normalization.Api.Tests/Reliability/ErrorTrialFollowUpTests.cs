using System.Text.Json.Nodes;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Reliability;

/// <summary>
/// The second new-user trial of the error contract (docs/api.md, "Errors"): faults that hid other errors of the same
/// body, row or query, and one fault answered with different codes on different endpoints.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ErrorTrialFollowUpTests(AppFixture app)
{
    // ---------------------------------------------------------------- 1. a missing or unknown type hides nothing of the envelope

    [Theory]
    [InlineData("""{"type":"Nope","occurredOn":"soon","actor":"x y","bogus":1}""", "unknown_event_type")]
    [InlineData("""{"occurredOn":"soon","actor":"x y","bogus":1}""", "required")]
    public async Task Given_an_event_with_an_unknown_or_missing_type_and_bad_envelope_fields_When_posted_Then_the_envelope_errors_come_with_the_type(string ev, string typeCode)
    {
        var id = await app.GivenNegotiation("typeenv");

        var (status, body, _) = await app.PostRaw($"/api/negotiations/{id}/events", $$"""{"events":[{{ev}}]}""");

        status.ShouldBe(400, body?.ToJsonString());
        body.ShouldHaveError("events[0].type", typeCode);
        body.ShouldHaveError("events[0].occurredOn", "invalid_date");
        body.ShouldHaveError("events[0].actor", "invalid_party_code");
        body.Errors().ShouldNotContain(e => e.Path == "events[0].bogus", "without a type a field cannot be judged unknown");
    }

    [Fact]
    public async Task Given_an_NDJSON_line_with_an_unknown_type_and_a_bad_envelope_When_imported_Then_the_line_names_every_envelope_error()
    {
        var id = await app.GivenNegotiation("typeenvnd");
        var ndjson = Talks(Day(3)).ToJsonString() + "\n" + """{"type":"Nope","occurredOn":"soon","actor":"x y"}""" + "\n";

        var (status, body) = await ImportAsync(id, ndjson);

        status.ShouldBe(422, body?.ToJsonString());
        body.ShouldHaveError("lines[2].type", "unknown_event_type");
        body.ShouldHaveError("lines[2].occurredOn", "invalid_date");
        body.ShouldHaveError("lines[2].actor", "invalid_party_code");
    }

    async Task<(int Status, JsonNode? Body)> ImportAsync(string id, string text, string query = "", string mediaType = "application/x-ndjson")
    {
        using var client = app.Host.Server.CreateClient();
        using var content = new StringContent(text, System.Text.Encoding.UTF8, mediaType);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/negotiations/{id}/imports{query}") { Content = content };
        request.Headers.Add(Normalization.Api.Security.ApiKeys.Header, AppFixture.ApiKey);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, string.IsNullOrWhiteSpace(body) ? null : JsonNode.Parse(body));
    }
}
