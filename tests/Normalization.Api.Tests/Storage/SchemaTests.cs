using System.Text.RegularExpressions;
using Marten;
using Normalization.Api.Storage;
using Normalization.Api.Tests.Infrastructure;
using Weasel.Core;
using Weasel.Postgresql.Tables;
using static Normalization.Api.Tests.Storage.StoreSupport;

namespace Normalization.Api.Tests.Storage;

/// <summary>
/// Our nz_* tables are declared to Marten (Weasel tables in ExtendedSchemaObjects), so start-up, the data commands,
/// db-apply, db-patch and db-assert create, export and check them with Marten's own objects; no request path runs DDL.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed partial class SchemaTests(AppFixture app)
{
    [GeneratedRegex(@"\bnz_[a-z_]+\b")]
    private static partial Regex NzName();

    /// <summary>Every nz_* name in the app's source (SQL in string literals) that is not an index or key name.</summary>
    static SortedSet<string> TablesNamedInTheAppSource()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Normalization.sln"))) dir = dir.Parent;
        dir.ShouldNotBeNull("the checkout's root (Normalization.sln) above the test binaries");
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(dir.FullName, "src", "Normalization.Api"), "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") || file.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}")) continue;
            foreach (Match m in NzName().Matches(File.ReadAllText(file))) names.Add(m.Value);
        }
        return names;
    }

    static Table[] DeclaredTables(IDocumentStore store) =>
        store.Storage.AllObjects().OfType<Table>().Where(t => t.Identifier.Name.StartsWith("nz_")).ToArray();

    [Fact]
    public void Given_the_app_source_When_Martens_configured_schema_objects_are_listed_Then_every_nz_table_it_uses_is_declared_in_Martens_schema()
    {
        // Given the tables the app's SQL names
        var used = TablesNamedInTheAppSource();
        used.ShouldContain(Schema.Events);

        // When Marten lists the objects it manages
        var all = app.Store.Storage.AllObjects().ToArray();

        // Then each one is there, as a table (or our one function, nz_analyze) in Marten's schema, and nothing else is named nz_*
        var declared = all.Where(o => o.Identifier.Name.StartsWith("nz_")).ToArray();
        declared.Select(o => o.Identifier.Name).Order(StringComparer.Ordinal).ShouldBe(used);
        declared.OfType<Table>().Select(t => t.Identifier.Name).ShouldBe(Schema.TableNames, ignoreOrder: true);
        declared.Where(o => o is not Table).ShouldAllBe(o => o is Weasel.Postgresql.Functions.Function && o.Identifier.Name == Schema.Analyze);
        declared.ShouldAllBe(o => o.Identifier.Schema == app.Store.Options.DatabaseSchemaName);
    }

    [Fact]
    public void Given_the_declared_tables_When_the_db_patch_style_script_is_exported_Then_it_creates_each_table_with_its_keys_and_indexes()
    {
        // When the creation script is written, as db-patch / WriteCreationScriptToFile do
        var sql = app.Store.Storage.Database.ToDatabaseScript();

        // Then it creates each of our tables, its primary key and its indexes (the partial ones with their predicates)
        foreach (var table in DeclaredTables(app.Store))
        {
            sql.ShouldContain($"CREATE TABLE IF NOT EXISTS {table.Identifier.QualifiedName}", Case.Insensitive);
            sql.ShouldContain($"CONSTRAINT {table.PrimaryKeyName} PRIMARY KEY ({string.Join(", ", table.PrimaryKeyColumns)})", Case.Insensitive);
            foreach (var index in table.Indexes) sql.ShouldContain(index.Name);
        }
        sql.ShouldContain("'RecordReviewed'::text");
        sql.ShouldContain("target_event_id IS NOT NULL", Case.Insensitive);
        sql.ShouldContain("CREATE UNIQUE INDEX", Case.Insensitive);
    }

    [Fact]
    public async Task Given_the_started_app_When_the_test_database_is_read_Then_its_nz_tables_are_exactly_the_declared_ones_and_db_assert_finds_no_difference()
    {
        // Given the app started on its own database (Marten applied every change at start-up)

        // When the database's tables are listed
        var existing = await app.Scalar<string[]>(
            "select coalesce(array_agg(table_name::text order by table_name), '{}') from information_schema.tables where table_schema = @schema and table_name like 'nz\\_%'",
            ("schema", app.Store.Options.DatabaseSchemaName));

        // Then they are the declared tables, no more, no fewer …
        existing.ShouldBe(DeclaredTables(app.Store).Select(t => t.Identifier.Name).Order(StringComparer.Ordinal).ToArray());
        // … and every column, key and index matches the declaration (what db-assert checks; a mismatch throws).
        await app.Store.Storage.Database.AssertDatabaseMatchesConfigurationAsync();
        foreach (var table in DeclaredTables(app.Store))
        {
            await using var conn = new Npgsql.NpgsqlConnection(app.ConnectionString);
            await conn.OpenAsync();
            var delta = await table.FindDeltaAsync(conn, CancellationToken.None);
            delta.Difference.ShouldBe(SchemaPatchDifference.None, table.Identifier.Name);
        }
    }

    [Fact]
    public async Task Given_a_database_with_the_dropped_fold_index_When_Martens_migration_runs_Then_it_drops_that_index()
    {
        // Given a database created by an earlier version: it has ix_nz_events_fold, no longer declared
        await app.Execute($"create index if not exists ix_nz_events_fold on {app.Store.Options.DatabaseSchemaName}.nz_events (negotiation_id, sort_key) where status = 'active' and role <> 1");
        try
        {
            var events = DeclaredTables(app.Store).Single(t => t.Identifier.Name == Schema.Events);
            events.Indexes.Select(i => i.Name).ShouldNotContain("ix_nz_events_fold");
            await using (var conn = new Npgsql.NpgsqlConnection(app.ConnectionString))
            {
                await conn.OpenAsync();
                var delta = await events.FindDeltaAsync(conn, CancellationToken.None);
                // Then the migration (what db-patch writes and db-apply runs) drops it …
                delta.Difference.ShouldBe(SchemaPatchDifference.Update);
                var patch = new StringWriter();
                delta.WriteUpdate(new Weasel.Postgresql.PostgresqlMigrator(), patch);
                patch.ToString().ShouldContain("ix_nz_events_fold");
                patch.ToString().ShouldContain("drop index", Case.Insensitive);
            }

            // When Marten applies the configured changes (db-apply, start-up)
            await app.Store.Storage.Database.ApplyAllConfiguredChangesToDatabaseAsync();

            // … and it is gone
            (await app.Scalar<long>("select count(*) from pg_indexes where indexname = 'ix_nz_events_fold'")).ShouldBe(0);
        }
        finally
        {
            await app.Execute($"drop index if exists {app.Store.Options.DatabaseSchemaName}.ix_nz_events_fold");
        }
    }

    [Fact]
    public async Task Given_a_database_from_before_last_of_write_When_Martens_migration_runs_Then_it_adds_the_flag_and_makes_the_known_at_index_partial()
    {
        // Given a database created by an earlier version: no last_of_write column, ix_nz_events_recorded on every row
        var schema = app.Store.Options.DatabaseSchemaName;
        var negotiations = StoreSupport.Store(app);
        var id = NewId("premigration");
        await negotiations.BulkAppendAsync(Opening(id), create: true, null, Synthetic(1_200, 5), Poster);
        await app.Execute($"alter table {schema}.nz_events drop column last_of_write; create index ix_nz_events_recorded on {schema}.nz_events (negotiation_id, recorded_at, version)");
        try
        {
            var events = DeclaredTables(app.Store).Single(t => t.Identifier.Name == Schema.Events);
            await using (var conn = new Npgsql.NpgsqlConnection(app.ConnectionString))
            {
                await conn.OpenAsync();
                var delta = await events.FindDeltaAsync(conn, CancellationToken.None);
                // Then the migration (what db-patch writes and db-apply runs) adds the column and recreates the index …
                delta.Difference.ShouldBe(SchemaPatchDifference.Update);
                var patch = new StringWriter();
                delta.WriteUpdate(new Weasel.Postgresql.PostgresqlMigrator(), patch);
                patch.ToString().ShouldContain("last_of_write");
                patch.ToString().ShouldContain("ix_nz_events_recorded");
            }

            // When Marten applies the configured changes (db-apply, start-up)
            await app.Store.Storage.Database.ApplyAllConfiguredChangesToDatabaseAsync();
        }
        finally
        {
            await app.Execute($"alter table {schema}.nz_events add column if not exists last_of_write boolean not null default true");
            await app.Store.Storage.Database.ApplyAllConfiguredChangesToDatabaseAsync();
        }

        // … the index is partial on the flag, the old rows are all flagged (each answers for itself, as before), and
        // "as known at" after the load still sees the whole load
        (await app.Scalar<string>("select indexdef from pg_indexes where indexname = 'ix_nz_events_recorded'")).ShouldEndWith("WHERE last_of_write");
        (await app.Scalar<long>("select count(*) from nz_events where negotiation_id = @id and not last_of_write", ("id", id))).ShouldBe(0);
        var now = new DateTimeOffset(await app.Scalar<DateTime>("select clock_timestamp()"), TimeSpan.Zero);
        (await negotiations.StateAsOfAsync(id, Later, now))!.EventCount.ShouldBe((await negotiations.StateAsOfAsync(id, Later))!.EventCount);
    }
}
