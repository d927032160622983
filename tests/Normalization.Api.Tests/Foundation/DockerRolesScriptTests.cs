using System.Diagnostics;
using System.Text.RegularExpressions;
using Normalization.Api.Tests.Infrastructure;
using Npgsql;

namespace Normalization.Api.Tests.Foundation;

/// <summary>
/// The roles script the postgres image runs on a new volume (<c>src/Normalization.Api/Deploy/postgres-init/10-roles.sh</c>,
/// mounted by docker-compose.yml) is the documented block of docs/reliability.md ("The database user in production"), which
/// <see cref="DocumentedGrantsTests"/> proves enough for <c>db-apply</c> as the owner and the app as the other role. Before it,
/// the compose file's <c>migrate</c> and <c>api</c> services both connected as the superuser <c>postgres</c>.
/// </summary>
public sealed class DockerRolesScriptTests
{
    static readonly string Script = Path.Combine(BuiltApi.ProjectDir, "Deploy", "postgres-init", "10-roles.sh");

    [Fact]
    public void Given_the_roles_script_When_its_SQL_is_read_with_the_passwords_elided_Then_it_is_the_documented_block()
    {
        // Given the script's SQL (the here-document psql reads)
        var sql = Regex.Match(File.ReadAllText(Script), "<<'SQL'\n(.*?)SQL\n", RegexOptions.Singleline).Groups[1].Value;

        // When its psql password variables are written as the documentation writes them
        var elided = sql.Replace(":'owner_password'", "'…'").Replace(":'app_password'", "'…'");

        // Then it is the documented block, line for line
        elided.ShouldBe(DocumentedGrantsTests.DocumentedBlock());
    }

    [Fact]
    public async Task Given_a_new_database_When_the_script_runs_as_the_image_runs_it_Then_both_roles_log_in_with_their_passwords_and_only_the_owner_can_create()
    {
        // Given a new database and the script with this test's role and database names (roles are per cluster)
        var psql = Psql();
        var database = await ThrowawayDatabase.CreateAsync();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (owner, app) = ($"nz_owner_{suffix}", $"nz_app_{suffix}");
        var copy = Path.Combine(Path.GetTempPath(), $"roles-{suffix}.sh");
        await File.WriteAllTextAsync(copy, (await File.ReadAllTextAsync(Script))
            .Replace("normalization_owner", owner).Replace("normalization_app", app)
            .Replace("on database normalization", $"on database \"{database.Name}\""));
        var server = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        try
        {
            // When it runs as the postgres image runs an init script: sh, psql on PATH, POSTGRES_USER / POSTGRES_DB set
            var start = new ProcessStartInfo("sh", [copy]) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.Environment["PATH"] = Path.GetDirectoryName(psql) + ":" + Environment.GetEnvironmentVariable("PATH");
            start.Environment["POSTGRES_USER"] = server.Username;
            start.Environment["POSTGRES_DB"] = database.Name;
            start.Environment["PGHOST"] = server.Host;
            start.Environment["PGPORT"] = server.Port.ToString();
            start.Environment["PGPASSWORD"] = server.Password;
            start.Environment["NORMALIZATION_OWNER_PASSWORD"] = "owner's secret";
            start.Environment["NORMALIZATION_APP_PASSWORD"] = "app's secret";
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            process.ExitCode.ShouldBe(0, output);

            // Then the owner logs in with its password and creates a table; the app logs in with its own, reads that table
            // (default privileges) and may not create one
            string As(string role, string password) => new NpgsqlConnectionStringBuilder(database.ConnectionString) { Username = role, Password = password }.ConnectionString;
            await ExecuteAsync(As(owner, "owner's secret"), "create table owned (id int); insert into owned values (1)");
            (await ScalarAsync(As(app, "app's secret"), "select count(*) from owned")).ShouldBe(1L);
            var refused = await Should.ThrowAsync<PostgresException>(() => ExecuteAsync(As(app, "app's secret"), "create table not_allowed (id int)"));
            refused.SqlState.ShouldBe(PostgresErrorCodes.InsufficientPrivilege);
        }
        finally
        {
            File.Delete(copy);
            await database.DisposeAsync();
            var maintenance = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Database = "postgres" }.ConnectionString;
            await ExecuteAsync(maintenance, $"drop role if exists {app}; drop role if exists {owner};");
        }
    }

    [Fact]
    public void Given_docker_compose_When_its_services_are_read_Then_the_image_runs_the_script_the_migrate_service_is_the_owner_and_the_api_the_app_role()
    {
        // Given docker-compose.yml, cut into its services (two-space indented keys under services:)
        var compose = File.ReadAllText(Path.Combine(BuiltApi.ProjectDir, "..", "..", "docker-compose.yml"));
        string Service(string name) => Regex.Match(compose, $"\n  {name}:\n(.*?)(?=\n  [a-z]+:\n|\nvolumes:)", RegexOptions.Singleline).Groups[1].Value;

        // When each service's settings are read / Then they name the roles the script makes
        Service("postgres").ShouldContain("./src/Normalization.Api/Deploy/postgres-init:/docker-entrypoint-initdb.d");
        Service("migrate").ShouldContain("Username=normalization_owner;");
        Service("api").ShouldContain("Username=normalization_app;");
        compose.ShouldNotContain("Username=postgres");
    }

    /// <summary>psql from the PostgreSQL the tests run on (PATH, then Debian's version folders, newest first).</summary>
    static string Psql() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(Directory.Exists("/usr/lib/postgresql")
                ? Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => d, StringComparer.Ordinal).Select(d => Path.Combine(d, "bin"))
                : [])
            .Select(d => Path.Combine(d, "psql")).FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("psql not found (PATH, /usr/lib/postgresql/*/bin): install postgresql-client.");

    static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    static async Task<object?> ScalarAsync(string connectionString, string sql)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        return await cmd.ExecuteScalarAsync();
    }
}
