using System.Text.Json.Nodes;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using Normalization.Api.Tests.Readers;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Reliability;

/// <summary>
/// Issue 14, the new-user trial's findings: each pinned down through HTTP with the right answer (the generated fuzz in
/// <see cref="ContractFuzzTests"/> covers the other instances of each kind).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class InputRulesFollowupTests(AppFixture app)
{
    async Task<int> Version(string id) => (await app.GetJson($"/api/negotiations/{id}"))!.Body!["version"]!.GetValue<int>();

    static JsonObject Frozen(string on, string amount) =>
        JsonNode.Parse($$"""{"type":"AssetsFrozen","occurredOn":"{{on}}","actor":"US","target":"TB","amountUsd":{{amount}}}""")!.AsObject();

    [Fact]
    public async Task Regression_Given_two_AssetsFrozen_at_the_decimal_maximum_When_posted_Then_400_out_of_range_and_every_view_still_answers()
    {
        var id = await app.GivenNegotiation("overflow");
        var huge = "79228162514264337593543950335"; // two of them overflowed the fold's sum: 500 on append and every read

        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events", new JsonObject { ["events"] = new JsonArray(Frozen(Day(3), huge), Frozen(Day(2), huge)) });
        var (whatIf, whatIfBody) = await app.PostJson($"/api/negotiations/{id}/what-if", new JsonObject { ["add"] = new JsonArray(Frozen(Day(3), huge)) });

        status.ShouldBe(400, body?.ToJsonString());
        body.ShouldHaveError("events[0].amountUsd", "out_of_range");
        body.ShouldHaveError("events[1].amountUsd", "out_of_range");
        whatIf.ShouldBe(400);
        whatIfBody.ShouldHaveError("add[0].amountUsd", "out_of_range");
        (await Version(id)).ShouldBe(1);
        (await app.GetJson($"/api/negotiations/{id}/state?minConfidence=Reported")).Status.ShouldBe(200);
    }

    [Fact]
    public async Task Regression_Given_amounts_at_the_limit_When_posted_twice_Then_stored_and_summed_without_overflow()
    {
        var id = await app.GivenNegotiation("atlimit");

        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events", new JsonObject { ["events"] = new JsonArray(Frozen(Day(3), "1000000000000000"), Frozen(Day(2), "1000000000000000.00")) });

        status.ShouldBe(201, body?.ToJsonString());
        (await app.GetJson($"/api/negotiations/{id}/state")).Status.ShouldBe(200);
    }

    [Theory]
    [InlineData("1e-30", "too_precise")] // was stored as 0
    [InlineData("10.001", "too_precise")]
    [InlineData("1e400", "out_of_range")]
    public async Task Regression_Given_an_amount_with_more_than_cents_or_beyond_any_type_When_posted_Then_400_naming_it(string amount, string code)
    {
        var id = await app.GivenNegotiation("cents");

        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events", new JsonObject { ["events"] = new JsonArray(Frozen(Day(3), amount)) });

        status.ShouldBe(400, body?.ToJsonString());
        body.ShouldHaveError("events[0].amountUsd", code);
    }

    [Fact]
    public async Task Regression_Given_a_huge_expectedVersion_When_posted_Then_400_out_of_range_not_wrong_type()
    {
        var id = await app.GivenNegotiation("bigver");

        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events", JsonNode.Parse($$"""{"expectedVersion":99999999999999999999,"events":[{{Talks(Day(2)).ToJsonString()}}]}""")!);

        status.ShouldBe(400, body?.ToJsonString());
        body.ShouldHaveError("expectedVersion", "out_of_range");
    }

    [Theory]
    [InlineData(" x", "untrimmed")]
    [InlineData("x\n", "untrimmed")]
    [InlineData("x\u000by", "control_character")]
    [InlineData("\u200b", "required")]
    [InlineData("a\u202Eb", "control_character")]
    public async Task Regression_Given_a_retraction_reason_breaking_the_text_rules_When_posted_Then_400_naming_reason_even_for_a_retracted_event(string reason, string code)
    {
        var id = await app.GivenNegotiation("rreason");
        var target = Guid.NewGuid();
        await app.GivenEvents(id, Talks(Day(5), eventId: target));
        (await app.PostJson($"/api/negotiations/{id}/events/{target}/retract", new { reason = "Denied." })).Status.ShouldBe(201);
        var version = await Version(id);

        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events/{target}/retract", new { reason });

        status.ShouldBe(400, body?.ToJsonString());
        body.ShouldHaveError("reason", code);
        (await Version(id)).ShouldBe(version);
    }

    static string Create(string id, string baseline, string parties = """[{"code":"US","name":"United States"},{"code":"TB","name":"Taliban"}]""") =>
        $$"""{"id":"{{id}}","title":"T","parties":{{parties}},"baseline":{{baseline}}}""";

    [Theory]
    [InlineData("""{"relations":"none"}""", "baseline.relations", "unknown_value")]
    [InlineData("""{"relations":" None"}""", "baseline.relations", "unknown_value")]
    [InlineData("""{"relations":"None,Severed"}""", "baseline.relations", "unknown_value")] // was a flags combination
    [InlineData("""{"relations":1}""", "baseline.relations", "unknown_value")]
    [InlineData("""{"recognition":[{"by":"US","of":"TB","form":"dejure"}]}""", "baseline.recognition[0].form", "unknown_value")]
    [InlineData("""{"offices":[{"sender":"US","host":"TB","officeKind":"Embassy","city":" Doha"}]}""", "baseline.offices[0].city", "untrimmed")]
    [InlineData("""{"sanctions":["x\u200by"]}""", "baseline.sanctions[0]", "control_character")]
    [InlineData("""{"sanctions":[null]}""", "baseline.sanctions[0]", "required")]
    [InlineData("""{"designations":[null]}""", "baseline.designations[0]", "required")]
    [InlineData("""{"bogus":1}""", "baseline.bogus", "unknown_field")]
    public async Task Regression_Given_a_lenient_baseline_When_creating_Then_400_naming_the_path(string baseline, string path, string code)
    {
        var id = TestApi.NewId("base");

        var (status, body, _) = await app.PostRaw("/api/negotiations", Create(id, baseline));

        status.ShouldBe(400, body?.ToJsonString());
        body.ShouldHaveError(path, code);
        (await app.GetJson($"/api/negotiations/{id}")).Status.ShouldBe(404);
    }

    [Fact]
    public async Task Regression_Given_an_unknown_field_in_a_party_When_creating_Then_400_unknown_field_with_its_path()
    {
        var id = TestApi.NewId("pextra");

        var (status, body, _) = await app.PostRaw("/api/negotiations", Create(id, "{}", """[{"code":"US","name":"United States","extra":1},{"code":"TB","name":"Taliban"}]"""));

        status.ShouldBe(400, body?.ToJsonString());
        body.ShouldHaveError("parties[0].extra", "unknown_field");
    }

    [Fact]
    public async Task Regression_Given_null_optional_fields_and_a_null_id_When_creating_Then_null_is_missing_and_id_is_required()
    {
        var id = TestApi.NewId("nulls");

        var (ok, okBody, _) = await app.PostRaw("/api/negotiations", $$$"""{"id":"{{{id}}}","title":"T","parties":[{"code":"US","name":"US"},{"code":"TB","name":"TB"}],"mediators":null,"baseline":{"relations":null,"offices":null}}""");
        var (bad, badBody, _) = await app.PostRaw("/api/negotiations", """{"id":null,"title":"T","parties":[{"code":"US","name":"US"},{"code":"TB","name":"TB"}]}""");

        ok.ShouldBe(201, okBody?.ToJsonString());
        bad.ShouldBe(400);
        badBody.ShouldHaveError("id", "required");
    }

    [Theory]
    [InlineData("note", "Talks\u200Bheld")]
    [InlineData("note", "\uFEFFTalks")]
    [InlineData("location", "Do\u202Eha")]
    [InlineData("location", "Do\u2066ha")]
    [InlineData("location", "Do\u2060ha")]
    public async Task Regression_Given_an_invisible_format_character_When_posted_Then_400_control_character(string field, string value)
    {
        var id = await app.GivenNegotiation("invis");
        var talks = Talks(Day(2));
        talks[field] = value;

        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events", new JsonObject { ["events"] = new JsonArray(talks) });

        status.ShouldBe(400, body?.ToJsonString());
        body.ShouldHaveError($"events[0].{field}", "control_character");
    }

    [Fact]
    public async Task Given_Persian_text_with_a_zero_width_non_joiner_and_a_multi_line_note_with_U2028_When_posted_Then_stored()
    {
        var id = await app.GivenNegotiation("zwnj");
        var talks = Talks(Day(2));
        talks["location"] = "می\u200Cخواهم";
        talks["note"] = "First\u2028second\rthird";

        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events", new JsonObject { ["events"] = new JsonArray(talks) });

        status.ShouldBe(201, body?.ToJsonString());
    }

    [Theory]
    [InlineData("facilitator", "qa", "invalid_party_code")]
    [InlineData("facilitator", "some-body!", "invalid_party_code")]
    public async Task Regression_Given_a_code_field_that_is_not_a_party_code_When_posted_Then_400(string field, string value, string code)
    {
        var id = await app.GivenNegotiation("codes");
        var talks = Talks(Day(2));
        talks[field] = value;

        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events", new JsonObject { ["events"] = new JsonArray(talks) });

        status.ShouldBe(400, body?.ToJsonString());
        body.ShouldHaveError($"events[0].{field}", code);
    }

    [Theory]
    [InlineData("""["us","TB"]""", "events[0].participants[0]", "invalid_party_code")] // was 422
    [InlineData("""["US","TB","US"]""", "events[0].participants[2]", "duplicate_item")]
    public async Task Regression_Given_participants_in_lower_case_or_twice_When_posted_Then_400(string participants, string path, string code)
    {
        var id = await app.GivenNegotiation("parts");
        var talks = Talks(Day(2));
        talks["participants"] = JsonNode.Parse(participants);

        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events", new JsonObject { ["events"] = new JsonArray(talks) });

        status.ShouldBe(400, body?.ToJsonString());
        body.ShouldHaveError(path, code);
    }

    [Theory]
    [InlineData("us")]
    [InlineData("USA-1")]
    public async Task Regression_Given_a_nationality_that_is_not_ISO_alpha_2_When_posted_Then_400_invalid_country_code(string nationality)
    {
        var id = await app.GivenNegotiation("nation");
        var release = Release(Day(2), "TB", "US");
        release["nationality"] = nationality;

        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events", new JsonObject { ["events"] = new JsonArray(release) });

        status.ShouldBe(400, body?.ToJsonString());
        body.ShouldHaveError("events[0].nationality", "invalid_country_code");
    }

    [Theory]
    [InlineData("stages?minConfidence=bogus", "minConfidence")]
    [InlineData("timeline?asOf=2025-01-01", "asOf")]
    [InlineData("state?asof=2025-01-01", "asof")]
    public async Task Regression_Given_an_undeclared_query_parameter_When_asked_Then_400_unknown_parameter_naming_it(string query, string parameter)
    {
        var id = await app.GivenNegotiation("uparam");

        var (status, body) = await app.GetJson($"/api/negotiations/{id}/{query}");

        status.ShouldBe(400, body?.ToJsonString());
        body.ShouldHaveError(parameter, "unknown_parameter");
    }

    [Theory]
    [InlineData("events?bogus=1", "bogus")]
    [InlineData("events?knownAt=2025-01-01T00:00:00Z", "knownAt")]
    [InlineData("what-if?asOf=2025-01-01", "asOf")]
    public async Task Regression_Given_a_query_parameter_on_a_POST_When_posted_Then_400_unknown_parameter_and_nothing_stored(string query, string parameter)
    {
        // Given a negotiation (found by a new user: POST endpoints ignored undeclared query parameters)
        var id = await app.GivenNegotiation("upost");
        var body = query.StartsWith("events") ? (object)new { events = new[] { Talks(Day(3)) } } : new { events = Array.Empty<object>() };

        // When a POST carries a query parameter it does not declare
        var (status, problem, _) = await app.Host.Send("POST", $"/api/negotiations/{id}/{query}", System.Text.Json.JsonSerializer.Serialize(body), AppFixture.ApiKey);

        // Then 400 unknown_parameter naming it, and nothing was appended
        status.ShouldBe(400, problem?.ToJsonString());
        problem.ShouldHaveError(parameter, "unknown_parameter");
        var (_, state) = await app.GetJson($"/api/negotiations/{id}");
        state!["version"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task Given_the_readers_time_zone_on_a_POST_When_posted_Then_it_is_accepted()
    {
        var id = await app.GivenNegotiation("tzpost");

        var (status, body, _) = await app.Host.Send("POST", $"/api/negotiations/{id}/events?tz=Asia%2FKabul",
            System.Text.Json.JsonSerializer.Serialize(new { events = new[] { Talks(Day(3)) } }), AppFixture.ApiKey);

        status.ShouldBe(201, body?.ToJsonString());
    }

    [Fact]
    public async Task Regression_Given_a_parameter_given_twice_When_asked_Then_400_repeated_parameter()
    {
        var id = await app.GivenNegotiation("twice");

        var (status, body) = await app.GetJson($"/api/negotiations/{id}/state?asOf=2025-01-01&asOf=2025-02-01");

        status.ShouldBe(400, body?.ToJsonString());
        body.ShouldHaveError("asOf", "repeated_parameter");
    }

    [Fact]
    public async Task Regression_Given_a_timeline_type_in_lower_case_When_asked_Then_it_is_read_like_other_query_enums()
    {
        var id = await app.GivenNegotiation("ltype");
        await app.GivenEvents(id, Talks(Day(3)));

        var (status, body) = await app.GetJson($"/api/negotiations/{id}/timeline?type=talksheld");

        status.ShouldBe(200, body?.ToJsonString());
        body!["total"]!.GetValue<int>().ShouldBe(1);
    }

    [Theory]
    [InlineData("stages?from=9998-12-31", "from", "out_of_range")] // was accepted without `to`
    [InlineData("state?asOf=9999-01-01", "asOf", "out_of_range")]   // was invalid_date
    public async Task Regression_Given_a_date_beyond_the_range_When_asked_Then_400_out_of_range(string query, string parameter, string code)
    {
        var id = await app.GivenNegotiation("range");

        var (status, body) = await app.GetJson($"/api/negotiations/{id}/{query}");

        status.ShouldBe(400, body?.ToJsonString());
        body.ShouldHaveError(parameter, code);
    }

    [Theory]
    [InlineData("9999-12-31")] [InlineData("9999-01")] [InlineData("9999")]
    public async Task Regression_Given_a_body_date_beyond_9998_When_written_Then_400_out_of_range_with_the_other_shape_errors(string date)
    {
        // Given a negotiation (create already answers coveredUntil 9999-12-31 with 400 out_of_range)
        var id = await app.GivenNegotiation("lastday");
        var talks = Talks(date);
        talks["sources"] = new JsonArray(new JsonObject { ["publisher"] = "CNN", ["publishedOn"] = "9999-12-31" });
        var unread = Talks(Day(3));
        unread["location"] = " Doha"; // a 400 of its own, to be listed with the dates

        // When events, a what-if and a coverage name a date after 9998-12-31 (they were 422 in_future, after the 400s)
        var (events, eventsBody) = await app.PostJson($"/api/negotiations/{id}/events", new JsonObject { ["events"] = new JsonArray(talks, unread) });
        var (whatIf, whatIfBody) = await app.PostJson($"/api/negotiations/{id}/what-if", new JsonObject { ["add"] = new JsonArray(Talks(date)) });
        var (coverage, coverageBody) = await app.PutJson($"/api/negotiations/{id}/coverage", new { coveredUntil = "9999-12-31" });

        // Then each is a 400 out_of_range at the date, listed with the body's other shape errors, and nothing is written
        events.ShouldBe(400, eventsBody?.ToJsonString());
        eventsBody.ShouldHaveError("events[0].occurredOn", "out_of_range");
        eventsBody.ShouldHaveError("events[0].sources[0].publishedOn", "out_of_range");
        eventsBody.ShouldHaveError("events[1].location", "untrimmed");
        whatIf.ShouldBe(400, whatIfBody?.ToJsonString());
        whatIfBody.ShouldHaveError("add[0].occurredOn", "out_of_range");
        coverage.ShouldBe(400, coverageBody?.ToJsonString());
        coverageBody.ShouldHaveError("coveredUntil", "out_of_range");
        (await Version(id)).ShouldBe(1);
    }

    [Fact]
    public async Task Regression_Given_projectTo_before_asOf_or_an_id_removed_twice_When_a_what_if_is_run_Then_400()
    {
        var id = await app.GivenNegotiation("wibody");
        var eventId = Guid.NewGuid();
        await app.GivenEvents(id, Talks(Day(3), eventId: eventId));

        var (backwards, backwardsBody) = await app.PostJson($"/api/negotiations/{id}/what-if", new { asOf = "2025-06-01", projectTo = "2025-01-01" });
        var (twice, twiceBody) = await app.PostJson($"/api/negotiations/{id}/what-if", new { remove = new[] { eventId, eventId } });

        backwards.ShouldBe(400, backwardsBody?.ToJsonString());
        backwardsBody.ShouldHaveError("projectTo", "out_of_range");
        twice.ShouldBe(400, twiceBody?.ToJsonString());
        twiceBody.ShouldHaveError("remove[1]", "duplicate_item");
    }

    [Fact]
    public async Task Regression_Given_a_body_starting_with_a_UTF8_BOM_When_posted_Then_it_is_read()
    {
        var id = await app.GivenNegotiation("bom");

        var (status, body, _) = await app.PostRaw($"/api/negotiations/{id}/what-if", "\uFEFF{}");

        status.ShouldBe(200, body?.ToJsonString());
    }

    [Fact]
    public async Task Regression_Given_a_repeated_property_When_posted_Then_the_message_has_no_blank_position()
    {
        var id = await app.GivenNegotiation("dupprop");

        var (status, body, _) = await app.PostRaw($"/api/negotiations/{id}/what-if", """{"asOf":"2025-01-01","asOf":"2025-01-02"}""");

        status.ShouldBe(400);
        body.ShouldBeProblem("malformed_json");
        body!["detail"]!.GetValue<string>().ShouldNotContain("Line ,");
    }
}
