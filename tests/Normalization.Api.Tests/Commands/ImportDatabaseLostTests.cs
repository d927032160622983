using System.Text;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Reliability;
using Npgsql;

namespace Normalization.Api.Tests.Commands;

/// <summary>
/// An operator trial stopped PostgreSQL (<c>pg_ctl stop -m immediate</c>) while the <c>import</c> command wrote a
/// 200,000-event file: nothing was stored (one transaction), but the command said only
/// <c>error: NpgsqlException: Exception while writing to stream</c> — not whether part of the file was kept, nor what to do.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ImportDatabaseLostTests(AppFixture app)
{
    [Fact]
    public async Task Given_an_import_writing_When_the_database_goes_away_Then_one_line_says_nothing_was_stored_and_to_run_it_again()
    {
        // Given a large file imported by the command through a relay to the test database (db-apply ran on it)
        await BuiltApi.ApplySchemaAsync(app.ConnectionString);
        var id = $"lost-{Guid.NewGuid():N}"[..20];
        var file = Path.Combine(Path.GetTempPath(), $"{id}.ndjson");
        var lines = new StringBuilder($$"""{"type":"NegotiationOpened","id":"{{id}}","title":"Lost","parties":[{"code":"US","name":"United States"},{"code":"TB","name":"Taliban"}]}""").Append('\n');
        for (var i = 0; i < 60_000; i++)
            lines.Append($$"""{"eventId":"{{Guid.NewGuid()}}","type":"TalksHeld","occurredOn":"{{new DateOnly(1990, 1, 1).AddDays(i / 20):yyyy-MM-dd}}","actor":"US","target":"TB","confidence":"Confirmed","participants":["US","TB"],"location":"Doha"}""").Append('\n');
        await File.WriteAllTextAsync(file, lines.ToString());
        await using var outage = new DatabaseOutage(app.ConnectionString);
        try
        {
            var import = BuiltApi.RunAsync(outage.ConnectionString, "import", file);

            // When the database goes away while the events are being copied
            var deadline = DateTime.UtcNow.AddSeconds(90);
            while (!await CopyingAsync() && !import.IsCompleted && DateTime.UtcNow < deadline) await Task.Delay(50);
            import.IsCompleted.ShouldBeFalse("the import ended before the database went away: make the file larger");
            outage.Cut();
            var (exitCode, _, stderr) = await import;

            // Then it fails with one line that says what happened, that nothing was stored and what to do — and nothing was
            exitCode.ShouldNotBe(0);
            var error = stderr.Trim();
            error.Split('\n').Length.ShouldBe(1, error);
            error.ShouldStartWith("error: the database stopped answering while `import` ran");
            error.ShouldContain("not stored");
            error.ShouldContain("Run the same command again");
            error.ShouldNotContain("NpgsqlException");
            await using var conn = new NpgsqlConnection(app.ConnectionString);
            await conn.OpenAsync();
            await using var count = new NpgsqlCommand("select (select count(*) from mt_streams where id = $1) + (select count(*) from mt_events where stream_id = $1)", conn)
                { Parameters = { new() { Value = id } } };
            ((long)(await count.ExecuteScalarAsync())!).ShouldBe(0);
        }
        finally
        {
            File.Delete(file);
        }

        async Task<bool> CopyingAsync()
        {
            await using var conn = new NpgsqlConnection(app.ConnectionString);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("select exists (select from pg_stat_activity where datname = current_database() and state = 'active' and query ilike 'copy%')", conn);
            return (bool)(await cmd.ExecuteScalarAsync())!;
        }
    }
}
