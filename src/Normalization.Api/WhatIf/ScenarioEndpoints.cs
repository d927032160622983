using System.Text.Json;
using System.Text.RegularExpressions;
using Normalization.Api.Http;
using Normalization.Api.Storage;
using Normalization.Domain.Validation;
using Npgsql;
using NpgsqlTypes;
using Wolverine.Http;

namespace Normalization.Api.WhatIf;

/// <summary>
/// Named what-if scenarios. A scenario stores only its hypothetical changes (add / remove / replace, as sent), never a copy of
/// the history, so re-running it later answers against the history as it has grown.
/// POST /api/negotiations/{id}/scenarios <c>{ "name", "add"?, "remove"?, "replace"? }</c> saves (or overwrites) it;
/// GET /api/negotiations/{id}/scenarios lists them; GET /api/negotiations/{id}/scenarios/{name}?asOf=&amp;projectTo=&amp;knownAt= re-runs one.
/// </summary>
public static partial class ScenarioEndpoints
{
    [GeneratedRegex(@"\A[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?\z")]
    private static partial Regex Name();

    static readonly string[] Fields = ["name", .. WhatIfChanges.Fields];

    [WolverinePost("/api/negotiations/{id}/scenarios")]
    public static async Task<IResult> Save(string id, HttpContext http, NegotiationStore store, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var (doc, problem) = await JsonBody.ReadAsync(http.Request, ct);
        if (problem is not null) return problem;
        using var _ = doc;
        var body = doc!.RootElement;
        var errors = new List<FieldError>();
        WhatIfRunner.UnknownFields(body, Fields, errors);
        string? name = null;
        if (body.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String && Name().IsMatch(n.GetString()!)) name = n.GetString();
        else errors.Add(new("name", n.ValueKind == JsonValueKind.Undefined ? "required" : "invalid_slug",
            "name must be 1–64 characters: lower-case letters, digits and hyphens, not starting or ending with a hyphen."));
        var changes = WhatIfChanges.Read(body, errors);
        if (errors.Count > 0) return Problems.Validation(errors);

        if (await store.VersionAsync(id, ct) is null) return Problems.NegotiationNotFound(id);
        // A scenario is saved only if it holds against today's history.
        var result = await WhatIfRunner.RunAsync(store, id, changes, new(null, null, null), ct);
        if (result is null) return Problems.NegotiationNotFound(id);
        if (!result.IsValid) return WhatIfRunner.Invalid(result);

        var location = ApiJson.Location("api", "negotiations", id, "scenarios", name!);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand("""
            insert into nz_scenarios (negotiation_id, name, body) values (@id, @name, @body)
            on conflict (negotiation_id, name) do update set body = excluded.body, saved_at = now()
            returning (xmax = 0)
            """, conn);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("name", name!);
        cmd.Parameters.Add(new NpgsqlParameter("body", NpgsqlDbType.Jsonb) { Value = changes.Raw });
        var inserted = await cmd.ExecuteScalarAsync(ct) is true;
        var answer = WhatIfRunner.Body(id, result, null, name);
        return inserted ? ApiJson.Created(location, answer) : ApiJson.Ok(answer);
    }

    [WolverineGet("/api/negotiations/{id}/scenarios")]
    public static async Task<IResult> List(string id, NegotiationStore store, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        if (await store.VersionAsync(id, ct) is null) return Problems.NegotiationNotFound(id);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand("select name, body::text, saved_at from nz_scenarios where negotiation_id = @id order by name", conn);
        cmd.Parameters.AddWithValue("id", id);
        var items = new List<object>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
            items.Add(new { name = r.GetString(0), changes = JsonSerializer.Deserialize<JsonElement>(r.GetString(1)), savedAt = new DateTimeOffset(r.GetDateTime(2), TimeSpan.Zero) });
        return ApiJson.Ok(new { id, scenarios = items });
    }

    [WolverineGet("/api/negotiations/{id}/scenarios/{name}")]
    public static async Task<IResult> Run(string id, string name, HttpRequest request, NegotiationStore store, NpgsqlDataSource dataSource, CancellationToken ct)
    {
        var q = request.Query;
        if (!Query.TryDate(q["asOf"], "asOf", out var asOf, out var p1)) return p1!;
        if (!Query.TryDate(q["projectTo"], "projectTo", out var projectTo, out var p2)) return p2!;
        if (!Query.TryInstant(q["knownAt"], "knownAt", out var knownAt, out var p3)) return p3!;
        if (await store.VersionAsync(id, ct) is null) return Problems.NegotiationNotFound(id);

        string? saved;
        await using (var conn = await dataSource.OpenConnectionAsync(ct))
        await using (var cmd = new NpgsqlCommand("select body::text from nz_scenarios where negotiation_id = @id and name = @name", conn))
        {
            cmd.Parameters.AddWithValue("id", id);
            cmd.Parameters.AddWithValue("name", name);
            saved = await cmd.ExecuteScalarAsync(ct) as string;
        }
        if (saved is null)
            return Problems.Of(StatusCodes.Status404NotFound, "scenario_not_found", "No such scenario.", $"Negotiation '{id}' has no saved scenario '{(name.Length > 64 ? name[..64] : name)}'.");

        using var doc = JsonDocument.Parse(saved);
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
