using System.Text.Json.Nodes;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Negotiations;

/// <summary>How far the record reaches: coveredUntil on creation, PUT /api/negotiations/{id}/coverage, extrapolated states, projected transitions.</summary>
[Collection(ApiCollection.Name)]
public sealed class CoverageTests(AppFixture app)
{
    async Task<string> GivenCovered(string coveredUntil, params JsonObject[] events)
    {
        var id = TestApi.NewId("cov");
        var body = JsonNode.Parse(Json(Negotiation(id)))!.AsObject();
        body["coveredUntil"] = coveredUntil;
        var (status, created) = await app.PostJson("/api/negotiations", body);
        status.ShouldBe(201, created?.ToJsonString());
        if (events.Length > 0) await app.GivenEvents(id, events);
        return id;
    }

    [Fact]
    public async Task Given_coverage_declared_on_creation_When_asked_today_Then_the_state_says_extrapolated_and_the_later_fall_is_projected()
    {
        var id = await GivenCovered(Day(400), Talks(Day(420)));

        var (status, state) = await app.GetJson($"/api/negotiations/{id}");

        status.ShouldBe(200);
        state!["coveredUntil"]!.GetValue<string>().ShouldBe(Day(400));
        state["extrapolated"]!.GetValue<bool>().ShouldBeTrue();
        var history = state["stageHistory"]!.AsArray();
        history[^1]!["on"]!.GetValue<string>().ShouldBe(Day(55), "the talks' window ends 365 days after them");
        history[^1]!["projected"]!.GetValue<bool>().ShouldBeTrue();
        history[1]!["projected"].ShouldBeNull("the talks are inside the record");
    }

    [Fact]
    public async Task Given_a_coverage_PUT_When_asked_as_of_a_date_and_as_known_before_it_Then_each_answer_uses_the_coverage_known_then()
    {
        var id = await GivenCovered(Day(400), Talks(Day(420)));
        var before = DateTimeOffset.UtcNow;
        await Task.Delay(50);

        var (put, answer) = await app.PutJson($"/api/negotiations/{id}/coverage", new { coveredUntil = Day(10) });

        put.ShouldBe(200, answer?.ToJsonString());
        answer!["coveredUntil"]!.GetValue<string>().ShouldBe(Day(10));
        answer["version"]!.GetValue<int>().ShouldBe(3);
        var (_, now) = await app.GetJson($"/api/negotiations/{id}/state?asOf={Day(100)}");
        now!["extrapolated"]!.GetValue<bool>().ShouldBeFalse();
        now["coveredUntil"]!.GetValue<string>().ShouldBe(Day(10));
        now["stage"]!.GetValue<string>().ShouldBe("Exploratory", "the talks of 420 days ago count until 55 days ago");
        now["eventCount"]!.GetValue<int>().ShouldBe(1, "a review is not a catalog fact");
        var knownAt = Uri.EscapeDataString(before.ToString("O"));
        var (_, then) = await app.GetJson($"/api/negotiations/{id}/state?asOf={Day(100)}&knownAt={knownAt}");
        then!["coveredUntil"]!.GetValue<string>().ShouldBe(Day(400));
        then["extrapolated"]!.GetValue<bool>().ShouldBeTrue();
        var (_, stages) = await app.GetJson($"/api/negotiations/{id}/stages");
        stages!["extrapolated"]!.GetValue<bool>().ShouldBeTrue();
        stages["coveredUntil"]!.GetValue<string>().ShouldBe(Day(10));
    }

    [Fact]
    public async Task Given_bad_coverage_requests_When_PUT_Then_400_401_or_404_naming_the_field_and_nothing_is_stored()
    {
        var id = await GivenCovered(Day(400));

        var (missing, b1) = await app.PutJson($"/api/negotiations/{id}/coverage", new { });
        var (bad, b2) = await app.PutJson($"/api/negotiations/{id}/coverage", new { coveredUntil = "2025-13-01" });
        var (unknownField, b3) = await app.PutJson($"/api/negotiations/{id}/coverage", new { coveredUntil = Day(1), until = Day(1) });
        var (noKey, _) = await app.PutJson($"/api/negotiations/{id}/coverage", new { coveredUntil = Day(1) }, withKey: false);
        var (noSuch, b5) = await app.PutJson($"/api/negotiations/{TestApi.NewId("none")}/coverage", new { coveredUntil = Day(1) });

        missing.ShouldBe(400); b1.ShouldHaveError("coveredUntil", "required");
        bad.ShouldBe(400); b2.ShouldHaveError("coveredUntil", "invalid_date");
        unknownField.ShouldBe(400); b3.ShouldHaveError("until", "unknown_field");
        noKey.ShouldBe(401);
        noSuch.ShouldBe(404); b5.ShouldBeProblem("negotiation_not_found");
        var (_, state) = await app.GetJson($"/api/negotiations/{id}");
        state!["version"]!.GetValue<int>().ShouldBe(1);
        state["coveredUntil"]!.GetValue<string>().ShouldBe(Day(400));
    }

    [Fact]
    public async Task Given_a_negotiation_tagged_on_creation_When_the_board_is_filtered_by_the_tag_Then_only_it_is_listed_with_its_coverage()
    {
        var id = TestApi.NewId("tag");
        var tag = "t-" + Guid.NewGuid().ToString("N")[..8];
        var body = JsonNode.Parse(Json(Negotiation(id)))!.AsObject();
        body["tags"] = new JsonArray(tag);
        body["coveredUntil"] = Day(30);
        (await app.PostJson("/api/negotiations", body)).Status.ShouldBe(201);
        await app.GivenNegotiation("untagged");

        var (status, board) = await app.GetJson($"/api/negotiations?tag={tag}");

        status.ShouldBe(200);
        board!["total"]!.GetValue<int>().ShouldBe(1);
        var row = board["items"]![0]!;
        row["id"]!.GetValue<string>().ShouldBe(id);
        row["tags"]!.AsArray().Select(t => t!.GetValue<string>()).ShouldBe([tag]);
        row["coveredUntil"]!.GetValue<string>().ShouldBe(Day(30));
        row["extrapolated"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Fact]
    public async Task Given_bad_tags_or_coverage_on_creation_When_posted_Then_400_with_the_paths()
    {
        var body = JsonNode.Parse(Json(Negotiation(TestApi.NewId("bad"))))!.AsObject();
        body["tags"] = new JsonArray("Library", "ok-tag", "ok-tag");
        body["coveredUntil"] = "April 2025";

        var (status, problem) = await app.PostJson("/api/negotiations", body);

        status.ShouldBe(400);
        problem.ShouldHaveError("coveredUntil");
        body.Remove("coveredUntil");
        var (status2, problem2) = await app.PostJson("/api/negotiations", body);
        status2.ShouldBe(400);
        problem2.ShouldHaveError("tags[0]", "invalid_slug");
        problem2.ShouldHaveError("tags[2]", "duplicate_item");
    }
}
