using System.Text.Json.Nodes;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using Normalization.Api.Tests.Readers;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Reliability;

/// <summary>
/// Issue 15's new-user trial: the error contract (docs/api.md, "Errors") held by every endpoint — every error at once,
/// each with its path and code — for each kind of fault the trial found, on every endpoint of that kind.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ErrorReportingTrialTests(AppFixture app)
{
    const string BadInstant = "soon";

    // ---------------------------------------------------------------- 1. every bad query parameter at once

    /// <summary>Each GET with query parameters, every parameter bad (and an undeclared one), and the paths that must be named.</summary>
    public static IEnumerable<object[]> GetsWithEveryParameterBad() =>
    [
        ["/state?asOf=2025-02-30&knownAt=soon&minConfidence=2&bogus=1", new[] { "asOf", "knownAt", "minConfidence", "bogus" }],
        ["/stages?from=2025-13-01&to=yesterday&knownAt=soon", new[] { "from", "to", "knownAt" }],
        ["/timeline?from=x&page=0&pageSize=-1&format=pdf&dialect=tsv&type=Nope&actor=u%20s&knownAt=soon", new[] { "from", "page", "pageSize", "format", "dialect", "type", "actor", "knownAt" }],
        ["/scenarios/base?asOf=x&projectTo=y&knownAt=soon", new[] { "asOf", "projectTo", "knownAt" }],
        ["/summary?bucket=fortnight&knownAt=soon", new[] { "bucket", "knownAt" }],
        ["/export?format=pdf&knownAt=soon", new[] { "format", "knownAt" }],
        ["/cameo?format=pdf&dialect=tsv&party=US&knownAt=soon", new[] { "format", "dialect", "party", "knownAt" }],
        ["/state?asOf=2025-01-01&asOf=2025-01-02&knownAt=soon", new[] { "asOf", "knownAt" }],
    ];

    [Theory]
    [MemberData(nameof(GetsWithEveryParameterBad))]
    public async Task Given_a_GET_with_every_query_parameter_bad_When_asked_Then_one_400_names_each_of_them(string query, string[] paths)
    {
        var id = await app.GivenNegotiation("qall");
        (await app.PostJson($"/api/negotiations/{id}/scenarios", new { name = "base", add = Array.Empty<object>() })).Status.ShouldBe(201);

        var (status, body) = await app.GetJson($"/api/negotiations/{id}{query}");

        status.ShouldBe(400, body?.ToJsonString());
        body.ShouldBeProblem("validation_failed");
        foreach (var path in paths) body.ShouldHaveError(path);
    }

    [Fact]
    public async Task Given_the_board_with_every_query_parameter_bad_When_listed_Then_one_400_names_each_of_them()
    {
        var (status, body) = await app.GetJson("/api/negotiations?stage=Nope&page=0&pageSize=999&party=u%20s&tag=Bad--Tag");

        status.ShouldBe(400, body?.ToJsonString());
        foreach (var (path, code) in new[] { ("stage", "unknown_value"), ("page", "out_of_range"), ("pageSize", "out_of_range"), ("party", "invalid_party_code"), ("tag", "invalid_slug") })
            body.ShouldHaveError(path, code);
    }

    [Fact]
    public async Task Given_a_bad_time_zone_with_other_bad_parameters_on_a_GET_When_asked_Then_the_zone_is_named_with_them()
    {
        var id = await app.GivenNegotiation("qtz");

        var (status, body) = await app.GetJson($"/api/negotiations/{id}/state?tz=Asia/Atlantis&asOf=x&knownat=2025-01-01");

        status.ShouldBe(400, body?.ToJsonString());
        body.ShouldHaveError("tz", "unknown_time_zone");
        body.ShouldHaveError("asOf", "invalid_date");
        body.ShouldHaveError("knownat", "unknown_parameter");
    }

    [Fact]
    public async Task Given_the_GET_errors_When_compared_with_what_if_Then_the_same_shape_and_codes()
    {
        var id = await app.GivenNegotiation("qshape");

        var (getStatus, get) = await app.GetJson($"/api/negotiations/{id}/scenarios/x?asOf=2025-02-30&knownAt={BadInstant}");
        var (postStatus, post) = await app.PostJson($"/api/negotiations/{id}/what-if", new { asOf = "2025-02-30", knownAt = BadInstant });

        getStatus.ShouldBe(400);
        postStatus.ShouldBe(400);
        get.Errors().Select(e => (e.Path, e.Code)).ShouldBe(post.Errors().Select(e => (e.Path, e.Code)), ignoreOrder: true);
        get!["code"]!.GetValue<string>().ShouldBe(post!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Given_a_write_with_an_unknown_query_parameter_and_a_bad_body_When_posted_Then_both_are_listed()
    {
        var id = await app.GivenNegotiation("qbody");

        var (status, body, _) = await app.Host.Send("POST", $"/api/negotiations/{id}/events?dryRun=true", """{"events":[{"type":"TalksHeld"}]}""", AppFixture.ApiKey);

        status.ShouldBe(400, body?.ToJsonString());
        body.ShouldHaveError("dryRun", "unknown_parameter");
        body.ShouldHaveError("events[0].occurredOn", "required");
    }

    // ---------------------------------------------------------------- 2. a bad date in create is invalid_date, with the rest

    [Theory]
    [InlineData("2025-13-45")]
    [InlineData("soon")]
    [InlineData("2025-04")]
    [InlineData("5")]
    public async Task Given_a_create_with_a_bad_coveredUntil_and_other_errors_When_posted_Then_invalid_date_and_every_other_error(string coveredUntil)
    {
        var id = TestApi.NewId("cov");
        var body = $$"""{"id":"{{id}}","title":5,"parties":[{"code":"us","name":"U"},{"code":"TB","name":"T"}],"coveredUntil":{{(coveredUntil == "5" ? "5" : $"\"{coveredUntil}\"")}}}""";

        var (status, problem, _) = await app.PostRaw("/api/negotiations", body);

        status.ShouldBe(400, problem?.ToJsonString());
        problem.ShouldHaveError("coveredUntil", "invalid_date");
        problem.ShouldHaveError("title", "wrong_type");
        problem.ShouldHaveError("parties[0].code", "invalid_party_code");
        (await app.GetJson($"/api/negotiations/{id}")).Status.ShouldBe(404);
    }

    // ---------------------------------------------------------------- 3. an unknown field never hides the others

    [Fact]
    public async Task Given_a_create_with_unknown_fields_and_bad_values_When_posted_Then_each_is_listed_once()
    {
        var body = """{"id":"Bad Id","bogus":1,"title":"T","parties":[{"code":"US","name":"U","extra":true},{"code":"US","name":"T"}],"baseline":{"relations":"Nope","bogus":2},"tags":[5,"ok-tag"]}""";

        var (status, problem, _) = await app.PostRaw("/api/negotiations", body);

        status.ShouldBe(400, problem?.ToJsonString());
        foreach (var (path, code) in new[]
        {
            ("bogus", "unknown_field"), ("parties[0].extra", "unknown_field"), ("baseline.bogus", "unknown_field"), ("baseline.relations", "unknown_value"),
            ("tags[0]", "wrong_type"), ("id", "invalid_slug"), ("parties[1].code", "duplicate_code"),
        })
            problem.ShouldHaveError(path, code);
        // A value found wrong is not reported again by the rules that run after (tags[0] is not also an invalid slug).
        problem.Errors().Count(e => e.Path == "tags[0]").ShouldBe(1);
    }

    [Fact]
    public async Task Given_a_retraction_with_an_unknown_field_and_a_bad_reason_When_posted_Then_both_are_listed()
    {
        var id = await app.GivenNegotiation("retu");
        var target = Guid.NewGuid();
        await app.GivenEvents(id, Talks(Day(3), eventId: target));

        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events/{target}/retract", new { reason = " padded", bogus = 1, occurredOn = "2025-02-30", actor = "us" });

        status.ShouldBe(400, body?.ToJsonString());
        body.ShouldHaveError("bogus", "unknown_field");
        body.ShouldHaveError("reason", "untrimmed");
        body.ShouldHaveError("occurredOn", "invalid_date");
        body.ShouldHaveError("actor", "invalid_party_code");
    }

    [Fact]
    public async Task Given_a_coverage_with_an_unknown_field_and_a_bad_date_When_put_Then_both_are_listed()
    {
        var id = await app.GivenNegotiation("covu");

        var (status, body) = await app.PutJson($"/api/negotiations/{id}/coverage", new { coveredUntil = "soon", bogus = 1, eventId = "x" });

        status.ShouldBe(400, body?.ToJsonString());
        body.ShouldHaveError("bogus", "unknown_field");
        body.ShouldHaveError("coveredUntil", "invalid_date");
        body.ShouldHaveError("eventId", "invalid_guid");
    }

    // ---------------------------------------------------------------- 4. JSON integers by value

    [Theory]
    [InlineData("1e20")]
    [InlineData("1e400")]
    [InlineData("2147483648")]
    [InlineData("0")]
    public async Task Given_an_expectedVersion_outside_int_range_however_written_When_posted_Then_out_of_range(string version)
    {
        var id = await app.GivenNegotiation("evrange");

        var (status, body, _) = await app.PostRaw($"/api/negotiations/{id}/events", $$"""{"expectedVersion":{{version}},"events":[{{Talks(Day(3)).ToJsonString()}}]}""");

        status.ShouldBe(400, body?.ToJsonString());
        body.ShouldHaveError("expectedVersion", "out_of_range");
    }

    [Theory]
    [InlineData("1e0", 1)]
    [InlineData("1.0", 1)]
    [InlineData("1E+3", 1000)]
    [InlineData("10e2", 1000)]
    public async Task Given_an_integral_expectedVersion_in_exponent_or_fraction_form_When_posted_Then_it_is_read_by_value(string version, int value)
    {
        var id = await app.GivenNegotiation("evexp");

        var (status, body, _) = await app.PostRaw($"/api/negotiations/{id}/events", $$"""{"expectedVersion":{{version}},"events":[{{Talks(Day(3)).ToJsonString()}}]}""");

        if (value == 1) status.ShouldBe(201, body?.ToJsonString());
        else
        {
            status.ShouldBe(409, body?.ToJsonString());
            body.ShouldBeProblem("version_conflict");
            body!["expectedVersion"]!.GetValue<int>().ShouldBe(value);
        }
    }

    [Theory]
    [InlineData("1e20", "out_of_range")]
    [InlineData("1.5", "wrong_type")]
    [InlineData("15e-1", "wrong_type")]
    public async Task Given_an_event_count_outside_its_range_or_fractional_When_posted_Then_its_code(string casualties, string code)
    {
        var id = await app.GivenNegotiation("casr");
        var strike = Strike(casualties);

        var (status, body, _) = await app.PostRaw($"/api/negotiations/{id}/events", $$"""{"events":[{{strike}}]}""");

        status.ShouldBe(400, body?.ToJsonString());
        body.ShouldHaveError("events[0].casualties", code);
    }

    [Fact]
    public async Task Given_an_event_count_in_exponent_form_When_posted_Then_it_is_stored_as_its_value()
    {
        var id = await app.GivenNegotiation("casx");

        var (status, body, _) = await app.PostRaw($"/api/negotiations/{id}/events", $$"""{"events":[{{Strike("1.2e3")}}]}""");

        status.ShouldBe(201, body?.ToJsonString());
        var (_, export) = await app.GetJson($"/api/negotiations/{id}/timeline");
        export!["items"]!.AsArray().Single()!["event"]!["casualties"]!.GetValue<int>().ShouldBe(1200);
    }

    static string Strike(string casualties) =>
        $$"""{"type":"MilitaryStrike","occurredOn":"{{Day(3)}}","actor":"US","target":"TB","confidence":"Confirmed","casualties":{{casualties}}}""";

    // ---------------------------------------------------------------- 6. an eventId names one event

    [Fact]
    public async Task Given_a_stored_event_When_the_same_eventId_is_posted_with_the_same_content_Then_it_is_a_duplicate()
    {
        var id = await app.GivenNegotiation("idem");
        var eventId = Guid.NewGuid();
        var talks = Talks(Day(3), eventId: eventId);
        await app.GivenEvents(id, talks);
        // The same event spelled otherwise: keys in another order, an optional field as null.
        var respelled = new JsonObject(talks.Reverse().Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))) { ["note"] = null };

        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events", new { events = new[] { respelled } });

        status.ShouldBe(201, body?.ToJsonString());
        body!["events"]![0]!["status"]!.GetValue<string>().ShouldBe("duplicate");
        body["version"]!.GetValue<int>().ShouldBe(2);
    }

    [Fact]
    public async Task Given_a_stored_event_When_its_eventId_is_posted_with_other_content_Then_409_eventid_reused_and_nothing_is_written()
    {
        var id = await app.GivenNegotiation("reuse");
        var eventId = Guid.NewGuid();
        await app.GivenEvents(id, Talks(Day(3), eventId: eventId));
        var changed = Talks(Day(2), eventId: eventId);

        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events", new { events = new[] { Talks(Day(1)), changed } });

        status.ShouldBe(409, body?.ToJsonString());
        body.ShouldBeProblem("eventid_reused");
        body.ShouldHaveError("events[1].eventId", "eventid_reused");
        body.Errors().ShouldNotContain(e => e.Path == "events[0].eventId");
        (await app.GetJson($"/api/negotiations/{id}")).Body!["version"]!.GetValue<int>().ShouldBe(2);
    }

    [Fact]
    public async Task Given_a_batch_that_uses_one_eventId_for_two_different_events_When_posted_Then_409_naming_the_second()
    {
        var id = await app.GivenNegotiation("reusein");
        var eventId = Guid.NewGuid();

        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events", new { events = new[] { Talks(Day(3), eventId: eventId), Talks(Day(2), eventId: eventId) } });

        status.ShouldBe(409, body?.ToJsonString());
        body.ShouldHaveError("events[1].eventId", "eventid_reused");
        (await app.GetJson($"/api/negotiations/{id}")).Body!["version"]!.GetValue<int>().ShouldBe(1);
    }

    [Fact]
    public async Task Given_a_stored_retraction_When_its_eventId_is_sent_again_Then_the_same_is_a_duplicate_and_another_reason_is_409()
    {
        var id = await app.GivenNegotiation("reuseret");
        var target = Guid.NewGuid();
        var retractionId = Guid.NewGuid();
        await app.GivenEvents(id, Talks(Day(3), eventId: target));
        var url = $"/api/negotiations/{id}/events/{target}/retract";
        (await app.PostJson(url, new { reason = "Denied.", eventId = retractionId })).Status.ShouldBe(201);

        var (againStatus, again) = await app.PostJson(url, new { reason = "Denied.", eventId = retractionId });
        var (otherStatus, other) = await app.PostJson(url, new { reason = "Denied by both.", eventId = retractionId });

        againStatus.ShouldBe(201, again?.ToJsonString());
        again!["duplicate"]!.GetValue<bool>().ShouldBeTrue();
        otherStatus.ShouldBe(409, other?.ToJsonString());
        other.ShouldHaveError("eventId", "eventid_reused");
    }

    [Fact]
    public async Task Given_a_stored_event_When_a_coverage_reuses_its_eventId_Then_409_eventid_reused()
    {
        var id = await app.GivenNegotiation("reusecov");
        var eventId = Guid.NewGuid();
        await app.GivenEvents(id, Talks(Day(3), eventId: eventId));

        var (status, body) = await app.PutJson($"/api/negotiations/{id}/coverage", new { coveredUntil = Day(1), eventId });

        status.ShouldBe(409, body?.ToJsonString());
        body.ShouldHaveError("eventId", "eventid_reused");
    }

    [Fact]
    public async Task Given_a_stored_event_When_a_file_imports_its_eventId_again_Then_the_same_event_is_a_duplicate_and_another_is_refused_by_line()
    {
        var id = await app.GivenNegotiation("reuseimp");
        var eventId = Guid.NewGuid();
        var talks = Talks(Day(3), eventId: eventId);
        await app.GivenEvents(id, talks);
        var inFile = Guid.NewGuid();
        var sameAgain = $"{talks.ToJsonString()}\n";
        var reused = $"{Talks(Day(9), eventId: inFile).ToJsonString()}\n{Talks(Day(2), eventId: eventId).ToJsonString()}\n{Talks(Day(8), eventId: inFile).ToJsonString()}\n";

        var (sameStatus, same) = await app.PostImport(id, sameAgain);
        var (reusedStatus, refused) = await app.PostImport(id, reused);

        sameStatus.ShouldBe(200, same?.ToJsonString());
        same!["duplicates"]!.GetValue<int>().ShouldBe(1);
        reusedStatus.ShouldBe(422, refused?.ToJsonString());
        refused.ShouldHaveError("lines[2].eventId", "eventid_reused");
        refused.ShouldHaveError("lines[3].eventId", "eventid_reused");
        (await app.GetJson($"/api/negotiations/{id}")).Body!["version"]!.GetValue<int>().ShouldBe(2);
    }


    // ---------------------------------------------------------------- 7. instants as RFC 3339 reads them

    [Theory]
    [InlineData("t10:00:00z", "10:00:00")]
    [InlineData("T10:00:00z", "10:00:00")]
    [InlineData("t10:00:00.123456789Z", "10:00:00.1234567")]
    [InlineData("T10:00:00.99999999999+00:00", "10:00:00.9999999")]
    public async Task Given_a_knownAt_with_a_lower_case_t_or_z_or_more_than_7_fractional_digits_When_asked_Then_it_is_read_truncated_to_100_ns(string time, string expected)
    {
        var id = await app.GivenNegotiation("inst");
        var tomorrow = Today.AddDays(1).ToString("yyyy-MM-dd");

        var (status, body) = await app.GetJson($"/api/negotiations/{id}/state?knownAt={Uri.EscapeDataString(tomorrow + time)}");
        var (whatIfStatus, _) = await app.PostJson($"/api/negotiations/{id}/what-if", new { knownAt = tomorrow + time });

        status.ShouldBe(200, body?.ToJsonString());
        whatIfStatus.ShouldBe(200);
        DateTimeOffset.Parse(body!["knownAt"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)
            .ShouldBe(DateTimeOffset.Parse($"{tomorrow}T{expected}Z", System.Globalization.CultureInfo.InvariantCulture));
    }
}
