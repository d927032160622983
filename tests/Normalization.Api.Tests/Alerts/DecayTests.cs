using System.Text.Json.Nodes;
using Alba;
using Microsoft.Extensions.DependencyInjection;
using Normalization.Api.Alerts.Decaying;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using Wolverine.Persistence.Durability;
using Wolverine.Persistence.Durability.ScheduledMessageManagement;
using Wolverine.Runtime;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Alerts;

/// <summary>
/// Decay announced on its day: a window expiry is a scheduled Wolverine message (durable), fired when the day begins on the
/// app's clock — once, rescheduled by an event that changes the outlook, and delivered by a node started after it was due.
/// The nodes' fake clock starts <see cref="Lead"/> before the expiry day, so Wolverine's wall-clock scheduler fires the
/// message a few real seconds later; the tests move the fake clock past the day before it does.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class DecayTests
{
    static readonly TimeSpan Lead = TimeSpan.FromSeconds(3);
    /// <summary>The expiry day: the talks are dated a window (365 days) before it.</summary>
    static readonly DateOnly ExpiryDay = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(2);
    static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd");
    static DateTimeOffset StartOf(DateOnly d) => new(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero); // the tests' deployment zone is UTC

    /// <summary>A negotiation with talks a window before <see cref="ExpiryDay"/>, and a receiver subscribed to it.</summary>
    static async Task<string> GivenTalksExpiringOnTheDay(IAlbaHost node, WebhookReceiver receiver)
    {
        var id = TestApi.NewId("decay");
        (await IsolatedNodes.PostJson(node, "/api/negotiations", Negotiation(id))).Status.ShouldBe(201);
        (await IsolatedNodes.PostJson(node, "/api/subscriptions", new { url = receiver.Url, secret = "decay-secret", negotiationId = id })).Status.ShouldBe(201);
        var (status, body) = await IsolatedNodes.PostJson(node, $"/api/negotiations/{id}/events", new { events = new[] { Talks(Iso(ExpiryDay.AddDays(-365))) } });
        status.ShouldBe(201, body?.ToJsonString());
        return id;
    }

    static List<JsonNode> Expired(WebhookReceiver receiver, string id) =>
        receiver.For(id).Where(a => a["cause"]!.GetValue<string>() == "window-expired").ToList();

    static async Task<List<ScheduledMessageSummary>> ScheduledExpiries(IAlbaHost node)
    {
        var store = node.Services.GetRequiredService<IWolverineRuntime>().Storage;
        var results = await store!.ScheduledMessages.QueryAsync(new ScheduledMessageQuery { PageSize = 100 }, CancellationToken.None);
        return results.Messages.Where(m => m.MessageType != null && m.MessageType.Contains(nameof(WindowExpiryDue), StringComparison.OrdinalIgnoreCase)).ToList();
    }

    [Fact]
    public async Task Given_talks_whose_window_ends_tomorrow_When_the_clock_passes_the_day_Then_one_window_expired_alert_is_delivered()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var nodes = await IsolatedNodes.CreateAsync(StartOf(ExpiryDay) - Lead);
        var node = await nodes.StartAsync();
        var id = await GivenTalksExpiringOnTheDay(node, receiver);
        (await WebhookReceiver.Eventually(() => receiver.For(id).Count == 1)).ShouldBeTrue("the talks' own change");

        nodes.Clock.Advance(TimeSpan.FromDays(1));

        (await WebhookReceiver.Eventually(() => Expired(receiver, id).Count >= 1)).ShouldBeTrue("the expiry should be announced on its day");
        await Task.Delay(TimeSpan.FromSeconds(3));
        var alert = Expired(receiver, id).ShouldHaveSingleItem();
        alert["on"]!.GetValue<string>().ShouldBe(Iso(ExpiryDay));
        alert["from"]!.GetValue<string>().ShouldBe("Exploratory");
        alert["to"]!.GetValue<string>().ShouldNotBe("Exploratory");
        var (_, state) = await IsolatedNodes.GetJson(node, $"/api/negotiations/{id}");
        state!["stageHistory"]!.AsArray().Last()!["on"]!.GetValue<string>().ShouldBe(Iso(ExpiryDay));
        (await ScheduledExpiries(node)).ShouldBeEmpty();
    }

    [Fact]
    public async Task Given_a_scheduled_expiry_When_new_talks_come_first_Then_nothing_is_announced_on_the_old_day_and_the_change_comes_on_the_new_one()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var nodes = await IsolatedNodes.CreateAsync(StartOf(ExpiryDay) - Lead);
        var node = await nodes.StartAsync();
        var id = await GivenTalksExpiringOnTheDay(node, receiver);
        var newDay = ExpiryDay.AddDays(-1).AddDays(365);

        var (status, _) = await IsolatedNodes.PostJson(node, $"/api/negotiations/{id}/events", new { events = new[] { Talks(Iso(ExpiryDay.AddDays(-1))) } });
        status.ShouldBe(201);
        var dueAt = DateTimeOffset.UtcNow + (StartOf(newDay) - nodes.Clock.GetUtcNow()); // the new day, on Wolverine's wall clock
        nodes.Clock.Advance(TimeSpan.FromDays(1));

        // The old message fires (a few seconds, plus Wolverine's polling) and finds no change on the old day.
        (await WebhookReceiver.Eventually(async () => (await ScheduledExpiries(node)).Count == 1)).ShouldBeTrue("only the new day's message should remain");
        var scheduled = (await ScheduledExpiries(node)).Single();
        scheduled.ScheduledTime!.Value.ShouldBe(dueAt, TimeSpan.FromMinutes(1));
        Expired(receiver, id).ShouldBeEmpty();

        // A year on: the clock passes the new day, and Wolverine's wall clock is brought to the message.
        nodes.Clock.SetUtcNow(StartOf(newDay).AddHours(1));
        await node.Services.GetRequiredService<IWolverineRuntime>().Storage.ScheduledMessages.RescheduleAsync(scheduled.Id, DateTimeOffset.UtcNow, CancellationToken.None);

        (await WebhookReceiver.Eventually(() => Expired(receiver, id).Count >= 1)).ShouldBeTrue("the expiry should be announced on the new day");
        await Task.Delay(TimeSpan.FromSeconds(3));
        Expired(receiver, id).ShouldHaveSingleItem()["on"]!.GetValue<string>().ShouldBe(Iso(newDay));
    }

    [Fact]
    public async Task Given_the_node_that_scheduled_an_expiry_is_down_on_the_day_When_two_nodes_start_later_Then_the_change_is_delivered_once()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var nodes = await IsolatedNodes.CreateAsync(StartOf(ExpiryDay) - Lead);
        var first = await nodes.StartAsync();
        var id = await GivenTalksExpiringOnTheDay(first, receiver);
        await nodes.StopAsync(first);

        nodes.Clock.Advance(TimeSpan.FromDays(1));
        await Task.Delay(Lead + TimeSpan.FromSeconds(2)); // the message is due while no node runs
        Expired(receiver, id).ShouldBeEmpty();
        var later = await Task.WhenAll(nodes.StartAsync(), nodes.StartAsync());

        (await WebhookReceiver.Eventually(() => Expired(receiver, id).Count >= 1)).ShouldBeTrue("a node started later should fire the overdue expiry");
        await Task.Delay(TimeSpan.FromSeconds(4));
        Expired(receiver, id).ShouldHaveSingleItem()["on"]!.GetValue<string>().ShouldBe(Iso(ExpiryDay));
        (await ScheduledExpiries(later[0])).ShouldBeEmpty();
    }
}
