using System.Text.Json.Nodes;
using Normalization.Api.Security;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Importing;

/// <summary>
/// Every export a file can be imported from, over HTTP, from a record with corrections and retractions (one of a retraction
/// too): imported into a new negotiation it gives the same state and stages. A timeline export is in domain order, so a
/// correction that moves an event earlier comes before it: the file is judged as a whole (BatchValidator).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ExportRoundTripTests(AppFixture app)
{
    static JsonObject Correction(Guid target, string on, JsonObject version)
    {
        var corrected = version.DeepClone().AsObject();
        corrected.Remove("eventId");
        return new JsonObject
        {
            ["eventId"] = Guid.NewGuid().ToString(), ["type"] = "EventCorrected", ["occurredOn"] = on, ["actor"] = "US", ["confidence"] = "Confirmed",
            ["targetEventId"] = target.ToString(), ["correction"] = corrected,
        };
    }

    static JsonObject Retraction(Guid target, string on, Guid? eventId = null) => new()
    {
        ["eventId"] = (eventId ?? Guid.NewGuid()).ToString(), ["type"] = "EventRetracted", ["occurredOn"] = on, ["actor"] = "US", ["confidence"] = "Confirmed",
        ["targetEventId"] = target.ToString(), ["reason"] = "denied",
    };

    static JsonObject Demand(string on, string demandId, Guid eventId) => new()
    {
        ["eventId"] = eventId.ToString(), ["type"] = "DemandMade", ["occurredOn"] = on, ["actor"] = "US", ["target"] = "TB",
        ["demandId"] = demandId, ["subject"] = "release the engineer", ["category"] = "PrisonerRelease",
    };

    static JsonObject Met(string on, string demandId) => new()
    {
        ["eventId"] = Guid.NewGuid().ToString(), ["type"] = "DemandMet", ["occurredOn"] = on, ["actor"] = "TB", ["target"] = "US", ["demandId"] = demandId,
    };

    /// <summary>
    /// Talks corrected to an earlier day (the correction sorts before them), a release retracted and the retraction retracted,
    /// a demand corrected to an earlier day and its closing, a demandId used again after its demand was retracted, a release
    /// retracted the day it happened: posted one request at a time.
    /// </summary>
    async Task<string> GivenARecordWithCorrectionsAndRetractions()
    {
        var id = await app.GivenNegotiation("rt");
        var talks = Guid.NewGuid();
        var release = Guid.NewGuid();
        var retraction = Guid.NewGuid();
        var demand = Guid.NewGuid();
        await app.GivenEvents(id, Talks(Day(30), eventId: talks), Release(Day(25), "TB", "US", release), Demand(Day(28), "d1", demand), Met(Day(20), "d1"));
        await app.GivenEvents(id, Correction(talks, Day(19), Talks(Day(40))));
        await app.GivenEvents(id, Retraction(release, Day(18), retraction));
        await app.GivenEvents(id, Retraction(retraction, Day(17)));
        await app.GivenEvents(id, Correction(demand, Day(16), Demand(Day(35), "d1", demand)));
        // A demandId used again once its first demand was retracted; the reuse is dated before that retraction, so an export
        // in domain order lists it first.
        var first = Guid.NewGuid();
        await app.GivenEvents(id, Demand(Day(14), "d2", first));
        await app.GivenEvents(id, Retraction(first, Day(11)));
        await app.GivenEvents(id, Demand(Day(12), "d2", Guid.NewGuid()), Met(Day(10), "d2"));
        var late = Guid.NewGuid();
        await app.GivenEvents(id, Release(Day(8), "US", "TB", late));
        await app.GivenEvents(id, Retraction(late, Day(8)));
        return id;
    }

    async Task<(int Status, string Body)> PostFileAsync(string url, byte[] body)
    {
        var (status, text, _) = await app.PostFile(url, body);
        return (status, text);
    }

    async Task<byte[]> ExportAsync(string url)
    {
        using var client = app.Host.Server.CreateClient();
        using var response = await client.GetAsync(url);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        ((int)response.StatusCode).ShouldBe(200, System.Text.Encoding.UTF8.GetString(bytes));
        return bytes;
    }

    /// <summary>The state and the stage history, without the negotiation's id.</summary>
    async Task<string> StateAndStagesAsync(string id)
    {
        var (_, state) = await app.GetJson($"/api/negotiations/{id}/state?asOf={Today:yyyy-MM-dd}");
        var (_, stages) = await app.GetJson($"/api/negotiations/{id}/stages");
        return (state!.ToJsonString() + "\n" + stages!.ToJsonString()).Replace(id, "ID");
    }

    [Theory]
    [InlineData("export?format=ndjson", "ndjson")]
    [InlineData("export?format=csv", "csv")]
    [InlineData("export?format=csv&dialect=excel", "csv")]
    [InlineData("timeline?format=csv", "csv")]
    [InlineData("timeline?format=csv&dialect=excel", "csv")]
    [InlineData("timeline?format=ndjson", "ndjson")]
    public async Task Given_a_record_with_corrections_and_retractions_When_an_export_is_imported_into_a_new_negotiation_Then_its_state_and_stages_are_the_same(
        string export, string format)
    {
        // Given a record with corrections and retractions, exported over HTTP
        var id = await GivenARecordWithCorrectionsAndRetractions();
        var file = await ExportAsync($"/api/negotiations/{id}/{export}");

        // When the file is imported into a new negotiation with the same parties
        var copy = await app.GivenNegotiation("rt-copy");
        var (status, body) = await PostFileAsync($"/api/negotiations/{copy}/imports?format={format}", file);

        // Then it is stored as it is, and the copy has the same state and stages
        status.ShouldBe(200, body);
        (await StateAndStagesAsync(copy)).ShouldBe(await StateAndStagesAsync(id));
    }

    [Fact]
    public async Task Given_a_timeline_NDJSON_export_When_posted_back_as_events_Then_accepted_in_its_domain_order()
    {
        var id = await GivenARecordWithCorrectionsAndRetractions();
        var lines = System.Text.Encoding.UTF8.GetString(await ExportAsync($"/api/negotiations/{id}/timeline?format=ndjson"))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToArray();
        var copy = await app.GivenNegotiation("rt-post");

        var (status, body) = await app.PostJson($"/api/negotiations/{copy}/events", new { events = lines });

        status.ShouldBe(201, body?.ToJsonString());
        (await StateAndStagesAsync(copy)).ShouldBe(await StateAndStagesAsync(id));
    }

    [Theory]
    [InlineData("export?format=ndjson&dialect=excel")]
    [InlineData("export?dialect=excel")]
    [InlineData("timeline?format=json&dialect=excel")]
    [InlineData("timeline?format=ndjson&dialect=rfc4180")]
    [InlineData("timeline?format=xlsx&dialect=excel")]
    [InlineData("cameo?format=xlsx&dialect=excel")]
    public async Task Given_a_format_that_is_not_CSV_When_a_dialect_is_asked_for_Then_400_naming_dialect(string query)
    {
        var id = await app.GivenNegotiation("rt-dialect");

        var (status, body) = await app.GetJson($"/api/negotiations/{id}/{query}");

        status.ShouldBe(400, body?.ToJsonString());
        body.ShouldHaveError("dialect", "not_applicable");
    }

    [Fact]
    public async Task Given_a_CSV_export_When_the_excel_dialect_is_asked_for_Then_it_has_the_byte_order_mark()
    {
        var id = await GivenARecordWithCorrectionsAndRetractions();

        var excel = await ExportAsync($"/api/negotiations/{id}/export?format=csv&dialect=excel");
        var plain = await ExportAsync($"/api/negotiations/{id}/export?format=csv");

        excel.Take(3).ShouldBe(new byte[] { 0xEF, 0xBB, 0xBF });
        plain.Take(3).ShouldNotBe(new byte[] { 0xEF, 0xBB, 0xBF });
    }

    [Theory]
    [InlineData("timeline?format=xlsx")]
    [InlineData("cameo?format=xlsx")]
    public async Task Given_a_workbook_export_When_posted_back_Then_400_import_refused_at_body_saying_it_is_a_workbook_and_what_to_import_instead(string export)
    {
        // Given a record exported as an Excel workbook
        var id = await GivenARecordWithCorrectionsAndRetractions();
        var workbook = await ExportAsync($"/api/negotiations/{id}/{export}");

        // When the workbook is posted to a new negotiation's imports, as CSV and as the default format
        var copy = await app.GivenNegotiation("rt-xlsx");
        var asCsv = await PostFileAsync($"/api/negotiations/{copy}/imports?format=csv", workbook);
        var asDefault = await PostFileAsync($"/api/negotiations/{copy}/imports", workbook);

        // Then both are refused at body with the fix for a workbook (not "unzip it"), and nothing is stored
        foreach (var (status, body) in new[] { asCsv, asDefault })
        {
            status.ShouldBe(400, body);
            var answer = JsonNode.Parse(body)!;
            ((string)answer["code"]!).ShouldBe("import_refused");
            var error = answer["errors"]!.AsArray().Single()!;
            ((string)error["path"]!).ShouldBe("body");
            ((string)error["message"]!).ShouldContain("Excel workbook");
            ((string)error["message"]!).ShouldContain("CSV or NDJSON export");
            ((string)error["message"]!).ShouldNotContain("unzip");
        }
        var (_, timeline) = await app.GetJson($"/api/negotiations/{copy}/timeline");
        ((int)timeline!["total"]!).ShouldBe(0);
    }

    [Theory]
    [InlineData("csv", "export?format=csv")]
    [InlineData("ndjson", "export?format=ndjson")]
    public async Task Given_an_export_When_sent_as_a_form_upload_Then_400_import_refused_at_body_naming_the_way_to_send_it(string format, string export)
    {
        // Given a record's export, sent the way `curl -F file=@…` sends it (multipart/form-data)
        var id = await GivenARecordWithCorrectionsAndRetractions();
        var file = await ExportAsync($"/api/negotiations/{id}/{export}");
        var copy = await app.GivenNegotiation("rt-form");
        using var client = app.Host.Server.CreateClient();
        using var form = new MultipartFormDataContent { { new ByteArrayContent(file), "file", $"{id}.{format}" } };
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/negotiations/{copy}/imports?format={format}") { Content = form };
        request.Headers.Add(ApiKeys.Header, AppFixture.ApiKey);

        // When it is posted
        using var response = await client.SendAsync(request);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        // Then 400 import_refused at body says to send the bytes themselves; nothing is stored
        ((int)response.StatusCode).ShouldBe(400, answer.ToJsonString());
        ((string)answer["code"]!).ShouldBe("import_refused");
        var error = answer["errors"]!.AsArray().Single()!;
        ((string)error["path"]!).ShouldBe("body");
        ((string)error["message"]!).ShouldContain("--data-binary");
        var (_, timeline) = await app.GetJson($"/api/negotiations/{copy}/timeline");
        ((int)timeline!["total"]!).ShouldBe(0);
    }
}
