using Weasel.Postgresql;
using Weasel.Postgresql.Tables;

namespace Normalization.Api.Storage;

/// <summary>
/// Tables Marten does not know about: the domain-order index of every stream (with effective status after
/// retractions/corrections), fold checkpoints in domain order and the ids events may reference. (Saved what-if scenarios
/// are Marten documents, <c>WhatIf/SavedScenario</c>.)
/// (negotiation_id, event_id) is the primary key, so the database itself makes an eventId unique within a negotiation.
/// <para>
/// They are declared as Weasel tables and added to Marten's <c>opts.Storage.ExtendedSchemaObjects</c>
/// (<see cref="MartenSetup"/>): Marten creates and migrates them with its own objects — at start-up
/// (<c>ApplyAllDatabaseChangesOnStartup</c>), in the data commands (<c>ApplyAllConfiguredChangesToDatabaseAsync</c>) and
/// through <c>db-apply</c>, <c>db-patch</c> and <c>db-assert</c>. No request path runs DDL.
/// </para>
/// </summary>
public static class Schema
{
    public const string Events = "nz_events";
    public const string Checkpoints = "nz_checkpoints";
    public const string References = "nz_references";

    /// <summary>Every table of ours, by name.</summary>
    public static readonly IReadOnlyList<string> TableNames = [Events, Checkpoints, References];

    /// <summary>Our tables in <paramref name="schemaName"/> (Marten's <c>DatabaseSchemaName</c>).</summary>
    /// <remarks>
    /// Primary keys keep PostgreSQL's default names (<c>&lt;table&gt;_pkey</c>), the names the tables had when they were
    /// created from plain DDL, so an existing database shows no difference. Index predicates are written as PostgreSQL
    /// prints them back (<c>pg_get_indexdef</c>) so that Weasel's comparison sees no change on every start.
    /// </remarks>
    public static IReadOnlyList<Table> Tables(string schemaName) =>
    [
        EventsTable(schemaName), CheckpointsTable(schemaName), ReferencesTable(schemaName),
    ];

    /// <summary>The function a bulk load refreshes the planner's statistics through (<see cref="AnalyzeFunction"/>).</summary>
    public const string Analyze = "nz_analyze";

    /// <summary>Our functions in <paramref name="schemaName"/>, declared beside the tables so db-apply / db-patch / db-assert cover them.</summary>
    public static IReadOnlyList<Weasel.Core.ISchemaObject> Functions(string schemaName) => [AnalyzeFunction(schemaName)];

    /// <summary>
    /// <c>nz_analyze(table, columns)</c>: ANALYZE of a table (or some of its columns) as the function's owner. PostgreSQL lets only
    /// a table's owner analyze it (15 has no grantable right for it), and the app's role in production owns nothing
    /// (docs/reliability.md): without this, its ANALYZE after a large import was skipped with a warning. The owner creates it
    /// with db-apply, so it runs as the owner of the tables; ANALYZE changes no data. Written as PostgreSQL prints it back
    /// (<c>pg_get_functiondef</c>) so that Weasel's comparison sees no change.
    /// </summary>
    static Weasel.Postgresql.Functions.Function AnalyzeFunction(string schemaName) => new(
        new PostgresqlObjectName(schemaName, Analyze, SchemaUtils.IdentifierUsage.Function), $$"""
        CREATE OR REPLACE FUNCTION {{schemaName}}.{{Analyze}}(target regclass, columns text[] DEFAULT NULL::text[])
         RETURNS void
         LANGUAGE plpgsql
         SECURITY DEFINER
         SET search_path TO 'pg_catalog', 'pg_temp'
        AS $function$
        begin
          if columns is null then
            execute format('analyze %s', target);
          else
            execute format('analyze %s (%s)', target, (select string_agg(quote_ident(c), ', ') from unnest(columns) as c));
          end if;
        end;
        $function$;
        """);

    static Table New(string schemaName, string name) =>
        new(new PostgresqlObjectName(schemaName, name, SchemaUtils.IdentifierUsage.General)) { PrimaryKeyName = name + "_pkey" };

    static Table EventsTable(string schemaName)
    {
        var t = New(schemaName, Events);
        t.AddColumn("negotiation_id", "text").AsPrimaryKey();
        t.AddColumn("event_id", "uuid").AsPrimaryKey();
        t.AddColumn("version", "integer").NotNull();
        t.AddColumn("type", "text").NotNull();
        t.AddColumn("role", "smallint").NotNull();              // 0 catalog event, 1 retraction, 2 correction
        t.AddColumn("target_event_id", "uuid").AllowNulls();
        t.AddColumn("status", "text").NotNull();                // active | retracted | corrected | superseded
        t.AddColumn("sort_key", "text").NotNull();              // domain order of the event as read by the fold
        t.AddColumn("domain_date", "date").NotNull();
        t.AddColumn("occurred_on", "text").NotNull();
        t.AddColumn("actor", "text").NotNull();
        t.AddColumn("recorded_at", "timestamptz").NotNull().DefaultValueByExpression("now()");
        // The summary's numbers (issue 19): Goldstein weight and momentum weight of the event as the fold reads it; null
        // until known (rows indexed by an append or by an import onto existing events, or before these columns existed) — the first summary fills them.
        t.AddColumn("goldstein", "double precision").AllowNulls();
        t.AddColumn("momentum", "double precision").AllowNulls();
        // Whether this row is the last (highest version) its write indexed among rows of the same recorded_at: the rows "as
        // known at" reads (ix_nz_events_recorded). True by default (an append's row, rows from before this column); a load
        // copied with COPY (over DomainIndex.CopyThreshold rows) writes false on every row but its last (DomainIndex.CopyIndexAsync).
        t.AddColumn("last_of_write", "boolean").NotNull().DefaultValueByExpression("true");

        // Domain order: the timeline's pages, and the fold's reads (effective rows: status active, not a retraction), which
        // filter the few inactive rows on the heap rows they fetch anyway. A partial copy of this index for the fold
        // (ix_nz_events_fold, dropped by the migration) was a fifth B-tree entry per event for no faster read: EXPLAIN
        // ANALYZE of each of its queries on a 200,000-event record, with and without it, in docs/benchmarks.md section 9.
        t.Indexes.Add(new IndexDefinition("ix_nz_events_timeline") { Columns = ["negotiation_id", "sort_key"] });
        t.Indexes.Add(new IndexDefinition("ix_nz_events_target")
        {
            Columns = ["negotiation_id", "target_event_id"],
            Predicate = "(target_event_id IS NOT NULL)",
        });
        t.Indexes.Add(new IndexDefinition("ux_nz_events_version") { Columns = ["negotiation_id", "version"], IsUnique = true });
        // "As known at T": the stream version recorded by T (NegotiationStore.VersionKnownAtAsync) without a scan of the stream.
        // Only the last row each write indexed (last_of_write): the rows of one write share its recorded_at, so the last one
        // answers for all of them, and a bulk load of n events adds one entry to this B-tree instead of n (measured: 0.6 of
        // the index's 2.1 s of server CPU for 200,000 events, docs/benchmarks.md section 9). Appends write one row each
        // (the column's default, true), so their cost does not change.
        t.Indexes.Add(new IndexDefinition("ix_nz_events_recorded")
        {
            Columns = ["negotiation_id", "recorded_at", "version"],
            Predicate = "last_of_write",
        });
        // How far the record reaches as known at T: its few reviews, without a scan of the stream.
        t.Indexes.Add(new IndexDefinition("ix_nz_events_reviews")
        {
            Columns = ["negotiation_id", "sort_key"],
            Predicate = "(type = 'RecordReviewed'::text)",
        });
        return t;
    }

    static Table CheckpointsTable(string schemaName)
    {
        var t = New(schemaName, Checkpoints);
        t.AddColumn("negotiation_id", "text").AsPrimaryKey();
        t.AddColumn("sort_key", "text").AsPrimaryKey();
        // Bitemporal: a checkpoint version holds for the stream versions [valid_from, valid_to) (valid_to null: still current).
        // Rows from before versioning get the default, "never valid for an earlier record": the current state still reads
        // them, "as known at" starts from an older version or from the opening instead.
        t.AddColumn("valid_from", "integer").AsPrimaryKey().DefaultValueByExpression("2147483647");
        t.AddColumn("valid_to", "integer").AllowNulls();
        t.AddColumn("domain_date", "date").NotNull();
        t.AddColumn("event_count", "integer").NotNull();
        t.AddColumn("accumulator", "bytea").NotNull();          // the FoldAccumulator's JSON, compressed (CheckpointPacking)
        t.Indexes.Add(new IndexDefinition("ix_nz_checkpoints_current")
        {
            Columns = ["negotiation_id", "sort_key"],
            Predicate = "(valid_to IS NULL)",
        });
        return t;
    }

    static Table ReferencesTable(string schemaName)
    {
        var t = New(schemaName, References);
        t.AddColumn("negotiation_id", "text").AsPrimaryKey();
        t.AddColumn("kind", "text").AsPrimaryKey();             // demand | commitment
        t.AddColumn("ref_id", "text").AsPrimaryKey();
        return t;
    }
}
