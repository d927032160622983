using System.Text.Json;
using Normalization.Api.Http;
using Normalization.Api.Negotiations.GettingState;
using Normalization.Api.Security;
using Normalization.Api.Storage;
using Normalization.Domain.Catalog;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Validation;
using Wolverine.Http;

namespace Normalization.Api.Negotiations.Creating;

/// <summary>POST /api/negotiations — open a negotiation: its parties, mediators and baseline.</summary>
public static class CreateNegotiationEndpoint
{
    [WolverinePost("/api/negotiations")]
    public static async Task<IResult> Post(HttpContext http, NegotiationStore store, CancellationToken ct)
    {
        var (doc, problem) = await JsonBody.ReadAsync(http.Request, ct);
        if (problem is not null) return problem;
        using var _ = doc;
        var (opening, errors) = Read(doc!.RootElement);
        if (errors.Count > 0) return Problems.Validation(errors);
        var location = ApiJson.Location("api", "negotiations", opening!.Id);
        if (!await store.CreateAsync(opening!, ApiKeys.PostedBy(http), ct))
            return Problems.Conflict("negotiation_exists", $"A negotiation '{opening!.Id}' already exists.");
        var state = (await store.StateAsOfAsync(opening!.Id, store.Today, ct: ct))!;
        return ApiJson.Created(location, StateEndpoints.Body(state, 1));
    }

    static readonly string[] Allowed = ["id", "title", "parties", "mediators", "baseline"];

    public static (NegotiationOpened?, List<FieldError>) Read(JsonElement body)
    {
        var errors = new List<FieldError>();
        foreach (var p in body.EnumerateObject())
            if (!Allowed.Contains(p.Name)) errors.Add(new(p.Name, "unknown_field", $"Unknown field '{(p.Name.Length > 40 ? p.Name[..40] : p.Name)}'. Allowed: {string.Join(", ", Allowed)}."));
        if (!body.TryGetProperty("id", out _)) errors.Add(new("id", "required", "id is required."));
        if (errors.Count > 0) return (null, errors);
        try
        {
            var opening = body.Deserialize<NegotiationOpened>(EventJson.Options)!;
            opening = opening with { Parties = opening.Parties ?? [], Mediators = opening.Mediators ?? [], Baseline = opening.Baseline ?? new Baseline(), Title = opening.Title ?? "", Id = opening.Id ?? "" };
            errors.AddRange(NegotiationValidator.Validate(opening));
            return (errors.Count == 0 ? opening : null, errors);
        }
        catch (JsonException ex)
        {
            errors.Add(new(JsonBody.PathOf(ex), "wrong_type", "This field has the wrong type or an unknown value."));
            return (null, errors);
        }
    }
}
