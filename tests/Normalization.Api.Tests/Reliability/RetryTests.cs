using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Reliability;

/// <summary>Issue 10 (2): the same batches re-sent many times, concurrently and after client time-outs: each eventId stored once.</summary>
[Collection(ApiCollection.Name)]
public sealed class RetryTests(AppFixture app)
{
    [Fact]
    public async Task Given_batches_resent_concurrently_and_after_client_timeouts_When_all_settle_Then_each_eventId_is_stored_exactly_once()
    {
        var id = await app.GivenNegotiation("retry");
        using var client = app.Client();
        var random = new Random(10);
        var batches = Enumerable.Range(0, 40).Select(_ => Enumerable.Range(0, 5).Select(_ => Talks(Day(random.Next(1, 300)))).ToList()).ToList();
        var json = batches.Select(b => JsonSerializer.Serialize(new { events = b })).ToList();
        var allIds = batches.SelectMany(b => b.Select(e => Guid.Parse((string)e["eventId"]!))).ToHashSet();
        var unexpected = new ConcurrentBag<string>();
        var gate = new SemaphoreSlim(16);

        async Task<int> Post(int batch, int n, CancellationToken ct = default)
        {
            await gate.WaitAsync(CancellationToken.None);
            try
            {
                var (status, body, _) = await ReliabilityKit.Send(client, HttpMethod.Post, $"/api/negotiations/{id}/events", AppFixture.LoadKey(n), json[batch], ct);
                if (status != 201) unexpected.Add($"{status}: {body?.ToJsonString()}");
                return status;
            }
            finally { gate.Release(); }
        }

        // 1. the first 20 batches, each sent 6 times at once
        await Task.WhenAll(Enumerable.Range(0, 20).SelectMany(b => Enumerable.Range(0, 6).Select(n => Task.Run(() => Post(b, b * 6 + n)))));
        // 2. the other 20, each sent 3 times with a client time-out of 1–40 ms (the answer is dropped), then once more normally
        var timedOut = 0;
        await Task.WhenAll(Enumerable.Range(20, 20).SelectMany(b => Enumerable.Range(0, 3).Select(n => Task.Run(async () =>
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(1 + (b * 7 + n * 13) % 40));
            try { await Post(b, b + n, cts.Token); }
            catch (OperationCanceledException) { Interlocked.Increment(ref timedOut); }
        }))));
        await Task.WhenAll(Enumerable.Range(20, 20).Select(b => Task.Run(() => Post(b, b))));
        var afterFirstRound = await ReliabilityKit.Counts(app.ConnectionString, id);
        // 3. everything again, 4 times over, concurrently: only duplicates now
        await Task.WhenAll(Enumerable.Range(0, 40).SelectMany(b => Enumerable.Range(0, 4).Select(n => Task.Run(() => Post(b, n)))));

        unexpected.ShouldBeEmpty();
        var stored = await ReliabilityKit.StoredEventIds(app.ConnectionString, id);
        stored.Keys.ToHashSet().SetEquals(allIds).ShouldBeTrue();
        stored.Values.ShouldAllBe(c => c == 1);
        var counts = await ReliabilityKit.Counts(app.ConnectionString, id);
        counts.ShouldBe(afterFirstRound);
        counts.ShouldBe((allIds.Count + 1L, (long)allIds.Count, allIds.Count + 1));
        await app.ReadModelShouldEqualFreshFold(id, [Today, Today.AddDays(-100)]);
        Console.WriteLine($"retries: 40 batches × 5 events, {20 * 6 + 20 * 3 + 20 + 160} posts ({timedOut} cut by client time-out) → {stored.Count} events, each once");
    }
}
