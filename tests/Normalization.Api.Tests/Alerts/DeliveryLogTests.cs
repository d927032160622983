using System.Text.Json.Nodes;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Alerts;

/// <summary>
/// What GET /api/subscriptions/{id}/deliveries says about a failed attempt: <c>lastError</c> names the cause a receiver's
/// operator can act on (docs/alerts.md, "Delivery"), not only .NET's wrapper sentence.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class DeliveryLogTests(AppFixture app)
{
    /// <summary>Subscribes <paramref name="url"/> to a new negotiation, then records a stage change: its id and the subscription's.</summary>
    async Task<(string Negotiation, string Subscription)> GivenSubscriberHearingAChange(string prefix, string url)
    {
        var id = await app.GivenNegotiation(prefix);
        var (created, subscription) = await app.PostJson("/api/subscriptions", new { url, secret = "secret-" + prefix, negotiationId = id });
        created.ShouldBe(201, subscription?.ToJsonString());
        await app.GivenEvents(id, Talks(Day(30)));
        return (id, subscription!["id"]!.GetValue<string>());
    }

    /// <summary>The newest delivery row of <paramref name="subscription"/> once <paramref name="until"/> holds of it (null: it never did).</summary>
    async Task<JsonNode?> DeliveryRow(string subscription, Func<JsonNode, bool> until)
    {
        JsonNode? row = null;
        var seen = await WebhookReceiver.Eventually(async () =>
        {
            var (_, body) = await app.GetJson($"/api/subscriptions/{subscription}/deliveries", withKey: true);
            row = body?["items"]?.AsArray().FirstOrDefault();
            return row is not null && until(row);
        });
        return seen ? row : null;
    }

    [Fact]
    public async Task Given_a_receiver_that_closes_the_connection_without_answering_When_the_stage_changes_Then_lastError_says_the_answer_ended_early()
    {
        // Given a receiver that reads the request and hangs up without a status line (a crashing or misconfigured proxy)
        using var receiver = new RawReceiver((_, _) => Task.CompletedTask);

        // When the stage changes
        var (_, subscription) = await GivenSubscriberHearingAChange("hangup", receiver.Url);

        // Then the delivery log's lastError says what happened, not just "An error occurred while sending the request."
        var row = await DeliveryRow(subscription, r => r["lastError"] is not null);
        row.ShouldNotBeNull("a failed attempt should be logged");
        var lastError = row["lastError"]!.GetValue<string>();
        lastError.ShouldContain("ended prematurely", Case.Insensitive, lastError);
        row["lastStatusCode"].ShouldBeNull();
    }

    [Theory]
    [InlineData(301, "Moved Permanently")]
    [InlineData(308, "Permanent Redirect")]
    public async Task Given_a_receiver_that_redirects_When_the_stage_changes_Then_lastError_says_where_to_and_that_redirects_are_not_followed(int code, string reason)
    {
        // Given a receiver that answers every POST with a redirect to its new address (a moved endpoint)
        var moved = $"https://hooks.newsroom.example/moved/{Guid.NewGuid():N}";
        using var receiver = RawReceiver.Answering($"HTTP/1.1 {code} {reason}\r\nLocation: {moved}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

        // When the stage changes
        var (_, subscription) = await GivenSubscriberHearingAChange("redirect", receiver.Url);

        // Then the log gives the status, the address it points to and that it is not followed: the subscriber's fix is one read away
        var row = await DeliveryRow(subscription, r => r["lastError"] is not null);
        row.ShouldNotBeNull("a failed attempt should be logged");
        var lastError = row["lastError"]!.GetValue<string>();
        lastError.ShouldStartWith($"HTTP {code} {reason}");
        lastError.ShouldContain(moved);
        lastError.ShouldContain("not followed");
        row["lastStatusCode"]!.GetValue<int>().ShouldBe(code);
    }

    [Fact]
    public async Task Given_a_receiver_that_answers_410_Gone_When_the_stage_changes_Then_the_delivery_is_dead_lettered_after_one_attempt()
    {
        // Given a receiver that answers every POST 410 Gone (an endpoint retired for good), counting them
        using var receiver = RawReceiver.Answering("HTTP/1.1 410 Gone\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

        // When the stage changes
        var (_, subscription) = await GivenSubscriberHearingAChange("gone", receiver.Url);

        // Then the delivery is dead-lettered at its first attempt, saying why, and no retry comes (the tests' retries are 1 s apart)
        var row = await DeliveryRow(subscription, r => r["status"]?.GetValue<string>() == "dead-lettered");
        row.ShouldNotBeNull("the delivery should be dead-lettered");
        await Task.Delay(TimeSpan.FromSeconds(3));
        receiver.Requests.ShouldBe(1);
        row["attempts"]!.GetValue<int>().ShouldBe(1);
        row["lastStatusCode"]!.GetValue<int>().ShouldBe(410);
        row["lastError"]!.GetValue<string>().ShouldContain("gone for good");
    }

    [Fact]
    public async Task Given_one_write_that_announces_many_changes_When_reading_the_deliveries_Then_they_are_newest_first_by_day_as_in_the_feed()
    {
        // Given a subscriber, and one batch of talks two years apart: eight changes, all recorded by one append
        var id = await app.GivenNegotiation("order");
        var (created, subscription) = await app.PostJson("/api/subscriptions", new { url = "http://127.0.0.1:9/order", secret = "secret-order", negotiationId = id });
        created.ShouldBe(201);
        await app.GivenEvents(id, Talks("2010-01-04"), Talks("2012-01-04"), Talks("2014-01-04"), Talks("2016-01-04"));

        // When the deliveries are read (every change logged)
        var days = new List<string>();
        (await WebhookReceiver.Eventually(async () =>
        {
            var (_, body) = await app.GetJson($"/api/subscriptions/{subscription!["id"]}/deliveries", withKey: true);
            days = body!["items"]!.AsArray().Select(i => i!["on"]!.GetValue<string>()).ToList();
            return days.Count == 8;
        })).ShouldBeTrue("each change should have its delivery row");

        // Then newest first: among rows of one write, the later day first — the feed's order, not the ids'
        days.ShouldBe(days.OrderDescending(StringComparer.Ordinal).ToList());
    }
}
