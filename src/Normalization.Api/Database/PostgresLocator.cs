using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Normalization.Api.Database;

/// <summary>Base type of every failure the locator reports as one plain line (no stack trace wanted).</summary>
public class PostgresLocatorException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>Neither a configured server, nor server binaries, nor a Docker engine were found.</summary>
public sealed class PostgresUnavailableException(string message) : PostgresLocatorException(message);

/// <summary>The private cluster or the Docker container could not be initialised, started or reached.</summary>
public sealed class PostgresStartupException(string message, Exception? inner = null) : PostgresLocatorException(message, inner);

/// <summary>
/// The configured connection string cannot be read (not <c>Key=value;…</c>, or a keyword Npgsql does not know): a malformed
/// string ended the process with an unhandled <see cref="ArgumentException"/> and its stack trace (exit 134).
/// </summary>
public sealed class MalformedConnectionStringException(string message) : PostgresLocatorException(message);

/// <summary>How the server was found.</summary>
public enum PostgresSource
{
    Configured,
    PrivateCluster,
    Docker,
}

/// <summary>A reachable server: a connection string to its maintenance database (never logged).</summary>
public sealed record PostgresServer(PostgresSource Source, string MaintenanceConnectionString)
{
    public string Describe()
    {
        var b = new NpgsqlConnectionStringBuilder(MaintenanceConnectionString);
        return $"{Source} server at {b.Host}:{b.Port}";
    }
}

/// <summary>
/// Finds or starts the PostgreSQL server used by the app and by the tests, in this order:
/// <list type="number">
/// <item><c>ConnectionStrings__Normalization</c> (config key <c>ConnectionStrings:Normalization</c>) when set, and nothing else;</item>
/// <item>a private cluster run with the machine's server binaries (PATH and <c>/usr/lib/postgresql/*/bin</c>, or only
/// the folders in <c>NORMALIZATION_PG_BIN_DIRS</c> when that is set), its files under <c>.data/</c> of the checkout
/// (or <c>NORMALIZATION_DATA_DIR</c>), listening on 127.0.0.1:54329 (or <c>NORMALIZATION_PG_PORT</c>);</item>
/// <item><c>docker compose up -d postgres</c> when a Docker engine answers;</item>
/// <item>otherwise a <see cref="PostgresUnavailableException"/> saying what to install.</item>
/// </list>
/// </summary>
public sealed class PostgresLocator
{
    public const string ConnectionStringName = "Normalization";
    public const string ApplicationDatabase = "normalization";
    public const int DefaultPrivatePort = 54329;
    public const string SuperUser = "postgres";

    private const string ConfiguredKey = "ConnectionStrings:" + ConnectionStringName;

    private readonly ILogger _logger;
    private readonly string? _configured;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private PostgresServer? _server;

    public PostgresLocator(IConfiguration? configuration = null, ILogger? logger = null)
    {
        _logger = logger ?? NullLogger.Instance;
        var configured = configuration?[ConfiguredKey]
                         ?? Environment.GetEnvironmentVariable("ConnectionStrings__" + ConnectionStringName);
        _configured = string.IsNullOrWhiteSpace(configured) ? null : configured;
    }

    /// <summary>
    /// Throws <see cref="MalformedConnectionStringException"/> when the configured connection string cannot be read; the
    /// message names the setting and Npgsql's reason (a keyword or a position), never the string itself (it holds a password).
    /// </summary>
    public void ValidateConfigured()
    {
        if (_configured is null) return;
        try { _ = new NpgsqlConnectionStringBuilder(_configured); }
        catch (ArgumentException e)
        {
            var reason = e.InnerException is KeyNotFoundException && e.ParamName is { } keyword ? $"unknown keyword '{keyword}'" : e.Message.Split('\n')[0].Trim();
            throw new MalformedConnectionStringException($"ConnectionStrings__{ConnectionStringName} is not a connection string PostgreSQL's " +
                $"client can read ({reason}): write it as Host=…;Port=5432;Database=…;Username=…;Password=…");
        }
    }

    /// <summary>The connection string from configuration, when one is set.</summary>
    public string? ConfiguredConnectionString => _configured;

    /// <summary>
    /// The connection string the application uses: the configured one as it is, or else database
    /// <paramref name="databaseName"/> on the private cluster or Docker server (created when missing).
    /// </summary>
    public async Task<string> ResolveApplicationConnectionStringAsync(
        string databaseName = ApplicationDatabase, CancellationToken ct = default)
    {
        if (_configured is not null)
        {
            ValidateConfigured();
            var b = new NpgsqlConnectionStringBuilder(_configured);
            _logger.LogInformation(
                "PostgreSQL: using configured connection string ({Key}) -> {Host}:{Port}, database {Database}",
                ConfiguredKey, b.Host, b.Port, b.Database);
            return _configured;
        }

        return await EnsureDatabaseAsync(databaseName, ct);
    }

    /// <summary>Creates <paramref name="databaseName"/> on the located server if it is missing; returns its connection string.</summary>
    public async Task<string> EnsureDatabaseAsync(string databaseName, CancellationToken ct = default)
    {
        ValidateDatabaseName(databaseName);
        var server = await LocateAsync(ct);

        await using (var conn = new NpgsqlConnection(server.MaintenanceConnectionString))
        {
            await conn.OpenAsync(ct);
            await using var exists = new NpgsqlCommand("select 1 from pg_database where datname = @name", conn);
            exists.Parameters.AddWithValue("name", databaseName);
            if (await exists.ExecuteScalarAsync(ct) is null)
            {
                try
                {
                    await using var create = new NpgsqlCommand($"create database \"{databaseName}\"", conn);
                    await create.ExecuteNonQueryAsync(ct);
                    _logger.LogInformation("PostgreSQL: created database {Database}", databaseName);
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DuplicateDatabase)
                {
                    // created concurrently by another process: fine
                }
            }
        }

        var target = new NpgsqlConnectionStringBuilder(server.MaintenanceConnectionString) { Database = databaseName };
        _logger.LogInformation("PostgreSQL: target {Host}:{Port}, database {Database} ({Source})",
            target.Host, target.Port, databaseName, server.Source);
        return target.ConnectionString;
    }

    /// <summary>Drops a database (used by the tests for their throwaway databases).</summary>
    public async Task DropDatabaseAsync(string databaseName, CancellationToken ct = default)
    {
        ValidateDatabaseName(databaseName);
        var server = await LocateAsync(ct);
        NpgsqlConnection.ClearAllPools();
        await using var conn = new NpgsqlConnection(server.MaintenanceConnectionString);
        await conn.OpenAsync(ct);
        await using var drop = new NpgsqlCommand($"drop database if exists \"{databaseName}\" with (force)", conn);
        await drop.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Finds, starts or reuses the server (once per locator instance).</summary>
    public async Task<PostgresServer> LocateAsync(CancellationToken ct = default)
    {
        if (_server is not null) return _server;
        await _gate.WaitAsync(ct);
        try
        {
            _server ??= await LocateCoreAsync(ct);
            return _server;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<PostgresServer> LocateCoreAsync(CancellationToken ct)
    {
        if (_configured is not null)
        {
            ValidateConfigured();
            var b = new NpgsqlConnectionStringBuilder(_configured);
            _logger.LogInformation("PostgreSQL: using configured connection string ({Key}) -> {Host}:{Port}",
                ConfiguredKey, b.Host, b.Port);
            return new PostgresServer(PostgresSource.Configured, _configured);
        }

        var binaries = PostgresBinaries.FindAll();
        if (binaries.Count > 0)
        {
            return await new PrivateCluster(_logger).StartAsync(binaries, ct);
        }

        if (await DockerPostgres.AnswersAsync(ct))
        {
            return await DockerPostgres.StartAsync(_logger, ct);
        }

        throw new PostgresUnavailableException(
            "PostgreSQL is needed but none was found: install the server binaries (`apt-get install postgresql`) " +
            "or Docker with a running engine, or set ConnectionStrings__Normalization to an existing server.");
    }

    private static void ValidateDatabaseName(string databaseName)
    {
        if (!Regex.IsMatch(databaseName, @"\A[a-z_][a-z0-9_]{0,62}\z"))
        {
            throw new ArgumentException($"Unsupported database name '{databaseName}' (use lower-case letters, digits, _).", nameof(databaseName));
        }
    }
}
