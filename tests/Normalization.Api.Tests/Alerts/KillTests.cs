using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Alerts;

/// <summary>A process killed (SIGKILL) between the commit and the delivery: the alert is delivered after a restart.</summary>
[Collection(ApiCollection.Name)]
public sealed class KillTests
{
    /// <summary>Retries 2 s apart, 6 of them: the first attempts fail while the receiver is down, the rest are left for the restart.</summary>
    static readonly Dictionary<string, string> Retries = Enumerable.Range(0, 6).ToDictionary(i => $"Normalization__Alerts__RetryDelaysSeconds__{i}", _ => "2");

    [Fact]
    public async Task Given_a_receiver_that_is_down_When_the_process_is_killed_after_the_append_and_restarted_Then_the_alert_is_delivered_once()
    {
        await using var receiver = WebhookReceiver.Down();
        await using var nodes = await IsolatedNodes.CreateAsync(DateTimeOffset.UtcNow);
        var id = TestApi.NewId("killed");
        await using (var first = await ApiProcess.StartAsync(nodes.ConnectionString, Retries))
        {
            (await first.PostJson("/api/negotiations", Negotiation(id))).Status.ShouldBe(201);
            (await first.PostJson("/api/subscriptions", new { url = receiver.Url, secret = "killed-secret", negotiationId = id })).Status.ShouldBe(201);
            var (status, body) = await first.PostJson($"/api/negotiations/{id}/events", new { events = new[] { Talks(Day(30)) } });
            status.ShouldBe(201, body);

            await first.KillAsync();
        }
        receiver.Received.ShouldBeEmpty();
        await receiver.UpAsync();

        await using var second = await ApiProcess.StartAsync(nodes.ConnectionString, Retries);

        (await WebhookReceiver.Eventually(() => receiver.For(id).Count >= 1, 120)).ShouldBeTrue("the restarted process should deliver the alert:\n" + second.Output);
        await Task.Delay(TimeSpan.FromSeconds(3));
        var alert = receiver.For(id).ShouldHaveSingleItem();
        alert["on"]!.GetValue<string>().ShouldBe(Day(30));
        alert["to"]!.GetValue<string>().ShouldBe("Exploratory");
    }
}
