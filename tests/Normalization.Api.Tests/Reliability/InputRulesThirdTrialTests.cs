using System.Text.Json.Nodes;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Reliability;

/// <summary>Issue 14: what the second new-user trial found, pinned down with the right answer.</summary>
[Collection(ApiCollection.Name)]
public sealed class InputRulesThirdTrialTests(AppFixture app)
{
    static object Create(string id, object? mediators = null, object? baseline = null) => new
    {
        id, title = "T", parties = new[] { new { code = "US", name = "U" }, new { code = "TB", name = "T" } },
        mediators = mediators ?? Array.Empty<object>(), baseline = baseline ?? new { },
    };

    [Fact]
    public async Task Regression_Given_a_timeline_range_that_runs_backwards_When_asked_Then_400_like_stages()
    {
        var id = await app.GivenNegotiation("tlrange");

        var (status, body) = await app.GetJson($"/api/negotiations/{id}/timeline?from=2025-03-10&to=2025-03-01");

        status.ShouldBe(400);
        body.ShouldHaveError("from", "out_of_range");
    }

    [Theory]
    [InlineData("US", "is_a_party")]
    [InlineData("QA", "duplicate_code")]
    public async Task Regression_Given_a_mediator_that_is_a_party_or_listed_twice_When_created_Then_400(string second, string code)
    {
        var id = TestApi.NewId("med");

        var (status, body) = await app.PostJson("/api/negotiations", Create(id, new[] { new { code = "QA", name = "Qatar" }, new { code = second, name = "X" } }));

        status.ShouldBe(400, body?.ToJsonString());
        body.ShouldHaveError("mediators[1].code", code);
        (await app.GetJson($"/api/negotiations/{id}")).Status.ShouldBe(404);
    }

    public static IEnumerable<object[]> BadBaselines() =>
    [
        [new { recognition = new[] { new { by = "ZZ", of = "TB", form = "DeJure" } } }, "baseline.recognition[0].by", "not_a_party"],
        [new { recognition = new[] { new { by = "US", of = "US", form = "DeJure" } } }, "baseline.recognition[0].of", "same_party"],
        [new { recognition = new[] { new { by = "US", of = "TB", form = "DeJure" }, new { by = "US", of = "TB", form = "DeFacto" } } }, "baseline.recognition[1]", "duplicate_item"],
        [new { offices = new[] { new { sender = "US", host = "US", officeKind = "Embassy" } } }, "baseline.offices[0].host", "same_party"],
        [new { sanctions = new[] { "x", "x" } }, "baseline.sanctions[1]", "duplicate_item"],
        [new { sanctions = Enumerable.Range(0, 201).Select(i => $"s{i}").ToArray() }, "baseline.sanctions", "too_many"],
    ];

    [Theory]
    [MemberData(nameof(BadBaselines))]
    public async Task Regression_Given_a_baseline_fact_not_between_the_two_parties_or_repeated_When_created_Then_400(object baseline, string path, string code)
    {
        var id = TestApi.NewId("base");

        var (status, body) = await app.PostJson("/api/negotiations", Create(id, baseline: baseline));

        status.ShouldBe(400, body?.ToJsonString());
        body.ShouldHaveError(path, code);
        (await app.GetJson($"/api/negotiations/{id}")).Status.ShouldBe(404);
    }

    [Fact]
    public async Task Regression_Given_a_what_if_that_replaces_one_event_twice_or_removes_and_replaces_it_When_run_Then_400_duplicate_item()
    {
        var id = await app.GivenNegotiation("wirep");
        var target = Guid.NewGuid();
        await app.GivenEvents(id, Talks(Day(20), eventId: target));
        var replacement = Talks(Day(19));

        var twice = await app.PostJson($"/api/negotiations/{id}/what-if", new JsonObject
        {
            ["replace"] = new JsonArray(new JsonObject { ["eventId"] = target.ToString(), ["event"] = replacement.DeepClone() },
                new JsonObject { ["eventId"] = target.ToString(), ["event"] = replacement.DeepClone() }),
        });
        var both = await app.PostJson($"/api/negotiations/{id}/what-if", new JsonObject
        {
            ["remove"] = new JsonArray(target.ToString()),
            ["replace"] = new JsonArray(new JsonObject { ["eventId"] = target.ToString(), ["event"] = replacement.DeepClone() }),
        });

        twice.Status.ShouldBe(400);
        twice.Body.ShouldHaveError("replace[1].eventId", "duplicate_item");
        both.Status.ShouldBe(400);
        both.Body.ShouldHaveError("replace[0].eventId", "duplicate_item");
    }

    [Theory]
    [InlineData("null", "required")]
    [InlineData("5", "wrong_type")]
    [InlineData("\"a--b\"", "invalid_slug")]
    public async Task Regression_Given_a_scenario_name_that_is_null_a_number_or_has_a_double_hyphen_When_saved_Then_its_own_code(string name, string code)
    {
        var id = await app.GivenNegotiation("scname");

        var (status, body, _) = await app.PostRaw($"/api/negotiations/{id}/scenarios", $$"""{"name":{{name}},"add":[]}""");

        status.ShouldBe(400);
        body.ShouldHaveError("name", code);
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("15e-1")]
    [InlineData("\"1\"")]
    public async Task Regression_Given_an_expectedVersion_with_a_fractional_value_or_not_a_number_When_posted_Then_wrong_type(string version)
    {
        var id = await app.GivenNegotiation("evtype");

        var (status, body, _) = await app.PostRaw($"/api/negotiations/{id}/events", $$"""{"expectedVersion":{{version}},"events":[{{Talks(Day(3)).ToJsonString()}}]}""");

        status.ShouldBe(400);
        body.ShouldHaveError("expectedVersion", "wrong_type");
    }

    [Theory]
    [InlineData("remove")]
    [InlineData("replace")]
    public async Task Regression_Given_a_null_item_in_a_what_if_list_When_run_Then_required(string list)
    {
        var id = await app.GivenNegotiation("winull");

        var (status, body, _) = await app.PostRaw($"/api/negotiations/{id}/what-if", $$"""{"{{list}}":[null]}""");

        status.ShouldBe(400);
        body.ShouldHaveError($"{list}[0]", "required");
    }
}
