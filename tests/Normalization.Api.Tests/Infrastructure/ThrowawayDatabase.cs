using Microsoft.Extensions.Logging.Abstractions;
using Normalization.Api.Database;

namespace Normalization.Api.Tests.Infrastructure;

/// <summary>An empty database of its own on the tests' server (superuser connection string), dropped at the end.</summary>
public sealed class ThrowawayDatabase : IAsyncDisposable
{
    readonly PostgresLocator _locator = new(configuration: null, NullLogger<PostgresLocator>.Instance);
    readonly string _name = $"normalization_test_{Guid.NewGuid():N}"[..27];
    public string ConnectionString { get; private set; } = "";

    /// <summary>The database's name.</summary>
    public string Name => _name;

    public static async Task<ThrowawayDatabase> CreateAsync()
    {
        var d = new ThrowawayDatabase();
        d.ConnectionString = await d._locator.EnsureDatabaseAsync(d._name);
        return d;
    }

    public async Task<List<string>> TablesAsync()
    {
        await using var conn = new Npgsql.NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand("select table_name from information_schema.tables where table_schema = 'public'", conn);
        var names = new List<string>();
        await using var reader = await cmd.ExecuteReaderAsync();
        while (await reader.ReadAsync()) names.Add(reader.GetString(0));
        return names;
    }

    public async Task ExecuteAsync(string sql)
    {
        await using var conn = new Npgsql.NpgsqlConnection(ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Npgsql.NpgsqlConnection.ClearAllPools();
        try { await _locator.DropDatabaseAsync(_name); }
        catch (Exception e) { Console.Error.WriteLine($"Could not drop test database {_name}: {e.Message}"); }
    }
}
