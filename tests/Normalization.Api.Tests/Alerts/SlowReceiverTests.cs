using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Xml.Linq;
using Normalization.Api.Security;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Reliability;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Alerts;

/// <summary>
/// A receiver that does not answer holds a webhook POST for TimeoutSeconds; that must not hold back what does not depend
/// on it — the Atom feeds and the fan-out of other negotiations' changes (docs/alerts.md, "Delivery").
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class SlowReceiverTests(AppFixture app)
{
    [Fact]
    public async Task Given_many_deliveries_to_a_receiver_that_never_answers_When_another_negotiation_changes_stage_Then_its_feed_entry_and_fan_out_come_at_once()
    {
        // Given a receiver that accepts every connection and never answers (each POST waits for TimeoutSeconds, 10 s here)
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var held = new ConcurrentBag<TcpClient>();
        using var stop = new CancellationTokenSource();
        _ = Task.Run(async () =>
        {
            try { while (true) held.Add(await listener.AcceptTcpClientAsync(stop.Token)); }
            catch (OperationCanceledException) { }
        });
        var slow = await app.GivenNegotiation("slowrcv");
        var subscriptions = new List<string>();
        for (var i = 0; i < 12; i++)
        {
            var (status, created) = await app.PostJson("/api/subscriptions", new { url = $"http://127.0.0.1:{port}/hook/{i}", secret = "secret-slow-receiver", negotiationId = slow });
            status.ShouldBe(201);
            subscriptions.Add(created!["id"]!.GetValue<string>());
        }
        var other = await app.GivenNegotiation("notslow");
        var (watching, watcher) = await app.PostJson("/api/subscriptions", new { url = "http://127.0.0.1:9/elsewhere", secret = "secret-elsewhere", negotiationId = other });
        watching.ShouldBe(201);
        try
        {
            await app.GivenEvents(slow, Talks(Day(30)));
            (await WebhookReceiver.Eventually(() => held.Count >= 3, 20)).ShouldBeTrue("the POSTs to the silent receiver should be under way");

            // When another negotiation's stage changes
            await app.GivenEvents(other, Talks(Day(30)));

            // Then its feed entry and its subscriber's delivery row come at once, not after the silent receiver's timeouts
            (await WebhookReceiver.Eventually(async () =>
            {
                var (_, feed, _) = await app.GetText($"/api/negotiations/{other}/feed.atom", "application/atom+xml");
                return XDocument.Parse(feed).Root!.Elements(XName.Get("entry", "http://www.w3.org/2005/Atom")).Any();
            }, 5)).ShouldBeTrue("the feed entry should not wait for another subscriber's slow receiver");
            (await WebhookReceiver.Eventually(async () =>
                (await app.GetJson($"/api/subscriptions/{watcher!["id"]}/deliveries", withKey: true)).Body!["items"]!.AsArray().Count == 1, 5))
                .ShouldBeTrue("the fan-out should not wait for another subscriber's slow receiver");
        }
        finally
        {
            // The silent receiver's deliveries are dropped with their subscriptions and its POSTs end now, so the next tests
            // of the collection do not wait behind them.
            using var client = app.Client();
            foreach (var id in subscriptions)
            {
                using var delete = new HttpRequestMessage(HttpMethod.Delete, $"/api/subscriptions/{id}");
                delete.Headers.Add(ApiKeys.Header, AppFixture.ApiKey);
                (await client.SendAsync(delete)).Dispose();
            }
            stop.Cancel();
            foreach (var c in held) c.Dispose();
        }
    }
}
