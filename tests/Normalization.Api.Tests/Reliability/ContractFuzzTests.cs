using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Normalization.Api.Importing;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Reliability.Fuzz;
using Normalization.Api.Tests.Support;
using Normalization.Domain.Catalog;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Reliability;

/// <summary>
/// Issue 14: the fuzz generated from the contract. Bodies: every catalog type × field × hostile class
/// (<see cref="ContractCases"/>), posted as events, in what-if <c>add</c> and in saved scenarios, and inside import
/// files. Query strings and path ids: every parameter the served OpenAPI document declares. Each refused case must
/// come back as a 4xx naming its path; nothing is written; never a 5xx. The counts go to docs/reliability.md
/// (checked here; regenerate with <c>UPDATE_DOCS=1</c>).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ContractFuzzTests(AppFixture app)
{
    const int Batch = 25;

    async Task<(int Status, JsonNode? Body)> Send(string method, string url, JsonNode? body, int key)
    {
        using var client = app.Client();
        using var request = new HttpRequestMessage(new HttpMethod(method), url);
        request.Headers.Add(Normalization.Api.Security.ApiKeys.Header, AppFixture.LoadKey(key));
        if (body is not null) request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? parsed = null;
        try { parsed = text.Length == 0 ? null : JsonNode.Parse(text); } catch (System.Text.Json.JsonException) { }
        return ((int)response.StatusCode, parsed);
    }

    async Task<string> Fingerprint(string id)
    {
        var (_, state) = await app.GetJson($"/api/negotiations/{id}");
        var (_, scenarios) = await app.GetJson($"/api/negotiations/{id}/scenarios");
        var (_, board) = await app.GetJson("/api/negotiations?pageSize=200");
        return $"{state?["version"]}|{scenarios?.ToJsonString()}|{board?["total"]}";
    }

    [Fact]
    public async Task Given_every_field_of_every_event_type_When_each_hostile_class_is_sent_Then_each_is_refused_naming_its_path_and_nothing_is_written()
    {
        var id = await app.GivenNegotiation("cfuzz");
        await app.GivenEvents(id, Talks(Day(20)));
        var before = await Fingerprint(id);
        var cases = ContractCases.All().ToList();
        cases.Select(c => c.Type).Distinct().Count().ShouldBe(EventCatalog.All.Count);
        var refused = cases.Where(c => c.Refused).ToList();
        var allowed = cases.Where(c => !c.Refused).ToList();
        var failures = new ConcurrentBag<string>();

        // Refused cases in batches: the API reports every error at once, so each event of a batch must be named.
        var endpoints = new (string Name, string Url, Func<JsonArray, JsonObject> Body, string Prefix)[]
        {
            ("POST /events", $"/api/negotiations/{id}/events", a => new JsonObject { ["events"] = a }, "events"),
            ("POST /what-if add", $"/api/negotiations/{id}/what-if", a => new JsonObject { ["add"] = a }, "add"),
            ("POST /scenarios add", $"/api/negotiations/{id}/scenarios", a => new JsonObject { ["name"] = "fuzz", ["add"] = a }, "add"),
        };
        var batches = refused.Chunk(Batch).ToList();
        await Parallel.ForEachAsync(endpoints.SelectMany(e => batches.Select((b, i) => (e, b, i))), new ParallelOptions { MaxDegreeOfParallelism = 4 },
            async (job, _) =>
            {
                var (e, batch, n) = job;
                var (status, body) = await Send("POST", e.Url, e.Body(new JsonArray(batch.Select(c => (JsonNode)c.Event.DeepClone()).ToArray())), n);
                var errors = body.Errors();
                for (var i = 0; i < batch.Length; i++)
                {
                    var path = $"{e.Prefix}[{i}].{batch[i].Path}";
                    if (status is < 400 or >= 500 || !errors.Any(x => ContractCases.Names(x.Path, path)))
                        failures.Add($"{e.Name} {batch[i]}: {status}, errors {string.Join("; ", errors.Take(3).Select(x => x.Path + " " + x.Code))}");
                }
            });

        // Allowed values one by one, in what-if (never stored): not a 5xx, and the value itself is not named as wrong.
        await Parallel.ForEachAsync(allowed.Select((c, i) => (c, i)), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (job, _) =>
        {
            var (c, n) = job;
            var (status, body) = await Send("POST", $"/api/negotiations/{id}/what-if", new JsonObject { ["add"] = new JsonArray(c.Event.DeepClone()) }, n);
            if (status >= 500 || body.Errors().Any(x => ContractCases.Names(x.Path, "add[0]." + c.Path) && status == 400))
                failures.Add($"allowed {c}: {status} {body?.ToJsonString()[..Math.Min(300, body.ToJsonString().Length)]}");
        });

        failures.ShouldBeEmpty(string.Join("\n", failures.Take(30)) + $"\n({failures.Count} in all)");
        (await Fingerprint(id)).ShouldBe(before);
    }

    [Fact]
    public async Task Given_every_query_parameter_and_path_id_of_the_OpenAPI_document_When_each_hostile_class_is_sent_Then_each_is_a_4xx_and_nothing_is_written()
    {
        var id = await app.GivenNegotiation("qfuzz");
        var eventId = Guid.NewGuid();
        await app.GivenEvents(id, Talks(Day(20), eventId: eventId));
        (await app.PostJson($"/api/negotiations/{id}/scenarios", new { name = "base", add = new[] { Talks(Day(5)) } })).Status.ShouldBe(201);
        var before = await Fingerprint(id);
        var (docStatus, doc) = await app.GetJson("/openapi/v1.json");
        docStatus.ShouldBe(200);
        var cases = QueryCases.From(doc!, new Dictionary<string, string> { ["id"] = id, ["eventId"] = eventId.ToString(), ["name"] = "base", ["code"] = "US" }).ToList();
        cases.Count(c => c.In == "query").ShouldBeGreaterThan(100);
        cases.Count(c => c.In == "path").ShouldBeGreaterThan(50);
        var failures = new ConcurrentBag<string>();

        await Parallel.ForEachAsync(cases.Select((c, i) => (c, i)), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (job, _) =>
        {
            var (c, n) = job;
            var (status, body) = await Send(c.Method, c.Url, c.Body, n);
            var named = body.Errors().Any(e => e.Path == c.Parameter);
            var ok = c.Expect switch
            {
                QueryExpectation.BadRequestEach => status == 400 && c.Parameter.Split(',').All(p => body.Errors().Any(e => e.Path == p)),
                QueryExpectation.Success => status is >= 200 and < 300,
                QueryExpectation.Default => status < 500 && !named,
                QueryExpectation.BadRequest => status == 400 && named,
                _ => status is >= 400 and < 500,
            };
            if (!ok) failures.Add($"{c}: {status} {body?.ToJsonString()[..Math.Min(200, body.ToJsonString().Length)]}");
        });

        failures.ShouldBeEmpty(string.Join("\n", failures.Take(30)) + $"\n({failures.Count} in all)");
        (await Fingerprint(id)).ShouldBe(before);
    }

    [Fact]
    public async Task Given_files_holding_each_hostile_class_When_imported_Then_each_file_is_refused_whole_naming_the_line_and_path()
    {
        var importer = app.Host.Services.GetRequiredService<Importer>();
        var target = await app.GivenNegotiation("ifuzz");
        var before = await Fingerprint(target);
        var dir = Directory.CreateTempSubdirectory("nz-contract-import");
        var failures = new List<string>();
        try
        {
            // NDJSON: one refused case per line after a declaring line; the file is refused whole, each line named.
            var refused = ContractCases.All().Where(c => c.Refused).ToList();
            foreach (var (chunk, n) in refused.Chunk(400).Select((c, n) => (c, n)))
            {
                var file = Path.Combine(dir.FullName, $"f{n}.ndjson");
                var id = TestApi.NewId("imp");
                var lines = new List<string> { new JsonObject { ["type"] = "NegotiationOpened", ["id"] = id, ["title"] = "Fuzz", ["parties"] = new JsonArray(new JsonObject { ["code"] = "US", ["name"] = "United States" }, new JsonObject { ["code"] = "TB", ["name"] = "Taliban" }) }.ToJsonString() };
                lines.AddRange(chunk.Select(c => c.Event.ToJsonString()));
                await File.WriteAllLinesAsync(file, lines);
                var report = await importer.ImportAsync(new ImportRequest { Path = file, MaxErrors = 10_000 });
                report.Succeeded.ShouldBeFalse();
                report.Stored.ShouldBe(0);
                for (var i = 0; i < chunk.Length; i++)
                {
                    if (!report.Errors.Any(e => e.Line == i + 2 && ContractCases.Names(e.Path, chunk[i].Path)))
                        failures.Add($"ndjson line {i + 2} {chunk[i]}: {string.Join("; ", report.Errors.Where(e => e.Line == i + 2).Select(e => e.Path + " " + e.Code))}");
                }
                (await app.GetJson($"/api/negotiations/{id}")).Status.ShouldBe(404);
            }

            // CSV: the string-valued classes in the envelope's own columns, each row refused with its line.
            var csvCases = refused.Where(c => c.Path is "occurredOn" or "actor" or "target" or "confidence" or "eventId" or "note" && c.Event[c.Path] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0).ToList();
            var rows = new StringBuilder("type,occurredOn,actor,target,confidence,eventId,note\n");
            foreach (var c in csvCases)
                rows.Append(string.Join(',', new[] { "TalksHeld", "occurredOn", "actor", "target", "confidence", "eventId", "note" }
                    .Select(col => col == "TalksHeld" ? col : Cell(col == c.Path ? c.Event[col]!.GetValue<string>() : col switch
                    {
                        "occurredOn" => "2025-03-20", "actor" => "US", "target" => "TB", "confidence" => "Confirmed", "eventId" => Guid.NewGuid().ToString(), _ => "ok",
                    })))).Append('\n');
            var csv = Path.Combine(dir.FullName, "cases.csv");
            await File.WriteAllTextAsync(csv, rows.ToString());
            var csvReport = await importer.ImportAsync(new ImportRequest { Path = csv, Into = target, MaxErrors = 10_000 });
            csvReport.Succeeded.ShouldBeFalse();
            csvReport.Stored.ShouldBe(0);
            var line = 2;
            foreach (var c in csvCases)
            {
                var start = line;
                line += c.Event[c.Path]!.GetValue<string>().Count(ch => ch == '\n') + 1;
                if (!csvReport.Errors.Any(e => e.Line == start && ContractCases.Names(e.Path, c.Path)))
                    failures.Add($"csv line {start} {c}: {string.Join("; ", csvReport.Errors.Where(e => e.Line == start).Select(e => e.Path + " " + e.Code))}");
            }
        }
        finally { dir.Delete(recursive: true); }

        failures.ShouldBeEmpty(string.Join("\n", failures.Take(30)) + $"\n({failures.Count} in all)");
        (await Fingerprint(target)).ShouldBe(before);
    }

    static string Cell(string s) => s.IndexOfAny([',', '"', '\n', '\r']) >= 0 ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;

    [Fact]
    public async Task Given_the_generated_cases_When_counted_Then_docs_reliability_lists_the_same_counts()
    {
        var (_, doc) = await app.GetJson("/openapi/v1.json");
        var rendered = FuzzCountsDoc.Render(doc!);
        var path = Path.Combine(FuzzCountsDoc.RepoRoot(), "docs", "reliability.md");
        var text = File.ReadAllText(path).ReplaceLineEndings("\n");
        var start = text.IndexOf(FuzzCountsDoc.Start, StringComparison.Ordinal);
        var end = text.IndexOf(FuzzCountsDoc.End, StringComparison.Ordinal);
        if (Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1")
        {
            text = start < 0 ? text + "\n" + rendered : text[..start] + rendered + text[(end + FuzzCountsDoc.End.Length + 1)..];
            File.WriteAllText(path, text);
            start = text.IndexOf(FuzzCountsDoc.Start, StringComparison.Ordinal);
            end = text.IndexOf(FuzzCountsDoc.End, StringComparison.Ordinal);
        }
        start.ShouldBeGreaterThanOrEqualTo(0, "docs/reliability.md has no generated fuzz counts: run with UPDATE_DOCS=1");
        text[start..(end + FuzzCountsDoc.End.Length + 1)].ShouldBe(rendered, "docs/reliability.md's fuzz counts are stale: run with UPDATE_DOCS=1");
    }
}
