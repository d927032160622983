using Normalization.Api.Security;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Reliability;
using Normalization.Api.Tests.Support;

namespace Normalization.Api.Tests.Alerts;

/// <summary>
/// Who may read the subscriptions: a webhook URL is often the receiver's credential (a chat tool's incoming-webhook URL
/// carries its token in the path), and the deliveries list says what a newsroom's receiver answered — so the reads of
/// /api/subscriptions need an API key, as the writes do, even where every other read is open (a public read-only
/// tracker on the newsroom's database). docs/alerts.md, "Subscriptions".
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class SubscriptionReadsTests(AppFixture app)
{
    [Theory]
    [InlineData("GET", "/api/subscriptions")]
    [InlineData("GET", "/api/subscriptions/{id}")]
    [InlineData("GET", "/api/subscriptions/{id}/deliveries")]
    [InlineData("HEAD", "/api/subscriptions/{id}")]
    public async Task Given_a_subscription_to_a_capability_url_When_read_without_a_key_Then_401_and_the_url_is_not_shown(string method, string template)
    {
        // Given a subscription whose URL holds the receiver's token
        var token = "T0KEN" + Guid.NewGuid().ToString("N");
        var (created, body) = await app.PostJson("/api/subscriptions", new { url = $"http://127.0.0.1:9/services/{token}", secret = "long-enough-secret" });
        created.ShouldBe(201);
        var url = template.Replace("{id}", body!["id"]!.GetValue<string>());

        // When it is read without a key, with a wrong key and with the key
        async Task<(int Status, string Text)> Read(string? key)
        {
            using var client = app.Client();
            using var request = new HttpRequestMessage(new HttpMethod(method), url);
            if (key is not null) request.Headers.Add(ApiKeys.Header, key);
            using var response = await client.SendAsync(request);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
        }
        var (anonymous, anonymousText) = await Read(null);
        var (wrong, wrongText) = await Read("wrong-key-0123456789-abcdef");
        var (keyed, keyedText) = await Read(AppFixture.ApiKey);

        // Then only the key holder gets an answer, and nobody else sees the URL
        anonymous.ShouldBe(401, anonymousText);
        wrong.ShouldBe(401, wrongText);
        anonymousText.ShouldNotContain(token);
        wrongText.ShouldNotContain(token);
        if (method == "GET") anonymousText.ShouldContain("api_key_missing");
        keyed.ShouldBe(200, keyedText);
    }
}
