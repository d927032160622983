using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Normalization.Reliability;

/// <summary>A writer load that remembers every batch and what the API answered for it.</summary>
public sealed class WriteLoad(HttpClient http, Func<string> baseUrl, string negotiationId, int writers, int seed)
{
    public sealed record Batch(string Json, Guid[] Ids);

    public ConcurrentBag<Guid> Acknowledged { get; } = new();
    /// <summary>Batches whose outcome the client does not know (5xx, connection refused, time-out): re-sent later.</summary>
    public ConcurrentQueue<Batch> Unknown { get; } = new();
    public ConcurrentDictionary<string, int> Statuses { get; } = new();
    public ConcurrentBag<(double AtSeconds, string Outcome, double Ms)> Timeline { get; } = new();
    public long Requests;
    public double MaxLatencyMs;
    readonly Stopwatch _clock = Stopwatch.StartNew();

    public static Batch NewBatch(Random r, int size)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var events = Enumerable.Range(0, size).Select(_ => new Dictionary<string, object>
        {
            ["eventId"] = Guid.NewGuid(), ["type"] = "TalksHeld", ["occurredOn"] = today.AddDays(-r.Next(1, 400)).ToString("yyyy-MM-dd"),
            ["actor"] = "US", ["target"] = "TB", ["confidence"] = "Confirmed", ["participants"] = new[] { "US", "TB" }, ["location"] = "Doha",
        }).ToList();
        return new Batch(JsonSerializer.Serialize(new { events }), events.Select(e => (Guid)e["eventId"]).ToArray());
    }

    public async Task<string> PostAsync(Batch b, int n, CancellationToken ct = default)
    {
        var started = Stopwatch.GetTimestamp();
        string outcome;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"{baseUrl()}/api/negotiations/{negotiationId}/events")
            { Content = new StringContent(b.Json, Encoding.UTF8, "application/json") };
            request.Headers.Add("X-Api-Key", ApiProcess.Key(n));
            using var response = await http.SendAsync(request, ct);
            var status = (int)response.StatusCode;
            outcome = status.ToString();
            if (status == 201) foreach (var id in b.Ids) Acknowledged.Add(id);
            else if (status >= 500) Unknown.Enqueue(b);
            else outcome += " " + await response.Content.ReadAsStringAsync(ct);
            if (status == 503 && response.Headers.RetryAfter is null) outcome = "503-without-Retry-After";
        }
        catch (HttpRequestException) { outcome = "connection-refused"; Unknown.Enqueue(b); }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested) { outcome = "client-timeout"; Unknown.Enqueue(b); }
        var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        Interlocked.Increment(ref Requests);
        lock (this) MaxLatencyMs = Math.Max(MaxLatencyMs, ms);
        Statuses.AddOrUpdate(outcome.Length > 60 ? outcome[..60] : outcome, 1, (_, c) => c + 1);
        Timeline.Add((_clock.Elapsed.TotalSeconds, outcome, ms));
        return outcome;
    }

    public async Task RunAsync(CancellationToken stop)
    {
        await Task.WhenAll(Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            var r = new Random(seed * 100 + w);
            while (!stop.IsCancellationRequested)
            {
                var outcome = await PostAsync(NewBatch(r, r.Next(1, 4)), w);
                if (outcome != "201") await Task.Delay(100); // back off while down
            }
        })));
    }

    /// <summary>The client's recovery: re-send every batch whose outcome it does not know (same eventIds) until acknowledged.</summary>
    public async Task<(int Batches, int Attempts)> ResendUnknownAsync()
    {
        var batches = 0; var attempts = 0;
        while (Unknown.TryDequeue(out var b))
        {
            batches++;
            for (var i = 0; i < 20; i++)
            {
                attempts++;
                var o = await PostAsync(b, 0);
                if (o == "201") break;
                // PostAsync re-queued it: take it out again, retry after a pause.
                Unknown.TryDequeue(out _);
                await Task.Delay(500);
            }
        }
        return (batches, attempts);
    }
}
