using System.ComponentModel;
using Microsoft.AspNetCore.Mvc;
using System.Text.Json;
using System.Text.RegularExpressions;
using Marten;
using Normalization.Api.Http;
using Normalization.Api.Storage;
using Normalization.Domain.Validation;
using Normalization.Api.Http.Requests;
using Wolverine.Attributes;
using Wolverine.Http;

namespace Normalization.Api.WhatIf;

/// <summary>
/// Named what-if scenarios. A scenario stores only its hypothetical changes (add / remove / replace, as sent), never a copy of
/// the history, so re-running it later answers against the history as it has grown.
/// POST /api/negotiations/{id}/scenarios <c>{ "name", "add"?, "remove"?, "replace"? }</c> saves (or overwrites) it;
/// GET /api/negotiations/{id}/scenarios lists them; GET /api/negotiations/{id}/scenarios/{name}?asOf=&amp;projectTo=&amp;knownAt= re-runs one.
/// Each is a <see cref="SavedScenario"/> Marten document.
/// </summary>
public static partial class ScenarioEndpoints
{
    [GeneratedRegex(@"\A[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?\z")]
    private static partial Regex Name();

    /// <summary>A scenario name: the slug rule of negotiation ids (single hyphens), 1–64 characters.</summary>
    public static bool IsName(string name) => Name().IsMatch(name) && !name.Contains("--", StringComparison.Ordinal);

    /// <summary>
    /// Saves (or overwrites) a scenario that holds against today's history: 201 when it was absent, 200 when it replaced
    /// one, with its current <see cref="WhatIfResponse"/>; 422 when the changes do not hold.
    /// </summary>
    [Tags("What-if"), EndpointSummary("Save a scenario")]
    [EndpointDescription("Saves (or overwrites) a named what-if: only its changes are stored; 201 when new, 200 when overwritten, with its current answer.")]
    [ProducesResponseType<WhatIfResponse>(StatusCodes.Status201Created), ProducesResponseType<WhatIfResponse>(StatusCodes.Status200OK)]
    [ProducesProblem(StatusCodes.Status404NotFound), ProducesProblem(StatusCodes.Status422UnprocessableEntity)]
    [WolverinePost("/api/negotiations/{id}/scenarios")]
    [Middleware(typeof(KnownNegotiation))]
    public static async Task<IResult> Save(SaveScenarioRequest request, string id, NegotiationStore store, IDocumentSession session, TimeProvider time, CancellationToken ct)
    {
        var (name, changes) = request;
        // A scenario is saved only if it holds against today's history.
        var result = await WhatIfRunner.RunAsync(store, id, changes.Named(id, name), new(null, null, null), ct);
        if (result is null) return Problems.NegotiationNotFound(id);
        if (!result.IsValid) return WhatIfRunner.Invalid(result);

        // Everything that can throw comes before the write (the location, the answer): nothing after the commit.
        var location = ApiJson.Location("api", "negotiations", id, "scenarios", name);
        var answer = WhatIfResponse.Of(id, result, null, name);
        var now = time.GetUtcNow();
        var scenario = new SavedScenario
        {
            Id = SavedScenario.IdOf(id, name), NegotiationId = id, Name = name, Changes = changes.Raw,
            // Microseconds, as PostgreSQL kept the time before (and as it keeps timestamps).
            SavedAt = now.AddTicks(-(now.Ticks % 10)),
        };
        // 201 or 200: whether it existed just before. Store is an upsert without a version check, so two concurrent saves
        // of one name both succeed (both may answer 201) and the last write wins.
        var existed = await session.LoadAsync<SavedScenario>(scenario.Id, ct) is not null;
        session.Store(scenario);
        await session.SaveChangesAsync(ct);
        return existed ? ApiJson.Ok(answer) : ApiJson.Created(location, answer);
    }

    /// <summary>The saved scenarios of a negotiation, by name, each with its changes as sent.</summary>
    [Tags("What-if"), EndpointSummary("List scenarios")]
    [EndpointDescription("The saved scenarios of a negotiation.")]
    [ProducesResponseType<ScenarioList>(StatusCodes.Status200OK), ProducesProblem(StatusCodes.Status404NotFound)]
    [WolverineGet("/api/negotiations/{id}/scenarios")]
    [Middleware(typeof(KnownNegotiation))]
    public static async Task<IResult> List(NoQuery query, string id, IQuerySession session, CancellationToken ct)
    {
        var saved = await session.Query<SavedScenario>().Where(s => s.NegotiationId == id).OrderBy(s => s.Name).ToListAsync(ct);
        return ApiJson.Ok(new ScenarioList(id, [.. saved.Select(s => new ScenarioItem(s.Name, JsonSerializer.Deserialize<JsonElement>(s.Changes), s.SavedAt))]));
    }

    /// <summary>Re-runs a saved scenario against the history as it is now: 404 <c>scenario_not_found</c>; 422 when it no longer holds.</summary>
    [Tags("What-if"), EndpointSummary("Re-run a scenario")]
    [EndpointDescription("Runs a saved scenario against the history as it is now. 404 scenario_not_found; 422 when the saved changes no longer hold against the grown history.")]
    [ProducesResponseType<WhatIfResponse>(StatusCodes.Status200OK), ProducesProblem(StatusCodes.Status404NotFound), ProducesProblem(StatusCodes.Status422UnprocessableEntity)]
    [WolverineGet("/api/negotiations/{id}/scenarios/{name}")]
    [Middleware(typeof(KnownNegotiation))]
    public static async Task<IResult> Run(ScenarioQuery query, string id, string name, NegotiationStore store, IQuerySession session, CancellationToken ct)
    {
        var (asOf, projectTo, knownAt) = query;
        // Only a slug can have been saved: anything else is unknown without asking the database.
        var saved = IsName(name) ? await session.LoadAsync<SavedScenario>(SavedScenario.IdOf(id, name), ct) : null;
        if (saved is null)
            return Problems.Of(StatusCodes.Status404NotFound, "scenario_not_found", "No such scenario.", $"Negotiation '{id}' has no saved scenario '{(name.Length > 64 ? name[..64] : name)}'.");

        using var doc = JsonDocument.Parse(saved.Changes);
        var errors = new List<FieldError>();
        var changes = (WhatIfChanges.Read(doc.RootElement, errors) with { Raw = saved.Changes }).Named(id, name);
        if (errors.Count > 0) return Problems.Validation(errors, StatusCodes.Status422UnprocessableEntity);
        var result = await WhatIfRunner.RunAsync(store, id, changes, new(asOf, knownAt, projectTo), ct);
        if (result is null)
            return await Problems.NotKnownThenAsync(store, id, knownAt, ct);
        // The history may have grown so that the scenario no longer holds (e.g. its demand id is now taken): say so.
        return result.IsValid ? ApiJson.Ok(WhatIfResponse.Of(id, result, knownAt, name)) : WhatIfRunner.Invalid(result);
    }
}

/// <summary>The body of a save: <c>{ "name", "add"?, "remove"?, "replace"? }</c>; the name is a slug of 1–64 characters.</summary>
public sealed record SaveScenarioRequest(string Name, WhatIfChanges Changes) : IJsonRequest<SaveScenarioRequest>
{
    static readonly string[] Fields = ["name", .. WhatIfChanges.Fields];

    /// <inheritdoc/>
    public static IResult? Read(JsonElement body, DateOnly today, List<FieldError> errors, out SaveScenarioRequest? request)
    {
        WhatIfRunner.UnknownFields(body, Fields, errors);
        string? name = null;
        if (body.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String && ScenarioEndpoints.IsName(n.GetString()!)) name = n.GetString();
        else errors.Add(new("name", n.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? "required" : n.ValueKind != JsonValueKind.String ? "wrong_type" : "invalid_slug",
            "name must be 1–64 characters: lower-case letters, digits and single hyphens, not starting or ending with a hyphen."));
        var changes = WhatIfChanges.Read(body, errors);
        request = name is null ? null : new SaveScenarioRequest(name, changes);
        return null;
    }
}

/// <summary>Query of a re-run: <c>asOf</c> (branch point, default today), <c>projectTo</c> (not before asOf), <c>knownAt</c>.</summary>
public sealed record ScenarioQuery(
    [Description("Branch point. Default today.")] DateOnly? AsOf,
    [Description("Projection date (not before asOf).")] DateOnly? ProjectTo,
    [Description("ISO 8601 instant with Z or an offset: the record as it was then.")] DateTimeOffset? KnownAt) : IQueryRequest<ScenarioQuery>
{
    /// <inheritdoc/>
    public static string[] Parameters => ["asOf", "projectTo", "knownAt", Readers.TimeZones.Parameter];

    /// <inheritdoc/>
    public static IResult? Read(HttpRequest request, DateOnly today, List<FieldError> errors, out ScenarioQuery query)
    {
        var q = request.Query;
        var asOfRead = Query.TryDate(q["asOf"], "asOf", out var asOf, errors);
        Query.TryDate(q["projectTo"], "projectTo", out var projectTo, errors);
        Query.TryInstant(q["knownAt"], "knownAt", out var knownAt, errors);
        // Against a bad asOf, the range cannot be judged: that error is enough.
        if (asOfRead && WhatIfRunner.ProjectionProblem(asOf, projectTo, today) is { } backwards) errors.Add(backwards);
        query = new(asOf, projectTo, knownAt);
        return null;
    }
}

/// <summary>The saved scenarios of a negotiation, by name.</summary>
public sealed record ScenarioList(string Id, IReadOnlyList<ScenarioItem> Scenarios);

/// <summary>A saved scenario: its name, its changes as sent (add / remove / replace) and when it was last saved.</summary>
public sealed record ScenarioItem(string Name, JsonElement Changes, DateTimeOffset SavedAt);
