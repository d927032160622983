using Microsoft.Extensions.Options;
using Normalization.Api.Alerts;
using Normalization.Api.Alerts.Subscribing;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Alerts;

/// <summary>POST/GET/DELETE /api/subscriptions and the webhook target rules.</summary>
[Collection(ApiCollection.Name)]
public sealed class SubscriptionsTests(AppFixture app)
{
    [Fact]
    public async Task Given_a_valid_subscription_When_created_Then_201_and_it_is_listed_and_shown_without_its_secret()
    {
        var secret = "s3cret-" + Guid.NewGuid();

        var (status, created) = await app.PostJson("/api/subscriptions", new { url = "http://127.0.0.1:9/hook", secret, party = "us", stages = new[] { "Representation" } });
        var id = created!["id"]!.GetValue<string>();
        var (getStatus, one) = await app.GetJson($"/api/subscriptions/{id}", withKey: true);
        var (_, all) = await app.GetJson("/api/subscriptions", withKey: true);

        status.ShouldBe(201);
        getStatus.ShouldBe(200);
        one!["url"]!.GetValue<string>().ShouldBe("http://127.0.0.1:9/hook");
        one["party"]!.GetValue<string>().ShouldBe("US");
        one["stages"]!.AsArray().Select(s => s!.GetValue<string>()).ShouldBe(["Representation"]);
        one.ToJsonString().ShouldNotContain(secret);
        all!.ToJsonString().ShouldNotContain(secret);
        all["items"]!.AsArray().Select(s => s!["id"]!.GetValue<string>()).ShouldContain(id);
    }

    [Fact]
    public async Task Given_a_subscription_When_deleted_Then_204_and_then_404()
    {
        var (_, created) = await app.PostJson("/api/subscriptions", new { url = "http://127.0.0.1:9/hook", secret = "long-enough" });
        var id = created!["id"]!.GetValue<string>();

        var delete = await app.Host.Scenario(s => { s.Delete.Url($"/api/subscriptions/{id}"); s.WithRequestHeader("X-Api-Key", AppFixture.ApiKey); s.IgnoreStatusCode(); });
        var (after, body) = await app.GetJson($"/api/subscriptions/{id}", withKey: true);

        delete.Context.Response.StatusCode.ShouldBe(204);
        after.ShouldBe(404);
        body.ShouldBeProblem("subscription_not_found");
    }

    [Theory]
    [InlineData("/api/subscriptions/abc")]
    [InlineData("/api/subscriptions/abc/deliveries")]
    [InlineData("/api/subscriptions/00000000-0000-0000-0000-000000000000")]
    [InlineData("/api/subscriptions/%7B0195f0a1-0000-7000-8000-000000000001%7D")]
    public async Task Given_a_subscription_id_that_is_not_a_GUID_When_read_Then_400_invalid_guid_at_route_id(string url)
    {
        // Given an id no subscription can have (ids are GUIDs, hyphenated, not empty)
        // When it is read
        var (status, body) = await app.GetJson(url, withKey: true);

        // Then 400 naming the route parameter, as for a negotiation id that is not a slug — not 404 subscription_not_found
        status.ShouldBe(400, body?.ToJsonString());
        body.ShouldHaveError("route.id", "invalid_guid");
    }

    [Fact]
    public async Task Given_a_subscription_id_that_is_not_a_GUID_When_deleted_Then_400_invalid_guid_at_route_id()
    {
        var delete = await app.Host.Scenario(s => { s.Delete.Url("/api/subscriptions/abc"); s.WithRequestHeader("X-Api-Key", AppFixture.ApiKey); s.IgnoreStatusCode(); });

        delete.Context.Response.StatusCode.ShouldBe(400);
        System.Text.Json.Nodes.JsonNode.Parse(delete.ReadAsText()).ShouldHaveError("route.id", "invalid_guid");
    }

    [Fact]
    public async Task Given_no_api_key_When_subscribing_or_deleting_Then_401()
    {
        var (status, body) = await app.PostJson("/api/subscriptions", new { url = "http://127.0.0.1:9/hook", secret = "long-enough" }, withKey: false);
        var delete = await app.Host.Scenario(s => { s.Delete.Url($"/api/subscriptions/{Guid.NewGuid()}"); s.IgnoreStatusCode(); });

        status.ShouldBe(401);
        body.ShouldBeProblem("api_key_missing");
        delete.Context.Response.StatusCode.ShouldBe(401);
    }

    [Fact]
    public async Task Given_a_bad_subscription_When_created_Then_400_naming_every_field()
    {
        var (status, body) = await app.PostJson("/api/subscriptions", new { url = "ftp://127.0.0.1/x", secret = "short", negotiationId = "Not A Slug", party = "!!", stages = new[] { "Friends" } });

        status.ShouldBe(400);
        body.ShouldHaveError("url", "url_scheme");
        body.ShouldHaveError("secret", "invalid_length");
        body.ShouldHaveError("negotiationId", "invalid_slug");
        body.ShouldHaveError("party", "invalid_party_code");
        body.ShouldHaveError("stages[0]", "unknown_value");
    }

    [Theory]
    [InlineData("url", "http://127.0.0.1:9/hook\u0000", "control_character")]
    [InlineData("url", " http://127.0.0.1:9/hook", "untrimmed")]
    [InlineData("url", "http://127.0.0.1:9/a\tb", "control_character")]
    [InlineData("secret", "long-enough\u0000", "control_character")]
    [InlineData("secret", "long-enough\u202E", "control_character")]
    [InlineData("secret", " long-enough ", "untrimmed")]
    public async Task Regression_Given_a_url_or_secret_with_a_control_character_or_blanks_around_When_subscribing_Then_400_naming_it_and_nothing_stored(string field, string value, string code)
    {
        // Before the fix: a NUL in the secret reached PostgreSQL (500, and the secret in the log); a blank around the url or
        // the secret was stored as sent.
        var (_, before) = await app.GetJson("/api/subscriptions", withKey: true);
        var body = new Dictionary<string, string> { ["url"] = "http://127.0.0.1:9/hook", ["secret"] = "long-enough", [field] = value };

        var (status, problem) = await app.PostJson("/api/subscriptions", body);

        status.ShouldBe(400, problem?.ToJsonString());
        problem.ShouldHaveError(field, code);
        var (_, after) = await app.GetJson("/api/subscriptions", withKey: true);
        after!["items"]!.AsArray().Count.ShouldBe(before!["items"]!.AsArray().Count);
    }

    [Theory]
    [InlineData("http://10.0.0.1/hook", "host_not_allowed")]
    [InlineData("http://localhost:9/hook", "host_not_allowed")]
    [InlineData("not a url", "url_invalid")]
    [InlineData("http://127.0.0.1:0/hook", "url_invalid")]
    public async Task Given_a_target_off_the_allow_list_When_subscribing_Then_400(string url, string code)
    {
        var (status, body) = await app.PostJson("/api/subscriptions", new { url, secret = "long-enough" });

        status.ShouldBe(400);
        body.ShouldHaveError("url", code);
    }

    [Theory]
    [InlineData("http://127.0.0.1/hook", "address_not_allowed")]
    [InlineData("http://10.1.2.3/hook", "address_not_allowed")]
    [InlineData("http://192.168.1.1/hook", "address_not_allowed")]
    [InlineData("http://169.254.169.254/latest/meta-data", "address_not_allowed")]
    [InlineData("http://[::1]/hook", "address_not_allowed")]
    [InlineData("http://[fd00::1]/hook", "address_not_allowed")]
    [InlineData("https://93.184.215.14/hook", null)]
    public async Task Given_no_allow_list_When_checking_a_target_Then_only_public_addresses_pass(string url, string? code)
    {
        var targets = new WebhookTargets(Options.Create(new AlertOptions()));

        var errors = await targets.CheckAsync(url, "url", CancellationToken.None);

        errors.Select(e => e.Code).ShouldBe(code is null ? [] : [code]);
    }

    [Fact]
    public async Task Given_a_private_address_on_the_allow_list_When_checking_Then_it_passes()
    {
        var targets = new WebhookTargets(Options.Create(new AlertOptions { AllowedHosts = ["10.1.2.3"] }));

        (await targets.CheckAsync("http://10.1.2.3:8080/hook", "url", CancellationToken.None)).ShouldBeEmpty();
        (await targets.CheckAsync("http://10.1.2.4:8080/hook", "url", CancellationToken.None)).Single().Code.ShouldBe("host_not_allowed");
    }
}
