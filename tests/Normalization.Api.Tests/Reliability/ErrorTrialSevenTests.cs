using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Reliability;

/// <summary>
/// The seventh new-user trial of the error contract (docs/api.md, "Errors"): a field reported twice, framework answers
/// without a <c>code</c>, a declared charset ignored, odd route ids answered 404 and echoed raw.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ErrorTrialSevenTests(AppFixture app)
{
    static void ShouldHaveOneErrorPerPath(JsonNode? body)
    {
        var errors = body.Errors();
        errors.ShouldNotBeEmpty(body?.ToJsonString());
        errors.GroupBy(e => e.Path).Where(g => g.Count() > 1).Select(g => g.Key).ShouldBeEmpty(body?.ToJsonString());
    }

    // ---------------------------------------------------------------- 1. one error per field path: the first rule wins

    [Fact]
    public async Task Given_a_release_whose_target_is_its_actor_When_posted_Then_the_target_has_one_error_same_as_actor()
    {
        var id = await app.GivenNegotiation("twice");

        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events", new { events = new[] { Release(Day(3), "US", "US") } });

        status.ShouldBe(422, body?.ToJsonString());
        body.ShouldHaveError("events[0].target", "same_as_actor");
        ShouldHaveOneErrorPerPath(body);
    }

    [Fact]
    public async Task Given_a_negotiation_with_two_lower_case_equal_parties_and_a_self_recognition_When_created_Then_each_field_has_one_error()
    {
        var body = JsonNode.Parse(Json(new
        {
            id = TestApi.NewId("twice"), title = "Twice",
            parties = new[] { new { code = "us", name = "A" }, new { code = "us", name = "B" } },
            baseline = new { recognition = new[] { new { by = "VN", of = "VN" } } },
        }))!;

        var (status, answer) = await app.PostJson("/api/negotiations", body);

        status.ShouldBe(400, answer?.ToJsonString());
        answer.ShouldHaveError("parties[1].code", "invalid_party_code");
        answer.ShouldHaveError("baseline.recognition[0].of");
        ShouldHaveOneErrorPerPath(answer);
    }

    // ---------------------------------------------------------------- 4. the framework's own answers carry a code

    [Theory]
    [InlineData("GET", "/api/bogus", 404, "not_found")]
    [InlineData("GET", "/api/negotiations/a/b/c/d/e", 404, "not_found")]
    [InlineData("DELETE", "/api/negotiations/us-cuba-2014", 405, "method_not_allowed")]
    [InlineData("PUT", "/api/negotiations/us-cuba-2014", 405, "method_not_allowed")]
    [InlineData("PATCH", "/api/negotiations", 405, "method_not_allowed")]
    public async Task Given_a_path_or_method_no_endpoint_answers_When_requested_Then_a_problem_with_a_code(string method, string url, int expected, string code)
    {
        using var client = app.Client();

        var (status, body, response) = await ReliabilityKit.Send(client, new HttpMethod(method), url, AppFixture.ApiKey, method is "PUT" or "PATCH" ? "{}" : null);

        status.ShouldBe(expected);
        response.Content.Headers.ContentType?.MediaType.ShouldBe("application/problem+json");
        body.ShouldBeProblem(code);
        body!["type"]!.GetValue<string>().ShouldBe($"https://normalization.dev/problems/{code}");
    }

    // ---------------------------------------------------------------- 5. a declared charset that is not UTF-8 is refused

    [Theory]
    [InlineData("/api/negotiations", "POST", "utf-16")]
    [InlineData("/api/negotiations/{id}/events", "POST", "iso-8859-1")]
    [InlineData("/api/negotiations/{id}/coverage", "PUT", "windows-1252")]
    [InlineData("/api/negotiations/{id}/what-if", "POST", "utf-16")]
    [InlineData("/api/subscriptions", "POST", "us-ascii")]
    public async Task Given_a_JSON_body_declared_in_another_charset_When_sent_Then_415_naming_the_content_type(string url, string method, string charset)
    {
        var id = await app.GivenNegotiation("charset");
        using var client = app.Client();
        using var request = new HttpRequestMessage(new HttpMethod(method), url.Replace("{id}", id));
        request.Headers.Add(Normalization.Api.Security.ApiKeys.Header, AppFixture.ApiKey);
        request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes("{}"));
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse($"application/json; charset={charset}");

        using var response = await client.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());

        ((int)response.StatusCode).ShouldBe(415, body?.ToJsonString());
        body.ShouldBeProblem("unsupported_media_type");
        body!["detail"]!.GetValue<string>().ShouldContain($"charset={charset}");
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("application/json; charset=UTF-8")]
    [InlineData("application/json;charset=\"utf-8\"")]
    public async Task Given_a_JSON_body_declared_UTF8_When_posted_Then_it_is_read(string contentType)
    {
        var id = await app.GivenNegotiation("utf8ok");

        var (status, body, _) = await app.PostRaw($"/api/negotiations/{id}/events", Json(new { events = new[] { Talks(Day(3)) } }), contentType: contentType);

        status.ShouldBe(201, body?.ToJsonString());
    }

    // ---------------------------------------------------------------- 6. route ids are slugs, and odd ones are not echoed raw

    [Theory]
    [InlineData("/api/negotiations/US-CUBA-2014")]
    [InlineData("/api/negotiations/%E2%80%AEus")]
    [InlineData("/api/negotiations/us-cuba-2014%C3%A9/state")]
    [InlineData("/api/negotiations/US-CUBA/timeline")]
    [InlineData("/api/negotiations/US-CUBA/stages")]
    [InlineData("/api/negotiations/US-CUBA/summary")]
    [InlineData("/api/negotiations/US-CUBA/scenarios")]
    public async Task Given_a_negotiation_id_that_is_not_a_slug_When_read_Then_400_invalid_slug_at_route_id(string url)
    {
        var (status, body) = await app.GetJson(url);

        status.ShouldBe(400, body?.ToJsonString());
        body.ShouldHaveError("route.id", "invalid_slug");
        body!.ToJsonString().ShouldNotContain("\u202E");
    }

    [Fact]
    public async Task Given_a_write_to_a_negotiation_id_that_is_not_a_slug_with_a_bad_body_When_posted_Then_both_errors_come_together()
    {
        var (status, body, _) = await app.PostRaw("/api/negotiations/US-CUBA/events", """{"events":[],"bogus":1}""");

        status.ShouldBe(400, body?.ToJsonString());
        body.ShouldHaveError("route.id", "invalid_slug");
        body.ShouldHaveError("bogus", "unknown_field");
    }

    [Fact]
    public async Task Given_a_scenario_name_that_is_not_a_slug_When_read_Then_400_invalid_slug_at_route_name()
    {
        var id = await app.GivenNegotiation("scname");

        var (status, body) = await app.GetJson($"/api/negotiations/{id}/scenarios/Bad-Name");

        status.ShouldBe(400, body?.ToJsonString());
        body.ShouldHaveError("route.name", "invalid_slug");
    }

    [Fact]
    public void Given_a_text_with_control_and_bidi_characters_When_made_printable_for_a_detail_Then_they_are_escaped_and_letters_kept()
    {
        Normalization.Api.Http.Problems.Printable("a\u202Eb\u0000c").ShouldBe("a\\u202Eb\\u0000c");
        Normalization.Api.Http.Problems.Printable("us-cuba é").ShouldBe("us-cuba é");
    }

    // ---------------------------------------------------------------- 2. a null list item is required, another kind wrong_type

    [Fact]
    public async Task Given_null_and_wrongly_typed_list_items_in_events_When_posted_Then_null_is_required_and_a_number_wrong_type()
    {
        var id = await app.GivenNegotiation("nullitems");
        var talks = Talks(Day(3));
        talks["participants"] = new JsonArray("US", null, 5);
        var release = Release(Day(3), "US", "TB");
        release["sources"] = new JsonArray(null, 5);

        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events", new { events = new[] { talks, release } });

        status.ShouldBe(400, body?.ToJsonString());
        body.ShouldHaveError("events[0].participants[1]", "required");
        body.ShouldHaveError("events[0].participants[2]", "wrong_type");
        body.ShouldHaveError("events[1].sources[0]", "required");
        body.ShouldHaveError("events[1].sources[1]", "wrong_type");
    }

    [Fact]
    public async Task Given_a_subscription_with_an_unknown_a_null_and_a_number_stage_and_a_wrongly_typed_url_When_posted_Then_each_has_its_documented_code()
    {
        var (status, body) = await app.PostJson("/api/subscriptions", JsonNode.Parse("""{"url":5,"secret":"long-enough-secret","stages":[null,"Bogus",5]}""")!);

        status.ShouldBe(400, body?.ToJsonString());
        body.ShouldHaveError("url", "wrong_type");
        body.ShouldHaveError("stages[0]", "required");
        body.ShouldHaveError("stages[1]", "unknown_value");
        body.ShouldHaveError("stages[2]", "wrong_type");
    }

    // ---------------------------------------------------------------- 3. every error at once

    [Fact]
    public async Task Given_three_parties_one_with_a_bad_code_and_one_without_a_name_When_created_Then_exactly_two_and_each_item_error()
    {
        var body = JsonNode.Parse(Json(new { id = TestApi.NewId("three"), title = "Three" }))!.AsObject();
        body["parties"] = JsonNode.Parse("""[{"code":"us","name":"A"},{"code":"CU"},{"code":"VN","name":"C"}]""");

        var (status, answer) = await app.PostJson("/api/negotiations", body);

        status.ShouldBe(400, answer?.ToJsonString());
        answer.ShouldHaveError("parties", "exactly_two");
        answer.ShouldHaveError("parties[0].code", "invalid_party_code");
        answer.ShouldHaveError("parties[1].name", "required");
    }

    // ---------------------------------------------------------------- 7. a coverage is a day, not after today — PUT and event alike

    [Fact]
    public async Task Given_a_coverage_after_today_When_put_or_posted_as_a_review_Then_422_in_future()
    {
        var id = await app.GivenNegotiation("covfuture");
        var tomorrow = Today.AddDays(1).ToString("yyyy-MM-dd");
        var review = new JsonObject { ["type"] = "RecordReviewed", ["occurredOn"] = Day(0), ["actor"] = "EDITOR", ["confidence"] = "Confirmed", ["coveredUntil"] = "2999-12-31" };

        var (put, putBody) = await app.PutJson($"/api/negotiations/{id}/coverage", new { coveredUntil = "2999-12-31" });
        var (putTomorrow, tomorrowBody) = await app.PutJson($"/api/negotiations/{id}/coverage", new { coveredUntil = tomorrow });
        var (post, postBody) = await app.PostJson($"/api/negotiations/{id}/events", new { events = new[] { review } });
        var (today, _) = await app.PutJson($"/api/negotiations/{id}/coverage", new { coveredUntil = Day(0) });

        put.ShouldBe(422, putBody?.ToJsonString());
        putBody.ShouldHaveError("coveredUntil", "in_future");
        putTomorrow.ShouldBe(422, tomorrowBody?.ToJsonString());
        post.ShouldBe(422, postBody?.ToJsonString());
        postBody.ShouldHaveError("events[0].coveredUntil", "in_future");
        today.ShouldBe(200, "today is not the future");
    }

    [Fact]
    public async Task Given_a_coverage_as_a_month_When_put_or_posted_as_a_review_Then_both_are_400_invalid_date()
    {
        var id = await app.GivenNegotiation("covmonth7");
        var review = new JsonObject { ["type"] = "RecordReviewed", ["occurredOn"] = Day(0), ["actor"] = "EDITOR", ["confidence"] = "Confirmed", ["coveredUntil"] = "2021-06" };

        var (put, putBody) = await app.PutJson($"/api/negotiations/{id}/coverage", new { coveredUntil = "2021-06" });
        var (post, postBody) = await app.PostJson($"/api/negotiations/{id}/events", new { events = new[] { review } });

        put.ShouldBe(400, putBody?.ToJsonString());
        putBody.ShouldHaveError("coveredUntil", "invalid_date");
        post.ShouldBe(400, postBody?.ToJsonString());
        postBody.ShouldHaveError("events[0].coveredUntil", "invalid_date");
    }
}
