using System.Net;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Http;

/// <summary>HEAD is GET without the body (RFC 9110): every GET of the API, the feeds and the pages answers it with the GET's headers.</summary>
[Collection(ApiCollection.Name)]
public sealed class HeadRequestTests(AppFixture app)
{
    static async Task<HttpResponseMessage> Send(HttpClient client, HttpMethod method, string url) =>
        await client.SendAsync(new HttpRequestMessage(method, url));

    [Theory]
    [InlineData("/api/negotiations")]
    [InlineData("/api/negotiations/{id}")]
    [InlineData("/api/negotiations/{id}/state?asOf=2025-04")]
    [InlineData("/api/negotiations/{id}/stages")]
    [InlineData("/api/negotiations/{id}/timeline?format=csv")]
    [InlineData("/api/negotiations/{id}/summary")]
    [InlineData("/api/negotiations/{id}/feed.atom")]
    [InlineData("/api/feed.atom")]
    [InlineData("/api/event-types")]
    [InlineData("/api/site")]
    [InlineData("/negotiations/{id}")]
    [InlineData("/")]
    public async Task Given_a_GET_endpoint_When_asked_with_HEAD_Then_it_answers_as_GET_does(string template)
    {
        var id = await app.GivenNegotiation("head");
        await app.GivenEvents(id, Talks("2025-03-20"));
        var url = template.Replace("{id}", id);
        using var client = app.Host.Server.CreateClient();

        using var get = await Send(client, HttpMethod.Get, url);
        using var head = await Send(client, HttpMethod.Head, url);

        head.StatusCode.ShouldBe(HttpStatusCode.OK, $"HEAD {url}");
        head.StatusCode.ShouldBe(get.StatusCode);
        head.Content.Headers.ContentType?.MediaType.ShouldBe(get.Content.Headers.ContentType?.MediaType);
        head.Headers.ETag?.Tag.ShouldBe(get.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task Given_a_HEAD_with_a_bad_parameter_or_an_unknown_negotiation_Then_the_GET_s_refusal()
    {
        using var client = app.Host.Server.CreateClient();

        using var bad = await Send(client, HttpMethod.Head, "/api/negotiations/us-taliban/state?asOf=2025-02-30");
        using var unknown = await Send(client, HttpMethod.Head, "/api/negotiations/no-such-negotiation");

        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        unknown.StatusCode.ShouldBe(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Given_a_path_without_GET_When_asked_with_HEAD_Then_405_and_Allow_lists_HEAD_only_beside_GET()
    {
        var id = await app.GivenNegotiation("head");
        using var client = app.Host.Server.CreateClient();

        using var postOnly = await Send(client, HttpMethod.Head, $"/api/negotiations/{id}/events");
        using var delete = await Send(client, HttpMethod.Delete, "/api/negotiations");

        postOnly.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
        postOnly.Content.Headers.Allow.ShouldBe(["POST"]);
        delete.StatusCode.ShouldBe(HttpStatusCode.MethodNotAllowed);
        delete.Content.Headers.Allow.ShouldBe(["GET", "HEAD", "POST"]);
        (await delete.Content.ReadAsStringAsync()).ShouldContain("allowed: GET, HEAD, POST");
    }
}
