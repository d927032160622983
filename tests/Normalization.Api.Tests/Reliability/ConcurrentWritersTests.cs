using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Reliability;

/// <summary>
/// Issue 10 (1): 32 clients append to one negotiation at once, each with expectedVersion, re-sending the same batch after a 409.
/// Every acknowledged eventId is stored exactly once, nothing else is stored, and the read model equals a fresh fold.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ConcurrentWritersTests(AppFixture app)
{
    const int Clients = 32;
    static readonly TimeSpan Duration = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Given_32_concurrent_writers_with_expectedVersion_When_they_retry_on_409_Then_each_acknowledged_event_is_stored_once_and_the_read_model_is_the_fold()
    {
        var id = await app.GivenNegotiation("conc");
        using var client = app.Client();
        var acknowledged = new ConcurrentDictionary<Guid, int>();
        var unexpected = new ConcurrentBag<string>();
        long conflicts = 0, requests = 0;
        var deadline = Stopwatch.StartNew();

        async Task Writer(int n)
        {
            var random = new Random(1000 + n);
            var key = AppFixture.LoadKey(n);
            while (deadline.Elapsed < Duration)
            {
                var batch = Enumerable.Range(0, random.Next(1, 4))
                    .Select(_ => random.Next(3) == 0 ? Release(Day(random.Next(1, 400)), "US", "TB") : Talks(Day(random.Next(1, 400))))
                    .ToList();
                var ids = batch.Select(e => Guid.Parse((string)e["eventId"]!)).ToList();
                var (_, current, _) = await ReliabilityKit.Send(client, HttpMethod.Get, $"/api/negotiations/{id}", null, null);
                var expected = (int)current!["version"]!;
                var json = JsonSerializer.Serialize(new { expectedVersion = expected, events = batch });
                while (true)
                {
                    Interlocked.Increment(ref requests);
                    var (status, body, response) = await ReliabilityKit.Send(client, HttpMethod.Post, $"/api/negotiations/{id}/events", key, json);
                    if (status == 201)
                    {
                        foreach (var e in body!["events"]!.AsArray()) acknowledged.AddOrUpdate(Guid.Parse((string)e!["eventId"]!), 1, (_, c) => c + 1);
                        break;
                    }
                    if (status == 409)
                    {
                        Interlocked.Increment(ref conflicts);
                        if (deadline.Elapsed >= Duration) break; // abandoned: never acknowledged, must not be stored
                        expected = (int)body!["currentVersion"]!;
                        json = JsonSerializer.Serialize(new { expectedVersion = expected, events = batch });
                        await Task.Delay(random.Next(0, 15));
                        continue;
                    }
                    if (status == 429) { await Task.Delay(200); continue; }
                    unexpected.Add($"{status}: {body?.ToJsonString()}");
                    break;
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Clients).Select(n => Task.Run(() => Writer(n))));

        unexpected.ShouldBeEmpty();
        acknowledged.Count.ShouldBeGreaterThan(Clients);
        acknowledged.Values.ShouldAllBe(c => c == 1);
        var stored = await ReliabilityKit.StoredEventIds(app.ConnectionString, id);
        stored.Values.ShouldAllBe(c => c == 1, "an eventId stored twice");
        stored.Keys.Except(acknowledged.Keys).ShouldBeEmpty("stored but never acknowledged");
        acknowledged.Keys.Except(stored.Keys).ShouldBeEmpty("acknowledged but missing");
        var (mt, index, version) = await ReliabilityKit.Counts(app.ConnectionString, id);
        mt.ShouldBe(acknowledged.Count + 1);
        index.ShouldBe(acknowledged.Count);
        version.ShouldBe(acknowledged.Count + 1);
        await app.ReadModelShouldEqualFreshFold(id, [Today, Today.AddDays(-30), Today.AddDays(-200), Today.AddDays(-399), Today.AddDays(120)]);
        Console.WriteLine($"concurrent writers: {Clients} clients, {requests} posts, {conflicts} conflicts (409), {acknowledged.Count} events acknowledged = stored");
    }
}
