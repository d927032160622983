using System.Text;
using System.Text.Json.Nodes;
using Alba;
using Normalization.Api.Security;
using Normalization.Api.Tests.Infrastructure;

namespace Normalization.Api.Tests.Support;

/// <summary>Givens and raw requests shared by the endpoint tests.</summary>
public static class ApiScenarios
{
    public static readonly DateOnly Today = DateOnly.FromDateTime(DateTime.UtcNow);
    public static string Day(int daysAgo) => Today.AddDays(-daysAgo).ToString("yyyy-MM-dd");

    /// <summary>A party code no other test uses (so board filters see only this test's negotiations).</summary>
    public static string NewPartyCode() => "P" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();

    public static object Negotiation(string id, string a = "US", string b = "TB") => new
    {
        id, title = $"{a} – {b}",
        parties = new[] { new { code = a, name = "Party " + a }, new { code = b, name = "Party " + b } },
        mediators = new[] { new { code = "QA", name = "Qatar" } },
    };

    /// <summary>Given a US–TB negotiation (or with the parties given), created through the API.</summary>
    public static async Task<string> GivenNegotiation(this AppFixture app, string prefix = "n", string a = "US", string b = "TB")
    {
        var id = TestApi.NewId(prefix);
        var (status, body) = await app.PostJson("/api/negotiations", Negotiation(id, a, b));
        status.ShouldBe(201, body?.ToJsonString());
        return id;
    }

    public static async Task<JsonNode> GivenEvents(this AppFixture app, string id, params JsonObject[] events)
    {
        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events", new { events });
        status.ShouldBe(201, body?.ToJsonString());
        return body!;
    }

    public static JsonObject Talks(string on, string a = "US", string b = "TB", Guid? eventId = null) => new()
    {
        ["eventId"] = (eventId ?? Guid.NewGuid()).ToString(), ["type"] = "TalksHeld", ["occurredOn"] = on, ["actor"] = a, ["target"] = b,
        ["confidence"] = "Confirmed", ["participants"] = new JsonArray(a, b), ["location"] = "Doha",
    };

    public static JsonObject Release(string on, string actor, string target, Guid? eventId = null, string confidence = "Confirmed") => new()
    {
        ["eventId"] = (eventId ?? Guid.NewGuid()).ToString(), ["type"] = "PrisonerReleased", ["occurredOn"] = on, ["actor"] = actor, ["target"] = target,
        ["confidence"] = confidence, ["person"] = "someone", ["terms"] = "Goodwill",
        ["sources"] = new JsonArray(new JsonObject { ["publisher"] = "CNN", ["url"] = "https://edition.cnn.com/", ["publishedOn"] = on }),
    };

    /// <summary>POST /api/negotiations/{id}/imports of <paramref name="ndjson"/> with the test key: status and parsed body (null when empty).</summary>
    public static Task<(int Status, JsonNode? Body)> PostImport(this AppFixture app, string id, string ndjson) =>
        app.PostImportFile(id, "", ndjson, "application/x-ndjson");

    /// <summary>
    /// POST /api/negotiations/{id}/imports?<paramref name="query"/> of <paramref name="body"/> (UTF-8 bytes, sent as
    /// <paramref name="contentType"/>) with the test key: status and parsed body (null when empty).
    /// </summary>
    public static Task<(int Status, JsonNode? Body)> PostImportFile(this AppFixture app, string id, string query, string body,
        string contentType = "text/plain") =>
        app.PostImportFile(id, query, Encoding.UTF8.GetBytes(body), contentType);

    /// <summary>The same for a file's raw bytes (gzip, a spreadsheet, another encoding).</summary>
    public static async Task<(int Status, JsonNode? Body)> PostImportFile(this AppFixture app, string id, string query, byte[] body,
        string contentType = "application/octet-stream")
    {
        var (status, text, _) = await app.PostFile($"/api/negotiations/{id}/imports" + (query.Length == 0 ? "" : "?" + query), body, contentType);
        return (status, string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text));
    }

    /// <summary>
    /// POST of a file's bytes to <paramref name="url"/> as <paramref name="contentType"/>, with the test key unless
    /// <paramref name="withKey"/> is false: status, the body's text and the Location header. The one way a test uploads a
    /// file, so its format comes only from the URL or the content, as a user's upload would.
    /// </summary>
    public static async Task<(int Status, string Text, string? Location)> PostFile(this AppFixture app, string url, byte[] body,
        string contentType = "application/octet-stream", bool withKey = true)
    {
        using var client = app.Host.Server.CreateClient();
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        if (withKey) request.Headers.Add(ApiKeys.Header, AppFixture.ApiKey);
        using var response = await client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response.Headers.Location?.ToString());
    }

    /// <summary>A POST with full control of body, content type and key (null key: no header).</summary>
    public static async Task<(int Status, JsonNode? Body, IScenarioResult Result)> PostRaw(this AppFixture app, string url, string body,
        string? apiKey = AppFixture.ApiKey, string contentType = "application/json")
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Post.Text(body).ToUrl(url);
            s.WithRequestHeader("Content-Type", contentType);
            if (apiKey is not null) s.WithRequestHeader(ApiKeys.Header, apiKey);
            s.IgnoreStatusCode();
        });
        var text = await result.ReadAsTextAsync();
        JsonNode? parsed = null;
        try { parsed = string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text); } catch (System.Text.Json.JsonException) { }
        return (result.Context.Response.StatusCode, parsed, result);
    }

    public static string Json(object value) => System.Text.Json.JsonSerializer.Serialize(value);

    /// <summary>A syntactically valid JSON body of more than <paramref name="bytes"/> bytes.</summary>
    public static string JsonOfSize(int bytes) => new StringBuilder("{\"events\":[{\"type\":\"TalksHeld\",\"note\":\"").Append('x', bytes).Append("\"}]}").ToString();

    // ---------------------------------------------------------------- ProblemDetails assertions

    public static void ShouldBeProblem(this JsonNode? body, string code)
    {
        body.ShouldNotBeNull();
        body!["code"]?.GetValue<string>().ShouldBe(code, body.ToJsonString());
        body["title"].ShouldNotBeNull();
        body["status"].ShouldNotBeNull();
    }

    public static List<(string Path, string Code, string Message)> Errors(this JsonNode? body) =>
        body?["errors"]?.AsArray().Select(e => (e!["path"]!.GetValue<string>(), e["code"]!.GetValue<string>(), e["message"]!.GetValue<string>())).ToList() ?? [];

    public static void ShouldHaveError(this JsonNode? body, string path, string? code = null)
    {
        var errors = body.Errors();
        errors.ShouldContain(e => e.Path == path && (code == null || e.Code == code), body?.ToJsonString());
    }
}
