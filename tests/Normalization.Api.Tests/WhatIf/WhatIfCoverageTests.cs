using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.WhatIf;

/// <summary>
/// A review of the record holds at every date (docs/stage-model.md, "How far the record reaches"), as a retraction does:
/// a what-if branched before the review was made answers with its coverage in the branch and the baseline — the coverage
/// <c>GET …/state?asOf=</c> gives for the same date — on the current record (from a checkpoint), as known at an instant
/// (the whole record) and in a saved scenario's re-run.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class WhatIfCoverageTests(AppFixture app)
{
    [Theory]
    [InlineData("")]
    [InlineData(",\"knownAt\":\"9998-12-31T00:00:00Z\"")]
    public async Task Given_a_review_made_after_the_branch_point_When_a_what_if_branches_before_it_Then_branch_and_baseline_keep_its_coverage_as_the_state_does(string knownAt)
    {
        // Given talks 400 and 200 days ago and a review made 50 days ago covering through 100 days ago (the later talks make
        // the current record's branch start from a checkpoint before them, not from the head)
        var id = await app.GivenNegotiation("wicov");
        await app.GivenEvents(id, Talks(Day(400)), Talks(Day(200)));
        (await app.PutJson($"/api/negotiations/{id}/coverage", new { coveredUntil = Day(100), occurredOn = Day(50) })).Status.ShouldBe(200);

        // When a what-if branches 300 days ago (before the review was made), adding talks that day
        var (status, body) = await app.PostJson($"/api/negotiations/{id}/what-if", new object(),
            rawBody: $$"""{"asOf":"{{Day(300)}}"{{knownAt}},"add":[{{Json(Talks(Day(300)))}}]}""");

        // Then the branch and its baseline have the review's coverage and are not extrapolated, as the state that day
        status.ShouldBe(200);
        var (_, state) = await app.GetJson($"/api/negotiations/{id}/state?asOf={Day(300)}");
        state!["coveredUntil"]!.GetValue<string>().ShouldBe(Day(100));
        state["extrapolated"]!.GetValue<bool>().ShouldBeFalse();
        foreach (var side in new[] { "projected", "baseline" })
        {
            body![side]!["coveredUntil"]!.GetValue<string>().ShouldBe(Day(100), side);
            body[side]!["extrapolated"]!.GetValue<bool>().ShouldBeFalse(side);
        }
    }

    [Fact]
    public async Task Given_a_review_made_after_the_branch_point_When_a_saved_scenario_is_rerun_before_it_Then_it_keeps_its_coverage()
    {
        // Given a record reviewed 50 days ago through 100 days ago, and a scenario adding talks
        var id = await app.GivenNegotiation("sccov");
        await app.GivenEvents(id, Talks(Day(400)), Talks(Day(200)));
        (await app.PutJson($"/api/negotiations/{id}/coverage", new { coveredUntil = Day(100), occurredOn = Day(50) })).Status.ShouldBe(200);
        (await app.PostJson($"/api/negotiations/{id}/scenarios", new object(),
            rawBody: $$"""{"name":"talks","add":[{{Json(Talks(Day(350)))}}]}""")).Status.ShouldBe(201);

        // When it is re-run as of 300 days ago
        var (status, body) = await app.GetJson($"/api/negotiations/{id}/scenarios/talks?asOf={Day(300)}");

        // Then the projection keeps the review's coverage
        status.ShouldBe(200);
        body!["projected"]!["coveredUntil"]!.GetValue<string>().ShouldBe(Day(100));
        body["baseline"]!["coveredUntil"]!.GetValue<string>().ShouldBe(Day(100));
        body["projected"]!["extrapolated"]!.GetValue<bool>().ShouldBeFalse();
    }
}
