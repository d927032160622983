using Microsoft.Extensions.Configuration;
using Normalization.Api.Security;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Security;

/// <summary>Every POST needs X-Api-Key; reads are open.</summary>
[Collection(ApiCollection.Name)]
public sealed class ApiKeyTests(AppFixture app)
{
    public static TheoryData<string> Writes => new()
    {
        "/api/negotiations",
        "/api/negotiations/{id}/events",
        "/api/negotiations/{id}/events/{eventId}/retract",
    };

    async Task<(string Url, string Body)> Request(string template)
    {
        var id = await app.GivenNegotiation("key");
        var eventId = Guid.NewGuid();
        await app.GivenEvents(id, Talks(Day(20), eventId: eventId));
        var url = template.Replace("{id}", id).Replace("{eventId}", eventId.ToString());
        var body = template switch
        {
            "/api/negotiations" => Json(TestApi.UsTaliban(TestApi.NewId("key"))),
            "/api/negotiations/{id}/events" => Json(new { events = new[] { Talks(Day(10)) } }),
            _ => Json(new { reason = "wrong" }),
        };
        return (url, body);
    }

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task Given_no_api_key_When_posting_Then_401_api_key_missing_and_nothing_written(string template)
    {
        var (url, body) = await Request(template);

        var (status, problem, _) = await app.PostRaw(url, body, apiKey: null);

        status.ShouldBe(401);
        problem.ShouldBeProblem("api_key_missing");
        problem!["detail"]!.GetValue<string>().ShouldContain(ApiKeys.Header);
    }

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task Given_a_wrong_api_key_When_posting_Then_401_api_key_invalid(string template)
    {
        var (url, body) = await Request(template);

        var (status, problem, _) = await app.PostRaw(url, body, apiKey: "not-the-key");

        status.ShouldBe(401);
        problem.ShouldBeProblem("api_key_invalid");
    }

    [Fact]
    public async Task Given_a_wrong_key_When_creating_Then_the_negotiation_does_not_exist()
    {
        var id = TestApi.NewId("nokey");

        await app.PostRaw("/api/negotiations", Json(TestApi.UsTaliban(id)), apiKey: "nope");

        (await app.GetJson($"/api/negotiations/{id}")).Status.ShouldBe(404);
    }

    [Fact]
    public async Task Given_the_key_When_events_are_posted_Then_the_key_name_is_recorded_as_who_posted_them()
    {
        var id = await app.GivenNegotiation("who");
        await app.GivenEvents(id, Talks(Day(5)));

        var (_, timeline) = await app.GetJson($"/api/negotiations/{id}/timeline");

        timeline!["items"]![0]!["postedBy"]!.GetValue<string>().ShouldBe("tests");
    }

    [Fact]
    public void Given_keys_configured_as_sha256_hex_When_authenticating_Then_only_the_matching_key_is_accepted()
    {
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ApiKeys:ingest"] = ApiKeys.Hash("mykey") }).Build();
        var keys = new ApiKeys(config);

        keys.Authenticate("mykey").ShouldBe("ingest");
        keys.Authenticate("mykey ").ShouldBeNull();
        keys.Authenticate(null).ShouldBeNull();
        ApiKeys.Hash("mykey").ShouldBe("5e50f405ace6cbdf17379f4b9f2b0c9f4144c5e380ea0b9298cb02ebd8ffe511", "the same as `echo -n mykey | sha256sum`");
    }
    [Theory]
    [InlineData("mykey")]                                                                   // the key pasted instead of its hash
    [InlineData("5e50f405ace6cbdf17379f4b9f2b0c9f4144c5e380ea0b9298cb02ebd8ffe51")]         // a hash cut short (63)
    [InlineData("5e50f405ace6cbdf17379f4b9f2b0c9f4144c5e380ea0b9298cb02ebd8ffe5zz")]        // 64 characters, not all hex
    public void Regression_Given_a_key_entry_that_is_not_a_sha256_in_hex_When_the_keys_are_read_Then_the_start_stops_naming_it_and_not_its_value(string value)
    {
        // Before the fix: a short or long value was skipped (every write 401, nothing said), a 64-character one that is not
        // hex threw on the first write (500).
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ApiKeys:ingest"] = value, ["ApiKeys:other"] = ApiKeys.Hash("otherkey") }).Build();

        var e = Should.Throw<InvalidOperationException>(() => ApiKeys.Validate(config));

        e.Message.ShouldContain("ApiKeys:ingest");
        e.Message.ShouldNotContain(value);
        Should.Throw<InvalidOperationException>(() => new ApiKeys(config));
    }

    [Fact]
    public void Given_a_hash_in_upper_case_with_blanks_around_or_an_empty_entry_When_the_keys_are_read_Then_the_hash_is_a_key_and_the_empty_entry_none()
    {
        var config = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ApiKeys:ingest"] = " " + ApiKeys.Hash("mykey").ToUpperInvariant() + "\n", ["ApiKeys:retired"] = "" }).Build();

        var keys = new ApiKeys(config);

        keys.Authenticate("mykey").ShouldBe("ingest");
        ApiKeys.Validate(config).Select(k => k.Name).ShouldBe(["ingest"]);
    }
}
