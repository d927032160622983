using System.Text;
using System.Text.Json.Nodes;
using Normalization.Api.Security;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Reliability;
using Normalization.Api.Tests.Reliability.Fuzz;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Http;

/// <summary>
/// Real answers against the served OpenAPI document (a new-user trial found the first stage transition's <c>on</c>/<c>from</c>,
/// a state's <c>knownAt</c> and <c>stageSince</c> marked required while the JSON leaves a null out). Every <c>/api</c> GET —
/// bare and with each valid query value the contract fuzz generates — and every <c>/api</c> POST with its documented
/// example is sent; each JSON answer is checked against its status's schema both ways (<see cref="SchemaConformance"/>). The
/// list of requests comes from the document, so a new endpoint is checked as soon as it is described.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ResponseContractTests(AppFixture app)
{
    sealed record Call(string Method, string Template, string Url, string? Body, string ContentType = "application/json");

    async Task<(int Status, string? ContentType, JsonNode? Body)> Send(Call call)
    {
        using var client = app.Client();
        using var request = new HttpRequestMessage(new HttpMethod(call.Method), call.Url);
        request.Headers.Add(ApiKeys.Header, AppFixture.ApiKey);
        request.Headers.Add("Accept", "application/json");
        if (call.Body is not null) request.Content = new StringContent(call.Body, Encoding.UTF8, call.ContentType);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var type = response.Content.Headers.ContentType?.MediaType;
        return ((int)response.StatusCode, type, type is "application/json" or "application/problem+json" && text.Length > 0 ? JsonNode.Parse(text) : null);
    }

    [Fact]
    public async Task Given_a_record_with_nulls_to_answer_When_every_api_GET_and_POST_is_called_Then_each_JSON_answer_has_every_required_property_and_only_described_ones()
    {
        // Given a negotiation whose answers hold nulls: a first stage transition (no on, no from), an unretracted event
        // (no retractedBy), a retracted one, a saved scenario and a webhook subscription.
        var (_, doc) = await app.GetJson("/openapi/v1.json");
        var conformance = new SchemaConformance(doc!);
        // The US–Taliban seed history, which the documented examples are written for.
        var id = TestApi.NewId("contract");
        (await app.PostJson("/api/negotiations", TestApi.UsTaliban(id))).Status.ShouldBe(201);
        foreach (var chunk in TestApi.SeedEvents().Chunk(100)) await app.GivenEvents(id, chunk);
        var kept = Guid.NewGuid();
        var toRetract = Guid.NewGuid();
        await app.GivenEvents(id, Talks(Day(40), eventId: kept), Release(Day(30), "TB", "US", eventId: toRetract));
        (await app.PostJson($"/api/negotiations/{id}/scenarios", new { name = "base", add = new[] { Talks(Day(5)) } })).Status.ShouldBe(201);
        var (subscribed, subscription) = await app.PostJson("/api/subscriptions", new { url = "http://127.0.0.1:9/contract", secret = "a-long-random-secret-for-tests", party = "US" });
        subscribed.ShouldBe(201, subscription?.ToJsonString());
        var subscriptionId = subscription!["id"]!.GetValue<string>();
        string Path(string template, Guid eventId) => template
            .Replace("{id}", template.StartsWith("/api/subscriptions", StringComparison.Ordinal) ? subscriptionId : id, StringComparison.Ordinal)
            .Replace("{eventId}", eventId.ToString(), StringComparison.Ordinal)
            .Replace("{name}", "base", StringComparison.Ordinal).Replace("{code}", "US", StringComparison.Ordinal);

        // When every POST is sent with its documented example (a fresh id for a new negotiation, a loopback webhook), the
        // import with a one-line file (appended: 200; as a scenario: 201), then every GET bare and with each valid query value.
        var calls = new List<Call>();
        foreach (var (template, item) in doc!["paths"]!.AsObject().Where(p => p.Key.StartsWith("/api/", StringComparison.Ordinal)))
            if (item!["post"]?["requestBody"]?["content"]?["application/json"] is { } json)
            {
                var example = (json["example"] ?? json["examples"]!.AsObject().First().Value!["value"])!.DeepClone().AsObject();
                if (template == "/api/negotiations") example["id"] = TestApi.NewId("contract");
                if (template == "/api/subscriptions") example["url"] = "http://127.0.0.1:9/contract-example";
                calls.Add(new("POST", template, Path(template, toRetract), example.ToJsonString()));
            }
        const string imports = "/api/negotiations/{id}/imports";
        var line = Talks(Day(3)).ToJsonString();
        calls.Add(new("POST", imports, Path(imports, kept), line, "application/octet-stream"));
        // A line of its own: the line above is stored by then, and a scenario of nothing new is 422 nothing_new.
        calls.Add(new("POST", imports, Path(imports, kept) + "?scenario=imported", Talks(Day(2)).ToJsonString(), "application/octet-stream"));
        foreach (var (template, item) in doc["paths"]!.AsObject().Where(p => p.Key.StartsWith("/api/", StringComparison.Ordinal)))
            if (item!["get"] is not null) calls.Add(new("GET", template, Path(template, kept), null));
        var pathValues = new Dictionary<string, string> { ["id"] = id, ["eventId"] = kept.ToString(), ["name"] = "base", ["code"] = "US" };
        foreach (var c in QueryCases.From(doc, pathValues).Where(c => c is { Expect: QueryExpectation.Success, Method: "GET", In: "query" }))
            calls.Add(new("GET", c.Template, Path(c.Template, kept) + c.Url[c.Url.IndexOf('?')..], null));

        var failures = new List<string>();
        var answered = new HashSet<string>();
        foreach (var call in calls)
        {
            var (status, type, body) = await Send(call);
            var operation = $"{call.Method} {call.Template}";
            if (type is not ("application/json" or "application/problem+json")) continue;
            if (status is >= 200 and < 300) answered.Add(operation);
            else if (status >= 500 || call.Method == "POST") failures.Add($"{operation} ({call.Url}): {status} {body?.ToJsonString()[..Math.Min(200, body.ToJsonString().Length)]}");
            var schema = doc["paths"]![call.Template]![call.Method.ToLowerInvariant()]!["responses"]![status.ToString()]?["content"]?[type]?["schema"];
            if (schema is null) { failures.Add($"{operation}: {status} {type} is not in the document"); continue; }
            failures.AddRange(conformance.Check(body, schema).Select(f => $"{operation} ({call.Url}) {status}: {f}"));
        }

        // Then no answer differs from its schema, and every GET and POST with a JSON success answer was checked on one.
        failures.ShouldBeEmpty(string.Join("\n", failures.Distinct().Take(40)) + $"\n({failures.Count} in all)");
        var withJson = doc["paths"]!.AsObject().Where(p => p.Key.StartsWith("/api/", StringComparison.Ordinal))
            .SelectMany(p => p.Value!.AsObject().Where(o => o.Key is "get" or "post").Select(o => (Name: $"{o.Key.ToUpperInvariant()} {p.Key}", Op: o.Value!)))
            .Where(o => o.Op["responses"]!.AsObject().Any(r => r.Key.StartsWith('2') && r.Value!["content"]?["application/json"] is not null))
            .Select(o => o.Name).ToList();
        withJson.Count.ShouldBeGreaterThan(15);
        withJson.Except(answered).ShouldBeEmpty("operations never answered with a JSON 2xx, so never checked");
    }

    [Fact]
    public void Given_a_schema_that_requires_a_property_When_an_answer_lacks_it_or_adds_another_Then_the_check_names_both()
    {
        // The check itself can fail: a missing required property, an undescribed one, and a null where none is allowed.
        var doc = JsonNode.Parse("""
            {"components":{"schemas":{"T":{"type":"object","required":["on","to"],"properties":{"on":{"type":["null","string"]},"to":{"type":"string"}}}}}}
            """)!;
        var schema = JsonNode.Parse("""{"$ref":"#/components/schemas/T"}""")!;

        var failures = new SchemaConformance(doc).Check(JsonNode.Parse("""{"to":null,"extra":1}"""), schema);

        failures.ShouldBe(["$.on: required by the schema, absent from the answer", "$.to: null where the schema does not allow it", "$.extra: in the answer, not in the schema"]);
    }
}
