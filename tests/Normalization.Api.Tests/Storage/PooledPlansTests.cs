using Normalization.Api.Storage;
using Normalization.Api.Tests.Infrastructure;
using Npgsql;

namespace Normalization.Api.Tests.Storage;

/// <summary>
/// A pooled connection keeps its cached plans between users (Marten's append and upsert functions are not re-planned on
/// every append) while everything else about the session is still reset (PooledPlans).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class PooledPlansTests(AppFixture app)
{
    [Fact]
    public async Task Given_a_used_pooled_connection_When_the_next_user_gets_it_Then_plans_survive_and_session_state_does_not()
    {
        // Given the app's kind of data source (a pool of its own, so the next open gets the same physical connection)
        var connectionString = app.ConnectionString;
        await using var dataSource = MartenSetup.CreateDataSource(connectionString);
        int pid;
        await using (var first = await dataSource.OpenConnectionAsync())
        {
            pid = await ScalarAsync<int>(first, "select pg_backend_pid()");
            // … on which a user changed a setting, took a session advisory lock and made a temporary table
            await ExecuteAsync(first, "set statement_timeout = 1234");
            await ExecuteAsync(first, "select pg_advisory_lock(424242)");
            await ExecuteAsync(first, "create temporary table pooled_plans_probe (x int)");
        }

        // When the next user opens a connection from the pool
        await using var next = await dataSource.OpenConnectionAsync();

        // Then it is the same server session …
        (await ScalarAsync<int>(next, "select pg_backend_pid()")).ShouldBe(pid);
        // … its prepared statement survived the reset, so the reset did not DEALLOCATE ALL / DISCARD PLANS …
        (await ScalarAsync<long>(next, "select count(*) from pg_prepared_statements")).ShouldBeGreaterThan(0);
        // … and everything else was reset: the setting, the advisory lock, the temporary table.
        (await ScalarAsync<string>(next, "show statement_timeout")).ShouldBe("0");
        (await ScalarAsync<long>(next, "select count(*) from pg_locks where locktype = 'advisory' and pid = pg_backend_pid()")).ShouldBe(0);
        (await ScalarAsync<string?>(next, "select to_regclass('pg_temp.pooled_plans_probe')::text")).ShouldBeNull();
    }

    [Fact]
    public async Task Given_a_plain_Npgsql_pool_When_the_next_user_gets_a_connection_Then_its_plans_were_discarded()
    {
        // Given a data source without PooledPlans (Npgsql's defaults), whose connection prepared a statement by hand
        // (PREPARE: a server-side statement Npgsql does not track, so the reset is DISCARD ALL)
        var connectionString = app.ConnectionString;
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using (var first = await dataSource.OpenConnectionAsync())
            await ExecuteAsync(first, "prepare pooled_plans_control as select 1");

        // When the next user opens a connection
        await using var next = await dataSource.OpenConnectionAsync();

        // Then DISCARD ALL dropped it: the difference PooledPlans makes
        (await ScalarAsync<long>(next, "select count(*) from pg_prepared_statements")).ShouldBe(0);
    }

    static async Task ExecuteAsync(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    static async Task<T> ScalarAsync<T>(NpgsqlConnection conn, string sql)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        var value = await cmd.ExecuteScalarAsync();
        return value is DBNull or null ? default! : (T)value;
    }
}
