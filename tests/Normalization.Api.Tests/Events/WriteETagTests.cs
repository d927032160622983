using System.Text.Json.Nodes;
using Alba;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Events;

/// <summary>
/// A desk chains conditional writes: each write's answer carries the negotiation's new <c>ETag: "&lt;version&gt;"</c>, the
/// If-Match of its next write. Without it the desk had to GET again between two writes, and that GET's ETag already
/// included whatever a colleague wrote in between — so the next If-Match matched a record the desk had never seen.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class WriteETagTests(AppFixture app)
{
    async Task<(int Status, JsonNode? Body, string ETag)> Write(string method, string url, object body, string? ifMatch)
    {
        var result = await app.Host.Scenario(s =>
        {
            if (method == "PUT") s.Put.Json(body).ToUrl(url); else s.Post.Json(body).ToUrl(url);
            s.WithRequestHeader("X-Api-Key", AppFixture.ApiKey);
            if (ifMatch is not null) s.WithRequestHeader("If-Match", ifMatch);
            s.IgnoreStatusCode();
        });
        var text = await result.ReadAsTextAsync();
        return (result.Context.Response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), result.Context.Response.Headers.ETag.ToString());
    }

    [Fact]
    public async Task Given_a_desk_chaining_writes_When_each_uses_the_ETag_of_the_previous_answer_Then_each_answer_carries_the_new_version()
    {
        // Given a negotiation just created: its answer carries ETag "1"
        var id = TestApi.NewId("desk");
        var (created, createdBody, etag) = await Write("POST", "/api/negotiations", Negotiation(id), null);
        created.ShouldBe(201, createdBody?.ToJsonString());
        etag.ShouldBe("\"1\"");

        // When the desk posts talks, retracts them and declares its coverage, each with the ETag the previous answer gave
        var talksId = Guid.NewGuid();
        var (posted, postedBody, afterPost) = await Write("POST", $"/api/negotiations/{id}/events", new { events = new[] { Talks(Day(5), eventId: talksId) } }, etag);
        var (retracted, retractedBody, afterRetract) = await Write("POST", $"/api/negotiations/{id}/events/{talksId}/retract", new { reason = "denied", occurredOn = Day(1) }, afterPost);
        var (covered, coveredBody, afterCoverage) = await Write("PUT", $"/api/negotiations/{id}/coverage", new { coveredUntil = Day(1), occurredOn = Day(1) }, afterRetract);

        // Then every write is accepted and its answer's ETag is the version its body reports
        (posted, retracted, covered).ShouldBe((201, 201, 200), $"{postedBody} {retractedBody} {coveredBody}");
        afterPost.ShouldBe("\"2\"");
        afterRetract.ShouldBe("\"3\"");
        afterCoverage.ShouldBe("\"4\"");
        coveredBody!["version"]!.GetValue<int>().ShouldBe(4);
    }

    [Fact]
    public async Task Given_a_colleague_who_wrote_in_between_When_the_desk_uses_its_own_answers_ETag_Then_409_and_nothing_stored()
    {
        // Given the desk's post answered with its ETag, then a colleague's post
        var id = await app.GivenNegotiation("desk2");
        var (_, _, mine) = await Write("POST", $"/api/negotiations/{id}/events", new { events = new[] { Talks(Day(9)) } }, "\"1\"");
        await app.GivenEvents(id, Talks(Day(8)));

        // When the desk writes again with the ETag of its own answer
        var (status, body, _) = await Write("POST", $"/api/negotiations/{id}/events", new { events = new[] { Talks(Day(7)) } }, mine);

        // Then it learns of the colleague's write instead of writing over it
        mine.ShouldBe("\"2\"");
        status.ShouldBe(409, body?.ToJsonString());
        body.ShouldBeProblem("version_conflict");
        body!["currentVersion"]!.GetValue<int>().ShouldBe(3);
    }

    [Fact]
    public async Task Given_a_post_stored_on_its_first_try_When_retried_with_the_same_now_stale_If_Match_Then_201_all_duplicates_and_nothing_written()
    {
        // Given a post with If-Match "1" that was stored (its answer lost on the way back, say)
        var id = await app.GivenNegotiation("desk3");
        var body = new { events = new[] { Talks(Day(9), eventId: Guid.NewGuid()) } };
        (await Write("POST", $"/api/negotiations/{id}/events", body, "\"1\"")).Status.ShouldBe(201);

        // When it is retried as it was
        var (status, retried, etag) = await Write("POST", $"/api/negotiations/{id}/events", body, "\"1\"");

        // Then it is answered as the duplicate it is (docs/api.md, "expectedVersion"), at the version it left
        status.ShouldBe(201, retried?.ToJsonString());
        retried!["duplicates"]!.GetValue<int>().ShouldBe(1);
        etag.ShouldBe("\"2\"");
    }
}
