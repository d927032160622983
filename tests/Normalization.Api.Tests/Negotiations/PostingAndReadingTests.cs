using System.Text.Json.Nodes;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;

namespace Normalization.Api.Tests.Negotiations;

[Collection(ApiCollection.Name)]
public sealed class PostingAndReadingTests(AppFixture app)
{
    [Fact]
    public async Task Given_a_new_negotiation_When_the_seed_events_are_posted_Then_the_stage_is_ConfidenceBuilding_and_time_travel_sees_the_past()
    {
        var id = TestApi.NewId("ust");
        var (created, _) = await app.PostJson("/api/negotiations", TestApi.UsTaliban(id));
        created.ShouldBe(201);

        var (posted, body) = await app.PostJson($"/api/negotiations/{id}/events", new { events = TestApi.SeedEvents() });

        posted.ShouldBe(201, body?.ToJsonString());
        body!["stage"]!.GetValue<string>().ShouldBe("Estrangement", "today is more than 365 days after the March 2025 talks");
        var (_, april) = await app.GetJson($"/api/negotiations/{id}/state?asOf=2025-04-15");
        april!["stage"]!.GetValue<string>().ShouldBe("ConfidenceBuilding");
        var (_, current) = await app.GetJson($"/api/negotiations/{id}");
        current!["version"]!.GetValue<int>().ShouldBe(TestApi.SeedEvents().Count + 1);
        var (_, past) = await app.GetJson($"/api/negotiations/{id}/state?asOf=2025-02-01");
        past!["stage"]!.GetValue<string>().ShouldBe("Estrangement");
        var (_, in2020) = await app.GetJson($"/api/negotiations/{id}/state?asOf=2020-03-01");
        in2020!["stage"]!.GetValue<string>().ShouldBe("ConfidenceBuilding");
    }

    [Fact]
    public async Task Given_stored_events_When_the_same_batch_is_posted_again_Then_each_is_reported_as_a_duplicate_and_stored_once()
    {
        var id = TestApi.NewId("dup");
        await app.PostJson("/api/negotiations", TestApi.UsTaliban(id));
        var batch = new { events = TestApi.SeedEvents().Take(3) };
        var (firstStatus, first) = await app.PostJson($"/api/negotiations/{id}/events", batch);
        firstStatus.ShouldBe(201, first?.ToJsonString());

        var (status, second) = await app.PostJson($"/api/negotiations/{id}/events", batch);

        status.ShouldBe(201);
        second!["duplicates"]!.GetValue<int>().ShouldBe(3);
        second["version"]!.GetValue<int>().ShouldBe(first!["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task Given_a_stale_expected_version_When_posting_Then_409_with_the_current_version_and_nothing_written()
    {
        var id = TestApi.NewId("cc");
        await app.PostJson("/api/negotiations", TestApi.UsTaliban(id));
        await app.PostJson($"/api/negotiations/{id}/events", new { events = TestApi.SeedEvents().Take(2) });

        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events", new { expectedVersion = 1, events = TestApi.SeedEvents().Skip(2).Take(1) });

        status.ShouldBe(409);
        body!["currentVersion"]!.GetValue<int>().ShouldBe(3);
        var (_, state) = await app.GetJson($"/api/negotiations/{id}");
        state!["version"]!.GetValue<int>().ShouldBe(3);
    }
}
