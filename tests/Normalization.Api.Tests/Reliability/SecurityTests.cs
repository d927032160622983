using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Alba;
using Normalization.Api.Http;
using Normalization.Api.Security;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using Npgsql;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Reliability;

/// <summary>Issue 10 (6): keys, rate limits, body limits, no internals in answers, headers, CORS — and 503 when the database is away.</summary>
[Collection(ApiCollection.Name)]
public sealed class SecurityTests(AppFixture app, HardenedHost hardened) : IClassFixture<HardenedHost>
{
    const string WrongKey = "wrong-key-0123456789-abcdef";

    static string Fill(string template, string id, Guid eventId) =>
        template.Replace("{id}", id).Replace("{eventId}", eventId.ToString()).Replace("{name}", "base").Replace("{code}", "US");

    async Task<List<(string Method, string Path)>> WritesFromOpenApi()
    {
        var (status, doc) = await app.GetJson("/openapi/v1.json");
        status.ShouldBe(200);
        var writes = new List<(string, string)>();
        foreach (var (path, item) in doc!["paths"]!.AsObject())
            foreach (var (method, _) in item!.AsObject())
                if (method is "post" or "put" or "patch" or "delete") writes.Add((method.ToUpperInvariant(), path));
        return writes;
    }

    [Fact]
    public async Task Given_every_write_endpoint_in_the_OpenAPI_document_When_called_without_or_with_a_wrong_key_Then_401_and_nothing_written()
    {
        var id = await app.GivenNegotiation("sec");
        var eventId = Guid.NewGuid();
        await app.GivenEvents(id, Talks(Day(20), eventId: eventId));
        var before = await ReliabilityKit.Counts(app.ConnectionString, id);
        var writes = await WritesFromOpenApi();
        // Every write the document lists, exactly: a new one must be added here (with a body below) to be tried.
        writes.Select(w => $"{w.Method} {w.Path}").Order(StringComparer.Ordinal).ShouldBe(new[]
        {
            "DELETE /api/subscriptions/{id}",
            "POST /api/negotiations",
            "POST /api/negotiations/{id}/events",
            "POST /api/negotiations/{id}/events/{eventId}/retract",
            "POST /api/negotiations/{id}/imports",
            "POST /api/negotiations/{id}/scenarios",
            "POST /api/negotiations/{id}/what-if",
            "POST /api/subscriptions",
            "PUT /api/negotiations/{id}/coverage",
        });
        // The key guard covers /api: a write outside it would be open.
        writes.ShouldAllBe(w => w.Path.StartsWith("/api/"));

        using var client = app.Client();
        foreach (var (method, template) in writes)
        {
            var url = Fill(template, id, eventId);
            var body = template switch
            {
                "/api/negotiations" => """{"id":"sec-never-created","title":"x","parties":[{"code":"US","name":"U"},{"code":"TB","name":"T"}]}""",
                "/api/negotiations/{id}/events" => $$"""{"events":[{{Talks(Day(3))}}]}""",
                "/api/negotiations/{id}/scenarios" => """{"name":"sec-never-saved","add":[]}""",
                _ => """{"reason":"no key"}""",
            };
            foreach (var key in new[] { null, WrongKey, "", AppFixture.ApiKey + " ", AppFixture.ApiKey.ToUpperInvariant() })
            {
                var (status, answer, _) = await ReliabilityKit.Send(client, new HttpMethod(method), url, key, body);
                status.ShouldBe(401, $"{method} {url} with key '{key}': {answer?.ToJsonString()}");
                ((string?)answer!["code"]).ShouldBe(string.IsNullOrEmpty(key) ? "api_key_missing" : "api_key_invalid");
                answer.ToJsonString().ShouldNotContain(AppFixture.ApiKey);
            }
        }
        (await ReliabilityKit.Counts(app.ConnectionString, id)).ShouldBe(before);
        (await app.GetJson("/api/negotiations/sec-never-created")).Status.ShouldBe(404);
    }

    /// <summary>
    /// Up to 6 empty batches posted to the hardened host (tiny write limit), each set up by <paramref name="who"/> (key,
    /// client address), until one is answered 429: every status seen, and the 429 (null when none came).
    /// </summary>
    async Task<(List<int> Statuses, IScenarioResult? Limited)> WriteUntilLimitedAsync(Action<Scenario> who)
    {
        var statuses = new List<int>();
        for (var i = 0; i < 6; i++)
        {
            var result = await hardened.Host.Scenario(s =>
            {
                s.Post.Text("""{"events":[]}""").ToUrl("/api/negotiations/rate-limited/events");
                s.WithRequestHeader("Content-Type", "application/json");
                who(s);
                s.IgnoreStatusCode();
            });
            statuses.Add(result.Context.Response.StatusCode);
            if (result.Context.Response.StatusCode == 429) return (statuses, result);
        }
        return (statuses, null);
    }

    [Fact]
    public async Task Given_a_tiny_rate_limit_When_one_key_writes_too_fast_Then_429_problem_with_Retry_After_and_other_keys_are_not_affected()
    {
        var (statuses, limited) = await WriteUntilLimitedAsync(s => s.WithRequestHeader(ApiKeys.Header, AppFixture.LoadKey(7)));
        limited.ShouldNotBeNull($"statuses {string.Join(",", statuses)}");
        limited.Context.Response.Headers.RetryAfter.ToString().ShouldNotBeNullOrEmpty();
        limited.Context.Response.ContentType.ShouldStartWith("application/problem+json");
        (await limited.ReadAsTextAsync()).ShouldContain("rate_limited");

        var other = await hardened.Host.Scenario(s =>
        {
            s.Post.Text("""{"events":[]}""").ToUrl("/api/negotiations/rate-limited/events");
            s.WithRequestHeader("Content-Type", "application/json");
            s.WithRequestHeader(ApiKeys.Header, AppFixture.LoadKey(8));
            s.IgnoreStatusCode();
        });
        other.Context.Response.StatusCode.ShouldNotBe(429);
    }

    [Fact]
    public async Task Regression_Given_a_tiny_rate_limit_When_one_client_presents_a_new_made_up_key_each_time_Then_it_is_limited_as_one_client()
    {
        // Before the fix the bucket was the presented key's: every made-up key got a fresh one, so guessing keys was never limited.
        var (statuses, limited) = await WriteUntilLimitedAsync(s =>
        {
            s.WithRequestHeader(ApiKeys.Header, "guess-" + Guid.NewGuid());
            s.ConfigureHttpContext(c => c.Connection.RemoteIpAddress = System.Net.IPAddress.Parse("203.0.113.9"));
        });

        limited.ShouldNotBeNull($"statuses {string.Join(",", statuses)}");
        statuses.Take(statuses.Count - 1).ShouldAllBe(s => s == 401);
        limited.Context.Response.Headers.RetryAfter.ToString().ShouldBe("1", "one write a second: the next permit is a second away");
    }

    [Fact]
    public async Task Regression_Given_the_database_does_not_answer_When_writing_or_reading_Then_503_problem_with_Retry_After_and_no_internals()
    {
        // Before the fix: an unhandled NpgsqlException, answered 500.
        var write = await hardened.Host.Scenario(s =>
        {
            s.Post.Text($$"""{"events":[{{Talks(Day(3))}}]}""").ToUrl("/api/negotiations/db-down/events");
            s.WithRequestHeader("Content-Type", "application/json");
            s.WithRequestHeader(ApiKeys.Header, AppFixture.LoadKey(11));
            s.IgnoreStatusCode();
        });
        var read = await hardened.Host.Scenario(s => { s.Get.Url("/api/negotiations/db-down/timeline"); s.IgnoreStatusCode(); });
        foreach (var r in new[] { write, read })
        {
            r.Context.Response.StatusCode.ShouldBe(503);
            r.Context.Response.Headers.RetryAfter.ToString().ShouldBe(DatabaseUnavailableHandler.RetryAfterSeconds.ToString());
            r.Context.Response.ContentType.ShouldStartWith("application/problem+json");
            var text = await r.ReadAsTextAsync();
            text.ShouldContain("database_unavailable");
            text.ShouldNotContain("   at ");
            text.ShouldNotContain("Exception");
            text.ShouldNotContain("Npgsql");
            text.ShouldNotContain("127.0.0.1");
        }
    }

    [Fact]
    public void The_classifier_treats_connection_failures_as_unavailable_and_nothing_else()
    {
        DatabaseUnavailableHandler.IsDatabaseUnavailable(new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused))).ShouldBeTrue();
        DatabaseUnavailableHandler.IsDatabaseUnavailable(new InvalidOperationException("x", new TimeoutException())).ShouldBeTrue();
        DatabaseUnavailableHandler.IsDatabaseUnavailable(new NpgsqlException("Exception while reading from stream", new IOException())).ShouldBeTrue();
        // Found by the long run (pg_ctl stop -m immediate mid-append): the next command on the broken transaction threw this, answered 500.
        DatabaseUnavailableHandler.IsDatabaseUnavailable(new InvalidOperationException("Transaction is already completed") { Source = "Npgsql" }).ShouldBeTrue();
        DatabaseUnavailableHandler.IsDatabaseUnavailable(new InvalidOperationException("Transaction is already completed")).ShouldBeFalse();
        DatabaseUnavailableHandler.IsDatabaseUnavailable(new InvalidOperationException("bug")).ShouldBeFalse();
        DatabaseUnavailableHandler.IsDatabaseUnavailable(new ArgumentException("bug")).ShouldBeFalse();
    }

    [Fact]
    public async Task Given_keys_sent_to_both_hosts_When_the_logs_are_read_Then_no_key_appears_in_any_log_line()
    {
        foreach (var key in new[] { AppFixture.ApiKey, WrongKey, AppFixture.LoadKey(12) })
        {
            var r = await hardened.Host.Scenario(s =>
            {
                s.Post.Text($$"""{"events":[{{Talks(Day(3))}}]}""").ToUrl("/api/negotiations/log-check/events");
                s.WithRequestHeader("Content-Type", "application/json");
                s.WithRequestHeader(ApiKeys.Header, key);
                s.IgnoreStatusCode();
            });
            (await r.ReadAsTextAsync()).ShouldNotContain(key);
        }
        await Task.Delay(200);
        var lines = hardened.Logs.Lines.ToList();
        lines.ShouldNotBeEmpty();
        lines.ShouldContain(l => l.Contains("Database unavailable")); // the failing requests were logged …
        foreach (var key in new[] { AppFixture.ApiKey, WrongKey, AppFixture.LoadKey(12), ApiKeys.Hash(AppFixture.ApiKey) })
            lines.ShouldNotContain(l => l.Contains(key)); // … without the key or its hash
    }

    [Fact]
    public async Task Given_bodies_over_1_MiB_When_posted_with_or_without_Content_Length_Then_413()
    {
        var id = await app.GivenNegotiation("big");
        var big = "{\"events\":[{\"note\":\"" + new string('a', JsonBody.MaxBytes) + "\"}]}";
        using var client = app.Client();
        var (status, body, _) = await ReliabilityKit.Send(client, HttpMethod.Post, $"/api/negotiations/{id}/events", AppFixture.LoadKey(13), big);
        status.ShouldBe(413, body?.ToJsonString());
        using var chunked = new HttpRequestMessage(HttpMethod.Post, $"/api/negotiations/{id}/events") { Content = new ChunkedContent(Encoding.UTF8.GetBytes(big)) };
        chunked.Headers.Add(ApiKeys.Header, AppFixture.LoadKey(13));
        using var response = await client.SendAsync(chunked);
        ((int)response.StatusCode).ShouldBe(413);
        (await ReliabilityKit.Counts(app.ConnectionString, id)).Version.ShouldBe(1);
    }

    sealed class ChunkedContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();
        protected override bool TryComputeLength(out long length) { length = -1; return false; }
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/negotiations/us-taliban")]
    [InlineData("/api/negotiations")]
    public async Task Given_the_page_and_the_API_When_fetched_Then_security_headers_forbid_inline_script_and_framing(string url)
    {
        var result = await app.Host.Scenario(s => { s.Get.Url(url); s.IgnoreStatusCode(); });
        var h = result.Context.Response.Headers;
        h.XContentTypeOptions.ToString().ShouldBe("nosniff");
        var csp = h.ContentSecurityPolicy.ToString();
        csp.ShouldContain("frame-ancestors 'none'");
        csp.ShouldContain("script-src 'self'");
        csp.ShouldNotContain("unsafe-inline");
        csp.ShouldNotContain("unsafe-eval");
    }

    [Fact]
    public async Task Given_CORS_When_no_origin_is_configured_Then_closed_and_when_one_is_Then_only_that_one_is_allowed()
    {
        async Task<string?> Preflight(IAlbaHost host, string origin)
        {
            var r = await host.Scenario(s =>
            {
                s.ConfigureHttpContext(c =>
                {
                    c.Request.Method = "OPTIONS";
                    c.Request.Path = "/api/negotiations";
                    c.Request.Headers.Origin = origin;
                    c.Request.Headers.AccessControlRequestMethod = "POST";
                    c.Request.Headers.AccessControlRequestHeaders = "x-api-key,content-type";
                });
                s.IgnoreStatusCode();
            });
            return r.Context.Response.Headers.AccessControlAllowOrigin.FirstOrDefault();
        }

        (await Preflight(app.Host, HardenedHost.AllowedOrigin)).ShouldBeNull();
        (await Preflight(app.Host, "https://evil.example")).ShouldBeNull();
        (await Preflight(hardened.Host, "https://evil.example")).ShouldBeNull();
        (await Preflight(hardened.Host, HardenedHost.AllowedOrigin)).ShouldBe(HardenedHost.AllowedOrigin);
    }
}
