using System.ComponentModel;
using System.Security.Claims;
using Microsoft.AspNetCore.Mvc;
using Normalization.Api.Http;
using Normalization.Api.Http.Requests;
using Normalization.Api.Importing.EventData;
using Normalization.Api.Importing.Files;
using Normalization.Api.WhatIf;
using Normalization.Domain.Validation;
using Wolverine.Attributes;
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

    static readonly string[] WholeFileFaults = ["invalid_utf8", "nul_characters", "not_ndjson", "invalid_encoding", "invalid_gzip"];

    /// <summary>
    /// Imports the body: 200 <see cref="ImportReport"/> when appended, 201 when landed as a saved scenario, 400 for a query
    /// parameter or unreadable text, 404 <c>negotiation_not_found</c>, 413 when too large, 422 with every row at fault.
    /// </summary>
    [Tags("Importing"), EndpointSummary("Import a file")]
    [EndpointDescription("The import command over HTTP: the body is the file's bytes as saved (NDJSON, CSV, or GDELT / ICEWS / POLECAT event data; gzip, UTF-16 with a byte-order mark and named encodings are read). " +
        "Our formats append unless scenario is given; event data needs scenario (land it as a saved what-if) or commit=true. Idempotent by eventId (docs/event-data.md). " +
        "When other writers append to the negotiation while the file is validated, the file is judged again against the record as it then stands, under the stream's lock: stored after their events, or 422 with the lines it no longer fits.")]
    [ProducesResponseType<ImportReport>(StatusCodes.Status200OK), ProducesResponseType<ImportReport>(StatusCodes.Status201Created)]
    [ProducesProblem(StatusCodes.Status404NotFound), ProducesProblem(StatusCodes.Status413PayloadTooLarge), ProducesProblem(StatusCodes.Status422UnprocessableEntity)]
    [FileBody("The file, at most the request body limit in bytes (gzip counts compressed).")]
    [WolverinePost("/api/negotiations/{id}/imports")]
    [Middleware(typeof(KnownNegotiation))]
    public static async Task<IResult> Post(ImportQuery query, string id, Importer importer, ClaimsPrincipal user, CancellationToken ct)
    {
        var path = Path.Combine(Path.GetTempPath(), $"normalization-import-{Guid.NewGuid():N}");
        try
        {
            if (query.FormUpload) return FormRefused();
            if (await SaveBodyAsync(query.File, query.ContentLength, path, ct) is { } problem) return problem;
            ImportReport report;
            try
            {
                report = await importer.ImportAsync(new ImportRequest
                {
                    Path = path, Format = query.Format ?? "ndjson", Into = id, Encoding = query.Encoding, PartyActors = query.Party, Scenario = query.Scenario,
                    Commit = query.Commit, PostedBy = user.Identity?.Name ?? "import", MaxDecompressedBytes = MaxDecompressedBytes,
                }, ct: ct);
            }
            catch (ImportException e)
            {
                // The Importer speaks the command's options; over HTTP they are the query's parameters. The problem carries
                // errors like every 400 (path = the parameter the refusal is about, or body for the file itself).
                var detail = e.HttpMessage ?? ForHttp(e.Message);
                // The negotiation kept being created under the importer (Importer.Attempts): a conflict with another writer, not a
                // fault of the request. A route to an existing negotiation does not meet it (writers that append meanwhile are
                // judged against under the stream lock instead); kept so that it would never read as a 400.
                if (e.CurrentVersion is { } current)
                    return Problems.Conflict("version_conflict", detail, new Dictionary<string, object?> { ["currentVersion"] = current });
                return Problems.Of(StatusCodes.Status400BadRequest, "import_refused", "The import cannot run as asked.", detail,
                    new Dictionary<string, object?> { ["errors"] = new[] { new { path = e.Parameter ?? RefusalPath(detail), code = "import_refused", message = detail } } });
            }
            if (!report.Succeeded)
            {
                // A fault of the file as a whole, at no line (a damaged gzip, text not in the named encoding), names the body.
                var listed = report.Errors.Select(e => new FieldError(e.Line > 0 ? $"lines[{e.Line}]{(e.Path.Length > 0 ? "." + e.Path : "")}" : e.Path.Length > 0 ? e.Path : "body", e.Code, e.Message)).ToList();
                var status = report.Errors is [{ Code: "too_large" }] ? StatusCodes.Status413PayloadTooLarge
                    : report.Errors.Count == 1 && WholeFileFaults.Contains(report.Errors[0].Code) ? StatusCodes.Status400BadRequest : StatusCodes.Status422UnprocessableEntity;
                // More errors than the report keeps: the problem says how many there were (the command line says the same).
                return Problems.Validation(listed, status, report.ErrorCount > report.Errors.Count ? report.ErrorCount : null);
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

    /// <summary>The Importer's message with its command options named as this endpoint's query parameters.</summary>
    static string ForHttp(string message) => message
        .Replace("--as-scenario NAME", "scenario=NAME", StringComparison.Ordinal).Replace("--as-scenario", "scenario", StringComparison.Ordinal)
        .Replace("--commit", "commit=true", StringComparison.Ordinal);

    /// <summary>The query parameter a refusal is about: <c>scenario</c> when it names it, else <c>commit</c>.</summary>
    static string RefusalPath(string detail) => detail.Contains("scenario=", StringComparison.Ordinal) && !detail.Contains("commit=true", StringComparison.Ordinal) ? "scenario" : "commit";

    /// <summary>Writes the body to <paramref name="path"/>: 413 above <see cref="JsonBody.MaxBytes"/>, 400 when empty.</summary>
    static async Task<IResult?> SaveBodyAsync(Stream body, long? contentLength, string path, CancellationToken ct)
    {
        if (contentLength > JsonBody.MaxBytes) return TooLarge();
        await using var file = File.Create(path);
        var chunk = new byte[16 * 1024];
        long total = 0;
        int read;
        try
        {
            while ((read = await body.ReadAsync(chunk, ct)) > 0)
            {
                total += read;
                if (total > JsonBody.MaxBytes) return TooLarge();
                await file.WriteAsync(chunk.AsMemory(0, read), ct);
            }
        }
        catch (BadHttpRequestException) { return TooLarge(); }
        return total == 0 ? Problems.Of(StatusCodes.Status400BadRequest, "empty_body", "The request body is empty.", "Send the file's bytes as the body.") : null;
    }

    /// <summary>
    /// 400 <c>import_refused</c> at <c>body</c> for a form upload (<c>curl -F file=@…</c>, an HTML form): its body is the
    /// file wrapped in form parts, which read as a file would give errors about a boundary line instead of the fix.
    /// </summary>
    static IResult FormRefused()
    {
        const string detail = "The body is a form upload (multipart/form-data): send the file's bytes as the body instead, " +
            "e.g. curl --data-binary @events.csv (not -F file=@events.csv).";
        return Problems.Of(StatusCodes.Status400BadRequest, "import_refused", "The import cannot run as asked.", detail,
            new Dictionary<string, object?> { ["errors"] = new[] { new { path = "body", code = "import_refused", message = detail } } });
    }

    static IResult TooLarge() => Problems.Of(StatusCodes.Status413PayloadTooLarge, "payload_too_large", "The request body is too large.",
        $"At most {JsonBody.MaxBytes} bytes per request (gzip it, or use the import command for larger files).");
}

/// <summary>
/// The request of an import: its query (<c>format</c>, <c>party</c> CODE=ACTOR repeated, <c>encoding</c>, <c>scenario</c>,
/// <c>commit</c>) and the file, which is the raw body (read as a stream, not as JSON: its bytes are the file as saved).
/// Every bad parameter is listed at once; a repeated single-valued one is <c>repeated_parameter</c>.
/// </summary>
public sealed record ImportQuery(
    [Description("ndjson (default), csv, gdelt, icews or polecat.")] string? Format,
    [Description("Event data: CODE=ACTOR, an actor code (country, group, code prefix or name) of one of the two parties; repeat it.")] IReadOnlyList<(string, string)> Party,
    [Description("The text's encoding when it is not UTF-8 and has no byte-order mark, e.g. windows-1252.")] string? Encoding,
    [Description("Land the import as this saved what-if scenario (nothing enters the record).")] string? Scenario,
    [Description("true: append to the record (event data needs it unless scenario is given).")] bool Commit) : IQueryRequest<ImportQuery>
{
    /// <summary>The body: the file's bytes.</summary>
    public Stream File { get; private init; } = Stream.Null;

    /// <summary>The body's declared length, when given (checked against the limit before reading).</summary>
    public long? ContentLength { get; private init; }

    /// <summary>Whether the body is a <c>multipart/form-data</c> form upload rather than the file's bytes (refused with the fix).</summary>
    public bool FormUpload { get; private init; }

    /// <inheritdoc/>
    public static string[] Parameters => ["format", "party", "encoding", "scenario", "commit", Readers.TimeZones.Parameter];

    /// <inheritdoc/>
    public static IResult? Read(HttpRequest request, DateOnly today, List<FieldError> errors, out ImportQuery query)
    {
        var q = request.Query;
        query = null!;
        foreach (var single in new[] { "format", "encoding", "scenario", "commit" })
            if (q[single].Count > 1) errors.Add(new(single, "repeated_parameter", $"{single} is given {q[single].Count} times: give it once."));
        string? format = q["format"].FirstOrDefault() is { Length: > 0 } f ? f : null;
        // A repeated format is repeated_parameter only, as on every endpoint; an unknown one unknown_value, as on the timeline and cameo.
        if (q["format"].Count <= 1)
            try { HistoryFile.FormatOf("body", format ?? "ndjson"); }
            catch (ImportException e) { errors.Add(new("format", "unknown_value", e.Message)); }
        var encoding = q["encoding"].FirstOrDefault() is { Length: > 0 } en ? en : null;
        try { InputFile.EncodingOf(encoding); }
        catch (ImportException e) { errors.Add(new("encoding", "invalid_encoding", e.Message)); }
        var scenario = q["scenario"].FirstOrDefault() is { Length: > 0 } s ? s : null;
        if (scenario is not null && !ScenarioEndpoints.IsName(scenario))
            errors.Add(new("scenario", "invalid_slug", "scenario must be 1–64 characters: lower-case letters, digits and single hyphens."));
        var commit = false;
        if (q["commit"].FirstOrDefault() is { Length: > 0 } c && !bool.TryParse(c, out commit))
            errors.Add(new("commit", "invalid_boolean", "commit must be true or false."));
        if (scenario is not null && commit)
            errors.Add(new("commit", "import_refused", "Give scenario=NAME to review the import as a what-if, or commit=true to append it, not both."));
        IReadOnlyList<(string, string)> parties = [];
        try { parties = PartyMatcher.Parse(q["party"].Select(p => p ?? ""), "party"); }
        catch (ImportException e) { errors.Add(new("party", "invalid_party_mapping", e.Message)); }
        // An import appends without a version to match: an If-Match is refused, never ignored.
        IfMatch.RefuseWhereNotTaken(request.Headers, errors);
        query = new(format, parties, encoding, scenario, commit)
        {
            File = request.Body, ContentLength = request.ContentLength,
            FormUpload = request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) == true,
        };
        return null;
    }
}
