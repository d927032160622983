using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Normalization.Api.Tests.Alerts;

/// <summary>
/// A real HTTP receiver on 127.0.0.1 (Kestrel): records every POST (body bytes and signature header) and answers 200, or
/// 503 while <see cref="Failing"/>. It can be stopped and started again on the same port (a receiver that is down).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    WebApplication? _app;

    public int Port { get; } = FreePort();
    public string Url => $"http://127.0.0.1:{Port}/hook";
    public ConcurrentQueue<(byte[] Body, string? Signature, JsonNode Json)> Received { get; } = new();
    /// <summary>While true, every POST is answered 503 (and still recorded in <see cref="Refused"/>).</summary>
    public bool Failing { get; set; }
    public int Refused => _refused;
    int _refused;

    /// <summary>A subscriber's own check of <c>X-Normalization-Signature</c>, as docs/alerts.md shows it (written as a receiver would, not with the API's WebhookSignature).</summary>
    // <snippet:verify-webhook-signature>
    static bool Verify(byte[] body, string secret, string? header)
    {
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
        return header is not null && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(header));
    }
    // </snippet>

    /// <summary>Whether <paramref name="signature"/> is that of <paramref name="body"/> under <paramref name="secret"/>, by the documented receiver code.</summary>
    public static bool SignatureHolds(byte[] body, string secret, string? signature) => Verify(body, secret, signature);

    public static async Task<WebhookReceiver> StartAsync()
    {
        var receiver = new WebhookReceiver();
        await receiver.UpAsync();
        return receiver;
    }

    /// <summary>A receiver whose port is reserved but nothing listens yet (connection refused until <see cref="UpAsync"/>).</summary>
    public static WebhookReceiver Down() => new();

    public async Task UpAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{Port}");
        _app = builder.Build();
        _app.MapPost("/hook", async (HttpContext http) =>
        {
            using var buffer = new MemoryStream();
            await http.Request.Body.CopyToAsync(buffer);
            if (Failing) { Interlocked.Increment(ref _refused); return Results.StatusCode(503); }
            var body = buffer.ToArray();
            Received.Enqueue((body, http.Request.Headers["X-Normalization-Signature"].ToString(), JsonNode.Parse(body)!));
            return Results.Ok();
        });
        await _app.StartAsync();
    }

    public async Task DownAsync()
    {
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }

    /// <summary>The alerts received for one negotiation.</summary>
    public List<JsonNode> For(string negotiationId) =>
        Received.Select(r => r.Json).Where(j => j["negotiationId"]?.GetValue<string>() == negotiationId).ToList();

    public ValueTask DisposeAsync() => new(DownAsync());

    static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>Polls <paramref name="condition"/> every 100 ms until it holds or <paramref name="seconds"/> pass.</summary>
    public static Task<bool> Eventually(Func<bool> condition, int seconds = 30) => Eventually(() => Task.FromResult(condition()), seconds);

    /// <summary>As above, for an asynchronous condition.</summary>
    public static async Task<bool> Eventually(Func<Task<bool>> condition, int seconds = 30)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < until)
        {
            if (await condition()) return true;
            await Task.Delay(100);
        }
        return await condition();
    }
}
