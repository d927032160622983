using System.Diagnostics;
using System.Runtime;
using System.Runtime.InteropServices;
using Npgsql;

namespace Normalization.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project tests/Normalization.Benchmarks [-- --quick] [--only 1,4] [--out path] [--in-process-api]
/// [--bulk-only | --append-only] [--api-dll path]</c>: runs the measurements of issue 9 and writes docs/benchmarks.md. <c>--api-dll</c> starts another build of the
/// API (a before/after comparison, docs/benchmarks.md 2b) on a database of its own, its schema applied by its own <c>db-apply</c>.
/// </summary>
public static class BenchMain
{
    public static async Task<int> Main(string[] args)
    {
        var quick = args.Contains("--quick");
        var only = Arg(args, "--only")?.Split(',').Select(int.Parse).ToHashSet();
        var root = BenchEnvironment.RepositoryRoot() ?? Directory.GetCurrentDirectory();
        var output = Arg(args, "--out") ?? Path.Combine(root, "docs", "benchmarks.md");
        var kept = File.Exists(output) ? KeptNotes(await File.ReadAllTextAsync(output)) : null;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        var report = await RunAsync(new BenchOptions(quick) { Only = only, InProcessApi = args.Contains("--in-process-api"),
            Section9Part = args.Contains("--bulk-only") ? "bulk" : args.Contains("--append-only") ? "append" : null, ApiDll = Arg(args, "--api-dll") }, Console.Out,
            r => File.WriteAllText(output, r.ToMarkdown(kept)));
        await File.WriteAllTextAsync(output, report.ToMarkdown(kept));
        Console.WriteLine($"wrote {output}");
        return 0;
    }

    static string? Arg(string[] args, string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;

    static string? KeptNotes(string text) => text.IndexOf(Report.NotesMarker, StringComparison.Ordinal) is var i and >= 0 ? text[(i + Report.NotesMarker.Length)..] : null;

    /// <summary>Runs the measurements and returns the report (the test suite calls this with quick options).</summary>
    public static async Task<Report> RunAsync(BenchOptions options, TextWriter log, Action<Report>? afterEachSection = null)
    {
        var sw = Stopwatch.StartNew();
        var report = new Report { Quick = options.Quick };
        await using var env = await BenchEnvironment.StartAsync(options.InProcessApi || options.Quick, log, options.ApiDll);
        await DescribeMachineAsync(report, env);
        report.Machine.Add(("API under test", env.ApiDescription));
        await new Measurements(env, options, report, log) { SectionDone = () => { report.Seconds = sw.Elapsed.TotalSeconds; afterEachSection?.Invoke(report); } }.RunAllAsync();
        report.Seconds = sw.Elapsed.TotalSeconds;
        return report;
    }

    static async Task DescribeMachineAsync(Report report, BenchEnvironment env)
    {
        var m = report.Machine;
        var cpu = File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name"))?.Split(':', 2)[1].Trim() : null;
        m.Add(("Date (UTC)", report.StartedAt.ToString("yyyy-MM-dd HH:mm")));
        m.Add(("Cores", $"{Environment.ProcessorCount} logical{(cpu is null ? "" : $" ({cpu})")} — shared with other engineers' builds while this ran"));
        var memTotal = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal"))?.Split(':', 2)[1].Trim() : null;
        m.Add(("Memory", memTotal is not null ? $"{long.Parse(memTotal.Split(' ')[0]) / 1024.0 / 1024:F1} GiB" : $"{GC.GetGCMemoryInfo().TotalAvailableMemoryBytes / 1024.0 / 1024 / 1024:F1} GiB"));
        m.Add(("OS", RuntimeInformation.OSDescription));
        m.Add((".NET", $"{RuntimeInformation.FrameworkDescription}, {(GCSettings.IsServerGC ? "server" : "workstation")} GC in the harness; {(IsRelease ? "Release" : "**Debug**")} build"));
        await using var conn = await env.DataSource.OpenConnectionAsync();
        async Task<string> Q(string sql) { await using var c = new NpgsqlCommand(sql, conn); return (await c.ExecuteScalarAsync())?.ToString() ?? ""; }
        m.Add(("PostgreSQL", await Q("select version()")));
        var settings = new List<string>();
        foreach (var name in new[] { "shared_buffers", "synchronous_commit", "fsync", "wal_level", "max_connections", "work_mem", "effective_cache_size", "checkpoint_timeout", "max_wal_size" })
            settings.Add($"{name}={await Q($"show {name}")}");
        m.Add(("PostgreSQL settings", string.Join(", ", settings)));
        m.Add(("PostgreSQL host", $"{conn.Host}:{conn.Port}, same machine (its CPU time counts against the same 2 cores)"));
    }

#if DEBUG
    const bool IsRelease = false;
#else
    const bool IsRelease = true;
#endif
}
