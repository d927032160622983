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
/// sequence was a quarter of the start (docs/architecture.md, "Production start") — and checks only, with one
/// query (<see cref="MissingAsync"/>), that our own tables are there with every column this build writes, and that every
/// table Marten and Wolverine declare exists (<see cref="DeclaredTables"/>): an unmigrated
/// database stops the start with one line naming <c>db-apply</c>, not a 500 on the first request.</item>
/// </list>
/// </summary>
public static class SchemaAtStart
{
    /// <summary>The Critter Stack command that applies the whole schema (Marten's objects, ours, Wolverine's message storage).</summary>
    public const string ApplyCommand = "db-apply";

    /// <summary>Exit code of a Production start on a database without this build's schema.</summary>
    public const int NotMigratedExitCode = 3;

    /// <summary>
    /// The tables Marten (its document and event storage) and Wolverine (its message storage) declare for this build, as
    /// (schema, table), read from their own Weasel schema objects — so a database migrated by a build that lacked a
    /// document type, or without Wolverine's tables, is named at start too instead of failing with a 500 or a stack trace.
    /// </summary>
    public static IReadOnlyCollection<(string Schema, string Table)> DeclaredTables(Marten.IDocumentStore store, Wolverine.Runtime.IWolverineRuntime? wolverine)
    {
        var objects = store.Storage.AllObjects().ToList();
        if (wolverine?.Storage is Weasel.Core.Migrations.IDatabase database) objects.AddRange(database.AllObjects());
        return objects.OfType<Weasel.Postgresql.Tables.Table>().Select(t => (t.Identifier.Schema, t.Identifier.Name)).Distinct().ToList();
    }

    /// <summary>Whether the app applies the schema itself (at start and in the data commands): in Development only.</summary>
    public static bool AppliedByTheApp(IHostEnvironment environment) => environment.IsDevelopment();

    /// <summary>
    /// Null when every table of <see cref="Schema.Tables"/> exists in <paramref name="schemaName"/> with every column this build
    /// declares; otherwise the one-line message to print (which tables or columns are missing, and the command that adds them).
    /// One query of PostgreSQL's catalog (information_schema, never Marten's mt_* tables). Marten's own objects and Wolverine's
    /// tables are applied by the same <c>db-apply</c>; Wolverine checks its own at start (AutoCreate.None asserts them).
    /// </summary>
    /// <exception cref="NpgsqlException">The database does not answer.</exception>
    public static async Task<string?> MissingAsync(NpgsqlDataSource dataSource, string schemaName, CancellationToken ct = default) =>
        await MissingAsync(dataSource, schemaName, [], ct);

    /// <summary>
    /// As <see cref="MissingAsync(NpgsqlDataSource, string, CancellationToken)"/>, also checking that every table of
    /// <paramref name="otherTables"/> exists (schema-qualified names: Marten's document and event tables and Wolverine's
    /// message tables, read from their own schema objects — <see cref="DeclaredTables"/>). Still one query.
    /// </summary>
    public static async Task<string?> MissingAsync(NpgsqlDataSource dataSource, string schemaName, IReadOnlyCollection<(string Schema, string Table)> otherTables,
        CancellationToken ct = default)
    {
        var expected = Schema.Tables(schemaName).ToDictionary(t => $"{schemaName}.{t.Identifier.Name}", t => t.Columns.Select(c => c.Name).ToList());
        foreach (var (s, t) in otherTables) expected.TryAdd($"{s}.{t}", []);
        var found = new Dictionary<string, HashSet<string>>();
        await using (var cmd = dataSource.CreateCommand(
            "select table_schema || '.' || table_name, coalesce(column_name, '') from information_schema.columns where table_schema || '.' || table_name = any($1)"))
        {
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
        foreach (var (qualified, columns) in expected)
        {
            // Our tables are named as before (nz_events.momentum); another schema's keep their schema.
            var table = qualified.StartsWith(schemaName + ".", StringComparison.Ordinal) ? qualified[(schemaName.Length + 1)..] : qualified;
            if (!found.TryGetValue(qualified, out var present)) missing.Add(table);
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
