using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Negotiations;

/// <summary>GET /api/negotiations?stage=&amp;party=&amp;page=&amp;pageSize=.</summary>
[Collection(ApiCollection.Name)]
public sealed class BoardTests(AppFixture app)
{
    [Fact]
    public async Task Given_negotiations_of_a_party_When_filtering_by_party_and_stage_Then_only_the_matching_ones_are_listed()
    {
        var code = NewPartyCode();
        var quiet = await app.GivenNegotiation("quiet", code, "US");
        var talking = await app.GivenNegotiation("talking", code, "TB");
        await app.GivenEvents(talking, Talks(Day(30), code, "TB"));

        var (status, all) = await app.GetJson($"/api/negotiations?party={code}");
        var (_, exploratory) = await app.GetJson($"/api/negotiations?party={code.ToLowerInvariant()}&stage=Exploratory");

        status.ShouldBe(200);
        all!["total"]!.GetValue<int>().ShouldBe(2);
        all["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ShouldBe(new[] { quiet, talking }.Order(StringComparer.Ordinal));
        exploratory!["total"]!.GetValue<int>().ShouldBe(1);
        var row = exploratory["items"]![0]!;
        row["id"]!.GetValue<string>().ShouldBe(talking);
        row["stage"]!.GetValue<string>().ShouldBe("Exploratory");
        row["stageSince"]!.GetValue<string>().ShouldBe(Day(30));
        row["lastEventOn"]!.GetValue<string>().ShouldBe(Day(30));
        row["parties"]!.AsArray().Count.ShouldBe(2);
        row["momentum"]!["score"].ShouldNotBeNull();
        row["title"].ShouldNotBeNull();
    }

    [Fact]
    public async Task Given_three_negotiations_When_paging_Then_pages_split_them_and_total_counts_all()
    {
        var code = NewPartyCode();
        var ids = new[] { await app.GivenNegotiation("pg", code, "US"), await app.GivenNegotiation("pg", code, "TB"), await app.GivenNegotiation("pg", code, "PK") }
            .Order(StringComparer.Ordinal).ToList();

        var (_, page1) = await app.GetJson($"/api/negotiations?party={code}&pageSize=2&page=1");
        var (_, page2) = await app.GetJson($"/api/negotiations?party={code}&pageSize=2&page=2");
        var (_, page3) = await app.GetJson($"/api/negotiations?party={code}&pageSize=2&page=3");

        page1!["total"]!.GetValue<int>().ShouldBe(3);
        page1["pageSize"]!.GetValue<int>().ShouldBe(2);
        page1["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ShouldBe(ids.Take(2));
        page2!["page"]!.GetValue<int>().ShouldBe(2);
        page2["items"]!.AsArray().Select(i => i!["id"]!.GetValue<string>()).ShouldBe(ids.Skip(2));
        page3!["items"]!.AsArray().ShouldBeEmpty();
    }

    [Theory]
    [InlineData("page=0", "page")]
    [InlineData("page=abc", "page")]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=201", "pageSize")]
    [InlineData("stage=Friends", "stage")]
    [InlineData("party=WAY-TOO-LONG-FOR-A-PARTY-CODE", "party")]
    public async Task Given_a_bad_query_When_reading_the_board_Then_400_naming_the_parameter(string query, string path)
    {
        var (status, body) = await app.GetJson($"/api/negotiations?{query}");

        status.ShouldBe(400);
        body.ShouldBeProblem("validation_failed");
        body.ShouldHaveError(path);
    }

    [Fact]
    public async Task Given_a_history_that_ended_long_ago_When_listing_the_board_Then_momentum_is_today_s_not_the_last_event_s()
    {
        var code = NewPartyCode();
        var old = await app.GivenNegotiation("old", code, "TB");
        await app.GivenEvents(old, Talks("2020-01-10", code, "TB"));

        var (_, board) = await app.GetJson($"/api/negotiations?party={code}");

        var momentum = board!["items"]![0]!["momentum"]!;
        momentum["score"]!.GetValue<double>().ShouldBe(0);
        momentum["trend"]!.GetValue<string>().ShouldBe("Stable");
    }
}
