using Normalization.Api.Http;
using Normalization.Domain.Catalog;
using Wolverine.Http;

namespace Normalization.Api.Catalog;

/// <summary>GET /api/event-types — the catalog, enough for a client to build a form for any type.</summary>
public static class EventTypesEndpoint
{
    [WolverineGet("/api/event-types")]
    public static IResult Get(HttpRequest request) => Query.Only(request.Query) ?? ApiJson.Ok(new
    {
        envelope = EventCatalog.EnvelopeFields,
        types = EventCatalog.All.Select(t => new
        {
            name = t.Name, family = t.Family, meaning = t.Meaning, stageEffect = t.StageEffect,
            cameo = t.Cameo, cameoLabel = t.CameoLabel, goldstein = t.Goldstein, momentumWeight = t.Goldstein, plover = t.Plover,
            parties = t.Parties, sameDayRank = t.SameDayRank,
            fields = t.Fields, required = t.Fields.Where(f => f.Required).Select(f => f.Name),
            example = EventExamples.For(t),
        }),
    });
}
