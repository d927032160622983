using System.Text.Json.Nodes;
using Alba;
using Normalization.Api.Security;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Alerts;

/// <summary>Two API nodes on one database (the fixture's host and a second one): appends from both, every stage change delivered once.</summary>
[Collection(ApiCollection.Name)]
public sealed class TwoNodesTests(AppFixture app)
{
    static async Task Append(IAlbaHost node, string id, JsonObject e)
    {
        var result = await node.Scenario(s =>
        {
            s.Post.Json(new { events = new[] { e } }).ToUrl($"/api/negotiations/{id}/events");
            s.WithRequestHeader(ApiKeys.Header, AppFixture.ApiKey);
            s.IgnoreStatusCode();
        });
        result.Context.Response.StatusCode.ShouldBe(201);
    }

    [Fact]
    public async Task Given_two_nodes_When_both_append_to_the_same_and_to_different_negotiations_Then_every_change_is_delivered_once()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var party = NewPartyCode();
        var (status, _) = await app.PostJson("/api/subscriptions", new { url = receiver.Url, secret = "two-nodes", party });
        status.ShouldBe(201);
        var shared = await app.GivenNegotiation("shared", party, "TB");
        var onlyA = await app.GivenNegotiation("only-a", party, "TB");
        var onlyB = await app.GivenNegotiation("only-b", party, "TB");
        await using var nodeB = await AlbaHost.For<Program>(_ => { });

        // Talks, a gesture each way, then a strike: the stage goes up and down; the two nodes interleave on the shared one.
        await Task.WhenAll(
            Append(app.Host, shared, Talks(Day(60), party, "TB")),
            Append(app.Host, onlyA, Talks(Day(50), party, "TB")),
            Append(nodeB, onlyB, Talks(Day(50), party, "TB")));
        await Append(nodeB, shared, Release(Day(40), party, "TB"));
        await Append(app.Host, shared, Release(Day(30), "TB", party));
        await Task.WhenAll(Append(nodeB, onlyA, Release(Day(20), party, "TB")), Append(app.Host, onlyB, Release(Day(20), "TB", party)));

        foreach (var id in new[] { shared, onlyA, onlyB })
        {
            var (_, state) = await app.GetJson($"/api/negotiations/{id}");
            var changes = state!["stageHistory"]!.AsArray().Count(t => t!["on"] is not null);
            changes.ShouldBeGreaterThan(0);
            (await WebhookReceiver.Eventually(() => receiver.For(id).Count >= changes)).ShouldBeTrue($"{id}: {changes} changes expected");
        }
        await Task.Delay(TimeSpan.FromSeconds(3));
        foreach (var id in new[] { shared, onlyA, onlyB })
        {
            var (_, state) = await app.GetJson($"/api/negotiations/{id}");
            var expected = state!["stageHistory"]!.AsArray().Where(t => t!["on"] is not null).Select(t => (t!["on"]!.GetValue<string>(), t["to"]!.GetValue<string>())).ToList();
            var received = receiver.For(id).Select(a => (a["on"]!.GetValue<string>(), a["to"]!.GetValue<string>())).ToList();
            received.ShouldBe(expected, ignoreOrder: true);
            receiver.For(id).Select(a => a["id"]!.GetValue<string>()).Distinct().Count().ShouldBe(received.Count);
        }
    }
}
