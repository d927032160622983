using Microsoft.AspNetCore.Mvc;
using System.Text.Json.Nodes;
using Normalization.Api.Http;
using Normalization.Api.Http.Requests;
using Normalization.Domain.Catalog;
using Wolverine.Http;

namespace Normalization.Api.Catalog;

/// <summary>GET /api/event-types — the catalog, enough for a client to build a form for any type.</summary>
public static class EventTypesEndpoint
{
    /// <summary>The envelope's fields and every type of the catalog.</summary>
    [Tags("Catalog"), EndpointSummary("Event types")]
    [EndpointDescription("Every event type with its fields (kind, required, enum values), momentum weight and a JSON example: enough to build a form.")]
    [ProducesResponseType<EventTypesResponse>(StatusCodes.Status200OK)]
    [WolverineGet("/api/event-types")]
    public static IResult Get(NoQuery query) => ApiJson.Ok(new EventTypesResponse(EventCatalog.EnvelopeFields, [.. EventCatalog.All.Select(EventTypeDescription.Of)]));
}

/// <summary>The catalog: the fields every event has (<see cref="Envelope"/>) and each type.</summary>
public sealed record EventTypesResponse(IReadOnlyList<FieldSpec> Envelope, IReadOnlyList<EventTypeDescription> Types);

/// <summary>
/// One event type: its family and meaning, its effect on the stage, CAMEO code and label, Goldstein weight (also the
/// momentum weight), PLOVER category, party rule, fields (and the required ones), same-day rank and a JSON example.
/// </summary>
public sealed record EventTypeDescription(string Name, EventFamily Family, string Meaning, string StageEffect, string Cameo, string CameoLabel,
    double Goldstein, double MomentumWeight, string Plover, PartyRule Parties, int SameDayRank, IReadOnlyList<FieldSpec> Fields,
    IReadOnlyList<string> Required, JsonObject Example)
{
    /// <summary>The description of <paramref name="t"/>.</summary>
    public static EventTypeDescription Of(EventTypeInfo t) =>
        new(t.Name, t.Family, t.Meaning, t.StageEffect, t.Cameo, t.CameoLabel, t.Goldstein, t.Goldstein, t.Plover, t.Parties, t.SameDayRank,
            t.Fields, [.. t.Fields.Where(f => f.Required).Select(f => f.Name)], EventExamples.For(t));
}
