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
