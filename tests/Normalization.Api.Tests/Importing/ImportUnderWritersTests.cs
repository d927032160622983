using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Normalization.Api.Importing;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Importing;

/// <summary>
/// An import into a negotiation that other writers keep appending to (a user's trial of several processes on one database):
/// the file is validated outside the stream lock; when the record moved on meanwhile, the store judges the file again against
/// it under the stream's lock, so writers appending back to back no longer outpace the import (it gave up after five tries
/// with 409 <c>version_conflict</c>, nothing stored), and an event posted meanwhile that the file no longer fits is named.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ImportUnderWritersTests(AppFixture app)
{
    /// <summary>A file of <paramref name="count"/> talks, a day apart from 1990 on (before every writer's event).</summary>
    static string TalksFile(int count)
    {
        var text = new StringBuilder();
        var day = new DateOnly(1990, 1, 1);
        for (var i = 0; i < count; i++) text.Append(Talks(day.AddDays(i).ToString("yyyy-MM-dd")).ToJsonString()).Append('\n');
        return text.ToString();
    }

    /// <summary>Two writers posting to <paramref name="id"/> without a pause, one event per request, until <paramref name="stop"/>.</summary>
    Task[] Writers(string id, CancellationToken stop, Action count)
    {
        var day = new DateOnly(2020, 1, 1);
        var next = -1;
        async Task Writer()
        {
            while (!stop.IsCancellationRequested)
            {
                var on = day.AddDays(Interlocked.Increment(ref next) / 4).ToString("yyyy-MM-dd");
                var (status, _) = await app.PostJson($"/api/negotiations/{id}/events", new { events = new[] { Talks(on) } });
                if (status == 201) count();
            }
        }
        return [Task.Run(Writer), Task.Run(Writer)];
    }

    [Fact]
    public async Task Given_writers_appending_back_to_back_When_a_large_file_is_imported_into_the_same_negotiation_Then_it_is_stored_after_their_events_and_nothing_is_lost()
    {
        // Given a negotiation that two writers post to without a pause, one event per request
        var id = await app.GivenNegotiation("moving");
        var file = TalksFile(3_000); // under the request body limit
        using var stop = new CancellationTokenSource();
        var posted = 0;
        var writers = Writers(id, stop.Token, () => Interlocked.Increment(ref posted));
        while (Volatile.Read(ref posted) < 3) await Task.Delay(10);

        // When the file is imported into it while they write
        (int Status, JsonNode? Body) answer;
        try { answer = await app.PostImport(id, file); }
        finally
        {
            stop.Cancel();
            await Task.WhenAll(writers);
        }

        // Then the whole file is stored (it was 409 version_conflict after five tries, nothing stored)
        answer.Status.ShouldBe(200, answer.Body?.ToJsonString());
        answer.Body!["stored"]!.GetValue<int>().ShouldBe(3_000);
        // And every write is in the record: the opening, the writers' events and the file's
        var (_, state) = await app.GetJson($"/api/negotiations/{id}");
        state!["version"]!.GetValue<int>().ShouldBe(1 + Volatile.Read(ref posted) + 3_000);
    }

    /// <summary>
    /// Imports <paramref name="file"/> into <paramref name="id"/> with the importer, posting <paramref name="meanwhile"/> once the
    /// file is validated and before it is stored (the last "validating" progress report is made between the two passes).
    /// </summary>
    async Task<ImportReport> ImportWithPostBetweenPasses(string id, string file, JsonObject meanwhile)
    {
        var path = Path.Combine(Path.GetTempPath(), $"{id}.ndjson");
        await File.WriteAllTextAsync(path, file);
        var posted = false;
        var progress = new SyncProgress<ImportProgress>(p =>
        {
            if (posted || p.Phase != "validating" || p.Bytes < p.TotalBytes) return;
            posted = true;
            var (status, body) = app.PostJson($"/api/negotiations/{id}/events", new { events = new[] { meanwhile } }).GetAwaiter().GetResult();
            status.ShouldBe(201, body?.ToJsonString());
        });
        try { return await app.Host.Services.GetRequiredService<Importer>().ImportAsync(new ImportRequest { Path = path, Into = id }, progress); }
        finally { File.Delete(path); }
    }

    [Fact]
    public async Task Given_an_event_posted_between_the_files_validation_and_its_store_When_the_file_still_fits_Then_it_is_stored_after_that_event_at_once()
    {
        // Given a negotiation and a file of 50 talks
        var id = await app.GivenNegotiation("between");

        // When an event is posted once the file is validated, before it is stored
        var report = await ImportWithPostBetweenPasses(id, TalksFile(50), Talks("2021-05-01"));

        // Then the file is stored after it (judged again against the record with it, not sent round again)
        report.Succeeded.ShouldBeTrue(string.Join("; ", report.Errors));
        report.Stored.ShouldBe(50);
        var (_, state) = await app.GetJson($"/api/negotiations/{id}");
        state!["version"]!.GetValue<int>().ShouldBe(1 + 1 + 50);
    }

    [Fact]
    public async Task Given_an_event_posted_between_the_files_validation_and_its_store_that_takes_an_eventId_of_the_file_When_imported_Then_that_line_is_named_and_nothing_of_the_file_is_stored()
    {
        // Given a negotiation and a file whose line 40 carries a given eventId
        var id = await app.GivenNegotiation("taken");
        var taken = Guid.NewGuid();
        var lines = TalksFile(50).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[39] = Talks("1990-02-09", eventId: taken).ToJsonString();

        // When another event is posted under that eventId once the file is validated, before it is stored
        var report = await ImportWithPostBetweenPasses(id, string.Join('\n', lines) + "\n", Rename(Talks("2021-05-01", eventId: taken)));

        // Then line 40 is refused as an eventId reused for another event, and only the posted event is in the record
        report.Succeeded.ShouldBeFalse();
        report.Errors.Select(e => (e.Line, e.Path, e.Code)).ShouldBe([(40, "eventId", "eventid_reused")]);
        var (_, state) = await app.GetJson($"/api/negotiations/{id}");
        state!["version"]!.GetValue<int>().ShouldBe(2);
    }

    /// <summary>The same talks somewhere else: another event under the same eventId.</summary>
    static JsonObject Rename(JsonObject talks) { talks["location"] = "Oslo"; return talks; }
}
