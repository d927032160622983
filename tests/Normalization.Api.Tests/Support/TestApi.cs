using System.Text.Json;
using System.Text.Json.Nodes;
using Alba;
using Normalization.Api.Security;
using Normalization.Api.Tests.Infrastructure;

namespace Normalization.Api.Tests.Support;

/// <summary>Small helpers so tests read as Given / When / Then over HTTP.</summary>
public static class TestApi
{
    public static async Task<(int Status, JsonNode? Body)> PostJson(this AppFixture app, string url, object body, bool withKey = true, string? rawBody = null)
    {
        var result = await app.Host.Scenario(s =>
        {
            if (rawBody is not null) s.Post.Text(rawBody).ToUrl(url); else s.Post.Json(body).ToUrl(url);
            s.WithRequestHeader("Content-Type", "application/json");
            if (withKey) s.WithRequestHeader(ApiKeys.Header, AppFixture.ApiKey);
            s.IgnoreStatusCode();
        });
        return (result.Context.Response.StatusCode, Parse(await result.ReadAsTextAsync()));
    }

    public static async Task<(int Status, JsonNode? Body)> PutJson(this AppFixture app, string url, object body, bool withKey = true)
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Put.Json(body).ToUrl(url);
            if (withKey) s.WithRequestHeader(ApiKeys.Header, AppFixture.ApiKey);
            s.IgnoreStatusCode();
        });
        return (result.Context.Response.StatusCode, Parse(await result.ReadAsTextAsync()));
    }

    /// <summary>GET <paramref name="url"/>; with the test API key when <paramref name="withKey"/> (the subscriptions' reads need one).</summary>
    public static async Task<(int Status, JsonNode? Body)> GetJson(this AppFixture app, string url, bool withKey = false)
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Get.Url(url);
            if (withKey) s.WithRequestHeader(ApiKeys.Header, AppFixture.ApiKey);
            s.IgnoreStatusCode();
        });
        return (result.Context.Response.StatusCode, Parse(await result.ReadAsTextAsync()));
    }

    public static async Task<(int Status, string Body, string? ContentType)> GetText(this AppFixture app, string url, string accept)
    {
        var result = await app.Host.Scenario(s => { s.Get.Url(url); s.WithRequestHeader("Accept", accept); s.IgnoreStatusCode(); });
        return (result.Context.Response.StatusCode, await result.ReadAsTextAsync(), result.Context.Response.ContentType);
    }

    static JsonNode? Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        try { return JsonNode.Parse(text); } catch (JsonException) { return JsonValue.Create(text); }
    }

    public static string NewId(string prefix = "n") => $"{prefix}-{Guid.NewGuid():N}"[..30];

    public static object UsTaliban(string id) => new
    {
        id, title = "United States – Taliban",
        parties = new[] { new { code = "US", name = "United States" }, new { code = "TB", name = "Taliban" } },
        mediators = new[] { new { code = "QA", name = "Qatar" } },
        baseline = new { },
    };

    /// <summary>The seed file's events as JSON objects (the API's flat format).</summary>
    public static List<JsonObject> SeedEvents()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Seed", "us-taliban.ndjson");
        return File.ReadLines(path).Skip(1).Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!.AsObject()).ToList();
    }
}
