using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Normalization.Api.Alerts.Delivering;
using Normalization.Api.Alerts.Notifying;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Negotiations;
using Npgsql;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Alerts;

/// <summary>Stage changes POSTed to a real receiver on loopback: signed, once, retried, never for a rolled-back write.</summary>
[Collection(ApiCollection.Name)]
public sealed class DeliveryTests(AppFixture app)
{
    async Task<string> Subscribe(string url, string secret, object? filters = null)
    {
        var body = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(filters ?? new { }))!.AsObject();
        body["url"] = url;
        body["secret"] = secret;
        var (status, created) = await app.PostJson("/api/subscriptions", body);
        status.ShouldBe(201, created?.ToJsonString());
        return created!["id"]!.GetValue<string>();
    }

    async Task<JsonNode> Deliveries(string subscription)
    {
        var (status, body) = await app.GetJson($"/api/subscriptions/{subscription}/deliveries", withKey: true);
        status.ShouldBe(200);
        return body!;
    }

    [Fact]
    public async Task Given_a_subscriber_When_talks_move_the_stage_Then_one_signed_alert_is_delivered_once()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var id = await app.GivenNegotiation("alert");
        var secret = "secret-" + Guid.NewGuid();
        var subscription = await Subscribe(receiver.Url, secret, new { negotiationId = id });
        var other = await Subscribe(receiver.Url, "other-secret", new { negotiationId = id, stages = new[] { "FullRelations" } });
        var talks = Guid.NewGuid();

        await app.GivenEvents(id, Talks(Day(30), eventId: talks));

        (await WebhookReceiver.Eventually(() => receiver.For(id).Count >= 1)).ShouldBeTrue("the alert should arrive");
        await Task.Delay(TimeSpan.FromSeconds(3)); // a second copy would have arrived by now
        var (bodyBytes, signature, alert) = receiver.Received.Single(r => r.Json["negotiationId"]!.GetValue<string>() == id);
        WebhookSignature.Verify(bodyBytes, secret, signature).ShouldBeTrue();
        WebhookReceiver.SignatureHolds(bodyBytes, secret, signature).ShouldBeTrue();   // the receiver code docs/alerts.md shows
        WebhookReceiver.SignatureHolds(bodyBytes, "other-secret", signature).ShouldBeFalse();
        signature.ShouldStartWith("sha256=");
        signature.ShouldBe("sha256=" + Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), bodyBytes)));
        alert["to"]!.GetValue<string>().ShouldBe("Exploratory");
        alert["on"]!.GetValue<string>().ShouldBe(Day(30));
        alert["cause"]!.GetValue<string>().ShouldBe("event");
        alert["eventIds"]!.AsArray().Select(e => e!.GetValue<string>()).ShouldContain(talks.ToString());
        alert["from"].ShouldNotBeNull();
        alert["rule"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
        alert["recordedAt"].ShouldNotBeNull();
        Guid.Parse(alert["id"]!.GetValue<string>()).ShouldNotBe(Guid.Empty);

        var log = (await Deliveries(subscription))["items"]!.AsArray().Single()!;
        log["status"]!.GetValue<string>().ShouldBe("delivered");
        log["attempts"]!.GetValue<int>().ShouldBe(1);
        (await Deliveries(other))["items"]!.AsArray().ShouldBeEmpty();
    }

    [Fact]
    public async Task Given_a_subscriber_When_an_import_moves_the_stage_several_times_Then_only_where_it_stands_now_is_announced_once()
    {
        // Given a subscriber to a negotiation
        await using var receiver = await WebhookReceiver.StartAsync();
        var id = await app.GivenNegotiation("bulkalert");
        await Subscribe(receiver.Url, "secret-bulk", new { negotiationId = id });
        var store = app.Host.Services.GetRequiredService<Normalization.Api.Storage.NegotiationStore>();
        var opening = (await store.OpeningOfAsync(id))!;
        var before = (await store.StateAsOfAsync(id, store.Today))!.Stage;

        // When an import (the path of `import` and POST …/imports) brings talks, then releases on both sides
        var history = new[] { Talks(Day(40)), Release(Day(30), "US", "TB"), Release(Day(25), "TB", "US") }
            .Select(j => EventJson.Deserialize(j.ToJsonString())).ToList();
        var outcome = await store.BulkAppendAsync(opening, create: false, null, history, "importer");
        outcome.ShouldBeOfType<Normalization.Api.Storage.BulkOutcome.Stored>();
        var now = (await store.StateAsOfAsync(id, store.Today))!;

        // Then the stage moved more than once, and one alert says where it stands now
        now.StageHistory.Count(t => t.On is not null && t.On >= DateOnly.Parse(Day(40))).ShouldBeGreaterThan(1);
        (await WebhookReceiver.Eventually(() => receiver.For(id).Count >= 1)).ShouldBeTrue("the import's alert should arrive");
        await Task.Delay(TimeSpan.FromSeconds(3)); // a second alert would have arrived by now
        var alert = receiver.Received.Single(r => r.Json["negotiationId"]!.GetValue<string>() == id).Json;
        alert["to"]!.GetValue<string>().ShouldBe(now.Stage.ToString());
        alert["on"]!.GetValue<string>().ShouldBe(now.StageSince!.Value.ToString("yyyy-MM-dd"));
        now.Stage.ShouldNotBe(before);
    }

    [Fact]
    public async Task Given_a_receiver_that_is_down_When_the_stage_changes_Then_it_gets_the_alert_after_a_retry_once_it_is_up()
    {
        await using var receiver = WebhookReceiver.Down();
        var id = await app.GivenNegotiation("down");
        var subscription = await Subscribe(receiver.Url, "secret-down", new { negotiationId = id });

        await app.GivenEvents(id, Talks(Day(30)));
        (await WebhookReceiver.Eventually(async () => (await Deliveries(subscription))["items"]!.AsArray().FirstOrDefault()?["status"]?.GetValue<string>() == "retrying"))
            .ShouldBeTrue("the first attempt should fail while the receiver is down");
        var failed = (await Deliveries(subscription))["items"]![0]!;
        await receiver.UpAsync();

        (await WebhookReceiver.Eventually(() => receiver.For(id).Count >= 1)).ShouldBeTrue("the retry should deliver once the receiver is up");
        failed["lastError"]!.GetValue<string>().ShouldNotBeNullOrEmpty();
        (await WebhookReceiver.Eventually(async () => (await Deliveries(subscription))["items"]![0]!["status"]!.GetValue<string>() == "delivered")).ShouldBeTrue();
        (await Deliveries(subscription))["items"]![0]!["attempts"]!.GetValue<int>().ShouldBeGreaterThan(1);
        receiver.For(id).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Given_a_receiver_that_never_answers_well_When_every_retry_fails_Then_the_delivery_is_dead_lettered()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Failing = true;
        var id = await app.GivenNegotiation("dead");
        var subscription = await Subscribe(receiver.Url, "secret-dead", new { negotiationId = id });

        await app.GivenEvents(id, Talks(Day(30)));

        (await WebhookReceiver.Eventually(async () => (await Deliveries(subscription))["items"]!.AsArray().FirstOrDefault()?["status"]?.GetValue<string>() == "dead-lettered", 60))
            .ShouldBeTrue();
        var log = (await Deliveries(subscription))["items"]![0]!;
        log["attempts"]!.GetValue<int>().ShouldBe(4); // the first try and 3 retries (the tests' Normalization:Alerts:RetryDelaysSeconds)
        log["lastError"]!.GetValue<string>().ShouldContain("503");
        receiver.Refused.ShouldBe(4);
    }

    [Fact]
    public async Task Given_stage_changes_recorded_in_a_transaction_When_it_rolls_back_Then_nothing_is_delivered_and_when_committed_it_is()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var alerts = app.Host.Services.GetRequiredService<StageChangeAlerts>();
        var dataSource = app.Host.Services.GetRequiredService<NpgsqlDataSource>();
        var rolledBack = TestApi.NewId("rolled");
        var committed = TestApi.NewId("committed");
        await Subscribe(receiver.Url, "secret-tx", new { negotiationId = rolledBack });
        await Subscribe(receiver.Url, "secret-tx", new { negotiationId = committed });

        foreach (var (id, commit) in new[] { (rolledBack, false), (committed, true) })
        {
            var (before, after, events) = TalksFold(id);
            await using var conn = await dataSource.OpenConnectionAsync();
            await using var tx = await conn.BeginTransactionAsync();
            var enlisted = await alerts.EnlistAsync(tx, id, before, Today, after, Today, events, version: 2);
            if (commit) { await tx.CommitAsync(); await enlisted.FlushAsync(); }
            else await tx.RollbackAsync();
        }

        (await WebhookReceiver.Eventually(() => receiver.For(committed).Count == 1)).ShouldBeTrue("the committed change should be delivered");
        await Task.Delay(TimeSpan.FromSeconds(2));
        receiver.For(rolledBack).ShouldBeEmpty();
    }

    [Fact]
    public async Task Given_a_node_that_stops_between_commit_and_delivery_When_another_node_runs_Then_that_node_delivers_it()
    {
        // Node B records a change and commits, then stops before handing the message over (what a crash between the commit
        // and FlushAsync leaves: the message in Wolverine's inbox only). Node A, the fixture's host, picks it up.
        await using var receiver = await WebhookReceiver.StartAsync();
        var id = TestApi.NewId("crash");
        await Subscribe(receiver.Url, "secret-crash", new { negotiationId = id });
        var (before, after, events) = TalksFold(id);

        await using (var nodeB = await Alba.AlbaHost.For<Program>(_ => { }))
        {
            var dataSource = nodeB.Services.GetRequiredService<NpgsqlDataSource>();
            await using var conn = await dataSource.OpenConnectionAsync();
            await using var tx = await conn.BeginTransactionAsync();
            await nodeB.Services.GetRequiredService<StageChangeAlerts>().EnlistAsync(tx, id, before, Today, after, Today, events, version: 2);
            await tx.CommitAsync();
        }

        (await WebhookReceiver.Eventually(() => receiver.For(id).Count == 1, 60)).ShouldBeTrue("another node should pick the message up");
        await Task.Delay(TimeSpan.FromSeconds(2));
        receiver.For(id).Count.ShouldBe(1);
    }

    [Fact]
    public async Task Given_an_invalid_append_When_it_is_refused_Then_nothing_is_delivered()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var id = await app.GivenNegotiation("refused");
        await Subscribe(receiver.Url, "secret-refused", new { negotiationId = id });
        var bad = Talks(Day(30));
        bad["occurredOn"] = "not-a-date";

        var (status, _) = await app.PostJson($"/api/negotiations/{id}/events", new { events = new[] { Talks(Day(31)), bad } });
        await Task.Delay(TimeSpan.FromSeconds(3));

        status.ShouldBe(400);
        receiver.For(id).ShouldBeEmpty();
    }

    static (FoldAccumulator Before, FoldAccumulator After, List<NegotiationEvent> Events) TalksFold(string id)
    {
        var opening = new NegotiationOpened
        {
            Id = id, Title = "US – TB",
            Parties = [new Party { Code = "US", Name = "United States" }, new Party { Code = "TB", Name = "Taliban" }],
        };
        var before = FoldAccumulator.Start(opening);
        var after = before.Clone();
        var talks = new TalksHeld
        {
            EventId = Guid.NewGuid(), OccurredOn = DomainDate.Parse(Day(30)), Actor = "US", Target = "TB", Confidence = Confidence.Confirmed,
            Participants = ["US", "TB"], Level = TalksLevel.Exploratory, Location = "Doha",
        };
        after.Apply(talks);
        return (before, after, [talks]);
    }
}
