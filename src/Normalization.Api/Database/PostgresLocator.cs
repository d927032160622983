using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
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
    private const string DockerDefaultPassword = "normalization";
    private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(3);

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
            var b = new NpgsqlConnectionStringBuilder(_configured);
            _logger.LogInformation("PostgreSQL: using configured connection string ({Key}) -> {Host}:{Port}",
                ConfiguredKey, b.Host, b.Port);
            return new PostgresServer(PostgresSource.Configured, _configured);
        }

        var binaries = FindServerBinaries();
        if (binaries.Count > 0)
        {
            return await StartPrivateClusterAsync(binaries, ct);
        }

        if (await DockerAnswersAsync(ct))
        {
            return await StartDockerAsync(ct);
        }

        throw new PostgresUnavailableException(
            "PostgreSQL is needed but none was found: install the server binaries (`apt-get install postgresql`) " +
            "or Docker with a running engine, or set ConnectionStrings__Normalization to an existing server.");
    }

    // ---------------------------------------------------------------- private cluster

    /// <summary>A folder holding initdb and pg_ctl, with the major version they report.</summary>
    public sealed record ServerBinaries(string Directory, int MajorVersion, string VersionText)
    {
        public string InitDb => Path.Combine(Directory, "initdb");
        public string PgCtl => Path.Combine(Directory, "pg_ctl");
    }

    /// <summary>Every folder with initdb + pg_ctl, newest major version first.</summary>
    public static IReadOnlyList<ServerBinaries> FindServerBinaries()
    {
        var candidates = new List<string>();
        var overrideDirs = Environment.GetEnvironmentVariable("NORMALIZATION_PG_BIN_DIRS");
        if (overrideDirs is not null)
        {
            candidates.AddRange(overrideDirs.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        }
        else
        {
            candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? "")
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
            const string debianRoot = "/usr/lib/postgresql";
            if (System.IO.Directory.Exists(debianRoot))
            {
                candidates.AddRange(System.IO.Directory.GetDirectories(debianRoot).Select(d => Path.Combine(d, "bin")));
            }
        }

        var found = new Dictionary<string, ServerBinaries>(StringComparer.Ordinal);
        foreach (var dir in candidates)
        {
            var initdb = Path.Combine(dir, "initdb");
            if (!File.Exists(initdb)) continue;
            // Follow symlinks (e.g. /usr/local/bin/initdb -> /usr/lib/postgresql/15/bin/initdb): pg_ctl must
            // sit beside the real initdb and the postgres binary.
            var realDir = Path.GetDirectoryName(ResolveLinks(initdb))!;
            if (found.ContainsKey(realDir)) continue;
            if (!File.Exists(Path.Combine(realDir, "pg_ctl")) || !File.Exists(Path.Combine(realDir, "postgres"))) continue;
            var version = TryReadVersion(Path.Combine(realDir, "pg_ctl"));
            if (version is null) continue;
            found[realDir] = new ServerBinaries(realDir, version.Value.Major, "PostgreSQL " + version.Value.Text);
        }

        return found.Values.OrderByDescending(b => b.MajorVersion).ToList();
    }

    private static string ResolveLinks(string path)
    {
        try
        {
            var target = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true);
            return target?.FullName ?? Path.GetFullPath(path);
        }
        catch (IOException)
        {
            return Path.GetFullPath(path);
        }
    }

    private static (int Major, string Text)? TryReadVersion(string pgCtl)
    {
        try
        {
            var result = RunAsync(pgCtl, ["--version"], asPostgresUser: false, TimeSpan.FromSeconds(10), CancellationToken.None)
                .GetAwaiter().GetResult();
            var m = Regex.Match(result.Output, @"\(PostgreSQL\)\s+(([0-9]+)(\.[0-9]+)?)");
            return result.ExitCode == 0 && m.Success ? (int.Parse(m.Groups[2].Value), m.Groups[1].Value) : null;
        }
        catch (Exception)
        {
            return null;
        }
    }

    /// <summary>The folder of the checkout (holding Normalization.sln), or null outside one.</summary>
    public static string? FindCheckoutRoot()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Normalization.sln"))) return dir.FullName;
            }
        }

        return null;
    }

    /// <summary>The folder for the private cluster's files: NORMALIZATION_DATA_DIR, or .data of the checkout.</summary>
    public static string ResolveDataRoot()
    {
        var overridden = Environment.GetEnvironmentVariable("NORMALIZATION_DATA_DIR");
        if (!string.IsNullOrWhiteSpace(overridden)) return Path.GetFullPath(overridden);
        var root = FindCheckoutRoot()
                   ?? throw new PostgresStartupException(
                       "Cannot find the checkout (no Normalization.sln above the app or the current folder) to keep the " +
                       "private PostgreSQL cluster in: set NORMALIZATION_DATA_DIR or ConnectionStrings__Normalization.");
        return Path.Combine(root, ".data");
    }

    private sealed record ClusterPaths(string Root)
    {
        public string Home => Path.Combine(Root, "postgres");          // owned by the postgres OS user when root
        public string Data => Path.Combine(Home, "data");               // PGDATA
        public string Run => Path.Combine(Home, "run");                 // unix socket folder
        public string Log => Path.Combine(Home, "postgres.log");
        public string PasswordFile => Path.Combine(Home, "superuser.password"); // mode 600
        public string Lock => Path.Combine(Root, "postgres.lock");
    }

    /// <summary>
    /// Where the private cluster lives: <paramref name="preferred"/> (the checkout's <c>.data</c>) unless, running as root
    /// without <c>NORMALIZATION_DATA_DIR</c>, the postgres OS user cannot traverse its folders (a clone under /root, or in a
    /// private temp folder): then a folder of its own under <paramref name="shared"/> (default /var/tmp), named after the
    /// checkout so two checkouts keep two clusters.
    /// </summary>
    public static string ChooseDataRoot(string preferred, bool asRoot, bool overridden, Func<string, bool> postgresCanTraverse, string shared = "/var/tmp")
    {
        if (!asRoot || overridden) return preferred;
        var existing = new DirectoryInfo(preferred);
        while (existing is not null && !existing.Exists) existing = existing.Parent;
        if (existing is null || postgresCanTraverse(existing.FullName)) return preferred;
        var hash = Convert.ToHexString(SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(preferred))))[..8].ToLowerInvariant();
        return Path.Combine(shared, $"normalization-{hash}");
    }

    private async Task<PostgresServer> StartPrivateClusterAsync(IReadOnlyList<ServerBinaries> all, CancellationToken ct)
    {
        var asRoot = Environment.UserName == "root" || IsRoot();
        var preferred = ResolveDataRoot();
        var root = ChooseDataRoot(preferred, asRoot, !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("NORMALIZATION_DATA_DIR")),
            dir => RunAsync("test", ["-x", dir], true, TimeSpan.FromSeconds(10), CancellationToken.None).GetAwaiter().GetResult().ExitCode == 0);
        if (root != preferred)
            _logger.LogInformation("PostgreSQL: the '{User}' OS user cannot reach {Preferred}; keeping the private cluster in {Root} instead (NORMALIZATION_DATA_DIR chooses)",
                SuperUser, preferred, root);
        var paths = new ClusterPaths(root);
        Directory.CreateDirectory(paths.Root);

        await using var _ = await AcquireLockAsync(paths.Lock, ct);

        PrepareHome(paths, asRoot);
        var password = EnsurePassword(paths, asRoot);
        var bin = ChooseBinaries(all, paths);

        if (!File.Exists(Path.Combine(paths.Data, "PG_VERSION")))
        {
            _logger.LogInformation("PostgreSQL: initialising private cluster in {Data} with {Version}", paths.Data, bin.VersionText);
            var init = await RunAsync(bin.InitDb,
                ["-D", paths.Data, "-U", SuperUser, "--pwfile=" + paths.PasswordFile, "--auth=scram-sha-256",
                 "-E", "UTF8", "--locale=C"],
                asRoot, TimeSpan.FromMinutes(2), ct);
            if (init.ExitCode != 0)
            {
                throw new PostgresStartupException(
                    $"initdb failed (exit {init.ExitCode}) for {paths.Data}: {LastLine(init.Output)}");
            }
        }

        int port;
        var status = await RunAsync(bin.PgCtl, ["status", "-D", paths.Data], asRoot, TimeSpan.FromSeconds(20), ct);
        if (status.ExitCode == 0 && ReadRunningPort(paths) is { } runningPort)
        {
            port = runningPort;
            _logger.LogInformation("PostgreSQL: reusing the private cluster already running on 127.0.0.1:{Port}", port);
        }
        else
        {
            port = ChoosePort();
            // Unix socket paths are limited to ~107 bytes; when the checkout is deep, listen on TCP only.
            var socketDir = paths.Run.Length < 90 ? paths.Run : "";
            var options = $"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='{socketDir}'";
            _logger.LogInformation("PostgreSQL: starting the private cluster ({Version}) on 127.0.0.1:{Port}, log {Log}",
                bin.VersionText, port, paths.Log);
            var start = await RunAsync(bin.PgCtl,
                ["start", "-D", paths.Data, "-l", paths.Log, "-o", options, "-w", "-t", "60"],
                asRoot, TimeSpan.FromSeconds(90), ct);
            if (start.ExitCode != 0)
            {
                throw new PostgresStartupException(
                    $"pg_ctl start failed (exit {start.ExitCode}); see {paths.Log}: {LastLine(start.Output)}");
            }
        }

        var cs = new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = port,
            Username = SuperUser,
            Password = password,
            Database = "postgres",
            Timeout = 5,
        }.ConnectionString;
        await WaitUntilReachableAsync(cs, TimeSpan.FromSeconds(30), ct);
        _logger.LogInformation("PostgreSQL: private cluster ready at 127.0.0.1:{Port} (data {Data})", port, paths.Data);
        return new PostgresServer(PostgresSource.PrivateCluster, cs);
    }

    private static ServerBinaries ChooseBinaries(IReadOnlyList<ServerBinaries> all, ClusterPaths paths)
    {
        var versionFile = Path.Combine(paths.Data, "PG_VERSION");
        if (!File.Exists(versionFile)) return all[0];
        var existing = int.Parse(File.ReadAllText(versionFile).Trim().Split('.')[0]);
        return all.FirstOrDefault(b => b.MajorVersion == existing)
               ?? throw new PostgresStartupException(
                   $"The private cluster in {paths.Data} was made by PostgreSQL {existing}, whose server binaries are " +
                   $"no longer installed (found {string.Join(", ", all.Select(b => b.MajorVersion))}); " +
                   $"install postgresql-{existing} or wipe it with `rm -rf {paths.Root}`.");
    }

    private static bool IsRoot()
    {
        try
        {
            return File.ReadAllLines("/proc/self/status")
                .FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal))
                ?.Split('\t', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1) == "0";
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static void PrepareHome(ClusterPaths paths, bool asRoot)
    {
        Directory.CreateDirectory(paths.Home);
        Directory.CreateDirectory(paths.Run);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(paths.Home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        if (asRoot)
        {
            // initdb and postgres refuse to run as root: the server runs as the postgres OS user, which must own
            // its folders (and be able to reach them).
            var chown = RunAsync("chown", ["-R", $"{SuperUser}:", paths.Home], false, TimeSpan.FromSeconds(30), CancellationToken.None)
                .GetAwaiter().GetResult();
            if (chown.ExitCode != 0)
            {
                throw new PostgresStartupException(
                    $"Cannot hand {paths.Home} to the '{SuperUser}' OS user (does it exist? `apt-get install postgresql` creates it): {LastLine(chown.Output)}");
            }

            var reach = RunAsync("test", ["-w", paths.Home], true, TimeSpan.FromSeconds(10), CancellationToken.None)
                .GetAwaiter().GetResult();
            if (reach.ExitCode != 0)
            {
                throw new PostgresStartupException(
                    $"The '{SuperUser}' OS user cannot reach {paths.Home} (a parent folder is not traversable); " +
                    "set NORMALIZATION_DATA_DIR to a folder it can reach, e.g. /var/tmp/normalization.");
            }
        }
    }

    private static string EnsurePassword(ClusterPaths paths, bool asRoot)
    {
        if (!File.Exists(paths.PasswordFile))
        {
            var password = Convert.ToHexString(RandomNumberGenerator.GetBytes(24)).ToLowerInvariant();
            var options = new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
            };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var stream = new FileStream(paths.PasswordFile, options))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(password);
            }

            if (asRoot)
            {
                RunAsync("chown", [$"{SuperUser}:", paths.PasswordFile], false, TimeSpan.FromSeconds(10), CancellationToken.None)
                    .GetAwaiter().GetResult();
            }
        }

        return File.ReadAllText(paths.PasswordFile).Trim();
    }

    private static int? ReadRunningPort(ClusterPaths paths)
    {
        // postmaster.pid: line 4 is the port.
        var pidFile = Path.Combine(paths.Data, "postmaster.pid");
        try
        {
            var lines = File.ReadAllLines(pidFile);
            return lines.Length > 3 && int.TryParse(lines[3].Trim(), out var port) ? port : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    private int ChoosePort()
    {
        var preferred = int.TryParse(Environment.GetEnvironmentVariable("NORMALIZATION_PG_PORT"), out var p) ? p : DefaultPrivatePort;
        for (var port = preferred; port < preferred + 10; port++)
        {
            if (PortIsFree(port)) return port;
            _logger.LogWarning("PostgreSQL: port {Port} on 127.0.0.1 is taken by another program; trying the next one", port);
        }

        throw new PostgresStartupException(
            $"Ports {preferred}-{preferred + 9} on 127.0.0.1 are all taken; set NORMALIZATION_PG_PORT to a free port.");
    }

    private static bool PortIsFree(int port)
    {
        try
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task<IAsyncDisposable> AcquireLockAsync(string path, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + LockTimeout;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(200, ct);
            }
            catch (IOException e)
            {
                throw new PostgresStartupException($"Timed out waiting for the lock {path} held by another process.", e);
            }
        }
    }

    private static async Task WaitUntilReachableAsync(string cs, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                await using var conn = new NpgsqlConnection(cs);
                await conn.OpenAsync(ct);
                return;
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InvalidPassword or PostgresErrorCodes.InvalidAuthorizationSpecification)
            {
                var b = new NpgsqlConnectionStringBuilder(cs);
                throw new PostgresStartupException(
                    $"The server on {b.Host}:{b.Port} refused our credentials ({e.SqlState}): is another PostgreSQL " +
                    "using that port? Stop it or set NORMALIZATION_PG_PORT.", e);
            }
            catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException && DateTime.UtcNow < deadline)
            {
                await Task.Delay(500, ct);
            }
            catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException)
            {
                var b = new NpgsqlConnectionStringBuilder(cs);
                throw new PostgresStartupException($"PostgreSQL on {b.Host}:{b.Port} did not answer within {timeout.TotalSeconds:0} s: {e.Message}", e);
            }
        }
    }

    // ---------------------------------------------------------------- docker

    private static async Task<bool> DockerAnswersAsync(CancellationToken ct)
    {
        try
        {
            var info = await RunAsync("docker", ["info"], false, TimeSpan.FromSeconds(15), ct);
            return info.ExitCode == 0;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or TimeoutException)
        {
            return false;
        }
    }

    private async Task<PostgresServer> StartDockerAsync(CancellationToken ct)
    {
        var root = FindCheckoutRoot()
                   ?? throw new PostgresStartupException("Docker answers, but no checkout with docker-compose.yml was found.");
        _logger.LogInformation("PostgreSQL: no server binaries found; starting the docker compose service 'postgres' (localhost:5432)");
        var up = await RunAsync("docker", ["compose", "up", "-d", "postgres"], false, TimeSpan.FromMinutes(5), ct, root);
        if (up.ExitCode != 0)
        {
            throw new PostgresStartupException($"`docker compose up -d postgres` failed (exit {up.ExitCode}): {LastLine(up.Output)}");
        }

        var password = Environment.GetEnvironmentVariable("NORMALIZATION_PG_PASSWORD") is { Length: > 0 } pw ? pw : DockerDefaultPassword;
        var cs = new NpgsqlConnectionStringBuilder
        {
            Host = "localhost",
            Port = 5432,
            Username = SuperUser,
            Password = password,
            Database = "postgres",
            Timeout = 5,
        }.ConnectionString;
        await WaitUntilReachableAsync(cs, TimeSpan.FromSeconds(90), ct);
        _logger.LogInformation("PostgreSQL: docker container ready at localhost:5432");
        return new PostgresServer(PostgresSource.Docker, cs);
    }

    // ---------------------------------------------------------------- processes

    private sealed record RunResult(int ExitCode, string Output);

    private static async Task<RunResult> RunAsync(
        string file, IReadOnlyList<string> args, bool asPostgresUser, TimeSpan timeout, CancellationToken ct,
        string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? "/",
        };
        if (asPostgresUser)
        {
            psi.FileName = "runuser";
            psi.ArgumentList.Add("-u");
            psi.ArgumentList.Add(SuperUser);
            psi.ArgumentList.Add("--");
            psi.ArgumentList.Add(file);
        }
        else
        {
            psi.FileName = file;
        }

        foreach (var a in args) psi.ArgumentList.Add(a);
        // Do not leak our connection settings into child processes.
        psi.Environment.Remove("PGPASSWORD");

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {file}");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            throw new TimeoutException($"{file} {string.Join(' ', args)} took longer than {timeout.TotalSeconds:0} s");
        }

        return new RunResult(process.ExitCode, (await stdout) + (await stderr));
    }

    private static string LastLine(string output) =>
        output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "(no output)";

    private static void ValidateDatabaseName(string databaseName)
    {
        if (!Regex.IsMatch(databaseName, @"\A[a-z_][a-z0-9_]{0,62}\z"))
        {
            throw new ArgumentException($"Unsupported database name '{databaseName}' (use lower-case letters, digits, _).", nameof(databaseName));
        }
    }
}
