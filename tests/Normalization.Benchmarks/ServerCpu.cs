using Npgsql;

namespace Normalization.Benchmarks;

/// <summary>
/// CPU time of the PostgreSQL cluster the benchmark runs on (user + system, from <c>/proc</c>): the postmaster's own and
/// its exited children's (<c>cutime</c>, <c>cstime</c>) plus every live child's — backends, WAL writer, checkpointer.
/// So a phase's server work can be told apart from the wall clock on a shared machine. Linux only (null elsewhere).
/// </summary>
public sealed class ServerCpu
{
    readonly int _postmaster;
    static readonly double Tick = 1.0 / 100; // USER_HZ: 100 on Linux

    ServerCpu(int postmaster) => _postmaster = postmaster;

    /// <summary>The probe of the cluster <paramref name="dataSource"/> connects to, or null when its processes cannot be read.</summary>
    public static async Task<ServerCpu?> OfAsync(NpgsqlDataSource dataSource)
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            await using var conn = await dataSource.OpenConnectionAsync();
            await using var cmd = new NpgsqlCommand("select current_setting('data_directory')", conn);
            var dir = (string)(await cmd.ExecuteScalarAsync())!;
            var pid = int.Parse(File.ReadLines(Path.Combine(dir, "postmaster.pid")).First().Trim());
            return File.Exists($"/proc/{pid}/stat") ? new ServerCpu(pid) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PostgresException or FormatException) { return null; }
    }

    /// <summary>Seconds of CPU the cluster has used so far.</summary>
    public double Seconds()
    {
        long ticks = 0;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            string stat;
            try { stat = File.ReadAllText(Path.Combine(dir, "stat")); } catch (IOException) { continue; } catch (UnauthorizedAccessException) { continue; }
            // Fields after the command name (which may hold spaces): state ppid … utime(14) stime(15) cutime(16) cstime(17).
            var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ppid = int.Parse(f[1]);
            if (pid == _postmaster) ticks += long.Parse(f[11]) + long.Parse(f[12]) + long.Parse(f[13]) + long.Parse(f[14]);
            else if (ppid == _postmaster) ticks += long.Parse(f[11]) + long.Parse(f[12]);
        }
        return ticks * Tick;
    }
}
