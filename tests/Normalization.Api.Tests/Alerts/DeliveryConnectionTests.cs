using System.Diagnostics;
using Normalization.Api.Alerts.Delivering;
using Normalization.Api.Alerts.Notifying;
using Normalization.Api.Security;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Reliability;
using Normalization.Api.Tests.Support;
using Normalization.Domain.Stages;
using Wolverine;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Alerts;

/// <summary>
/// A webhook POST waits on a receiver for up to TimeoutSeconds: no database connection or transaction may be held while
/// it does, and what the delivery's lock guaranteed still holds — one POST for two copies of a delivery at once
/// (docs/alerts.md, "Delivery").
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class DeliveryConnectionTests(AppFixture app)
{
    /// <summary>
    /// The most connections to the test database seen, over <paramref name="seconds"/>, sitting idle inside a transaction
    /// begun more than a second before: a connection held (and a transaction open) while the app waits on something else.
    /// </summary>
    async Task<int> MostConnectionsHeldInATransaction(double seconds)
    {
        await using var conn = new Npgsql.NpgsqlConnection(app.ConnectionString);
        await conn.OpenAsync();
        var most = 0;
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < until)
        {
            await using var cmd = new Npgsql.NpgsqlCommand(
                "select count(*) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() " +
                "and state like 'idle in transaction%' and xact_start < now() - interval '1 second'", conn);
            most = Math.Max(most, (int)(long)(await cmd.ExecuteScalarAsync())!);
            await Task.Delay(100);
        }
        return most;
    }

    /// <summary>Subscribes <paramref name="url"/> to <paramref name="negotiation"/>: the subscription's id.</summary>
    async Task<string> Subscribe(string negotiation, string url)
    {
        var (status, created) = await app.PostJson("/api/subscriptions", new { url, secret = "secret-connections", negotiationId = negotiation });
        status.ShouldBe(201, created?.ToJsonString());
        return created!["id"]!.GetValue<string>();
    }

    /// <summary>Deletes the subscriptions, so their deliveries are dropped and the next tests of the collection do not wait behind them.</summary>
    async Task Unsubscribe(IEnumerable<string> subscriptions)
    {
        using var client = app.Client();
        foreach (var id in subscriptions)
        {
            using var delete = new HttpRequestMessage(HttpMethod.Delete, $"/api/subscriptions/{id}");
            delete.Headers.Add(ApiKeys.Header, AppFixture.ApiKey);
            (await client.SendAsync(delete)).Dispose();
        }
    }

    [Fact]
    public async Task Given_many_silent_receivers_When_their_POSTs_wait_Then_no_database_connection_is_held_and_reads_and_writes_answer_at_once()
    {
        // Given more subscribers than the deliveries' queue runs at once, all on a receiver that never answers
        using var silent = RawReceiver.AnsweringAfter(null);
        var slow = await app.GivenNegotiation("silentconn");
        var subscriptions = new List<string>();
        for (var i = 0; i < 8; i++) subscriptions.Add(await Subscribe(slow, $"{silent.Url}/{i}"));
        try
        {
            // When the stage changes and the POSTs wait on the receiver (TimeoutSeconds: 10 s each)
            await app.GivenEvents(slow, Talks(Day(30)));
            (await WebhookReceiver.Eventually(() => silent.Requests >= 3, 20)).ShouldBeTrue("the POSTs to the silent receiver should be under way");

            // Then no connection of the app sits in an open transaction while they wait…
            var held = await MostConnectionsHeldInATransaction(3);
            var waiting = silent.Requests;
            held.ShouldBe(0, $"{held} connection(s) were held in a transaction while {waiting} POST(s) waited on the receiver");

            // …and a write and a read of the API answer at once
            var clock = Stopwatch.StartNew();
            var other = await app.GivenNegotiation("stillserved");
            await app.GivenEvents(other, Talks(Day(30)));
            var (read, _) = await app.GetJson($"/api/negotiations/{other}");
            read.ShouldBe(200);
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(3), "a create, an append and a read while the POSTs wait");
        }
        finally
        {
            await Unsubscribe(subscriptions);
        }
    }

    [Fact]
    public async Task Given_two_copies_of_one_delivery_at_once_When_they_run_Then_the_receiver_gets_one_POST_and_the_log_one_attempt()
    {
        // Given a receiver that takes 2 s to answer (so the copies overlap) and a subscription to it
        using var receiver = RawReceiver.AnsweringAfter(TimeSpan.FromSeconds(2));
        var negotiation = await app.GivenNegotiation("twocopies");
        var subscription = await Subscribe(negotiation, receiver.Url);
        var alert = new StageChangeAlert(Guid.NewGuid(), negotiation, Today, Stage.Estrangement, Stage.Exploratory, "talks-within-window",
            [Guid.NewGuid()], AlertCause.Event, DateTimeOffset.UtcNow);
        try
        {
            // When two copies of its delivery run at once (a redelivery beside the original, two nodes)
            var bus = app.Host.MessageBus();
            var message = new DeliverAlert(Guid.Parse(subscription), alert);
            await Task.WhenAll(bus.PublishAsync(message).AsTask(), bus.PublishAsync(message).AsTask());

            // Then it is delivered by one POST, logged as one attempt, and the other copy does not POST again
            (await WebhookReceiver.Eventually(async () =>
                (await app.GetJson($"/api/subscriptions/{subscription}/deliveries", withKey: true)).Body!["items"]!.AsArray()
                    .Any(r => r!["status"]!.GetValue<string>() == "delivered"), 20)).ShouldBeTrue("the delivery should be delivered");
            await Task.Delay(TimeSpan.FromSeconds(3));
            receiver.Requests.ShouldBe(1);
            var (_, body) = await app.GetJson($"/api/subscriptions/{subscription}/deliveries", withKey: true);
            body!["items"]!.AsArray().Single()!["attempts"]!.GetValue<int>().ShouldBe(1);
        }
        finally
        {
            await Unsubscribe([subscription]);
        }
    }

    /// <summary>Subscribes a receiver and logs its delivery of a new alert as claimed by an attempt of another node, its claim lapsing at <paramref name="leasedUntil"/>.</summary>
    async Task<(string Subscription, DeliverAlert Message, Guid Lease)> GivenAClaimedDelivery(string prefix, string url, DateTimeOffset leasedUntil)
    {
        var negotiation = await app.GivenNegotiation(prefix);
        var subscription = await Subscribe(negotiation, url);
        var alert = new StageChangeAlert(Guid.NewGuid(), negotiation, Today, Stage.Estrangement, Stage.Exploratory, "talks-within-window",
            [Guid.NewGuid()], AlertCause.Event, DateTimeOffset.UtcNow);
        var log = AlertDelivery.Pending(Guid.Parse(subscription), alert);
        var lease = Guid.NewGuid();
        (log.Attempts, log.LastAttemptAt, log.LeaseId, log.LeasedUntil) = (1, DateTimeOffset.UtcNow.AddMinutes(-2), lease, leasedUntil);
        await using var session = app.Store.LightweightSession();
        session.Store(log);
        await session.SaveChangesAsync();
        return (subscription, new DeliverAlert(Guid.Parse(subscription), alert), lease);
    }

    [Fact]
    public async Task Given_a_delivery_claimed_by_a_node_that_died_mid_POST_When_its_message_runs_again_after_the_claim_lapsed_Then_it_is_POSTed_and_delivered()
    {
        // Given a delivery whose claim lapsed a minute ago (its node died during the POST: at least once, receivers drop seen ids)
        using var receiver = RawReceiver.AnsweringAfter(TimeSpan.Zero);
        var (subscription, message, _) = await GivenAClaimedDelivery("lapsed", receiver.Url, DateTimeOffset.UtcNow.AddMinutes(-1));
        try
        {
            // When its message runs again (recovered by another node)
            await app.Host.MessageBus().PublishAsync(message);

            // Then it is POSTed and logged delivered, the lapsed attempt counted with this one, the claim released
            (await WebhookReceiver.Eventually(() => receiver.Requests == 1, 20)).ShouldBeTrue("the delivery should be POSTed again");
            (await WebhookReceiver.Eventually(async () => (await app.Store.QuerySession().LoadAsync<AlertDelivery>(AlertDelivery.IdOf(message.SubscriptionId, message.Alert.Id)))
                is { Status: DeliveryStatus.Delivered, Attempts: 2, LeaseId: null }, 10)).ShouldBeTrue("the delivery should be logged delivered at its second attempt");
        }
        finally
        {
            await Unsubscribe([subscription]);
        }
    }

    [Fact]
    public async Task Given_a_delivery_another_attempt_holds_When_a_copy_of_its_message_runs_Then_the_copy_does_not_POST_and_leaves_the_claim()
    {
        // Given a delivery another node's attempt claimed a moment ago (its POST under way)
        using var receiver = RawReceiver.AnsweringAfter(TimeSpan.Zero);
        var (subscription, message, lease) = await GivenAClaimedDelivery("claimed", receiver.Url, DateTimeOffset.UtcNow.AddMinutes(5));
        try
        {
            // When a copy of its message runs here
            var mark = app.Logs.Mark();
            await app.Host.MessageBus().PublishAsync(message);
            (await WebhookReceiver.Eventually(() => app.Logs.Since(mark).Any(e => (e.Message + e.Exception).Contains("another attempt holds it")), 10))
                .ShouldBeTrue("the copy should have run and found the claim");
            await Task.Delay(TimeSpan.FromSeconds(2));

            // Then the copy sends nothing and the other attempt's claim and count stand (the copy looks again after the lease)
            receiver.Requests.ShouldBe(0);
            var log = await app.Store.QuerySession().LoadAsync<AlertDelivery>(AlertDelivery.IdOf(message.SubscriptionId, message.Alert.Id));
            log.ShouldNotBeNull();
            log.LeaseId.ShouldBe(lease);
            log.Attempts.ShouldBe(1);
            log.Status.ShouldBe(DeliveryStatus.Pending);
        }
        finally
        {
            await Unsubscribe([subscription]);
        }
    }
}
