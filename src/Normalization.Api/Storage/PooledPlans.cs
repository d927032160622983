using Npgsql;

namespace Normalization.Api.Storage;

/// <summary>
/// Keeps PostgreSQL's cached plans on pooled connections while Npgsql still resets everything else about the session.
/// </summary>
/// <remarks>
/// <para>
/// When a pooled connection is returned, Npgsql resets its session before the next user. With no prepared statement on
/// the connection it sends <c>DISCARD ALL</c>, which includes <c>DISCARD PLANS</c>: every plan cached in the session is
/// dropped, among them the plans of Marten's PL/pgSQL functions (<c>mt_quick_append_events</c> for every append, the
/// <c>mt_upsert_*</c> function of every document stored). Each append then re-plans the function's statements:
/// measured with pgbench on this machine, the server's CPU per single-event append transaction is ~0.5 ms without and
/// ~0.95 ms with <c>DISCARD PLANS</c> before it (docs/benchmarks.md, section 9).
/// </para>
/// <para>
/// With at least one prepared statement on the connection, Npgsql resets with
/// <c>SET SESSION AUTHORIZATION DEFAULT; RESET ALL; CLOSE ALL; UNLISTEN *; SELECT pg_advisory_unlock_all();
/// DISCARD SEQUENCES; DISCARD TEMP</c> instead (NpgsqlConnector.Reset in Npgsql's source): settings, cursors,
/// listeners, session advisory locks, sequence caches and temporary tables are still reset — only plans and prepared
/// statements survive. So each new physical connection prepares <see cref="Probe"/>, the health check's statement.
/// That is safer than <c>No Reset On Close</c> (which skips the reset altogether); if a later Npgsql resets differently,
/// appends only get slower again (<c>PooledPlansTests</c> then fails).
/// </para>
/// <para>
/// Only explicitly prepared statements are prepared: auto-prepare stays off (MartenSetup.CreateDataSource: generic plans
/// made small negotiations' time-travel queries slow).
/// </para>
/// </remarks>
public static class PooledPlans
{
    /// <summary>The statement prepared on every physical connection (also what the health check runs).</summary>
    public const string Probe = "select 1";

    /// <summary>Registers the physical-connection initializer that prepares <see cref="Probe"/>.</summary>
    public static NpgsqlDataSourceBuilder KeepPlansAcrossResets(this NpgsqlDataSourceBuilder builder) =>
        builder.UsePhysicalConnectionInitializer(
            conn => { using var cmd = new NpgsqlCommand(Probe, conn); cmd.Prepare(); },
            async conn => { await using var cmd = new NpgsqlCommand(Probe, conn); await cmd.PrepareAsync(); });
}
