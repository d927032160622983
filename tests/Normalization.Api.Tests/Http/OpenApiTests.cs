using System.Text.Json.Nodes;
using Alba;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using Normalization.Domain.Catalog;

namespace Normalization.Api.Tests.Http;

/// <summary>/openapi/v1.json describes every endpoint; /scalar serves the reference.</summary>
[Collection(ApiCollection.Name)]
public sealed class OpenApiTests(AppFixture app)
{
    /// <summary>Every /api route the app really serves (so a new endpoint fails these tests until it is described).</summary>
    (string Method, string Path)[] Endpoints => app.Host.Services.GetServices<EndpointDataSource>()
        .SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
        .Where(e => e.RoutePattern.RawText?.StartsWith("/api") == true || e.RoutePattern.RawText?.StartsWith("api") == true)
        .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => (m.ToLowerInvariant(), "/" + e.RoutePattern.RawText!.TrimStart('/'))))
        .Distinct().ToArray();

    [Fact]
    public void The_app_serves_the_documented_core_endpoints()
    {
        Endpoints.ShouldContain(("post", "/api/negotiations/{id}/events"));
        Endpoints.ShouldContain(("get", "/api/negotiations/{id}/state"));
        Endpoints.Length.ShouldBeGreaterThanOrEqualTo(10);
    }

    async Task<JsonNode> Document()
    {
        var (status, doc) = await app.GetJson("/openapi/v1.json");
        status.ShouldBe(200);
        if (Environment.GetEnvironmentVariable("DUMP_OPENAPI") is { Length: > 0 } file) await File.WriteAllTextAsync(file, doc!.ToJsonString(new() { WriteIndented = true }));
        return doc!;
    }

    [Fact]
    public async Task When_reading_the_document_Then_every_api_path_and_method_is_there_with_responses()
    {
        var doc = await Document();

        var paths = doc["paths"]!.AsObject();
        foreach (var (method, path) in Endpoints)
        {
            var op = paths[path]?[method];
            op.ShouldNotBeNull($"{method.ToUpperInvariant()} {path} is missing");
            op["summary"].ShouldNotBeNull($"{method} {path} summary");
            op["summary"]!.GetValue<string>().ShouldNotBe(op["operationId"]?.GetValue<string>(), $"{method} {path} has no [EndpointSummary]");
            op.ToJsonString().ShouldNotContain("IResult", customMessage: $"{method} {path}");
            op["responses"]!.AsObject().Count.ShouldBeGreaterThan(0);
            if (method == "post")
            {
                // The import endpoint takes a file as it was saved (any bytes); every other POST takes JSON, with an example.
                var file = path.EndsWith("/imports", StringComparison.Ordinal);
                var content = op["requestBody"]?["content"]?[file ? "application/octet-stream" : "application/json"];
                content.ShouldNotBeNull($"POST {path} has no {(file ? "file" : "JSON")} requestBody");
                content["schema"].ShouldNotBeNull();
                if (!file) (content["example"] ?? content["examples"]).ShouldNotBeNull($"POST {path} has no example");
                (op["responses"]!["201"] ?? op["responses"]!["200"]).ShouldNotBeNull($"POST {path} success response");
                foreach (var code in new[] { "400", "401", "413" })
                    op["responses"]![code].ShouldNotBeNull($"POST {path} response {code}");
                op["security"].ShouldNotBeNull($"POST {path} declares the API key");
            }
        }
        foreach (var code in new[] { "404", "409", "422" })
            paths["/api/negotiations/{id}/events"]!["post"]!["responses"]![code].ShouldNotBeNull(code);
        paths["/api/negotiations"]!["post"]!["responses"]!["409"].ShouldNotBeNull();
        paths["/api/negotiations/{id}/timeline"]!["get"]!["responses"]!["200"]!["content"]!["text/csv"].ShouldNotBeNull();
        paths["/api/negotiations/{id}/state"]!["get"]!["parameters"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()).ShouldBe(["id", "asOf", "knownAt", "minConfidence", "tz"]);
        // The document's /api paths are exactly the routes the app serves (what-if and scenarios included, fully described).
        paths.Select(p => p.Key).Where(p => p.StartsWith("/api")).Order().ShouldBe(Endpoints.Select(e => e.Path).Distinct().Order());
        paths.Select(p => p.Key).ShouldContain("/api/negotiations/{id}/what-if");
        doc["components"]!["securitySchemes"]!["ApiKey"]!["name"]!.GetValue<string>().ShouldBe("X-Api-Key");
    }

    [Fact]
    public async Task When_reading_the_document_Then_the_writes_that_take_If_Match_declare_it_and_the_reads_declare_their_ETag()
    {
        var paths = (await Document())["paths"]!;

        // The writes of one negotiation read If-Match (a header parameter); the others do not.
        foreach (var (path, method) in new[] { ("/api/negotiations/{id}/events", "post"), ("/api/negotiations/{id}/events/{eventId}/retract", "post"), ("/api/negotiations/{id}/coverage", "put") })
        {
            var header = paths[path]![method]!["parameters"]?.AsArray().SingleOrDefault(p => p!["in"]!.GetValue<string>() == "header");
            header.ShouldNotBeNull($"{method} {path} declares no header");
            header["name"]!.GetValue<string>().ShouldBe("If-Match");
        }
        paths["/api/negotiations"]!["post"]!["parameters"]?.AsArray().Any(p => p!["name"]!.GetValue<string>() == "If-Match").ShouldNotBe(true);

        // The current state and the state as of a date carry ETag on their 200.
        foreach (var path in new[] { "/api/negotiations/{id}", "/api/negotiations/{id}/state" })
            paths[path]!["get"]!["responses"]!["200"]!["headers"]?["ETag"].ShouldNotBeNull($"GET {path} declares no ETag");
    }

    [Fact]
    public async Task When_reading_the_document_Then_every_2xx_and_every_problem_status_of_every_api_operation_has_a_response_schema()
    {
        var doc = await Document();

        var operations = doc["paths"]!.AsObject().Where(p => p.Key.StartsWith("/api"))
            .SelectMany(p => p.Value!.AsObject().Select(o => (Name: $"{o.Key.ToUpperInvariant()} {p.Key}", Op: o.Value!))).ToList();
        operations.Count.ShouldBe(Endpoints.Length);
        foreach (var (name, op) in operations)
        {
            var responses = op["responses"]!.AsObject();
            responses.Count(r => r.Key.StartsWith('2')).ShouldBeGreaterThan(0, $"{name} has no 2xx");
            responses.Select(r => r.Key).ShouldContain("503", $"{name}: database_unavailable");
            foreach (var (status, response) in responses)
            {
                var content = response!["content"]?.AsObject();
                // 204 No Content (DELETE /api/subscriptions/{id}) has, by definition, no body.
                if (status == "204") { content.ShouldBeNull($"{name} 204 has a body"); continue; }
                content.ShouldNotBeNull($"{name} {status} has no content");
                if (status.StartsWith('2'))
                {
                    // A file (the exports: NDJSON, CSV, XLSX; the Atom feeds) has no JSON answer; every other 2xx has one.
                    var fileOnly = content.All(c => c.Key is "application/x-ndjson" or "text/csv" or "application/atom+xml"
                        or "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
                    var json = content["application/json"]?["schema"];
                    if (!fileOnly) json.ShouldNotBeNull($"{name} {status} has no JSON schema");
                    (json?.ToJsonString() ?? "").ShouldNotContain("IResult", customMessage: $"{name} {status}");
                    foreach (var (mediaType, media) in content) media!["schema"].ShouldNotBeNull($"{name} {status} {mediaType}");
                }
                else
                {
                    status.ShouldMatch("^[45][0-9][0-9]$");
                    content.Select(c => c.Key).ShouldBe(["application/problem+json"], $"{name} {status}");
                    content["application/problem+json"]!["schema"]!["$ref"]!.GetValue<string>().ShouldBe("#/components/schemas/ProblemDetails", $"{name} {status}");
                }
            }
        }
        // Every $ref points at a component that exists (the .NET event types point at the catalog's Event union).
        var schemas = doc["components"]!["schemas"]!.AsObject();
        var refs = System.Text.RegularExpressions.Regex.Matches(doc.ToJsonString(), "\"#/components/schemas/([^\"]+)\"").Select(m => m.Groups[1].Value).Distinct();
        refs.Where(r => !schemas.ContainsKey(r)).ShouldBeEmpty();
        schemas.Select(s => s.Key).ShouldNotContain("NegotiationEvent");
        schemas["TimelineItem"]!["properties"]!["event"]!["$ref"]!.GetValue<string>().ShouldBe("#/components/schemas/Event");
    }

    [Fact]
    public async Task When_reading_the_document_Then_the_event_union_is_a_oneOf_keyed_by_type_with_an_example_per_type()
    {
        var doc = await Document();

        var schemas = doc["components"]!["schemas"]!;
        var union = schemas["Event"]!;
        union["oneOf"]!.AsArray().Count.ShouldBe(EventCatalog.All.Count);
        union["discriminator"]!["propertyName"]!.GetValue<string>().ShouldBe("type");
        union["discriminator"]!["mapping"]!.AsObject().Select(m => m.Key).ShouldBe(EventCatalog.Names, ignoreOrder: true);
        var release = schemas["PrisonerReleased"]!;
        release["required"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldContain("person");
        release["properties"]!["terms"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>()).ShouldBe(Enum.GetNames<ReleaseTerms>());
        release["examples"]![0]!["type"]!.GetValue<string>().ShouldBe("PrisonerReleased");

        var post = doc["paths"]!["/api/negotiations/{id}/events"]!["post"]!["requestBody"]!["content"]!["application/json"]!;
        post["examples"]!.AsObject().Count.ShouldBeGreaterThanOrEqualTo(EventCatalog.All.Count);
        post["schema"]!["$ref"]!.GetValue<string>().ShouldBe("#/components/schemas/PostEventsRequest");
        schemas["PostEventsRequest"]!["properties"]!["events"]!["items"]!["$ref"]!.GetValue<string>().ShouldBe("#/components/schemas/Event");
        schemas["ProblemDetails"]!["properties"]!["errors"].ShouldNotBeNull();
    }

    [Fact]
    public async Task When_opening_scalar_Then_it_serves()
    {
        var result = await app.Host.Scenario(s => { s.Get.Url("/scalar"); s.IgnoreStatusCode(); });

        result.Context.Response.StatusCode.ShouldBeOneOf(200, 301, 302);
        var html = await app.Host.Scenario(s => { s.Get.Url("/scalar/"); s.IgnoreStatusCode(); });
        html.Context.Response.StatusCode.ShouldBe(200);
    }

    [Fact]
    public async Task Given_the_committed_docs_openapi_json_When_the_served_document_is_compared_Then_they_are_the_same()
    {
        // A contract change shows in review as a diff of docs/openapi.json. Regenerate it with
        // `UPDATE_DOCS=1 dotnet test tests/Normalization.Api.Tests --filter OpenApiTests`.
        var served = (await Document()).ToJsonString(new() { WriteIndented = true }).ReplaceLineEndings("\n") + "\n";
        var path = Path.Combine(Normalization.Api.Tests.Reliability.Fuzz.FuzzCountsDoc.RepoRoot(), "docs", "openapi.json");
        if (Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1") await File.WriteAllTextAsync(path, served);
        File.Exists(path).ShouldBeTrue("docs/openapi.json is missing: run with UPDATE_DOCS=1");
        (await File.ReadAllTextAsync(path)).ReplaceLineEndings("\n").ShouldBe(served, "docs/openapi.json differs from the served document: run with UPDATE_DOCS=1 and review the diff");
    }

    [Fact]
    public async Task Given_a_what_if_answer_and_the_timeline_statuses_When_compared_with_their_schemas_Then_every_field_and_status_is_described()
    {
        // Regression (issue 16): the what-if answer's `scenario` and the timeline status `superseded` were missing.
        var doc = await Document();
        var schemas = doc["components"]!["schemas"]!;
        var id = await ApiScenarios.GivenNegotiation(app, "oadrift");
        var (status, answer) = await app.PostJson($"/api/negotiations/{id}/what-if", new { add = new[] { ApiScenarios.Talks(ApiScenarios.Day(3)) } });
        status.ShouldBe(200, answer?.ToJsonString());

        var described = schemas["WhatIfResponse"]!["properties"]!.AsObject().Select(p => p.Key).ToHashSet();
        answer!.AsObject().Select(p => p.Key).Where(k => !described.Contains(k)).ShouldBeEmpty();
        schemas["TimelineItem"]!["properties"]!["status"]!["enum"]!.AsArray().Select(v => v!.GetValue<string>())
            .ShouldBe(Enum.GetValues<Normalization.Api.Storage.DomainIndex.IndexStatus>().Select(Normalization.Api.Storage.DomainIndex.Db), ignoreOrder: true);
    }
}
