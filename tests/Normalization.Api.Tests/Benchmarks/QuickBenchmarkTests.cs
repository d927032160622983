using Normalization.Benchmarks;

namespace Normalization.Api.Tests.Benchmarks;

/// <summary>
/// The benchmark harness runs alone (not in parallel with the other collections): it starts its own host on its own
/// database and would otherwise compete with them for the 2 cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BenchmarkCollection
{
    public const string Name = "benchmarks";
}

/// <summary>
/// Runs every measurement of <c>tests/Normalization.Benchmarks</c> in quick mode (tiny sizes, one run) so the harness never rots.
/// It checks that each measurement produced a number — never how fast anything was.
/// </summary>
[Collection(BenchmarkCollection.Name)]
public sealed class QuickBenchmarkTests
{
    [Fact]
    public async Task Given_quick_mode_When_every_measurement_runs_Then_each_row_holds_a_number()
    {
        var report = await BenchMain.RunAsync(new BenchOptions(Quick: true), TextWriter.Null);

        report.Sections.Select(s => int.Parse(s.Number)).Order().ShouldBe([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
        foreach (var section in report.Sections)
        {
            section.Rows.ShouldNotBeEmpty(section.Title);
            foreach (var row in section.Rows)
            {
                var what = $"{section.Number} {row.Case} {row.Metric}";
                double.IsFinite(row.Product.Median).ShouldBeTrue(what);
                row.Product.Median.ShouldBeGreaterThan(0, what);
                if (row.Baseline is { } b)
                {
                    double.IsFinite(b.Median).ShouldBeTrue(what + " (baseline)");
                    b.Median.ShouldBeGreaterThan(0, what + " (baseline)");
                }
                if (row.Ratio is { } r) double.IsFinite(r).ShouldBeTrue(what + " (ratio)");
            }
        }
        report.Machine.ShouldContain(m => m.Key == "PostgreSQL settings" && m.Value.Contains("shared_buffers=") && m.Value.Contains("fsync="));
        var markdown = report.ToMarkdown(keptNotes: "kept");
        markdown.ShouldContain("## 8. ");
        markdown.TrimEnd().ShouldEndWith("kept");
    }
}
