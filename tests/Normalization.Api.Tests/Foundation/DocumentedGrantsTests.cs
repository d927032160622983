using System.Text.RegularExpressions;
using Normalization.Api.Tests.Infrastructure;
using Npgsql;

namespace Normalization.Api.Tests.Foundation;

/// <summary>
/// The database grants docs/reliability.md gives a DBA ("The database user in production") are enough: run as written (with
/// this test's role and database names), <c>db-apply</c> as the owner role, then the data commands as the app role. An
/// operator trial with the grants documented before found <c>projections rebuild -p PartyProfile</c> and <c>rebuild</c>
/// failing with <c>42501: permission denied for table mt_doc_partyprofile</c> (no <c>truncate</c>), and default privileges
/// that covered no table a later <c>db-apply</c> created (no <c>for role</c>).
/// </summary>
public sealed class DocumentedGrantsTests
{
    [Fact]
    public async Task Given_the_documented_grants_and_db_apply_as_the_owner_When_the_app_role_imports_and_rebuilds_Then_every_command_succeeds()
    {
        // Given a new database, the documented roles and grants, and the schema applied by the owner role
        var database = await ThrowawayDatabase.CreateAsync();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (owner, app) = ($"nz_owner_{suffix}", $"nz_app_{suffix}");
        const string password = "documented-grants-test";
        var sql = DocumentedBlock()
            .Replace("normalization_owner", owner).Replace("normalization_app", app)
            .Replace("database normalization", $"database \"{database.Name}\"").Replace("'…'", $"'{password}'");
        try
        {
            await ExecuteAsync(database.ConnectionString, sql);
            string As(string role) => new NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = role, Password = password }.ConnectionString;
            var applied = await BuiltApi.RunAsync(As(owner), "db-apply");
            applied.ExitCode.ShouldBe(0, applied.Stdout + applied.Stderr);

            // When the app role imports a history and runs both projection rebuilds and the rebuild command
            var seed = Path.Combine(BuiltApi.ProjectDir, "Seed", "us-taliban.ndjson");
            foreach (var command in new[] { new[] { "import", seed }, ["projections", "rebuild", "-p", "PartyProfile"],
                         ["projections", "rebuild", "-p", "NegotiationFold"], ["rebuild"], ["db-assert"] })
            {
                var (exitCode, stdout, stderr) = await BuiltApi.RunAsync(As(app), command);

                // Then each succeeds
                exitCode.ShouldBe(0, $"{string.Join(' ', command)} as the app role:\n{stdout}\n{stderr}");
                (stdout + stderr).ShouldNotContain("permission denied");
            }
        }
        finally
        {
            await database.DisposeAsync();
            var maintenance = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Database = "postgres" }.ConnectionString;
            await ExecuteAsync(maintenance, $"drop role if exists {app}; drop role if exists {owner};");
        }
    }

    /// <summary>
    /// A large import refreshes the planner's statistics of the tables it more than doubled (PlannerStatistics): before, as the
    /// documented app role — not the tables' owner — PostgreSQL skipped each ANALYZE with a warning ("only table or database owner
    /// can analyze it") and the new rows stayed unknown to the planner until autovacuum came by (a small negotiation's reads
    /// planned as scans of the whole table meanwhile). Now the statistics go through <c>nz_analyze</c>, a function the owner
    /// creates with <c>db-apply</c> that runs as its owner.
    /// </summary>
    [Fact]
    public async Task Given_the_documented_grants_When_the_app_role_imports_a_large_history_Then_the_tables_it_filled_are_analyzed()
    {
        var database = await ThrowawayDatabase.CreateAsync();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (owner, app) = ($"nz_owner_{suffix}", $"nz_app_{suffix}");
        const string password = "documented-grants-test";
        var file = Path.Combine(Path.GetTempPath(), $"large-{suffix}.ndjson");
        try
        {
            // Given a new database with the documented roles and grants, the schema applied by the owner, and a history of 12,000 events
            await ExecuteAsync(database.ConnectionString, DocumentedBlock()
                .Replace("normalization_owner", owner).Replace("normalization_app", app)
                .Replace("database normalization", $"database \"{database.Name}\"").Replace("'…'", $"'{password}'"));
            string As(string role) => new NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = role, Password = password }.ConnectionString;
            var applied = await BuiltApi.RunAsync(As(owner), "db-apply");
            applied.ExitCode.ShouldBe(0, applied.Stdout + applied.Stderr);
            var lines = new List<string> { """{"type":"NegotiationOpened","id":"large-import","title":"Large","parties":[{"code":"US","name":"U"},{"code":"TB","name":"T"}]}""" };
            for (var i = 0; i < 12_000; i++)
                lines.Add($$"""{"type":"TalksHeld","eventId":"{{Guid.NewGuid()}}","occurredOn":"{{new DateOnly(2000, 1, 1).AddDays(i / 4):yyyy-MM-dd}}","actor":"US","target":"TB","participants":["US","TB"],"location":"Doha","confidence":"Confirmed"}""");
            await File.WriteAllLinesAsync(file, lines);

            // When the app role imports it
            var (exitCode, stdout, stderr) = await BuiltApi.RunAsync(As(app), "import", file);
            exitCode.ShouldBe(0, stdout + stderr);

            // Then the index, the checkpoints and Marten's event table were analyzed by that import (not by autovacuum)
            await using var conn = new NpgsqlConnection(database.ConnectionString);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("select relname from pg_stat_user_tables where relname = any(@t) and last_analyze is not null order by relname", conn);
            cmd.Parameters.AddWithValue("t", new[] { "mt_events", "nz_checkpoints", "nz_events" });
            var analyzed = new List<string>();
            await using (var r = await cmd.ExecuteReaderAsync()) while (await r.ReadAsync()) analyzed.Add(r.GetString(0));
            analyzed.ShouldBe(["mt_events", "nz_checkpoints", "nz_events"]);
        }
        finally
        {
            File.Delete(file);
            await database.DisposeAsync();
            var maintenance = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Database = "postgres" }.ConnectionString;
            await ExecuteAsync(maintenance, $"drop role if exists {app}; drop role if exists {owner};");
        }
    }

    /// <summary>The SQL block of docs/reliability.md, "The database user in production", as written.</summary>
    internal static string DocumentedBlock()
    {
        var doc = File.ReadAllText(Path.Combine(BuiltApi.ProjectDir, "..", "..", "docs", "reliability.md"));
        var section = doc[doc.IndexOf("## The database user in production", StringComparison.Ordinal)..];
        return Regex.Match(section, "```sql\n(.*?)```", RegexOptions.Singleline).Groups[1].Value;
    }

    static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }
}
