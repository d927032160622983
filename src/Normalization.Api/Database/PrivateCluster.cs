using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using static Normalization.Api.Database.PostgresLocator;

namespace Normalization.Api.Database;

/// <summary>
/// The private cluster run with the machine's server binaries, its files under <see cref="ClusterFolders.ResolveDataRoot"/>,
/// listening on 127.0.0.1:54329 (or <c>NORMALIZATION_PG_PORT</c>, the next free of ten); run as the postgres OS user when we are root.
/// </summary>
internal sealed class PrivateCluster(ILogger logger)
{
    static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(3);

    /// <summary>
    /// Starts (or reuses) the cluster with the newest of <paramref name="all"/> that fits it, initialising it on first use; under a
    /// file lock, so two processes starting at once share one cluster. Throws <see cref="PostgresStartupException"/> with the tool's last line.
    /// </summary>
    public async Task<PostgresServer> StartAsync(IReadOnlyList<ServerBinaries> all, CancellationToken ct)
    {
        var asRoot = Environment.UserName == "root" || IsRoot();
        var preferred = ClusterFolders.ResolveDataRoot();
        var root = ClusterFolders.ChooseDataRoot(preferred, asRoot, !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("NORMALIZATION_DATA_DIR")),
            dir => ProcessRunner.RunAsync("test", ["-x", dir], true, TimeSpan.FromSeconds(10), CancellationToken.None).GetAwaiter().GetResult().ExitCode == 0);
        if (root != preferred)
            logger.LogInformation("PostgreSQL: the '{User}' OS user cannot reach {Preferred}; keeping the private cluster in {Root} instead (NORMALIZATION_DATA_DIR chooses)",
                SuperUser, preferred, root);
        var paths = new ClusterPaths(root);
        Directory.CreateDirectory(paths.Root);

        await using var _ = await AcquireLockAsync(paths.Lock, ct);

        PrepareHome(paths, asRoot);
        var password = EnsurePassword(paths, asRoot);
        var bin = PostgresBinaries.ChooseFor(all, paths);

        if (!File.Exists(Path.Combine(paths.Data, "PG_VERSION")))
        {
            logger.LogInformation("PostgreSQL: initialising private cluster in {Data} with {Version}", paths.Data, bin.VersionText);
            var init = await ProcessRunner.RunAsync(bin.InitDb,
                ["-D", paths.Data, "-U", SuperUser, "--pwfile=" + paths.PasswordFile, "--auth=scram-sha-256",
                 "-E", "UTF8", "--locale=C"],
                asRoot, TimeSpan.FromMinutes(2), ct);
            if (init.ExitCode != 0)
            {
                throw new PostgresStartupException(
                    $"initdb failed (exit {init.ExitCode}) for {paths.Data}: {ProcessRunner.LastLine(init.Output)}");
            }
        }

        int port;
        var status = await ProcessRunner.RunAsync(bin.PgCtl, ["status", "-D", paths.Data], asRoot, TimeSpan.FromSeconds(20), ct);
        if (status.ExitCode == 0 && ReadRunningPort(paths) is { } runningPort)
        {
            port = runningPort;
            logger.LogInformation("PostgreSQL: reusing the private cluster already running on 127.0.0.1:{Port}", port);
        }
        else
        {
            port = ChoosePort();
            // Unix socket paths are limited to ~107 bytes; when the checkout is deep, listen on TCP only.
            var socketDir = paths.Run.Length < 90 ? paths.Run : "";
            var options = $"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='{socketDir}'";
            logger.LogInformation("PostgreSQL: starting the private cluster ({Version}) on 127.0.0.1:{Port}, log {Log}",
                bin.VersionText, port, paths.Log);
            var start = await ProcessRunner.RunAsync(bin.PgCtl,
                ["start", "-D", paths.Data, "-l", paths.Log, "-o", options, "-w", "-t", "60"],
                asRoot, TimeSpan.FromSeconds(90), ct);
            if (start.ExitCode != 0)
            {
                throw new PostgresStartupException(
                    $"pg_ctl start failed (exit {start.ExitCode}); see {paths.Log}: {ProcessRunner.LastLine(start.Output)}");
            }
        }

        var cs = ServerReadiness.MaintenanceConnectionString("127.0.0.1", port, password);
        await ServerReadiness.WaitUntilReachableAsync(cs, TimeSpan.FromSeconds(30), ct);
        logger.LogInformation("PostgreSQL: private cluster ready at 127.0.0.1:{Port} (data {Data})", port, paths.Data);
        return new PostgresServer(PostgresSource.PrivateCluster, cs);
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
            var chown = ProcessRunner.RunAsync("chown", ["-R", $"{SuperUser}:", paths.Home], false, TimeSpan.FromSeconds(30), CancellationToken.None)
                .GetAwaiter().GetResult();
            if (chown.ExitCode != 0)
            {
                throw new PostgresStartupException(
                    $"Cannot hand {paths.Home} to the '{SuperUser}' OS user (does it exist? `apt-get install postgresql` creates it): {ProcessRunner.LastLine(chown.Output)}");
            }

            var reach = ProcessRunner.RunAsync("test", ["-w", paths.Home], true, TimeSpan.FromSeconds(10), CancellationToken.None)
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
                ProcessRunner.RunAsync("chown", [$"{SuperUser}:", paths.PasswordFile], false, TimeSpan.FromSeconds(10), CancellationToken.None)
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
            logger.LogWarning("PostgreSQL: port {Port} on 127.0.0.1 is taken by another program; trying the next one", port);
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
}
