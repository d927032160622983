using System.Text;
using System.Text.Json.Nodes;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Importing;

/// <summary>
/// An import into a negotiation that other writers keep appending to (a user's trial of several processes on one database):
/// the file is validated outside the stream lock, so when the record moves on under every try the import gives up with
/// nothing stored. Over HTTP that is a conflict with the other writers — 409 <c>version_conflict</c> with the version the
/// negotiation had moved to, as a stale write gets — not a 400 fault of the request (it was <c>import_refused</c>).
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

    [Fact]
    public async Task Given_writers_appending_back_to_back_When_a_large_file_is_imported_into_the_same_negotiation_Then_409_version_conflict_and_nothing_of_the_file_is_stored()
    {
        // Given a negotiation that two writers post to without a pause, one event per request
        var id = await app.GivenNegotiation("moving");
        var file = TalksFile(3_000); // under the request body limit
        using var stop = new CancellationTokenSource();
        var posted = 0;
        var day = new DateOnly(2020, 1, 1);
        var next = -1;
        async Task Writer()
        {
            while (!stop.IsCancellationRequested)
            {
                var on = day.AddDays(Interlocked.Increment(ref next) / 4).ToString("yyyy-MM-dd");
                var (status, _) = await app.PostJson($"/api/negotiations/{id}/events", new { events = new[] { Talks(on) } });
                if (status == 201) Interlocked.Increment(ref posted);
            }
        }
        var writers = new[] { Task.Run(Writer), Task.Run(Writer) };
        while (Volatile.Read(ref posted) < 3) await Task.Delay(10);

        // When the file is imported into it while they write
        (int Status, JsonNode? Body) answer;
        try { answer = await app.PostImport(id, file); }
        finally
        {
            stop.Cancel();
            await Task.WhenAll(writers);
        }

        // Then the import is a conflict with the other writers, naming the version the negotiation had moved to
        answer.Status.ShouldBe(409, answer.Body?.ToJsonString());
        answer.Body!["code"]!.GetValue<string>().ShouldBe("version_conflict");
        answer.Body["currentVersion"]!.GetValue<int>().ShouldBeGreaterThan(1);
        answer.Body["detail"]!.GetValue<string>().ShouldContain("changed while the file was being validated");
        // And nothing of the file is stored: the record holds the opening and the writers' events only
        var (_, state) = await app.GetJson($"/api/negotiations/{id}");
        state!["version"]!.GetValue<int>().ShouldBe(1 + Volatile.Read(ref posted));
    }
}
