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
    /// One query of PostgreSQL's catalog (pg_catalog, never Marten's mt_* tables). Marten's own objects and Wolverine's
    /// tables are applied by the same <c>db-apply</c>; Wolverine checks its own at start (AutoCreate.None asserts them).
    /// When everything is there but the connecting role may not read and write some of it (usage on the schema; select,
    /// insert, update, delete on the table), the message names the role, the tables and the grants to run instead.
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
        var denied = new SortedSet<string>(StringComparer.Ordinal);
        string role;
        // PostgreSQL's own catalog, not information_schema: information_schema lists only the tables the current role has a
        // right on, so a schema applied by a superuser (the db-patch scripts run with psql) and never granted to the app's
        // role read as "not migrated" and sent the operator to db-apply (an operator trial).
        await using (var cmd = dataSource.CreateCommand(
            """
            select n.nspname || '.' || c.relname, coalesce(a.attname, ''),
                   has_schema_privilege(n.oid, 'usage') and has_table_privilege(c.oid, 'select') and has_table_privilege(c.oid, 'insert')
                   and has_table_privilege(c.oid, 'update') and has_table_privilege(c.oid, 'delete'),
                   current_user::text
            from pg_catalog.pg_class c
            join pg_catalog.pg_namespace n on n.oid = c.relnamespace
            left join pg_catalog.pg_attribute a on a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
            where c.relkind in ('r', 'p') and n.nspname || '.' || c.relname = any($1)
            union all select null, null, null, current_user::text
            """))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = expected.Keys.ToArray() });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            role = "";
            while (await reader.ReadAsync(ct))
            {
                role = reader.GetString(3);
                if (reader.IsDBNull(0)) continue;
                var table = reader.GetString(0);
                if (!found.TryGetValue(table, out var columns)) found[table] = columns = [];
                columns.Add(reader.GetString(1));
                if (!reader.GetBoolean(2)) denied.Add(table);
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
        var target = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        if (missing.Count == 0 && denied.Count > 0)
        {
            string Short(string qualified) => qualified.StartsWith(schemaName + ".", StringComparison.Ordinal) ? qualified[(schemaName.Length + 1)..] : qualified;
            var named = denied.Take(5).Select(Short).ToList();
            return $"The database {target.Database} on {target.Host}:{target.Port} has this version's schema, but the role {role} may not " +
                   $"read and write {denied.Count} of its tables ({string.Join(", ", named)}{(denied.Count > named.Count ? ", …" : "")}): grant the rights " +
                   "listed in docs/reliability.md, \"The database user in production\" (as the tables' owner or a superuser; tables created by " +
                   "another role than the one named in `alter default privileges for role …` — a superuser running the db-patch scripts — " +
                   "need the `grant … on all tables / sequences / functions in schema` lines run again after the migration), then start again.";
        }
        if (missing.Count == 0) return null;

        return $"The database {target.Database} on {target.Host}:{target.Port} does not have this version's schema (missing: " +
               $"{string.Join(", ", missing)}). In Production the app does not create or migrate it at start: apply it first with " +
               $"`dotnet Normalization.Api.dll {ApplyCommand}` (with the same ConnectionStrings__Normalization; docker compose runs it " +
               "as the migrate service), then start the app again.";
    }
}
