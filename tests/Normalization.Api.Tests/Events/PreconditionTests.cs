using System.Text.Json.Nodes;
using Alba;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Events;

/// <summary>
/// Trial 3: HTTP preconditions. GET of a negotiation (and of its state) carries <c>ETag: "&lt;version&gt;"</c>; POST …/events
/// takes <c>If-Match: "&lt;version&gt;"</c> as its body's <c>expectedVersion</c> — honoured, never silently ignored.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class PreconditionTests(AppFixture app)
{
    Task<(int Status, JsonNode? Body)> PostWithIfMatch(string id, string? ifMatch, object body) =>
        WriteWithIfMatch(s => s.Post.Json(body).ToUrl($"/api/negotiations/{id}/events"), ifMatch);

    async Task<string?> ETagOf(string url)
    {
        var result = await app.Host.Scenario(s => { s.Get.Url(url); s.StatusCodeShouldBe(200); });
        return result.Context.Response.Headers.ETag.ToString();
    }

    [Fact]
    public async Task Given_a_negotiation_When_read_Then_its_ETag_is_the_quoted_version()
    {
        // Given a negotiation at version 2
        var id = await app.GivenNegotiation("etag");
        await app.GivenEvents(id, Talks(Day(10)));

        // When it and its state are read
        var negotiation = await ETagOf($"/api/negotiations/{id}");
        var state = await ETagOf($"/api/negotiations/{id}/state");

        // Then both carry ETag "2", the version in the body
        negotiation.ShouldBe("\"2\"");
        state.ShouldBe("\"2\"");
    }

    [Fact]
    public async Task Given_the_current_ETag_When_posting_with_If_Match_Then_201()
    {
        var id = await app.GivenNegotiation("ifmatch-ok");
        var etag = await ETagOf($"/api/negotiations/{id}");

        var (status, body) = await PostWithIfMatch(id, etag, new { events = new[] { Talks(Day(5)) } });

        status.ShouldBe(201, body?.ToJsonString());
        body!["version"]!.GetValue<int>().ShouldBe(2);
    }

    [Fact]
    public async Task Given_a_stale_If_Match_When_posting_Then_409_version_conflict_with_the_current_version_and_nothing_stored()
    {
        // Given a negotiation at version 2
        var id = await app.GivenNegotiation("ifmatch-stale");
        await app.GivenEvents(id, Talks(Day(10)));

        // When a client that saw version 1 posts with If-Match: "1"
        var (status, body) = await PostWithIfMatch(id, "\"1\"", new { events = new[] { Talks(Day(5)) } });

        // Then it is refused as a stale expectedVersion is
        status.ShouldBe(409, body?.ToJsonString());
        body.ShouldBeProblem("version_conflict");
        body!["currentVersion"]!.GetValue<int>().ShouldBe(2);
        body["expectedVersion"]!.GetValue<int>().ShouldBe(1);
        (await app.GetJson($"/api/negotiations/{id}")).Body!["version"]!.GetValue<int>().ShouldBe(2);
    }

    [Theory]
    [InlineData("1")]          // not quoted
    [InlineData("W/\"1\"")]    // a weak tag never matches (If-Match compares strongly)
    [InlineData("\"1\", \"2\"")]
    [InlineData("\"x\"")]
    [InlineData("\"0\"")]
    [InlineData("\"99999999999\"")]
    public async Task Given_a_malformed_If_Match_When_posting_Then_400_naming_If_Match(string ifMatch)
    {
        var id = await app.GivenNegotiation("ifmatch-bad");

        var (status, body) = await PostWithIfMatch(id, ifMatch, new { events = new[] { Talks(Day(5)) } });

        status.ShouldBe(400, body?.ToJsonString());
        body.ShouldHaveError("header.If-Match", "invalid_etag");
    }

    [Fact]
    public async Task Given_If_Match_and_a_different_expectedVersion_When_posting_Then_400_naming_If_Match()
    {
        var id = await app.GivenNegotiation("ifmatch-both");

        var (status, body) = await PostWithIfMatch(id, "\"1\"", new { expectedVersion = 2, events = new[] { Talks(Day(5)) } });
        var (same, _) = await PostWithIfMatch(id, "\"1\"", new { expectedVersion = 1, events = new[] { Talks(Day(5)) } });

        status.ShouldBe(400, body?.ToJsonString());
        body.ShouldHaveError("header.If-Match", "version_mismatch");
        same.ShouldBe(201, "the same version twice is one precondition");
    }

    [Fact]
    public async Task Given_If_Match_star_When_posting_to_an_existing_negotiation_Then_201()
    {
        var id = await app.GivenNegotiation("ifmatch-star");

        var (status, body) = await PostWithIfMatch(id, "*", new { events = new[] { Talks(Day(5)) } });

        status.ShouldBe(201, body?.ToJsonString());
    }

    async Task<(int Status, JsonNode? Body)> WriteWithIfMatch(Action<Scenario> request, string? ifMatch)
    {
        var result = await app.Host.Scenario(s =>
        {
            request(s);
            s.WithRequestHeader("X-Api-Key", AppFixture.ApiKey);
            if (ifMatch is not null) s.WithRequestHeader("If-Match", ifMatch);
            s.IgnoreStatusCode();
        });
        var text = result.ReadAsText();
        return (result.Context.Response.StatusCode, string.IsNullOrWhiteSpace(text) ? null : JsonNode.Parse(text));
    }

    /// <summary>The other writes of one negotiation that take If-Match: a retraction and a coverage declaration.</summary>
    public static TheoryData<string> OtherWrites => new() { "retract", "coverage" };

    Action<Scenario> Write(string kind, string id, Guid talks) => kind == "retract"
        ? s => s.Post.Json(new { reason = "misreported" }).ToUrl($"/api/negotiations/{id}/events/{talks}/retract")
        : s => s.Put.Json(new { coveredUntil = "2020-01-31", occurredOn = "2020-02-01" }).ToUrl($"/api/negotiations/{id}/coverage");

    [Theory, MemberData(nameof(OtherWrites))]
    public async Task Given_a_stale_If_Match_When_retracting_or_declaring_coverage_Then_409_and_nothing_stored(string kind)
    {
        // Given a negotiation at version 3 whose client last saw version 2
        var id = await app.GivenNegotiation("ifmatch-" + kind);
        var talks = Guid.NewGuid();
        await app.GivenEvents(id, Talks(Day(10), eventId: talks));
        await app.GivenEvents(id, Talks(Day(12)));

        // When it writes with If-Match: "2"
        var (status, body) = await WriteWithIfMatch(Write(kind, id, talks), "\"2\"");

        // Then 409 version_conflict with the current version, and the stream did not move
        status.ShouldBe(409, body?.ToJsonString());
        body.ShouldBeProblem("version_conflict");
        body!["currentVersion"]!.GetValue<int>().ShouldBe(3);
        (await app.GetJson($"/api/negotiations/{id}")).Body!["version"]!.GetValue<int>().ShouldBe(3);
    }

    [Theory, MemberData(nameof(OtherWrites))]
    public async Task Given_the_current_or_a_malformed_If_Match_When_retracting_or_declaring_coverage_Then_written_or_400_invalid_etag(string kind)
    {
        // Given a negotiation at version 2
        var id = await app.GivenNegotiation("ifmatch-ok-" + kind);
        var talks = Guid.NewGuid();
        await app.GivenEvents(id, Talks(Day(10), eventId: talks));

        // When it writes with a malformed If-Match, then with the current ETag
        var (bad, badBody) = await WriteWithIfMatch(Write(kind, id, talks), "2");
        var etag = await ETagOf($"/api/negotiations/{id}");
        var (ok, okBody) = await WriteWithIfMatch(Write(kind, id, talks), etag);

        // Then the malformed one is a 400 naming the header, and the current one is written
        bad.ShouldBe(400, badBody?.ToJsonString());
        badBody.ShouldHaveError("header.If-Match", "invalid_etag");
        ok.ShouldBe(kind == "retract" ? 201 : 200, okBody?.ToJsonString());
        okBody!["version"]!.GetValue<int>().ShouldBe(3);
    }

    /// <summary>The writes that take no If-Match: create, import, what-if, scenario, subscription.</summary>
    public static TheoryData<string> WritesWithoutPrecondition => new() { "create", "import", "what-if", "scenario", "subscribe" };

    Action<Scenario> WriteWithout(string kind, string id) => kind switch
    {
        "create" => s => s.Post.Json(new { id = id + "-copy", title = "Copy", parties = new[] { new { code = "US", name = "United States" }, new { code = "TB", name = "Taliban" } } }).ToUrl("/api/negotiations"),
        "import" => s => s.Post.Text(Talks(Day(20)).ToJsonString() + "\n").ToUrl($"/api/negotiations/{id}/imports"),
        "what-if" => s => s.Post.Json(new { add = new[] { Talks(Day(20)) } }).ToUrl($"/api/negotiations/{id}/what-if"),
        "scenario" => s => s.Post.Json(new { name = "with-if-match", add = new[] { Talks(Day(20)) } }).ToUrl($"/api/negotiations/{id}/scenarios"),
        _ => s => s.Post.Json(new { url = "http://127.0.0.1:9/hook", secret = "long-enough", negotiationId = id }).ToUrl("/api/subscriptions"),
    };

    [Theory, MemberData(nameof(WritesWithoutPrecondition))]
    public async Task Regression_Given_a_write_that_takes_no_If_Match_When_sent_with_one_Then_400_not_applicable_and_nothing_done(string kind)
    {
        // Before the fix the header was ignored: an import with a stale If-Match appended its events.
        var id = await app.GivenNegotiation("ifmatch-no-" + kind.Replace("-", ""));
        await app.GivenEvents(id, Talks(Day(10)));

        var (status, body) = await WriteWithIfMatch(WriteWithout(kind, id), "\"1\"");

        status.ShouldBe(400, body?.ToJsonString());
        body.ShouldHaveError("header.If-Match", "not_applicable");
        (await app.GetJson($"/api/negotiations/{id}")).Body!["version"]!.GetValue<int>().ShouldBe(2);
        (await app.GetJson($"/api/negotiations/{id}-copy")).Status.ShouldBe(404);
        (await app.GetJson($"/api/negotiations/{id}/scenarios")).Body!["scenarios"]!.AsArray().ShouldBeEmpty();
        (await app.GetJson("/api/subscriptions", withKey: true)).Body!["items"]!.AsArray().ShouldNotContain(i => (string?)i!["negotiationId"] == id);
    }
}
