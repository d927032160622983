using System.Globalization;
using System.Text;
using Normalization.Domain.Catalog;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Stages;
using Normalization.Domain.Validation;

namespace Normalization.Domain.WhatIf;

/// <summary>One row of a side-by-side comparison. <c>Errors</c> is non-empty when the scenario's changes were invalid (then Stage is the baseline's).</summary>
/// <param name="Scenario">Its name (<see cref="Scenarios.BaselineName"/> for the first row).</param>
/// <param name="Stage">The projected stage.</param>
/// <param name="StageSince">Since when.</param>
/// <param name="Momentum">The momentum score.</param>
/// <param name="Trend">The momentum's trend.</param>
/// <param name="ProjectedAt">The date projected to.</param>
/// <param name="Errors">The scenario's errors; empty when valid.</param>
public sealed record ScenarioRow(string Scenario, Stage Stage, DateOnly? StageSince, double Momentum, MomentumTrend Trend, DateOnly ProjectedAt, IReadOnlyList<FieldError> Errors);

/// <summary>Scenarios side by side; the first row is the baseline. <c>ToString()</c> gives a Markdown table.</summary>
public sealed class ScenarioTable(IReadOnlyList<ScenarioRow> rows) : IReadOnlyList<ScenarioRow>
{
    /// <summary>The row at <paramref name="index"/> (0: the baseline).</summary>
    public ScenarioRow this[int index] => rows[index];
    /// <summary>The row of the named scenario; <see cref="KeyNotFoundException"/> naming the scenarios there are when there is none of that name.</summary>
    public ScenarioRow this[string scenario] => rows.FirstOrDefault(r => r.Scenario == scenario)
        ?? throw new KeyNotFoundException($"No scenario '{scenario}' in this table: its rows are {string.Join(", ", rows.Select(r => $"'{r.Scenario}'"))}.");
    /// <summary>The number of rows, the baseline included.</summary>
    public int Count => rows.Count;
    /// <summary>The rows, the baseline first.</summary>
    public IEnumerator<ScenarioRow> GetEnumerator() => rows.GetEnumerator();
    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>A Markdown table: scenario | stage | since | momentum | trend.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder("| scenario | stage | since | momentum | trend |\n|---|---|---|---|---|\n");
        foreach (var r in rows)
            sb.Append(CultureInfo.InvariantCulture, $"| {r.Scenario} | {(r.Errors.Count > 0 ? "invalid" : r.Stage.ToString())} | {r.StageSince:yyyy-MM-dd} | {r.Momentum:0.0} | {r.Trend} |\n");
        return sb.ToString();
    }
}

/// <summary>Several alternatives of one history, projected to the same date.</summary>
public static class Scenarios
{
    /// <summary>The name of the first row: the history without changes.</summary>
    public const string BaselineName = "baseline";

    /// <summary>Each scenario is a change of <paramref name="history"/>: <c>("equipment returned", b =&gt; b.Add(...))</c>. Projected to the base branch's default date.</summary>
    public static ScenarioTable Compare(Branch history, params (string Name, Func<Branch, Branch> Change)[] scenarios) =>
        Compare(history, null, scenarios);

    /// <summary>As <see cref="Compare(Branch, ValueTuple{string, Func{Branch, Branch}}[])"/>, every row projected to <paramref name="at"/> (not before the branch point: the baseline row throws, naming <c>projectTo</c>).</summary>
    /// <remarks>Preferred by the compiler when <paramref name="at"/> could also be read as a scenario, so <c>Compare(branch, new(2026, 4, 15), …)</c> is this one, not ambiguous.</remarks>
    [System.Runtime.CompilerServices.OverloadResolutionPriority(1)]
    public static ScenarioTable Compare(Branch history, DateOnly? at, params (string Name, Func<Branch, Branch> Change)[] scenarios)
    {
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(scenarios);
        for (var i = 0; i < scenarios.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(scenarios[i].Name))
                throw new ArgumentException($"scenarios[{i}] has no name: each row is read by its name (table[\"name\"]).", nameof(scenarios));
            if (scenarios[i].Change is null)
                throw new ArgumentException($"scenarios[{i}] ('{scenarios[i].Name}') has no change: give b => b for the history as it is.", nameof(scenarios));
        }
        // A row is found by its name: two of one name (or one named as the baseline row) could not both be read.
        foreach (var name in scenarios.Select(s => s.Name).Prepend(BaselineName).GroupBy(n => n).Where(g => g.Count() > 1).Select(g => g.Key))
            throw new ArgumentException(name == BaselineName
                ? $"A scenario is named '{BaselineName}', the name of the first row (the history without changes): name it otherwise."
                : $"Two scenarios are named '{name}': each needs its own name.", nameof(scenarios));
        var baseline = history.Project(at);
        var projectAt = at ?? scenarios.Select(s => s.Change(history).Project().ProjectedAt).Append(baseline.ProjectedAt).Max();
        var rows = new List<ScenarioRow> { Row(BaselineName, history.Project(projectAt)) };
        foreach (var (name, change) in scenarios)
        {
            var result = change(history).Project(projectAt);
            rows.Add(result.IsValid ? Row(name, result) : Row(name, rows[0]) with { Errors = result.Errors });
        }
        return new ScenarioTable(rows);
    }

    /// <inheritdoc cref="Compare(Branch, ValueTuple{string, Func{Branch, Branch}}[])"/>
    public static ScenarioTable Compare(NegotiationOpened opening, IEnumerable<NegotiationEvent> history, params (string Name, Func<Branch, Branch> Change)[] scenarios) =>
        Compare(WhatIf.From(opening, history), null, scenarios);

    static ScenarioRow Row(string name, WhatIfResult r) =>
        new(name, r.State.Stage, r.State.StageSince, r.State.Momentum.Score, r.State.Momentum.Trend, r.ProjectedAt, []);

    static ScenarioRow Row(string name, ScenarioRow baseline) => baseline with { Scenario = name };
}
