using System.Text.Json.Nodes;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Events;

/// <summary>
/// Trial 7: the corrected version keeps the original's eventId, so a <c>correction.eventId</c> other than the target's is
/// refused (422 <c>eventid_mismatch</c> at <c>events[i].correction.eventId</c>, nothing stored) instead of stored and ignored.
/// </summary>
[Collection(ApiCollection.Name)]
public class CorrectionEventIdTests(AppFixture app)
{
    static JsonObject Correction(Guid target, string? correctionEventId)
    {
        var corrected = Talks("2025-01-23");
        corrected.Remove("eventId");
        if (correctionEventId is not null) corrected["eventId"] = correctionEventId;
        return new JsonObject
        {
            ["type"] = "EventCorrected", ["occurredOn"] = "2025-02-03", ["actor"] = "US", ["confidence"] = "Confirmed",
            ["targetEventId"] = target.ToString(), ["correction"] = corrected,
        };
    }

    [Theory]
    [InlineData("none", 201)]
    [InlineData("target", 201)]
    [InlineData("other", 422)]
    public async Task Given_a_correction_carrying_an_eventId_When_posted_Then_only_none_or_the_target_s_is_accepted(string which, int expected)
    {
        var id = await app.GivenNegotiation("corr");
        var talks = Guid.NewGuid();
        await app.GivenEvents(id, Talks("2025-01-22", eventId: talks));
        var eventId = which switch { "none" => null, "target" => talks.ToString(), _ => Guid.NewGuid().ToString() };

        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events", new { events = new[] { Correction(talks, eventId) } });
        var timeline = (await app.GetJson($"/api/negotiations/{id}/timeline")).Body!["items"]!.AsArray();

        status.ShouldBe(expected, body?.ToJsonString());
        if (expected == 422)
        {
            body.Errors().Select(e => (e.Path, e.Code)).ShouldBe([("events[0].correction.eventId", "eventid_mismatch")]);
            timeline.Count.ShouldBe(1); // nothing stored
        }
        else timeline.Count.ShouldBe(2);
    }
}
