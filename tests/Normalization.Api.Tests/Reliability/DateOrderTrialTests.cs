using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Normalization.Api.Importing;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Reliability;

/// <summary>
/// Dates that contradict what they refer to (seventh trial, left open): a retraction dated before the event it retracts,
/// and a negotiation created (or imported) as covered through a day that has not come. Both are 422 naming the field;
/// nothing is written.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class DateOrderTrialTests(AppFixture app)
{
    async Task<int> VersionOf(string id) => (await app.GetJson($"/api/negotiations/{id}")).Body!["version"]!.GetValue<int>();

    [Fact]
    public async Task Given_a_release_When_retracted_with_a_date_before_it_Then_422_before_target_at_occurredOn_and_nothing_is_written()
    {
        // Given a release dated ten days ago
        var id = await app.GivenNegotiation("retrbefore");
        var release = Guid.NewGuid();
        await app.GivenEvents(id, Talks(Day(30)), Release(Day(10), "TB", "US", release));
        var version = await VersionOf(id);

        // When it is retracted with a date eleven days ago, through the retract endpoint and as a posted EventRetracted
        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events/{release}/retract", new { reason = "denied", occurredOn = Day(11) });
        var posted = new JsonObject
        {
            ["type"] = "EventRetracted", ["occurredOn"] = Day(11), ["actor"] = "EDITOR", ["confidence"] = "Confirmed",
            ["targetEventId"] = release.ToString(), ["reason"] = "denied",
        };
        var (postStatus, postBody) = await app.PostJson($"/api/negotiations/{id}/events", new { events = new[] { posted } });
        var (sameDay, sameDayBody) = await app.PostJson($"/api/negotiations/{id}/events/{release}/retract", new { reason = "denied", occurredOn = Day(10) });

        // Then both are 422 before_target at the retraction's date, nothing is written; one dated the same day stands
        status.ShouldBe(422, body?.ToJsonString());
        body.ShouldHaveError("occurredOn", "before_target");
        postStatus.ShouldBe(422, postBody?.ToJsonString());
        postBody.ShouldHaveError("events[0].occurredOn", "before_target");
        sameDay.ShouldBe(201, sameDayBody?.ToJsonString());
        (await VersionOf(id)).ShouldBe(version + 1);
    }

    [Fact]
    public async Task Given_a_batch_holding_an_event_and_its_retraction_dated_before_it_When_posted_Then_422_and_nothing_is_written()
    {
        // Given a negotiation
        var id = await app.GivenNegotiation("retrbatch");
        var version = await VersionOf(id);
        var talksId = Guid.NewGuid();

        // When one batch records talks five days ago and their retraction six days ago
        var retraction = new JsonObject
        {
            ["type"] = "EventRetracted", ["occurredOn"] = Day(6), ["actor"] = "EDITOR", ["confidence"] = "Confirmed",
            ["targetEventId"] = talksId.ToString(), ["reason"] = "never held",
        };
        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events", new { events = new JsonNode[] { Talks(Day(5), eventId: talksId), retraction } });

        // Then the retraction is refused at its date and the batch is not written
        status.ShouldBe(422, body?.ToJsonString());
        body.ShouldHaveError("events[1].occurredOn", "before_target");
        (await VersionOf(id)).ShouldBe(version);
    }

    [Fact]
    public async Task Given_a_coverage_after_today_When_a_negotiation_is_created_with_it_Then_422_in_future_and_nothing_is_created()
    {
        // Given a negotiation body covered through tomorrow, and one through today
        var id = TestApi.NewId("covcreate");
        JsonObject Body(string nid, string coveredUntil)
        {
            var b = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(Negotiation(nid)))!.AsObject();
            b["coveredUntil"] = coveredUntil;
            return b;
        }

        // When both are created
        var (status, body) = await app.PostJson("/api/negotiations", Body(id, Today.AddDays(1).ToString("yyyy-MM-dd")));
        var (todayStatus, todayBody) = await app.PostJson("/api/negotiations", Body(id + "-today", Day(0)));

        // Then tomorrow is 422 in_future at coveredUntil and nothing exists; today is created
        status.ShouldBe(422, body?.ToJsonString());
        body.ShouldHaveError("coveredUntil", "in_future");
        (await app.GetJson($"/api/negotiations/{id}")).Status.ShouldBe(404);
        todayStatus.ShouldBe(201, todayBody?.ToJsonString());
    }

    [Fact]
    public async Task Given_a_file_declaring_a_coverage_after_today_When_imported_as_a_new_negotiation_Then_the_report_names_line_1_and_nothing_is_created()
    {
        // Given a history file whose first line declares coveredUntil next year
        var id = TestApi.NewId("covimport");
        var header = new JsonObject
        {
            ["type"] = "NegotiationOpened", ["id"] = id, ["title"] = "Covered ahead",
            ["parties"] = new JsonArray(new JsonObject { ["code"] = "US", ["name"] = "United States" }, new JsonObject { ["code"] = "TB", ["name"] = "Taliban" }),
            ["coveredUntil"] = Today.AddYears(1).ToString("yyyy-MM-dd"),
        };
        var path = Path.Combine(Path.GetTempPath(), $"{id}.ndjson");
        await File.WriteAllTextAsync(path, header.ToJsonString() + "\n" + Talks(Day(3)).ToJsonString() + "\n");
        var importer = app.Host.Services.GetRequiredService<Importer>();

        // When it is imported
        var report = await importer.ImportAsync(new ImportRequest { Path = path, Into = id });

        // Then it fails on line 1's coveredUntil and no negotiation exists
        report.Succeeded.ShouldBeFalse();
        report.Errors.Select(e => (e.Line, e.Path, e.Code)).ShouldBe([(1, "coveredUntil", "in_future")]);
        (await app.GetJson($"/api/negotiations/{id}")).Status.ShouldBe(404);
    }
}
