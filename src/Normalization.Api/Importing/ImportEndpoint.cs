using Normalization.Api.Http;
using Normalization.Api.Importing.EventData;
using Normalization.Api.Importing.Files;
using Normalization.Api.Storage;
using Normalization.Api.WhatIf;
using Normalization.Domain.Validation;
using Wolverine.Http;

namespace Normalization.Api.Importing;

/// <summary>
/// POST /api/negotiations/{id}/imports?format=&amp;party=CODE=ACTOR&amp;encoding=&amp;scenario=&amp;commit= — the <c>import</c>
/// command over HTTP for a file up to the body limit (<see cref="JsonBody.MaxBytes"/>; gzip is read as it is, up to
/// <see cref="MaxDecompressedBytes"/>): the body is the file's bytes, as saved. The negotiation must exist. Our formats
/// append unless <c>scenario</c> is given; event data needs <c>scenario</c> or <c>commit=true</c>.
/// 200: appended (the import report); 201: landed as the saved what-if scenario (Location: the scenario); 400: a query
/// parameter or the text itself (encoding, layout) is wrong; 404: no such negotiation; 413: too large; 422: rows break
/// the rules, every one listed with its path <c>lines[N].field</c> (N the line of the file).
/// </summary>
public static class ImportEndpoint
{
    /// <summary>The largest a gzip body may grow to when decompressed (a guard against compression bombs).</summary>
    public const long MaxDecompressedBytes = 64L << 20;

    static readonly string[] Parameters = ["format", "party", "encoding", "scenario", "commit"];
    static readonly string[] WholeFileFaults = ["invalid_utf8", "nul_characters", "not_ndjson", "invalid_encoding"];

    [WolverinePost("/api/negotiations/{id}/imports")]
    public static async Task<IResult> Post(string id, HttpContext http, Importer importer, NegotiationStore store, CancellationToken ct)
    {
        var q = http.Request.Query;
        if (Query.Only(q, Parameters) is { } unknown) return unknown;
        var errors = new List<FieldError>();
        foreach (var single in new[] { "format", "encoding", "scenario", "commit" })
            if (q[single].Count > 1) errors.Add(new(single, "repeated_parameter", $"{single} is given {q[single].Count} times: give it once."));
        string? format = q["format"].FirstOrDefault() is { Length: > 0 } f ? f : null;
        try { HistoryFile.FormatOf("body", format ?? "ndjson"); }
        catch (ImportException e) { errors.Add(new("format", "invalid_format", e.Message)); }
        var encoding = q["encoding"].FirstOrDefault() is { Length: > 0 } en ? en : null;
        try { InputFile.EncodingOf(encoding); }
        catch (ImportException e) { errors.Add(new("encoding", "invalid_encoding", e.Message)); }
        var scenario = q["scenario"].FirstOrDefault() is { Length: > 0 } s ? s : null;
        if (scenario is not null && !ScenarioEndpoints.IsName(scenario))
            errors.Add(new("scenario", "invalid_slug", "scenario must be 1–64 characters: lower-case letters, digits and single hyphens."));
        var commit = false;
        if (q["commit"].FirstOrDefault() is { Length: > 0 } c && !bool.TryParse(c, out commit))
            errors.Add(new("commit", "invalid_boolean", "commit must be true or false."));
        IReadOnlyList<(string, string)> parties = [];
        try { parties = PartyMatcher.Parse(q["party"].Select(p => p ?? ""), "party"); }
        catch (ImportException e) { errors.Add(new("party", "invalid_party", e.Message)); }
        if (errors.Count > 0) return Problems.Validation(errors);
        if (await store.VersionAsync(id, ct) is null) return Problems.NegotiationNotFound(id);

        var path = Path.Combine(Path.GetTempPath(), $"normalization-import-{Guid.NewGuid():N}");
        try
        {
            if (await SaveBodyAsync(http.Request, path, ct) is { } problem) return problem;
            ImportReport report;
            try
            {
                report = await importer.ImportAsync(new ImportRequest
                {
                    Path = path, Format = format ?? "ndjson", Into = id, Encoding = encoding, PartyActors = parties, Scenario = scenario, Commit = commit,
                    PostedBy = http.User.Identity?.Name ?? "import", MaxDecompressedBytes = MaxDecompressedBytes,
                }, ct: ct);
            }
            catch (ImportException e)
            {
                return Problems.Of(StatusCodes.Status400BadRequest, "import_refused", "The import cannot run as asked.", e.Message);
            }
            if (!report.Succeeded)
            {
                var listed = report.Errors.Select(e => new FieldError(e.Line > 0 ? $"lines[{e.Line}]{(e.Path.Length > 0 ? "." + e.Path : "")}" : e.Path, e.Code, e.Message)).ToList();
                var status = report.Errors is [{ Code: "too_large" }] ? StatusCodes.Status413PayloadTooLarge
                    : report.Errors.Count == 1 && WholeFileFaults.Contains(report.Errors[0].Code) ? StatusCodes.Status400BadRequest : StatusCodes.Status422UnprocessableEntity;
                return Problems.Validation(listed, status);
            }
            return report.Scenario is { } name
                ? ApiJson.Created(ApiJson.Location("api", "negotiations", id, "scenarios", name), report)
                : ApiJson.Ok(report);
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>Writes the body to <paramref name="path"/>: 413 above <see cref="JsonBody.MaxBytes"/>, 400 when empty.</summary>
    static async Task<IResult?> SaveBodyAsync(HttpRequest request, string path, CancellationToken ct)
    {
        if (request.ContentLength > JsonBody.MaxBytes) return TooLarge();
        await using var file = File.Create(path);
        var chunk = new byte[16 * 1024];
        long total = 0;
        int read;
        try
        {
            while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
            {
                total += read;
                if (total > JsonBody.MaxBytes) return TooLarge();
                await file.WriteAsync(chunk.AsMemory(0, read), ct);
            }
        }
        catch (BadHttpRequestException) { return TooLarge(); }
        return total == 0 ? Problems.Of(StatusCodes.Status400BadRequest, "empty_body", "The request body is empty.", "Send the file's bytes as the body.") : null;
    }

    static IResult TooLarge() => Problems.Of(StatusCodes.Status413PayloadTooLarge, "payload_too_large", "The request body is too large.",
        $"At most {JsonBody.MaxBytes} bytes per request (gzip it, or use the import command for larger files).");
}
