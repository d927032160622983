using System.Collections.Concurrent;
using System.Net.Http.Headers;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Normalization.Api.Importing;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using Normalization.Api.Timeline;
using Normalization.Api.WhatIf;
using Normalization.Reliability.Fuzz;
using Npgsql;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Reliability;

/// <summary>Issue 10 (5), fast run: 1,200 seeded bad requests over every endpoint and 60 broken import files: no 5xx, nothing stored.</summary>
[Collection(ApiCollection.Name)]
public sealed class FuzzTests(AppFixture app)
{
    public const int Requests = 1_200;

    /// <summary>Rows of our tables and Marten's streams and events, and the saved scenarios (Marten documents, counted through Marten).</summary>
    async Task<long[]> Totals()
    {
        await using var conn = new NpgsqlConnection(app.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            select (select count(*) from mt_streams), (select count(*) from mt_events), (select count(*) from nz_events),
                   (select count(*) from nz_checkpoints), (select coalesce(sum(version), 0) from mt_streams)
            """, conn);
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        var rows = Enumerable.Range(0, 5).Select(i => Convert.ToInt64(r.GetValue(i))).ToList();
        await using var session = app.Store.QuerySession();
        rows.Insert(3, await session.Query<SavedScenario>().CountAsync());
        return rows.ToArray();
    }

    [Fact]
    public async Task Given_the_seeded_corpus_of_bad_requests_When_sent_Then_each_is_refused_with_a_4xx_without_internals_and_nothing_is_stored()
    {
        var id = await app.GivenNegotiation("fuzz");
        var eventId = Guid.NewGuid();
        await app.GivenEvents(id, Talks(Day(20), eventId: eventId));
        var (saved, savedBody) = await app.PostJson($"/api/negotiations/{id}/scenarios", new { name = "base", add = new[] { Talks(Day(5)) } });
        saved.ShouldBe(201, savedBody?.ToJsonString());
        var before = await Totals();

        var corpus = Corpus.Generate(new FuzzTargets(id, eventId), Requests).ToList();
        corpus.Count.ShouldBe(Requests);
        using var client = app.Client();
        var failures = new ConcurrentBag<string>();
        var statuses = new ConcurrentDictionary<int, int>();
        await Parallel.ForEachAsync(corpus, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (f, ct) =>
        {
            using var request = new HttpRequestMessage(new HttpMethod(f.Method), f.Path);
            request.Headers.Add(Normalization.Api.Security.ApiKeys.Header, AppFixture.LoadKey(f.Number));
            if (f.Body is not null)
            {
                request.Content = new ByteArrayContent(f.Body);
                if (f.ContentType is not null) request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(f.ContentType);
            }
            HttpResponseMessage response;
            try { response = await client.SendAsync(request, ct); }
            catch (InvalidOperationException) when (f.Path.Contains("%00", StringComparison.Ordinal))
            {
                // The in-process test client refuses an encoded NUL in the path before sending (Kestrel answers 400; the long run checks it).
                statuses.AddOrUpdate(0, 1, (_, c) => c + 1);
                return;
            }
            using var _ = response;
            var status = (int)response.StatusCode;
            var text = await response.Content.ReadAsStringAsync(ct);
            statuses.AddOrUpdate(status, 1, (_, c) => c + 1);
            if (status is < 400 or >= 500) failures.Add($"{status} for {f}: {text[..Math.Min(text.Length, 300)]}");
            if (text.Contains("   at ", StringComparison.Ordinal) || text.Contains("Exception", StringComparison.Ordinal) || text.Contains("Npgsql", StringComparison.Ordinal))
                failures.Add($"internals in the answer to {f}: {text[..Math.Min(text.Length, 300)]}");
        });

        failures.ShouldBeEmpty(string.Join("\n", failures.Take(20)));
        (await Totals()).ShouldBe(before);
        Console.WriteLine($"fuzz: {corpus.Count} requests → {string.Join(", ", statuses.OrderBy(s => s.Key).Select(s => $"{s.Key}×{s.Value}"))}");
    }

    [Fact]
    public async Task Given_broken_NDJSON_and_CSV_files_When_imported_Then_each_is_refused_whole_and_nothing_is_stored()
    {
        var id = await app.GivenNegotiation("fuzzimp");
        await app.GivenEvents(id, Talks(Day(20)));
        var importer = app.Host.Services.GetRequiredService<Importer>();
        var before = await Totals();
        var dir = Directory.CreateTempSubdirectory("nz-fuzz-import");
        var failures = new List<string>();
        try
        {
            foreach (var f in Corpus.ImportFiles(60, TimelineEndpoint.CsvColumns))
            {
                var path = Path.Combine(dir.FullName, $"f{f.Number}{f.Extension}");
                await File.WriteAllBytesAsync(path, f.Content);
                try
                {
                    var report = await importer.ImportAsync(new ImportRequest { Path = path, Into = id });
                    if (report.Succeeded || report.Stored > 0) failures.Add($"#{f.Number} {f.Kind} accepted: stored {report.Stored}");
                }
                catch (ImportException) { /* refused with a plain message: fine */ }
                catch (Exception e) { failures.Add($"#{f.Number} {f.Kind} crashed: {e.GetType().Name}: {e.Message}"); }
            }
        }
        finally { dir.Delete(recursive: true); }

        failures.ShouldBeEmpty(string.Join("\n", failures));
        (await Totals()).ShouldBe(before);
    }
}
