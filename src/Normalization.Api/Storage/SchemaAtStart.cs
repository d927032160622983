using Npgsql;

namespace Normalization.Api.Storage;

/// <summary>
/// Who creates and migrates the database schema (issue 16, production posture as the Critter Stack documents it:
/// <c>CritterStackDefaults</c> with <c>Production.ResourceAutoCreate = AutoCreate.None</c>).
/// <list type="bullet">
/// <item><b>Development</b> (<c>dotnet run</c>) and the tests: the app does, at start (Marten's
/// <c>ApplyAllDatabaseChangesOnStartup</c>, Wolverine's message storage) and in the data commands.</item>
/// <item><b>Production</b> (any other environment): the deploy does, with <c>db-apply</c> (docker-compose.yml's
/// <c>migrate</c> service). The app neither compares nor migrates at start — that comparison of every table, function and
/// sequence was a quarter of the start (docs/architecture.md, "Generated code and start-up") — and checks only, with one
/// query (<see cref="MissingAsync"/>), that our own tables are there with every column this build writes: an unmigrated
/// database stops the start with one line naming <c>db-apply</c>, not a 500 on the first request.</item>
/// </list>
/// </summary>
public static class SchemaAtStart
{
    /// <summary>The Critter Stack command that applies the whole schema (Marten's objects, ours, Wolverine's message storage).</summary>
    public const string ApplyCommand = "db-apply";

    /// <summary>Exit code of a Production start on a database without this build's schema.</summary>
    public const int NotMigratedExitCode = 3;

    /// <summary>Whether the app applies the schema itself (at start and in the data commands): in Development only.</summary>
    public static bool AppliedByTheApp(IHostEnvironment environment) => environment.IsDevelopment();

    /// <summary>
    /// Null when every table of <see cref="Schema.Tables"/> exists in <paramref name="schemaName"/> with every column this build
    /// declares; otherwise the one-line message to print (which tables or columns are missing, and the command that adds them).
    /// One query of PostgreSQL's catalog (information_schema, never Marten's mt_* tables). Marten's own objects and Wolverine's
    /// tables are applied by the same <c>db-apply</c>; Wolverine checks its own at start (AutoCreate.None asserts them).
    /// </summary>
    /// <exception cref="NpgsqlException">The database does not answer.</exception>
    public static async Task<string?> MissingAsync(NpgsqlDataSource dataSource, string schemaName, CancellationToken ct = default)
    {
        var expected = Schema.Tables(schemaName).ToDictionary(t => t.Identifier.Name, t => t.Columns.Select(c => c.Name).ToList());
        var found = new Dictionary<string, HashSet<string>>();
        await using (var cmd = dataSource.CreateCommand(
            "select table_name, column_name from information_schema.columns where table_schema = $1 and table_name = any($2)"))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = schemaName });
            cmd.Parameters.Add(new NpgsqlParameter { Value = expected.Keys.ToArray() });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var table = reader.GetString(0);
                if (!found.TryGetValue(table, out var columns)) found[table] = columns = [];
                columns.Add(reader.GetString(1));
            }
        }

        var missing = new List<string>();
        foreach (var (table, columns) in expected)
        {
            if (!found.TryGetValue(table, out var present)) missing.Add(table);
            else missing.AddRange(columns.Where(c => !present.Contains(c)).Select(c => $"{table}.{c}"));
        }
        if (missing.Count == 0) return null;

        var target = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        return $"The database {target.Database} on {target.Host}:{target.Port} does not have this version's schema (missing: " +
               $"{string.Join(", ", missing)}). In Production the app does not create or migrate it at start: apply it first with " +
               $"`dotnet Normalization.Api.dll {ApplyCommand}` (with the same ConnectionStrings__Normalization; docker compose runs it " +
               "as the migrate service), then start the app again.";
    }
}
