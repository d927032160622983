using System.Text.Json.Nodes;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;

namespace Normalization.Api.Tests.Storage;

/// <summary>
/// The seventh trial's wrong answer: after a late event on a record holding a correction and a coverage review, the
/// state as of a date after the late event must count it — the same answer as the stage history, the what-if baseline
/// and a fresh process.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class LateEventAfterCorrectionTests(AppFixture app)
{
    [Fact]
    public async Task Given_a_corrected_and_reviewed_record_When_a_late_event_is_posted_Then_the_state_as_of_a_later_date_counts_it()
    {
        // Given a record with a strike, a corrected office closure and a coverage review
        var id = await app.GivenNegotiation("latecorr", "AA", "BB");
        var office = Guid.NewGuid();
        (await app.PostRaw($"/api/negotiations/{id}/events", $$"""
            {"events":[{"type":"MilitaryStrike","occurredOn":"2020-01-08","actor":"BB","target":"AA"},
                       {"eventId":"{{office}}","type":"OfficeClosed","occurredOn":"2012-06","actor":"AA","target":"BB","officeKind":"Embassy"}]}
            """)).Status.ShouldBe(201);
        (await app.PostRaw($"/api/negotiations/{id}/events", $$$"""
            {"events":[{"type":"EventCorrected","occurredOn":"2012-07","actor":"EDITOR","targetEventId":"{{{office}}}",
                        "correction":{"type":"OfficeClosed","occurredOn":"2012-06","actor":"AA","target":"BB","officeKind":"Consulate"}}]}
            """)).Status.ShouldBe(201);
        (await app.PutJson($"/api/negotiations/{id}/coverage", new { coveredUntil = "2021-12-31" })).Status.ShouldBe(200);
        var (_, before) = await app.GetJson($"/api/negotiations/{id}/state?asOf=2020-12-31");

        // When talks dated before the review are posted (a late event)
        (await app.PostRaw($"/api/negotiations/{id}/events", """
            {"events":[{"type":"TalksHeld","occurredOn":"2020-06-15","actor":"AA","target":"BB","participants":["AA","BB"]}]}
            """)).Status.ShouldBe(201);

        // Then the state as of a date after them counts them, as the stage history does
        var (status, state) = await app.GetJson($"/api/negotiations/{id}/state?asOf=2020-12-31");
        status.ShouldBe(200);
        state!["eventCount"]!.GetValue<int>().ShouldBe(before!["eventCount"]!.GetValue<int>() + 1, state.ToJsonString());
        var (_, stages) = await app.GetJson($"/api/negotiations/{id}/stages");
        var expected = stages!["transitions"]!.AsArray().Last(t => string.CompareOrdinal(t!["on"]?.GetValue<string>(), "2020-12-31") <= 0)!["to"]!.GetValue<string>();
        state["stage"]!.GetValue<string>().ShouldBe(expected, state.ToJsonString());
    }
}
