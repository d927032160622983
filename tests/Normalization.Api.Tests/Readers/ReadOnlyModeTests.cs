using System.Text.Json.Nodes;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Readers;

/// <summary>Read-only mode: writes answer 403 read_only with or without a key; reads and what-if stay open, what-if under limits.</summary>
[Collection(ApiCollection.Name)]
public sealed class ReadOnlyModeTests(AppFixture app, ReadOnlyHost readOnly) : IClassFixture<ReadOnlyHost>
{
    public static TheoryData<string> Writes => new()
    {
        "/api/negotiations",
        "/api/negotiations/{id}/events",
        "/api/negotiations/{id}/events/{eventId}/retract",
        "/api/negotiations/{id}/scenarios",
    };

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task Given_read_only_mode_When_a_write_is_posted_even_with_a_valid_key_Then_403_read_only_and_nothing_is_written(string template)
    {
        var id = await app.GivenNegotiation("ro");
        var eventId = Guid.NewGuid();
        await app.GivenEvents(id, Talks(Day(20), eventId: eventId));
        var versionBefore = (await app.GetJson($"/api/negotiations/{id}")).Body!["version"]!.GetValue<int>();
        var url = template.Replace("{id}", id).Replace("{eventId}", eventId.ToString());
        var body = template switch
        {
            "/api/negotiations" => Json(TestApi.UsTaliban(TestApi.NewId("ro"))),
            "/api/negotiations/{id}/events" => Json(new { events = new[] { Talks(Day(10)) } }),
            "/api/negotiations/{id}/scenarios" => Json(new { name = "x", add = new[] { Talks(Day(10)) } }),
            _ => Json(new { reason = "wrong" }),
        };

        foreach (var key in new[] { AppFixture.ApiKey, null })
        {
            var (status, problem, _) = await readOnly.Host.Send("POST", url, body, key);

            status.ShouldBe(403, problem?.ToJsonString());
            problem.ShouldBeProblem("read_only");
        }
        var (_, state) = await app.GetJson($"/api/negotiations/{id}");
        state!["version"]!.GetValue<int>().ShouldBe(versionBefore, "nothing was appended");
        var (_, scenarios) = await app.GetJson($"/api/negotiations/{id}/scenarios");
        scenarios!.ToJsonString().ShouldNotContain("\"x\"");
    }

    [Fact]
    public async Task Given_read_only_mode_When_reading_and_asking_what_if_without_a_key_Then_both_answer()
    {
        var id = await app.GivenNegotiation("ro");
        await app.GivenEvents(id, Talks(Day(20)));

        var (_, written) = await app.GetJson($"/api/negotiations/{id}");
        var (readStatus, state, _) = await readOnly.Host.Send("GET", $"/api/negotiations/{id}");
        var (whatIfStatus, whatIf, _) = await readOnly.Host.Send("POST", $"/api/negotiations/{id}/what-if",
            Json(new { add = new[] { Release(Day(5), "TB", "US") } }));
        var (siteStatus, site, _) = await readOnly.Host.Send("GET", "/api/site");

        readStatus.ShouldBe(200);
        state!["version"]!.GetValue<int>().ShouldBe(written!["version"]!.GetValue<int>());
        whatIfStatus.ShouldBe(200, whatIf?.ToJsonString());
        whatIf!["stored"]!.GetValue<bool>().ShouldBeFalse();
        siteStatus.ShouldBe(200);
        site!["mode"]!.GetValue<string>().ShouldBe("ReadOnly");
        site["whatIfNeedsKey"]!.GetValue<bool>().ShouldBeFalse();
    }

    [Fact]
    public async Task Given_read_write_mode_When_what_if_is_asked_without_a_key_Then_it_still_needs_one()
    {
        var id = await app.GivenNegotiation("rw");

        var (status, problem, _) = await app.Host.Send("POST", $"/api/negotiations/{id}/what-if", Json(new { add = new[] { Talks(Day(5)) } }));
        var (_, site) = await app.GetJson("/api/site");

        status.ShouldBe(401);
        problem.ShouldBeProblem("api_key_missing");
        site!["mode"]!.GetValue<string>().ShouldBe("ReadWrite");
    }

    [Fact]
    public async Task Given_read_only_mode_When_one_client_asks_more_what_ifs_than_its_burst_Then_429_rate_limited_with_Retry_After()
    {
        var id = await app.GivenNegotiation("ro");
        var statuses = new List<int>();
        JsonNode? last = null;
        string? retryAfter = null;
        var client = System.Net.IPAddress.Parse("203.0.113.7"); // a client of its own: the other tests' what-ifs do not count

        for (var i = 0; i < ReadOnlyHost.PublicBurst + 2; i++)
        {
            var (status, body, result) = await readOnly.Host.Send("POST", $"/api/negotiations/{id}/what-if", Json(new { add = new[] { Talks(Day(5)) } }), from: client);
            statuses.Add(status);
            if (status == 429) { last = body; retryAfter = result.Context.Response.Headers.RetryAfter; }
        }

        statuses.Take(ReadOnlyHost.PublicBurst).ShouldAllBe(s => s == 200);
        statuses.Skip(ReadOnlyHost.PublicBurst).ShouldAllBe(s => s == 429);
        last.ShouldBeProblem("rate_limited");
        // One request a minute (PublicPerMinute = 1): the next permit is a minute away, and Retry-After says so.
        retryAfter.ShouldBe("60");
        var (cheap, _, _) = await readOnly.Host.Send("GET", $"/api/negotiations/{id}");
        cheap.ShouldBe(200, "a cheap read is not limited");
    }
}
