using Npgsql;

namespace Normalization.Api.Storage;

/// <summary>
/// Tables Marten does not know about: the domain-order index of every stream (with effective status after
/// retractions/corrections), fold checkpoints in domain order, and the ids events may reference.
/// (negotiation_id, event_id) is the primary key, so the database itself makes an eventId unique within a negotiation.
/// </summary>
public static class Schema
{
    public const string Sql = """
        create table if not exists nz_negotiations (
            id text primary key,
            version int not null,
            created_at timestamptz not null default now());
        create table if not exists nz_events (
            event_id uuid not null,
            negotiation_id text not null,
            version int not null,
            type text not null,
            role smallint not null,            -- 0 catalog event, 1 retraction, 2 correction
            target_event_id uuid null,
            status text not null,              -- active | retracted | corrected | superseded
            sort_key text not null,            -- domain order of the event as read by the fold
            domain_date date not null,
            occurred_on text not null,
            actor text not null,
            recorded_at timestamptz not null default now(),
            primary key (negotiation_id, event_id));
        create index if not exists ix_nz_events_fold on nz_events (negotiation_id, sort_key) where status = 'active' and role <> 1;
        create index if not exists ix_nz_events_timeline on nz_events (negotiation_id, sort_key);
        create index if not exists ix_nz_events_target on nz_events (negotiation_id, target_event_id) where target_event_id is not null;
        create unique index if not exists ux_nz_events_version on nz_events (negotiation_id, version);
        create table if not exists nz_checkpoints (
            negotiation_id text not null,
            sort_key text not null,
            domain_date date not null,
            event_count int not null,
            accumulator bytea not null,        -- the FoldAccumulator's JSON, gzip-compressed (CheckpointPacking)
            primary key (negotiation_id, sort_key));
        -- Before checkpoints were compressed the column was jsonb: keep those rows as UTF-8 JSON bytes (read either way).
        do $$ begin
            if (select data_type from information_schema.columns where table_schema = current_schema() and table_name = 'nz_checkpoints' and column_name = 'accumulator') = 'jsonb' then
                alter table nz_checkpoints alter column accumulator type bytea using convert_to(accumulator::text, 'UTF8');
            end if;
        end $$;
        create table if not exists nz_references (
            negotiation_id text not null,
            kind text not null,                -- demand | commitment
            ref_id text not null,
            primary key (negotiation_id, kind, ref_id));
        create table if not exists nz_scenarios (
            negotiation_id text not null,
            name text not null,
            body jsonb not null,
            saved_at timestamptz not null default now(),
            primary key (negotiation_id, name));
        """;

    static readonly SemaphoreSlim Gate = new(1, 1);
    static readonly HashSet<string> Ensured = [];

    public static async Task EnsureAsync(NpgsqlDataSource dataSource, CancellationToken ct = default)
    {
        var key = dataSource.ConnectionString;
        if (Ensured.Contains(key)) return;
        await Gate.WaitAsync(ct);
        try
        {
            if (Ensured.Contains(key)) return;
            await using var conn = await dataSource.OpenConnectionAsync(ct);
            await using (var lockCmd = new NpgsqlCommand("select pg_advisory_lock(54329001)", conn)) await lockCmd.ExecuteNonQueryAsync(ct);
            try
            {
                await using var cmd = new NpgsqlCommand(Sql, conn);
                await cmd.ExecuteNonQueryAsync(ct);
            }
            finally
            {
                await using var unlock = new NpgsqlCommand("select pg_advisory_unlock(54329001)", conn);
                await unlock.ExecuteNonQueryAsync(ct);
            }
            Ensured.Add(key);
        }
        finally { Gate.Release(); }
    }

    /// <summary>Empties our tables (tests, rebuild-all).</summary>
    public const string TruncateSql = "truncate nz_negotiations, nz_events, nz_checkpoints, nz_references, nz_scenarios;";
}
