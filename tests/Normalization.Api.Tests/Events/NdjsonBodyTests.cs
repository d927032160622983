using System.Text.Json.Nodes;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Events;

/// <summary>
/// A stream of JSON lines (the timeline's <c>format=ndjson</c> export, JSON Lines, a JSON text sequence) sent to an
/// endpoint that reads one JSON object: refused as a whole, <c>415 unsupported_media_type</c> naming the Content-Type and
/// how to send it, nothing written — before, any Content-Type mentioning "json" was read as one JSON document and failed
/// on its second line as <c>400 malformed_json</c> ("Line 2, byte 0"). The same lines as the <c>events</c> of one object,
/// or the file posted to <c>…/imports</c>, give the record back (docs/api.md, "Errors" and the timeline export).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class NdjsonBodyTests(AppFixture app)
{
    async Task<(string Id, string Ndjson)> GivenARecordAndItsNdjsonTimeline()
    {
        var id = await app.GivenNegotiation("ndjson");
        await app.GivenEvents(id, Talks(Day(40)), Release(Day(39), "TB", "US"), Release(Day(38), "US", "TB"));
        var export = await app.Host.Scenario(s => s.Get.Url($"/api/negotiations/{id}/timeline?format=ndjson"));
        return (id, await export.ReadAsTextAsync());
    }

    async Task<int> VersionOf(string id) =>
        (await app.GetJson($"/api/negotiations/{id}")).Body!["version"]!.GetValue<int>();

    [Fact]
    public async Task Given_the_timelines_ndjson_export_When_posted_as_it_is_to_events_Then_415_naming_the_content_type_and_the_imports_endpoint()
    {
        // Given a record and its timeline exported as NDJSON, and another negotiation to copy it into
        var (_, ndjson) = await GivenARecordAndItsNdjsonTimeline();
        var target = await app.GivenNegotiation("ndjson-copy");
        var before = await VersionOf(target);

        // When the file is posted as it is, with the Content-Type it was exported with
        var (status, body, _) = await app.PostRaw($"/api/negotiations/{target}/events", ndjson, contentType: "application/x-ndjson");

        // Then 415, naming the Content-Type and the two ways to send it, and nothing is written
        status.ShouldBe(415, body?.ToJsonString());
        body.ShouldBeProblem("unsupported_media_type");
        var detail = body!["detail"]!.GetValue<string>();
        detail.ShouldContain("application/x-ndjson");
        detail.ShouldContain("/imports");
        detail.ShouldContain("\"events\"");
        (await VersionOf(target)).ShouldBe(before);
    }

    [Theory]
    [InlineData("POST", "/api/negotiations/{id}/events", "application/x-ndjson")]
    [InlineData("POST", "/api/negotiations/{id}/events", "application/jsonl")]
    [InlineData("POST", "/api/negotiations/{id}/events", "application/json-seq")]
    [InlineData("POST", "/api/negotiations", "application/x-ndjson; charset=utf-8")]
    [InlineData("POST", "/api/negotiations/{id}/what-if", "application/jsonlines")]
    [InlineData("PUT", "/api/negotiations/{id}/coverage", "application/x-ndjson")]
    public async Task Given_a_json_lines_content_type_When_sent_to_a_json_endpoint_Then_415_not_malformed_json(string method, string url, string contentType)
    {
        // Given a negotiation and one JSON object (valid JSON, so only the Content-Type can be refused)
        var id = await app.GivenNegotiation("jsonl");

        // When it is sent declared as a stream of JSON lines
        var result = await app.Host.Scenario(s =>
        {
            (method == "PUT" ? s.Put : s.Post).Text("{}").ToUrl(url.Replace("{id}", id));
            s.WithRequestHeader("Content-Type", contentType);
            s.WithRequestHeader(Normalization.Api.Security.ApiKeys.Header, AppFixture.ApiKey);
            s.IgnoreStatusCode();
        });
        var body = JsonNode.Parse(await result.ReadAsTextAsync());

        // Then the Content-Type is refused as a whole, named in the detail
        result.Context.Response.StatusCode.ShouldBe(415, body?.ToJsonString());
        body.ShouldBeProblem("unsupported_media_type");
        body!["detail"]!.GetValue<string>().ShouldContain(contentType.Split(';')[0]);
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("text/json")]
    [InlineData("application/vnd.api+json")]
    public async Task Given_the_ndjson_lines_as_the_events_of_one_object_When_posted_as_json_Then_the_record_is_copied(string contentType)
    {
        // Given a record's NDJSON timeline and an empty negotiation with the same parties
        var (source, ndjson) = await GivenARecordAndItsNdjsonTimeline();
        var target = await app.GivenNegotiation("ndjson-json");
        var events = new JsonArray(ndjson.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)).ToArray());

        // When its lines are posted as the events list of one JSON object
        var (status, body, _) = await app.PostRaw($"/api/negotiations/{target}/events", new JsonObject { ["events"] = events }.ToJsonString(),
            contentType: contentType);

        // Then every event is stored and the copy answers the source's stage history
        status.ShouldBe(201, body?.ToJsonString());
        body!["stored"]!.GetValue<int>().ShouldBe(3);
        var stages = (await app.GetJson($"/api/negotiations/{source}/stages")).Body!["transitions"]!.ToJsonString();
        (await app.GetJson($"/api/negotiations/{target}/stages")).Body!["transitions"]!.ToJsonString().ShouldBe(stages);
    }

    [Fact]
    public async Task Given_the_timelines_ndjson_export_When_posted_to_imports_Then_the_record_is_copied()
    {
        // Given a record's NDJSON timeline and an empty negotiation with the same parties
        var (source, ndjson) = await GivenARecordAndItsNdjsonTimeline();
        var target = await app.GivenNegotiation("ndjson-import");

        // When the file is posted as it is to the import endpoint
        var (status, body) = await app.PostImport(target, ndjson);

        // Then it is stored and the copy answers the source's stage history
        status.ShouldBe(200, body?.ToJsonString());
        body!["stored"]!.GetValue<int>().ShouldBe(3);
        var stages = (await app.GetJson($"/api/negotiations/{source}/stages")).Body!["transitions"]!.ToJsonString();
        (await app.GetJson($"/api/negotiations/{target}/stages")).Body!["transitions"]!.ToJsonString().ShouldBe(stages);
    }
}
