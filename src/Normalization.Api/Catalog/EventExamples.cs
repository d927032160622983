using System.Text.Json.Nodes;
using Normalization.Domain.Catalog;

namespace Normalization.Api.Catalog;

/// <summary>A valid JSON example per type, built from the field specs (so it never drifts from them).</summary>
public static class EventExamples
{
    public static JsonObject For(EventTypeInfo t)
    {
        var (actor, target) = t.Parties switch
        {
            PartyRule.ThirdPartyOnPrincipal => ("RU", "TB"),
            PartyRule.PrincipalTarget => ("TB", "US"),
            _ => ("TB", "US"),
        };
        var o = new JsonObject
        {
            ["eventId"] = "3f2b8c1e-5d4a-4e9b-9a51-0c6d2f7e8a10",
            ["type"] = t.Name,
            ["occurredOn"] = "2025-03-20",
            ["actor"] = actor,
            ["target"] = target,
            ["confidence"] = "Confirmed",
            ["sources"] = new JsonArray(new JsonObject { ["publisher"] = "CNN", ["url"] = "https://edition.cnn.com/", ["publishedOn"] = "2025-04-03", ["attribution"] = "sources familiar with the talks" }),
        };
        foreach (var f in t.Fields) o[f.Name] = Sample(f);
        return o;
    }

    /// <summary>One item of <paramref name="f"/>, its party code (a commitment's party, a release's releasing party) <paramref name="party"/>: a commitment binds a party.</summary>
    static JsonObject Item(FieldSpec f, string party) =>
        new(f.ItemFields!.Select(i => KeyValuePair.Create(i.Name, i.Format == FieldFormat.PartyCode ? party : Sample(i))));

    static JsonNode? Sample(FieldSpec f) => f.Kind switch
    {
        FieldKind.Enum => f.EnumValues![0],
        FieldKind.Integer => 13,
        FieldKind.Number => 10000000,
        FieldKind.Date => "2025-03-20",
        FieldKind.Guid => "0b7e4a52-1c9f-4d3e-8f6a-2e5d7c9b1a34",
        FieldKind.StringArray => f.Format switch
        {
            FieldFormat.PartyCode => new JsonArray("US", "TB"),
            FieldFormat.CountryCode => new JsonArray("AF", "US"),
            _ => new JsonArray("example"),
        },
        // An exchange is between the two parties: each releases someone (EventValidator, too_few at releases).
        FieldKind.ObjectArray when f.ItemFields!.Any(i => i.Name == "releasedBy") => new JsonArray(Item(f, "TB"), Item(f, "US")),
        FieldKind.ObjectArray => new JsonArray(Item(f, "TB")),
        FieldKind.Event => new JsonObject { ["type"] = "TalksHeld", ["occurredOn"] = "2025-03-20", ["actor"] = "US", ["participants"] = new JsonArray("US", "TB") },
        _ when f.Format == FieldFormat.PartyCode => "QA", // a facilitator: the mediator
        _ when f.Format == FieldFormat.CountryCode => "US",
        _ when f.Format == FieldFormat.LanguageTag => "fr",
        _ when f.Format == FieldFormat.HttpUrl => "https://example.org/story",
        _ => f.Name switch
        {
            "demandId" => "us-equipment",
            "commitmentId" => "doha-ct",
            _ => "example " + f.Name,
        },
    };
}
