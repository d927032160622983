using System.Text.Json.Nodes;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Alerts;

/// <summary>
/// A write that takes back the change a subscriber was last told of (the talks retracted) announces where the stage now
/// stands, and a change that comes back after that (the retraction retracted, the talks posted again) is announced again
/// with a new id: a subscriber that orders by <c>on</c> and drops seen ids always ends on the stage the record holds.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class WithdrawnChangeTests(AppFixture app)
{
    async Task Subscribe(string url, string negotiationId)
    {
        var (status, created) = await app.PostJson("/api/subscriptions", new { url, secret = "secret-withdrawn", negotiationId });
        status.ShouldBe(201, created?.ToJsonString());
    }

    async Task<string> Retract(string id, string eventId)
    {
        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events/{eventId}/retract", new { reason = "reported in error" });
        status.ShouldBe(201, body?.ToJsonString());
        return body!["retractionEventId"]!.GetValue<string>();
    }

    async Task<string> StageNow(string id)
    {
        var (status, state) = await app.GetJson($"/api/negotiations/{id}");
        status.ShouldBe(200);
        return state!["stage"]!.GetValue<string>();
    }

    /// <summary>What a subscriber following docs/alerts.md believes: seen ids dropped, the latest <c>on</c> (then arrival) wins.</summary>
    static string Believed(IReadOnlyList<JsonNode> alerts) =>
        alerts.DistinctBy(a => a["id"]!.GetValue<string>()).Select((a, i) => (a, i))
            .OrderBy(x => x.a["on"]!.GetValue<string>(), StringComparer.Ordinal).ThenBy(x => x.i).Last().a["to"]!.GetValue<string>();

    [Fact]
    public async Task Given_talks_announced_When_they_are_retracted_and_put_back_Then_each_step_is_announced_and_the_subscriber_ends_where_the_record_stands()
    {
        // Given a subscriber told that talks moved the stage to Exploratory
        await using var receiver = await WebhookReceiver.StartAsync();
        var id = await app.GivenNegotiation("withdrawn");
        await Subscribe(receiver.Url, id);
        var talks = Guid.NewGuid();
        await app.GivenEvents(id, Talks(Day(30), eventId: talks));
        (await WebhookReceiver.Eventually(() => receiver.For(id).Count >= 1)).ShouldBeTrue("the talks' change should arrive");
        receiver.For(id).Single()["to"]!.GetValue<string>().ShouldBe("Exploratory");

        // When the talks are retracted (the record has no change left: the stage is Estrangement throughout)
        var retraction = await Retract(id, talks.ToString());

        // Then the subscriber is told the stage is back to Estrangement, from the day it was told of, as a revision
        (await WebhookReceiver.Eventually(() => receiver.For(id).Count >= 2)).ShouldBeTrue("the retraction's change should be announced");
        var back = receiver.For(id)[1];
        back["on"]!.GetValue<string>().ShouldBe(Day(30));
        back["from"]!.GetValue<string>().ShouldBe("Exploratory");
        back["to"]!.GetValue<string>().ShouldBe("Estrangement");
        back["cause"]!.GetValue<string>().ShouldBe("revised");
        (await StageNow(id)).ShouldBe("Estrangement");
        Believed(receiver.For(id)).ShouldBe("Estrangement");

        // When the retraction is retracted (the talks stand again, the same change as the first)
        await Retract(id, retraction);

        // Then that change is announced again, under a new id, and the subscriber believes Exploratory again
        (await WebhookReceiver.Eventually(() => receiver.For(id).Count >= 3)).ShouldBeTrue("the talks' change, back, should be announced again");
        (await StageNow(id)).ShouldBe("Exploratory");
        Believed(receiver.For(id)).ShouldBe("Exploratory");

        // And when the talks are retracted once more, that is announced too
        await Retract(id, talks.ToString());
        (await WebhookReceiver.Eventually(() => receiver.For(id).Count >= 4)).ShouldBeTrue("the second retraction's change should be announced");
        await Task.Delay(TimeSpan.FromSeconds(2)); // a duplicate would have arrived by now
        var alerts = receiver.For(id);
        alerts.Count.ShouldBe(4);
        alerts.Select(a => a["id"]!.GetValue<string>()).Distinct().Count().ShouldBe(4);
        (await StageNow(id)).ShouldBe("Estrangement");
        Believed(alerts).ShouldBe("Estrangement");
    }

    [Fact]
    public async Task Given_talks_announced_When_they_are_retracted_and_posted_again_as_a_new_event_Then_the_subscriber_is_told_both()
    {
        // Given a subscriber told that talks moved the stage to Exploratory, then that they were retracted
        await using var receiver = await WebhookReceiver.StartAsync();
        var id = await app.GivenNegotiation("reposted");
        await Subscribe(receiver.Url, id);
        var talks = Guid.NewGuid();
        await app.GivenEvents(id, Talks(Day(40), eventId: talks));
        (await WebhookReceiver.Eventually(() => receiver.For(id).Count >= 1)).ShouldBeTrue();
        await Retract(id, talks.ToString());
        (await WebhookReceiver.Eventually(() => receiver.For(id).Count >= 2)).ShouldBeTrue("the retraction's change should be announced");

        // When the same talks are posted again as a new event
        await app.GivenEvents(id, Talks(Day(40)));

        // Then that change is announced with an id of its own, and the subscriber believes Exploratory
        (await WebhookReceiver.Eventually(() => receiver.For(id).Count >= 3)).ShouldBeTrue("the talks posted again should be announced");
        var alerts = receiver.For(id);
        alerts.Select(a => a["id"]!.GetValue<string>()).Distinct().Count().ShouldBe(3);
        alerts[2]["to"]!.GetValue<string>().ShouldBe("Exploratory");
        (await StageNow(id)).ShouldBe("Exploratory");
        Believed(alerts).ShouldBe("Exploratory");
    }

    [Fact]
    public async Task Given_a_later_dated_change_taken_back_while_the_stage_held_When_a_later_write_moves_the_stage_back_Then_the_subscriber_ends_where_the_record_stands()
    {
        // Given talks 400 days ago (their window ended 35 days ago) and talks 30 days ago: the subscriber is told
        // Exploratory, then Estrangement on day -35, then Exploratory on day -30
        await using var receiver = await WebhookReceiver.StartAsync();
        var id = await app.GivenNegotiation("takenback");
        await Subscribe(receiver.Url, id);
        var recent = Guid.NewGuid();
        var middle = Guid.NewGuid();
        await app.GivenEvents(id, Talks(Day(400)));
        await app.GivenEvents(id, Talks(Day(30), eventId: recent));
        (await WebhookReceiver.Eventually(() => receiver.For(id).Count >= 3)).ShouldBeTrue("three changes should arrive");

        // When talks 100 days ago keep the window open (the changes of days -35 and -30 are gone; Exploratory holds), the
        // talks of day -30 are retracted (nothing changes), and then the talks of day -100 are retracted
        await app.GivenEvents(id, Talks(Day(100), eventId: middle));
        await Retract(id, recent.ToString());
        await Retract(id, middle.ToString());

        // Then the stage is Estrangement since day -35, and so is what the subscriber believes
        (await StageNow(id)).ShouldBe("Estrangement");
        (await WebhookReceiver.Eventually(() => Believed(receiver.For(id)) == "Estrangement", 15))
            .ShouldBeTrue("the subscriber should end on Estrangement: " + string.Join(" | ", receiver.For(id).Select(a => a.ToJsonString())));
    }
}
