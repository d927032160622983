using System.Text.Json.Nodes;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Reliability;

/// <summary>
/// A source published before the event it reports (eighth trial, an analyst's US–Iran record: talks of 2017 "published by AP
/// on 2012-01-01", a typo of the year, were stored without a word). 422 before_event at the source's publishedOn on every
/// write path — a post, an import, a what-if — and nothing is written; a source of a month-dated event may be published
/// on any day of that month.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class SourceDateTrialTests(AppFixture app)
{
    async Task<int> VersionOf(string id) => (await app.GetJson($"/api/negotiations/{id}")).Body!["version"]!.GetValue<int>();

    [Fact]
    public async Task Given_talks_with_a_source_published_before_them_When_posted_imported_or_added_in_a_what_if_Then_422_before_event()
    {
        // Given a negotiation and talks ten days ago whose second source is dated two days before them (the day before is
        // the publisher's local date, accepted: see the next test)
        var id = await app.GivenNegotiation("srcbefore");
        var version = await VersionOf(id);
        var talks = Talks(Day(10));
        talks["sources"] = new JsonArray(
            new JsonObject { ["publisher"] = "Reuters", ["publishedOn"] = Day(10) },
            new JsonObject { ["publisher"] = "AP", ["publishedOn"] = Day(12) });

        // When they are posted, imported and added in a what-if
        var (post, postBody) = await app.PostJson($"/api/negotiations/{id}/events", new { events = new[] { talks } });
        var (import, importBody) = await app.PostImport(id, talks.ToJsonString() + "\n");
        var (whatIf, whatIfBody) = await app.PostJson($"/api/negotiations/{id}/what-if", new JsonObject { ["add"] = new JsonArray(talks.DeepClone()) });

        // Then each is 422 before_event at that source's publishedOn, naming the event's date, and nothing is written
        post.ShouldBe(422, postBody?.ToJsonString());
        postBody.ShouldHaveError("events[0].sources[1].publishedOn", "before_event");
        postBody.Errors().Single().Message.ShouldContain(Day(10));
        import.ShouldBe(422, importBody?.ToJsonString());
        importBody.ShouldHaveError("lines[1].sources[1].publishedOn", "before_event");
        whatIf.ShouldBe(422, whatIfBody?.ToJsonString());
        whatIfBody.ShouldHaveError("add[0].sources[1].publishedOn", "before_event");
        (await VersionOf(id)).ShouldBe(version);
    }

    [Fact]
    public async Task Given_an_event_dated_by_its_month_When_its_source_is_published_on_the_first_of_that_month_Then_it_is_stored()
    {
        // Given a negotiation, When talks dated by last month are posted with a source of that month's first day
        var id = await app.GivenNegotiation("srcmonth");
        var month = Today.AddMonths(-1);
        var talks = Talks(month.ToString("yyyy-MM"));
        talks["sources"] = new JsonArray(new JsonObject { ["publisher"] = "AP", ["publishedOn"] = new DateOnly(month.Year, month.Month, 1).ToString("yyyy-MM-dd") });
        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events", new { events = new[] { talks } });

        // Then it is stored: the talks may have happened that day
        status.ShouldBe(201, body?.ToJsonString());
    }

    [Fact]
    public async Task Given_talks_in_Tehran_When_a_New_York_source_dated_the_day_before_reports_them_Then_they_are_stored()
    {
        // Given a negotiation, When talks of ten days ago are posted with a source dated the day before (Tehran's morning is
        // New York's evening before: each date is local)
        var id = await app.GivenNegotiation("srcgrace");
        var talks = Talks(Day(10));
        talks["sources"] = new JsonArray(new JsonObject { ["publisher"] = "AP", ["publishedOn"] = Day(11) });
        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events", new { events = new[] { talks } });

        // Then they are stored
        status.ShouldBe(201, body?.ToJsonString());
    }
}
