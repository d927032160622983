using System.Text.Json.Nodes;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using Normalization.Domain.Catalog;

namespace Normalization.Api.Tests.Catalog;

/// <summary>GET /api/event-types.</summary>
[Collection(ApiCollection.Name)]
public sealed class EventTypesTests(AppFixture app)
{
    [Fact]
    public async Task When_reading_the_catalog_Then_every_type_has_fields_required_weight_and_an_example()
    {
        var (status, body) = await app.GetJson("/api/event-types");

        status.ShouldBe(200);
        var types = body!["types"]!.AsArray().Select(t => t!.AsObject()).ToList();
        types.Select(t => t["name"]!.GetValue<string>()).ShouldBe(EventCatalog.Names);
        foreach (var t in types)
        {
            var name = t["name"]!.GetValue<string>();
            var info = EventCatalog.All.Single(i => i.Name == name);
            t["fields"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()).ShouldBe(info.Fields.Select(f => f.Name), name);
            t["required"]!.AsArray().Select(r => r!.GetValue<string>()).ShouldBe(info.Fields.Where(f => f.Required).Select(f => f.Name), name);
            t["momentumWeight"]!.GetValue<double>().ShouldBe(info.Goldstein, name);
            t["example"]!["type"]!.GetValue<string>().ShouldBe(name);
            foreach (var required in info.Fields.Where(f => f.Required)) t["example"]![required.Name].ShouldNotBeNull($"{name}.{required.Name}");
        }
        body["envelope"]!.AsArray().Select(f => f!["name"]!.GetValue<string>()).ShouldContain("occurredOn");
    }

    [Fact]
    public async Task When_reading_the_catalog_Then_enum_fields_list_their_values()
    {
        var (_, body) = await app.GetJson("/api/event-types");

        var release = body!["types"]!.AsArray().Single(t => t!["name"]!.GetValue<string>() == "PrisonerReleased")!;
        var terms = release["fields"]!.AsArray().Single(f => f!["name"]!.GetValue<string>() == "terms")!;
        terms["kind"]!.GetValue<string>().ShouldBe("Enum");
        terms["enumValues"]!.AsArray().Select(v => v!.GetValue<string>()).ShouldBe(Enum.GetNames<ReleaseTerms>());
        var confidence = body["envelope"]!.AsArray().Single(f => f!["name"]!.GetValue<string>() == "confidence")!;
        confidence["enumValues"]!.AsArray().Select(v => v!.GetValue<string>()).ShouldBe(["Rumoured", "Reported", "Confirmed"]);
    }

    [Fact]
    public async Task Given_the_catalog_examples_When_each_is_posted_Then_none_is_rejected_as_malformed()
    {
        var (_, body) = await app.GetJson("/api/event-types");
        var id = await app.GivenNegotiation("examples");

        foreach (var t in body!["types"]!.AsArray())
        {
            var example = JsonNode.Parse(t!["example"]!.ToJsonString())!.AsObject();
            example.Remove("eventId");
            var (status, problem) = await app.PostJson($"/api/negotiations/{id}/events", new { events = new[] { example } });
            status.ShouldBeOneOf([201, 422], $"{t["name"]}: {problem?.ToJsonString()}");
        }
    }
}
