using System.Text.Json;
using System.Text.RegularExpressions;
using Marten;
using Normalization.Api.Http;
using Normalization.Api.Storage;
using Normalization.Domain.Validation;
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

    static readonly string[] Fields = ["name", .. WhatIfChanges.Fields];

    [WolverinePost("/api/negotiations/{id}/scenarios")]
    public static async Task<IResult> Save(string id, HttpContext http, NegotiationStore store, IDocumentSession session, TimeProvider time, CancellationToken ct)
    {
        var (doc, problem) = await JsonBody.ReadAsync(http.Request, ct);
        if (problem is not null) return problem;
        using var _ = doc;
        var body = doc!.RootElement;
        var errors = new List<FieldError>();
        WhatIfRunner.UnknownFields(body, Fields, errors);
        string? name = null;
        if (body.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String && IsName(n.GetString()!)) name = n.GetString();
        else errors.Add(new("name", n.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? "required" : n.ValueKind != JsonValueKind.String ? "wrong_type" : "invalid_slug",
            "name must be 1–64 characters: lower-case letters, digits and single hyphens, not starting or ending with a hyphen."));
        var changes = WhatIfChanges.Read(body, errors);
        if (errors.Count > 0) return Problems.Validation(errors);

        if (await store.VersionAsync(id, ct) is null) return Problems.NegotiationNotFound(id);
        // A scenario is saved only if it holds against today's history.
        var result = await WhatIfRunner.RunAsync(store, id, changes, new(null, null, null), ct);
        if (result is null) return Problems.NegotiationNotFound(id);
        if (!result.IsValid) return WhatIfRunner.Invalid(result);

        // Everything that can throw comes before the write (the location, the answer): nothing after the commit.
        var location = ApiJson.Location("api", "negotiations", id, "scenarios", name!);
        var answer = WhatIfRunner.Body(id, result, null, name);
        var now = time.GetUtcNow();
        var scenario = new SavedScenario
        {
            Id = SavedScenario.IdOf(id, name!), NegotiationId = id, Name = name!, Changes = changes.Raw,
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

    [WolverineGet("/api/negotiations/{id}/scenarios")]
    public static async Task<IResult> List(string id, HttpRequest request, NegotiationStore store, IQuerySession session, CancellationToken ct)
    {
        if (Query.Only(request.Query) is { } unknown) return unknown;
        if (await store.VersionAsync(id, ct) is null) return Problems.NegotiationNotFound(id);
        var saved = await session.Query<SavedScenario>().Where(s => s.NegotiationId == id).OrderBy(s => s.Name).ToListAsync(ct);
        var items = saved.Select(s => new { name = s.Name, changes = JsonSerializer.Deserialize<JsonElement>(s.Changes), savedAt = s.SavedAt }).ToList();
        return ApiJson.Ok(new { id, scenarios = items });
    }

    [WolverineGet("/api/negotiations/{id}/scenarios/{name}")]
    public static async Task<IResult> Run(string id, string name, HttpRequest request, NegotiationStore store, IQuerySession session, CancellationToken ct)
    {
        var q = request.Query;
        if (Query.Only(q, "asOf", "projectTo", "knownAt", "tz") is { } unknown) return unknown;
        if (!Query.TryDate(q["asOf"], "asOf", out var asOf, out var p1)) return p1!;
        if (!Query.TryDate(q["projectTo"], "projectTo", out var projectTo, out var p2)) return p2!;
        if (!Query.TryInstant(q["knownAt"], "knownAt", out var knownAt, out var p3)) return p3!;
        if (WhatIfRunner.ProjectionProblem(asOf, projectTo, store.Today) is { } backwards) return Problems.Validation([backwards]);
        if (await store.VersionAsync(id, ct) is null) return Problems.NegotiationNotFound(id);

        // Only a slug can have been saved: anything else is unknown without asking the database.
        var saved = IsName(name) ? await session.LoadAsync<SavedScenario>(SavedScenario.IdOf(id, name), ct) : null;
        if (saved is null)
            return Problems.Of(StatusCodes.Status404NotFound, "scenario_not_found", "No such scenario.", $"Negotiation '{id}' has no saved scenario '{(name.Length > 64 ? name[..64] : name)}'.");

        using var doc = JsonDocument.Parse(saved.Changes);
        var errors = new List<FieldError>();
        var changes = WhatIfChanges.Read(doc.RootElement, errors);
        if (errors.Count > 0) return Problems.Validation(errors, StatusCodes.Status422UnprocessableEntity);
        var result = await WhatIfRunner.RunAsync(store, id, changes, new(asOf, knownAt, projectTo), ct);
        if (result is null)
            return Problems.NotKnownThen(knownAt);
        // The history may have grown so that the scenario no longer holds (e.g. its demand id is now taken): say so.
        return result.IsValid ? ApiJson.Ok(WhatIfRunner.Body(id, result, knownAt, name)) : WhatIfRunner.Invalid(result);
    }
}
