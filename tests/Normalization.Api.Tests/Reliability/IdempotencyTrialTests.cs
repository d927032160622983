using System.Text.Json.Nodes;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Reliability;

/// <summary>
/// The sixth trial's idempotency faults (docs/api.md, "Idempotency"): a duplicate is judged on the event's value — a
/// number's spelling makes no difference in any field — and a 409 <c>eventid_reused</c> names every clash of the batch;
/// a route parameter's error is listed with the body's, named <c>route.&lt;name&gt;</c>.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class IdempotencyTrialTests(AppFixture app)
{
    /// <summary>One event per decimal field kind, its amount spelled as <c>{0}</c>.</summary>
    static string Money(string type, Guid eventId, string amount) =>
        $$"""{"eventId":"{{eventId}}","type":"{{type}}","occurredOn":"{{Day(3)}}","actor":"US","target":"TB","confidence":"Confirmed","amountUsd":{{amount}}}""";

    static readonly string[] DecimalTypes = ["AidProvided", "AssetsFrozen", "AssetsUnfrozen"];

    [Theory]
    [InlineData("1.50", "1.5")]
    [InlineData("1.50", "15e-1")]
    [InlineData("1.50", "1.500")]
    [InlineData("1e2", "100.0")]
    [InlineData("100", "1.00E+2")]
    public async Task Given_stored_events_with_decimal_amounts_When_reposted_with_the_same_values_spelled_otherwise_Then_each_is_a_duplicate(string stored, string respelled)
    {
        var id = await app.GivenNegotiation("numspell");
        var ids = DecimalTypes.Select(_ => Guid.NewGuid()).ToArray();
        string Batch(string amount) => $$"""{"events":[{{string.Join(",", DecimalTypes.Select((t, i) => Money(t, ids[i], amount)))}}]}""";
        (await app.PostRaw($"/api/negotiations/{id}/events", Batch(stored))).Status.ShouldBe(201);

        var (status, body, _) = await app.PostRaw($"/api/negotiations/{id}/events", Batch(respelled));

        status.ShouldBe(201, body?.ToJsonString());
        body!["events"]!.AsArray().Select(e => e!["status"]!.GetValue<string>()).ShouldAllBe(s => s == "duplicate");
        body["version"]!.GetValue<int>().ShouldBe(1 + DecimalTypes.Length);
    }

    [Fact]
    public async Task Given_a_stored_amount_When_reposted_with_another_value_Then_it_is_still_409_eventid_reused()
    {
        var id = await app.GivenNegotiation("numdiff");
        var eventId = Guid.NewGuid();
        (await app.PostRaw($"/api/negotiations/{id}/events", $$"""{"events":[{{Money("AidProvided", eventId, "1.50")}}]}""")).Status.ShouldBe(201);

        var (status, body, _) = await app.PostRaw($"/api/negotiations/{id}/events", $$"""{"events":[{{Money("AidProvided", eventId, "1.51")}}]}""");

        status.ShouldBe(409, body?.ToJsonString());
        body.ShouldHaveError("events[0].eventId", "eventid_reused");
    }

    [Fact]
    public async Task Given_stored_decimal_amounts_When_an_NDJSON_import_respells_them_Then_they_are_duplicates()
    {
        var id = await app.GivenNegotiation("numimp");
        var ids = DecimalTypes.Select(_ => Guid.NewGuid()).ToArray();
        (await app.PostRaw($"/api/negotiations/{id}/events", $$"""{"events":[{{string.Join(",", DecimalTypes.Select((t, i) => Money(t, ids[i], "1.50")))}}]}""")).Status.ShouldBe(201);
        var respelled = string.Join("\n", DecimalTypes.Select((t, i) => Money(t, ids[i], i % 2 == 0 ? "15e-1" : "1.500"))) + "\n";

        var (status, body) = await app.PostImport(id, respelled);

        status.ShouldBe(200, body?.ToJsonString());
        body!["duplicates"]!.GetValue<int>().ShouldBe(DecimalTypes.Length);
    }

    [Fact]
    public async Task Given_a_stored_event_When_a_batch_clashes_with_it_and_within_itself_Then_409_names_every_clash()
    {
        var id = await app.GivenNegotiation("reuseall");
        var e1 = Guid.NewGuid();
        var e2 = Guid.NewGuid();
        await app.GivenEvents(id, Talks(Day(3), eventId: e1));

        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events",
            new { events = new[] { Talks(Day(5), eventId: e2), Talks(Day(5), eventId: e2), Talks(Day(2), eventId: e1), Talks(Day(4), eventId: e2) } });

        status.ShouldBe(409, body?.ToJsonString());
        body.ShouldHaveError("events[2].eventId", "eventid_reused");
        body.ShouldHaveError("events[3].eventId", "eventid_reused");
        body.Errors().Count().ShouldBe(2);
        (await app.GetJson($"/api/negotiations/{id}")).Body!["version"]!.GetValue<int>().ShouldBe(2);
    }

    [Fact]
    public async Task Given_a_stored_event_When_an_import_clashes_with_it_and_within_itself_Then_422_names_every_line()
    {
        var id = await app.GivenNegotiation("reuseallimp");
        var e1 = Guid.NewGuid();
        var e2 = Guid.NewGuid();
        await app.GivenEvents(id, Talks(Day(3), eventId: e1));
        var lines = new[] { Talks(Day(5), eventId: e2), Talks(Day(5), eventId: e2), Talks(Day(2), eventId: e1), Talks(Day(4), eventId: e2) };

        var (status, body) = await app.PostImport(id, string.Join("\n", lines.Select(l => l.ToJsonString())) + "\n");

        status.ShouldBe(422, body?.ToJsonString());
        body.ShouldHaveError("lines[3].eventId", "eventid_reused");
        body.ShouldHaveError("lines[4].eventId", "eventid_reused");
        (await app.GetJson($"/api/negotiations/{id}")).Body!["version"]!.GetValue<int>().ShouldBe(2);
    }

    [Fact]
    public async Task Given_a_retraction_with_a_bad_path_eventId_and_a_bad_body_When_posted_Then_one_400_lists_route_eventId_with_the_body_errors()
    {
        var id = await app.GivenNegotiation("retroute");

        var (status, body, _) = await app.PostRaw($"/api/negotiations/{id}/events/not-a-guid/retract", """{"reason":"x","bogus":1,"eventId":"nope"}""");

        status.ShouldBe(400, body?.ToJsonString());
        body.ShouldHaveError("route.eventId", "invalid_guid");
        body.ShouldHaveError("bogus", "unknown_field");
        body.ShouldHaveError("eventId", "invalid_guid");
    }

    [Theory]
    [InlineData("/events")]
    [InlineData("/what-if")]
    [InlineData("/scenarios")]
    [InlineData("/events/not-a-guid/retract")]
    public async Task Given_a_text_plain_body_and_an_unknown_query_parameter_When_posted_Then_415_unsupported_media_type(string endpoint)
    {
        var id = await app.GivenNegotiation("media");

        // Through HttpClient: Alba's ToUrl would take "?x=1" into the path.
        using var client = app.Host.Server.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/negotiations/{id}{endpoint}?x=1")
            { Content = new StringContent("{\"reason\":\"x\"}", System.Text.Encoding.UTF8, "text/plain") };
        request.Headers.Add(Normalization.Api.Security.ApiKeys.Header, AppFixture.ApiKey);
        using var response = await client.SendAsync(request);
        var (status, body) = ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()));

        status.ShouldBe(415, body?.ToJsonString());
        body.ShouldBeProblem("unsupported_media_type");
    }

    [Fact]
    public async Task Given_a_timeline_from_after_today_without_to_When_asked_Then_400_out_of_range_as_on_stages()
    {
        var id = await app.GivenNegotiation("tlfrom");
        var tomorrow = Today.AddDays(1).ToString("yyyy-MM-dd");

        var (timelineStatus, timeline) = await app.GetJson($"/api/negotiations/{id}/timeline?from={tomorrow}");
        var (stagesStatus, stages) = await app.GetJson($"/api/negotiations/{id}/stages?from={tomorrow}");
        var (todayStatus, _) = await app.GetJson($"/api/negotiations/{id}/timeline?from={Today:yyyy-MM-dd}");

        timelineStatus.ShouldBe(400, timeline?.ToJsonString());
        timeline.ShouldHaveError("from", "out_of_range");
        stagesStatus.ShouldBe(400, stages?.ToJsonString());
        stages.ShouldHaveError("from", "out_of_range");
        todayStatus.ShouldBe(200);
    }

    [Theory]
    [InlineData("2025-04")]
    [InlineData("2025")]
    public async Task Given_a_coveredUntil_in_month_or_year_form_When_put_or_created_Then_both_answer_400_invalid_date(string coveredUntil)
    {
        var id = await app.GivenNegotiation("covmonth");
        var created = System.Text.Json.JsonSerializer.SerializeToNode(TestApi.UsTaliban(TestApi.NewId("covmonthc")))!.AsObject();
        created["coveredUntil"] = coveredUntil;

        var (putStatus, put) = await app.PutJson($"/api/negotiations/{id}/coverage", new { coveredUntil });
        var (createStatus, create) = await app.PostJson("/api/negotiations", created);

        putStatus.ShouldBe(400, put?.ToJsonString());
        put.ShouldHaveError("coveredUntil", "invalid_date");
        createStatus.ShouldBe(400, create?.ToJsonString());
        create.ShouldHaveError("coveredUntil", "invalid_date");
        (await app.PutJson($"/api/negotiations/{id}/coverage", new { coveredUntil = Day(1) })).Status.ShouldBe(200);
    }

    [Fact]
    public async Task Given_null_event_items_When_posted_or_asked_what_if_Then_each_is_required_like_a_null_remove_item()
    {
        var id = await app.GivenNegotiation("nullitem");
        var stored = Guid.NewGuid();
        await app.GivenEvents(id, Talks(Day(3), eventId: stored));

        var (postStatus, post, _) = await app.PostRaw($"/api/negotiations/{id}/events", "{\"events\":[null]}");
        var (whatIfStatus, whatIf, _) = await app.PostRaw($"/api/negotiations/{id}/what-if",
            $$"""{"add":[{{Talks(Day(2)).ToJsonString()}},null],"remove":[null],"replace":[{"eventId":"{{stored}}","event":null}]}""");

        postStatus.ShouldBe(400, post?.ToJsonString());
        post.ShouldHaveError("events[0]", "required");
        whatIfStatus.ShouldBe(400, whatIf?.ToJsonString());
        whatIf.ShouldHaveError("add[1]", "required");
        whatIf.ShouldHaveError("remove[0]", "required");
        whatIf.ShouldHaveError("replace[0].event", "required");
        whatIf.Errors().ShouldNotContain(e => e.Code == "not_an_object");
    }

    [Fact]
    public async Task Given_an_exported_CSV_whose_amounts_are_respelled_When_imported_Then_each_row_is_a_duplicate()
    {
        var id = await app.GivenNegotiation("numcsv");
        var ids = DecimalTypes.Select(_ => Guid.NewGuid()).ToArray();
        (await app.PostRaw($"/api/negotiations/{id}/events", $$"""{"events":[{{string.Join(",", DecimalTypes.Select((t, i) => Money(t, ids[i], "1.50")))}}]}""")).Status.ShouldBe(201);
        using var client = app.Host.Server.CreateClient();
        var csv = await client.GetStringAsync($"/api/negotiations/{id}/export?format=csv");
        csv.ShouldContain("1.50");

        using var content = new StringContent(csv.Replace("1.50", "1.500"), System.Text.Encoding.UTF8, "text/csv");
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/negotiations/{id}/imports?format=csv") { Content = content };
        request.Headers.Add(Normalization.Api.Security.ApiKeys.Header, AppFixture.ApiKey);
        using var response = await client.SendAsync(request);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync());

        ((int)response.StatusCode).ShouldBe(200, body?.ToJsonString());
        body!["duplicates"]!.GetValue<int>().ShouldBe(DecimalTypes.Length);
    }

}
