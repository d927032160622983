using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Normalization.Api.Storage;
using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Stages;

namespace Normalization.Benchmarks;

/// <summary>
/// BenchmarkDotNet's view of the in-process work of section 1 (the same synthetic history): deserializing stored events is the
/// baseline (Ratio = 1), then deserialize + fold, the fold alone, and packing / unpacking the resulting checkpoint.
/// Runs in this process (in-process emit toolchain: no per-benchmark project build), so it fits in the one command.
/// </summary>
[MemoryDiagnoser]
public class FoldBenchmarks
{
    /// <summary>Events in the history (set before the run: BenchmarkDotNet creates the instance).</summary>
    public static int Events { get; set; } = 100_000;

    (string Type, string Json)[] _stored = [];
    List<NegotiationEvent> _events = [];
    NegotiationOpened _opening = new();
    DateOnly _last;
    FoldAccumulator _head = new();
    byte[] _packed = [];

    [GlobalSetup]
    public void Setup()
    {
        var h = SyntheticHistory.Generate("bdn", Events);
        _opening = h.Opening;
        _events = h.Events.ToList();
        _stored = _events.Select(e => (e.Type, JsonSerializer.Serialize(e, e.GetType(), EventJson.Options))).ToArray();
        _last = _events.Max(e => e.Date);
        _head = NegotiationFold.FoldAll(_opening, _events);
        _packed = CheckpointPacking.Pack(_head);
    }

    [Benchmark(Baseline = true, Description = "deserialize every event")]
    public int DeserializeOnly()
    {
        var n = 0;
        foreach (var (type, json) in _stored) n += EventJson.Deserialize(type, json).OccurredOn.Year;
        return n;
    }

    [Benchmark(Description = "deserialize + fold + state")]
    public Stage DeserializeAndFold()
    {
        var list = new List<NegotiationEvent>(_stored.Length);
        foreach (var (type, json) in _stored) list.Add(EventJson.Deserialize(type, json));
        return NegotiationFold.FoldAll(_opening, list).StateAt(_last).Stage;
    }

    [Benchmark(Description = "fold + state (events in memory)")]
    public Stage FoldOnly() => NegotiationFold.FoldAll(_opening, _events).StateAt(_last).Stage;

    [Benchmark(Description = "pack the final checkpoint")]
    public int Pack() => CheckpointPacking.Pack(_head).Length;

    [Benchmark(Description = "unpack it + state")]
    public Stage Unpack() => CheckpointPacking.Unpack(_packed).StateAt(_last).Stage;

    /// <summary>Runs the class and returns BenchmarkDotNet's GitHub-flavoured summary (environment + table).</summary>
    public static string Run(int events, bool quick, TextWriter log)
    {
        Events = events;
        var job = (quick ? Job.Dry : Job.Default.WithLaunchCount(1).WithWarmupCount(2).WithIterationCount(7))
            .WithToolchain(new InProcessEmitToolchain(TimeSpan.FromMinutes(20), logOutput: false));
        var runLog = new AccumulationLogger();
        var config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddLogger(runLog)
            .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "normalization-bdn"))
            // The test suite runs --quick from a Debug build: allowed, the figures of quick mode mean nothing anyway.
            .WithOptions(ConfigOptions.DisableOptimizationsValidator | ConfigOptions.JoinSummary);
        var summary = BenchmarkRunner.Run<FoldBenchmarks>(config);
        if (summary.HasCriticalValidationErrors || summary.Reports.Any(r => !r.Success))
            throw new InvalidOperationException("BenchmarkDotNet failed:\n" + runLog.GetLog());
        var markdown = new AccumulationLogger();
        MarkdownExporter.GitHub.ExportToLog(summary, markdown);
        log.WriteLine($"   BenchmarkDotNet: {summary.Reports.Length} benchmarks in {summary.TotalTime.TotalSeconds:F0} s");
        return markdown.GetLog().Replace("&#39;", ""); // the exporter HTML-escapes the quotes around descriptions
    }
}
