using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Normalization.Reliability;

/// <summary>
/// A throwaway PostgreSQL cluster of its own (initdb into a temp folder, its own loopback port, trust auth on 127.0.0.1 only),
/// run as the postgres OS user when we are root. Stopping it (even with -m immediate) disturbs nothing else.
/// </summary>
public sealed class Cluster : IAsyncDisposable
{
    public string Root { get; }
    public string Data => Path.Combine(Root, "data");
    public string Log => Path.Combine(Root, "postgres.log");
    public int Port { get; }
    readonly string _bin;
    readonly bool _asRoot = Environment.UserName == "root";

    Cluster(string root, int port, string bin) { Root = root; Port = port; _bin = bin; }

    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Timeout=5;Pooling=true";

    public static async Task<Cluster> CreateAsync()
    {
        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "pg_ctl"))).OrderDescending().FirstOrDefault()
            : null;
        bin ??= Path.GetDirectoryName(Which("pg_ctl") ?? throw new InvalidOperationException("No PostgreSQL server binaries (pg_ctl) found."))!;
        var root = Path.Combine(Path.GetTempPath(), $"nz-reliability-{Guid.NewGuid():N}"[..30]);
        Directory.CreateDirectory(root);
        var c = new Cluster(root, FreePort(), bin);
        if (c._asRoot) await Run("chown", ["-R", "postgres:", root], false);
        await c.Pg("initdb", ["-D", c.Data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C"]);
        await c.StartAsync();
        await using (var conn = new NpgsqlConnection(c.ConnectionString("postgres")))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("create database normalization_reliability", conn);
            await cmd.ExecuteNonQueryAsync();
        }
        return c;
    }

    public Task StartAsync() => Pg("pg_ctl", ["start", "-D", Data, "-l", Log, "-w", "-t", "60",
        "-o", $"-p {Port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=200"]);

    /// <summary>The fault: stop at once, no checkpoint, as a crash would (recovery replays the WAL on the next start).</summary>
    public Task StopImmediateAsync() => Pg("pg_ctl", ["stop", "-D", Data, "-m", "immediate", "-w"]);

    async Task Pg(string tool, string[] args)
    {
        var (code, output) = await Run(Path.Combine(_bin, tool), args, _asRoot);
        if (code != 0) throw new InvalidOperationException($"{tool} {string.Join(' ', args)} failed ({code}): {output}");
    }

    static async Task<(int, string)> Run(string file, string[] args, bool asPostgres)
    {
        var psi = new ProcessStartInfo(asPostgres ? "runuser" : file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        if (asPostgres) { psi.ArgumentList.Add("-u"); psi.ArgumentList.Add("postgres"); psi.ArgumentList.Add("--"); psi.ArgumentList.Add(file); }
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await p.WaitForExitAsync(cts.Token);
        return (p.ExitCode, await output + await error);
    }

    static string? Which(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    public static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        try { await StopImmediateAsync(); } catch (Exception) { /* already down */ }
        try { Directory.Delete(Root, recursive: true); } catch (Exception) { /* leave it */ }
    }
}
