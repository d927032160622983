using System.Text.Json.Nodes;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Reliability;

/// <summary>
/// The second new-user trial of the error contract (docs/api.md, "Errors"): faults that hid other errors of the same
/// body, row or query, and one fault answered with different codes on different endpoints.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ErrorTrialFollowUpTests(AppFixture app)
{
    // ---------------------------------------------------------------- 1. a missing or unknown type hides nothing of the envelope

    [Theory]
    [InlineData("""{"type":"Nope","occurredOn":"soon","actor":"x y","bogus":1}""", "unknown_event_type")]
    [InlineData("""{"occurredOn":"soon","actor":"x y","bogus":1}""", "required")]
    public async Task Given_an_event_with_an_unknown_or_missing_type_and_bad_envelope_fields_When_posted_Then_the_envelope_errors_come_with_the_type(string ev, string typeCode)
    {
        var id = await app.GivenNegotiation("typeenv");

        var (status, body, _) = await app.PostRaw($"/api/negotiations/{id}/events", $$"""{"events":[{{ev}}]}""");

        status.ShouldBe(400, body?.ToJsonString());
        body.ShouldHaveError("events[0].type", typeCode);
        body.ShouldHaveError("events[0].occurredOn", "invalid_date");
        body.ShouldHaveError("events[0].actor", "invalid_party_code");
        body.Errors().ShouldNotContain(e => e.Path == "events[0].bogus", "without a type a field cannot be judged unknown");
    }

    [Fact]
    public async Task Given_an_NDJSON_line_with_an_unknown_type_and_a_bad_envelope_When_imported_Then_the_line_names_every_envelope_error()
    {
        var id = await app.GivenNegotiation("typeenvnd");
        var ndjson = Talks(Day(3)).ToJsonString() + "\n" + """{"type":"Nope","occurredOn":"soon","actor":"x y"}""" + "\n";

        var (status, body) = await ImportAsync(id, ndjson);

        status.ShouldBe(422, body?.ToJsonString());
        body.ShouldHaveError("lines[2].type", "unknown_event_type");
        body.ShouldHaveError("lines[2].occurredOn", "invalid_date");
        body.ShouldHaveError("lines[2].actor", "invalid_party_code");
    }

    // ---------------------------------------------------------------- 2. a bad cell of a CSV row hides nothing of the row

    const string CsvHeader = "eventId,type,occurredOn,actor,target,confidence,sources,note,fields";

    [Fact]
    public async Task Given_a_CSV_row_with_an_excel_date_a_malformed_sources_cell_and_other_bad_cells_When_imported_Then_every_error_of_the_row_is_listed()
    {
        var id = await app.GivenNegotiation("csvrow");

        var (status, body) = await ImportAsync(id, CsvHeader + "\nnope,TalksHeld,3/20/2025,aa,,Sure,notjson,,{}\n", "?format=csv", "text/csv");

        status.ShouldBe(422, body?.ToJsonString());
        foreach (var (path, code) in new[] { ("eventId", "invalid_guid"), ("occurredOn", "excel_date"), ("actor", "invalid_party_code"), ("confidence", "unknown_value"), ("sources", "malformed_json"), ("participants", "required") })
            body.ShouldHaveError($"lines[2].{path}", code);
        body.Errors().Count(e => e.Path == "lines[2].occurredOn").ShouldBe(1, "a left-out excel date is not also required");
    }

    [Fact]
    public async Task Given_a_CSV_row_whose_fields_cell_is_not_JSON_When_imported_Then_the_envelope_errors_are_listed_but_not_the_types_own_fields()
    {
        var id = await app.GivenNegotiation("csvfields");

        var (status, body) = await ImportAsync(id, CsvHeader + "\n,TalksHeld,2025-03-20,aa,,,,,notjson\n", "?format=csv", "text/csv");

        status.ShouldBe(422, body?.ToJsonString());
        body.ShouldHaveError("lines[2].fields", "malformed_json");
        body.ShouldHaveError("lines[2].actor", "invalid_party_code");
        body.Errors().ShouldNotContain(e => e.Path == "lines[2].participants", "the type's fields cannot be judged without the fields cell");
    }

    [Fact]
    public async Task Given_a_CSV_header_with_an_unknown_column_and_a_bad_row_When_imported_Then_both_are_listed()
    {
        var id = await app.GivenNegotiation("csvcol");

        var (status, body) = await ImportAsync(id, "type,occurredOn,actor,bogus\nTalksHeld,soon,US,x\n", "?format=csv", "text/csv");

        status.ShouldBe(422, body?.ToJsonString());
        body.ShouldHaveError("lines[1].bogus", "unknown_column");
        body.ShouldHaveError("lines[2].occurredOn", "invalid_date");
    }

    // ---------------------------------------------------------------- 3. a subscription's unknown field hides none of its values

    [Fact]
    public async Task Given_a_subscription_with_an_unknown_field_an_unknown_parameter_and_every_value_bad_When_posted_Then_one_400_lists_them_all()
    {
        var (status, body) = await PostAsync("/api/subscriptions?x=1",
            """{"url":"ftp://x","secret":"s","negotiationId":"Bad Id","party":"u s","stages":["Nope"],"bogus":1}""", "application/json");

        status.ShouldBe(400, body?.ToJsonString());
        foreach (var (path, code) in new[] { ("x", "unknown_parameter"), ("bogus", "unknown_field"), ("url", "url_scheme"), ("secret", "invalid_length"),
                     ("negotiationId", "invalid_slug"), ("party", "invalid_party_code"), ("stages[0]", "unknown_value") })
            body.ShouldHaveError(path, code);
    }

    // ---------------------------------------------------------------- 4. a malformed source url is wrong in the JSON itself: 400 with the rest

    [Fact]
    public async Task Given_a_malformed_source_url_and_another_400_fault_When_posted_Then_one_400_lists_both()
    {
        var id = await app.GivenNegotiation("srcurl");
        var ev = Talks(Day(3));
        ev["sources"] = new JsonArray(new JsonObject { ["publisher"] = "CNN", ["url"] = "notaurl" }, new JsonObject { ["publisher"] = "X", ["url"] = "javascript:alert(1)" });
        ev["actor"] = "u s";

        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events", new { events = new[] { ev } });

        status.ShouldBe(400, body?.ToJsonString());
        body.ShouldHaveError("events[0].sources[0].url", "invalid_url");
        body.ShouldHaveError("events[0].sources[1].url", "invalid_url");
        body.ShouldHaveError("events[0].actor", "invalid_party_code");
    }

    // ---------------------------------------------------------------- 5. one fault, one code, on every endpoint

    [Fact]
    public async Task Given_an_unknown_format_on_each_endpoint_When_asked_Then_each_answers_unknown_value_and_export_lists_only_its_formats()
    {
        var id = await app.GivenNegotiation("fmtcode");

        var timeline = await app.GetJson($"/api/negotiations/{id}/timeline?format=xml");
        var cameo = await app.GetJson($"/api/negotiations/{id}/cameo?format=xml");
        var export = await app.GetJson($"/api/negotiations/{id}/export?format=xml");
        var exportXlsx = await app.GetJson($"/api/negotiations/{id}/export?format=xlsx");
        var import = await ImportAsync(id, "x\n", "?format=xml");

        foreach (var (status, body) in new[] { timeline, cameo, export, exportXlsx, import })
        {
            status.ShouldBe(400, body?.ToJsonString());
            body.ShouldHaveError("format", "unknown_value");
        }
        var message = export.Body.Errors().Single(e => e.Path == "format").Message;
        message.ShouldContain("ndjson, csv or stages");
        message.ShouldNotContain("xlsx");
        message.ShouldNotContain("cameo");
    }

    [Fact]
    public async Task Given_an_import_with_a_repeated_format_a_bad_party_mapping_and_both_scenario_and_commit_When_posted_Then_one_400_lists_each_once_with_the_common_codes()
    {
        var id = await app.GivenNegotiation("impcodes");

        var (status, body) = await ImportAsync(id, "x\n", "?format=csv&format=xml&party=nope&scenario=ok-name&commit=true");

        status.ShouldBe(400, body?.ToJsonString());
        body.ShouldBeProblem("validation_failed");
        body.Errors().Where(e => e.Path == "format").Select(e => e.Code).ShouldBe(["repeated_parameter"]);
        body.ShouldHaveError("party", "invalid_party_mapping");
        var refusal = body.Errors().Single(e => e.Path == "commit");
        refusal.Code.ShouldBe("import_refused");
        refusal.Message.ShouldContain("scenario=NAME");
        refusal.Message.ShouldNotContain("--");
    }

    [Fact]
    public async Task Given_event_data_without_commit_or_scenario_When_imported_Then_import_refused_carries_errors_naming_the_query_parameters()
    {
        var id = await app.GivenNegotiation("imprefuse");

        var (status, body) = await ImportAsync(id, "x\n", "?format=gdelt&party=US%3DUSA&party=TB%3DAFGTAL");

        status.ShouldBe(400, body?.ToJsonString());
        body.ShouldBeProblem("import_refused");
        body!["detail"]!.GetValue<string>().ShouldNotContain("--");
        body.Errors().ShouldHaveSingleItem().Code.ShouldBe("import_refused");
    }

    Task<(int Status, JsonNode? Body)> ImportAsync(string id, string text, string query = "", string mediaType = "application/x-ndjson") =>
        PostAsync($"/api/negotiations/{id}/imports{query}", text, mediaType);

    /// <summary>A POST with the API key through a plain client (the query string reaches the endpoint as sent).</summary>
    async Task<(int Status, JsonNode? Body)> PostAsync(string url, string text, string mediaType)
    {
        using var client = app.Host.Server.CreateClient();
        using var content = new StringContent(text, System.Text.Encoding.UTF8, mediaType);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        request.Headers.Add(Normalization.Api.Security.ApiKeys.Header, AppFixture.ApiKey);
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, string.IsNullOrWhiteSpace(body) ? null : JsonNode.Parse(body));
    }
}
