using System.Collections.Concurrent;
using System.Diagnostics;
using Normalization.Api.Telemetry;

namespace Normalization.Benchmarks;

/// <summary>
/// Where one end append spends its time, from the spans the code already emits: our <c>append</c> span's phase events
/// (NegotiationStore.AppendAsync marks each phase) and Npgsql's command spans beneath it — one per statement sent, so
/// their count is the number of round trips except the commit (Npgsql 10 traces commands and COPY, not
/// <c>COMMIT</c>). The baselines run under a span of this class's own source, so their statements are counted the same
/// way. Listening costs time itself: a profile pass is never one of the measured runs.
/// </summary>
public sealed class AppendProfile : IDisposable
{
    /// <summary>The source of the baselines' spans (<c>bench.insert</c>, <c>bench.marten</c>).</summary>
    public static readonly ActivitySource Source = new("Normalization.Benchmarks");

    readonly ActivityListener _listener;
    readonly ConcurrentDictionary<ActivityTraceId, int> _statements = new();
    readonly Dictionary<string, List<double>> _phases = new();
    readonly List<string> _order = [];
    readonly ConcurrentDictionary<string, List<int>> _roundTrips = new();

    public AppendProfile()
    {
        // Source first: created inside ShouldListenTo (lazily, while this listener is being added) it would never be listened to.
        var own = Source;
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Npgsql" or TelemetrySetup.SourceName || s == own,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = Stopped,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    void Stopped(Activity a)
    {
        if (a.Source.Name == "Npgsql") { _statements.AddOrUpdate(a.TraceId, 1, (_, n) => n + 1); return; }
        // The operations profiled; a nested span of ours (refold, head-from-checkpoint) counts its statements for its root.
        var kind = a.OperationName;
        if (kind == "append-group") { lock (_phases) Phases(a, kind); return; } // the group's write, inside an append's trace: its phases only
        if (kind is not ("append" or "refold" or "state-known-at" or "checkpoints-complete" or "bench.bulk" or "bench.insert" or "bench.marten")) return;
        _statements.TryRemove(a.TraceId, out var n);
        lock (_roundTrips) _roundTrips.GetOrAdd(kind, _ => []).Add(n);
        if (kind is not ("append" or "refold" or "state-known-at" or "checkpoints-complete" or "bench.bulk")) return;
        lock (_phases) Phases(a, kind);
    }

    /// <summary>Records the time between <paramref name="a"/>'s phase events (and its whole duration) under <paramref name="kind"/>; under the lock.</summary>
    void Phases(Activity a, string kind)
    {
        var at = a.StartTimeUtc;
        foreach (var e in a.Events)
        {
            Phase(kind, e.Name).Add((e.Timestamp.UtcDateTime - at).TotalMilliseconds);
            at = e.Timestamp.UtcDateTime;
        }
        Phase(kind, "(whole)").Add(a.Duration.TotalMilliseconds);
    }

    List<double> Phase(string kind, string name)
    {
        // A phase's name may carry a count ("ids checked, 200000 fresh"): the words before the comma name it.
        var key = kind + "|" + name.Split(',')[0];
        if (!_phases.TryGetValue(key, out var l)) { _phases[key] = l = []; _order.Add(key); }
        return l;
    }

    /// <summary>Median statements sent per operation of <paramref name="kind"/> (span name: append, bench.insert, bench.marten).</summary>
    public double StatementsPer(string kind) => _roundTrips.TryGetValue(kind, out var l) && l.Count > 0 ? Percentile.Of(l.Select(x => (double)x).ToList(), 50) : double.NaN;

    /// <summary>Median milliseconds of each phase of spans named <paramref name="kind"/> (time since the previous phase event), in the order first seen.</summary>
    public IReadOnlyList<(string Phase, double Ms)> Phases(string kind = "append")
    {
        lock (_phases) return _order.Where(p => p.StartsWith(kind + "|", StringComparison.Ordinal)).Select(p => (p[(kind.Length + 1)..], Percentile.Of(_phases[p], 50))).ToList();
    }

    public void Dispose() => _listener.Dispose();
}
