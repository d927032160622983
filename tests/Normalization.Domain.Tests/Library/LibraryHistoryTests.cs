using System.Text;
using System.Text.RegularExpressions;
using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Histories;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Stages;

namespace Normalization.Domain.Tests.Library;

/// <summary>
/// The shipped library (src/Normalization.Api/Library, docs/library.md): each real history read like an import and folded
/// at its key dates, with the rule that holds; and the stage tables of docs/library.md are the fold's own.
/// </summary>
public partial class LibraryHistoryTests
{
    static readonly DateOnly Today = new(2026, 11, 30);

    public static (NegotiationOpened Opening, List<NegotiationEvent> Events) Load(string name)
    {
        using var reader = File.OpenText(Path.Combine(AppContext.BaseDirectory, "Library", name + ".ndjson"));
        var (opening, events, errors) = NdjsonHistory.ReadAll(reader, Today);
        errors.ShouldBeEmpty(name);
        return (opening!, events);
    }

    public static readonly string[] Names = ["israel-uae", "saudi-iran", "turkey-armenia", "uk-iran", "us-china", "us-cuba", "us-libya", "us-vietnam"];

    [Fact]
    public void The_library_holds_eight_tagged_histories_with_sources_and_declared_coverage()
    {
        var files = Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Library"), "*.ndjson").Select(Path.GetFileNameWithoutExtension).Order(StringComparer.Ordinal);
        files.ShouldBe(Names);
        foreach (var name in Names)
        {
            var (opening, events) = Load(name);
            opening.Id.ShouldBe(name);
            opening.Tags.ShouldContain("library");
            opening.CoveredUntil.ShouldNotBeNull(name);
            events.ShouldAllBe(e => e.Sources.Count > 0, name);
            events.Max(e => e.Date).ShouldBeLessThanOrEqualTo(opening.CoveredUntil!.Value, name);
        }
    }

    [Theory]
    // US–Vietnam: the road map, the embargo eased while there are no talks, liaison offices, relations.
    [InlineData("us-vietnam", "1991-06-01", Stage.Exploratory, "talks-within-window")]
    [InlineData("us-vietnam", "1993-06-01", Stage.Estrangement, "no-contact")]
    [InlineData("us-vietnam", "1995-03-01", Stage.Representation, "office-operating")]
    [InlineData("us-vietnam", "1995-08-01", Stage.FullRelations, "relations-established")]
    // US–Cuba: interests sections from 1977 to 2015, then relations.
    [InlineData("us-cuba", "1977-06-30", Stage.Recognition, "mutual-recognition")]
    [InlineData("us-cuba", "1990-01-01", Stage.Recognition, "mutual-recognition")]
    [InlineData("us-cuba", "2015-07-20", Stage.FullRelations, "relations-established")]
    // US–China: Kissinger's trip, the liaison offices, recognition and relations.
    [InlineData("us-china", "1971-08-01", Stage.Exploratory, "talks-within-window")]
    [InlineData("us-china", "1973-06-30", Stage.Representation, "office-operating")]
    [InlineData("us-china", "1979-01-01", Stage.FullRelations, "relations-established")]
    // US–Libya: relations never severed, but no envoy either way from 1981 to 2006.
    [InlineData("us-libya", "1980-01-01", Stage.FullRelations, "relations-established")]
    [InlineData("us-libya", "1990-01-01", Stage.Recognition, "relations-without-envoys")]
    [InlineData("us-libya", "2005-01-01", Stage.Recognition, "relations-without-envoys")]
    [InlineData("us-libya", "2006-05-31", Stage.FullRelations, "relations-established")]
    // Saudi Arabia–Iran: the break leaves mutual recognition; relations restored without envoys stay Recognition; the embassies.
    [InlineData("saudi-iran", "2015-12-31", Stage.FullRelations, "relations-established")]
    [InlineData("saudi-iran", "2016-06-01", Stage.Recognition, "mutual-recognition")]
    [InlineData("saudi-iran", "2021-06-01", Stage.Recognition, "mutual-recognition")]
    [InlineData("saudi-iran", "2023-06-06", Stage.FullRelations, "relations-established")]
    // Israel–UAE: the announcement, the treaty.
    [InlineData("israel-uae", "2020-08-20", Stage.Exploratory, "talks-within-window")]
    [InlineData("israel-uae", "2020-09-15", Stage.FullRelations, "relations-established")]
    // Turkey–Armenia: mutual recognition throughout; the protocols never established relations.
    [InlineData("turkey-armenia", "2009-10-10", Stage.Recognition, "mutual-recognition")]
    [InlineData("turkey-armenia", "2010-04-30", Stage.Recognition, "mutual-recognition")]
    // UK–Iran (the worked example of docs/stage-model.md).
    [InlineData("uk-iran", "2011-11-28", Stage.FullRelations, "relations-established")]
    [InlineData("uk-iran", "2011-11-30", Stage.Recognition, "relations-without-envoys")]
    [InlineData("uk-iran", "2014-01-01", Stage.Recognition, "relations-without-envoys")]
    [InlineData("uk-iran", "2015-08-23", Stage.FullRelations, "relations-established")]
    public void Given_a_library_history_When_folded_at_a_key_date_Then_the_stage_and_rule_are_those_of_the_record(string name, string asOf, Stage stage, string rule)
    {
        var (opening, events) = Load(name);

        var state = NegotiationFold.StateAsOf(opening, events, DateOnly.Parse(asOf));

        state.Stage.ShouldBe(stage, $"{name} on {asOf}");
        state.Why.Rule.ShouldBe(rule, $"{name} on {asOf}");
        state.Extrapolated.ShouldBeFalse();
    }

    [Fact]
    public void Given_Saudi_Iran_When_relations_are_restored_without_envoys_Then_the_rule_that_holds_is_relations_without_envoys_until_an_embassy_reopens()
    {
        var (opening, events) = Load("saudi-iran");
        // The stage is Recognition before and after the Beijing agreement, so no transition names the rule: ask the rules.
        (Stage, string) RuleOn(DateOnly day)
        {
            var acc = FoldAccumulator.Start(opening);
            foreach (var e in NegotiationFold.Effective(events).Where(e => e.Date <= day)) acc.Apply(e);
            var (stage, why) = acc.Evaluate(day);
            return (stage, why.Rule);
        }

        RuleOn(new DateOnly(2023, 3, 9)).ShouldBe((Stage.Recognition, "mutual-recognition"));
        RuleOn(new DateOnly(2023, 3, 10)).ShouldBe((Stage.Recognition, "relations-without-envoys"));
        RuleOn(new DateOnly(2023, 6, 6)).ShouldBe((Stage.FullRelations, "relations-established"));
    }

    [Fact]
    public void Given_UK_Iran_When_folded_Then_the_level_of_representation_each_way_follows_the_record()
    {
        var (opening, events) = Load("uk-iran");
        RepresentationLevel?[] Levels(string on) => NegotiationFold.StateAsOf(opening, events, DateOnly.Parse(on)).Representation.Select(r => r.Level).ToArray();

        Levels("2011-11-01").ShouldBe([null, null]);
        Levels("2011-11-27").ShouldBe([RepresentationLevel.ChargeDAffaires, RepresentationLevel.ChargeDAffaires]);
        Levels("2011-11-30").ShouldBe([RepresentationLevel.None, RepresentationLevel.None]);
        Levels("2014-06-01").ShouldBe([RepresentationLevel.None, RepresentationLevel.None], "non-resident chargés d'affaires are envoys, not a mission in the capital");
        Levels("2015-08-23").ShouldBe([RepresentationLevel.ChargeDAffaires, RepresentationLevel.ChargeDAffaires]);
        Levels("2016-09-30").ShouldBe([RepresentationLevel.Ambassador, RepresentationLevel.Ambassador]);
    }

    /// <summary>The stage table of one history, as docs/library.md shows it: every transition up to its coverage, from the fold.</summary>
    public static string StageTable(string name)
    {
        var (opening, events) = Load(name);
        var state = NegotiationFold.StateAsOf(opening, events, opening.CoveredUntil!.Value);
        var sb = new StringBuilder("| On | Stage | Rule |\n|---|---|---|\n");
        foreach (var t in state.StageHistory)
            sb.Append($"| {(t.On is { } on ? on.ToString("yyyy-MM-dd") : "baseline")} | {t.To} | `{t.Rule}` |\n");
        sb.Append($"\nRecord covered until {opening.CoveredUntil:yyyy-MM-dd}; {events.Count} events.\n");
        return sb.ToString();
    }

    [GeneratedRegex(@"<!-- stages:([a-z0-9-]+) -->\n.*?<!-- /stages -->", RegexOptions.Singleline)]
    private static partial Regex StageBlock();

    [Fact]
    public void The_stage_tables_of_docs_library_md_are_the_folds_own()
    {
        var path = Path.Combine(RepoRoot(), "docs", "library.md");
        var committed = File.ReadAllText(path).ReplaceLineEndings("\n");
        var rendered = StageBlock().Replace(committed, m => $"<!-- stages:{m.Groups[1].Value} -->\n{StageTable(m.Groups[1].Value)}<!-- /stages -->");
        StageBlock().Matches(committed).Select(m => m.Groups[1].Value).Order(StringComparer.Ordinal).ShouldBe(Names);
        if (Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1") File.WriteAllText(path, rendered);
        else committed.ShouldBe(rendered, "docs/library.md is stale: run UPDATE_DOCS=1 dotnet test tests/Normalization.Domain.Tests");
    }

    static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props"))) return dir.FullName;
        throw new InvalidOperationException("Repository root (Directory.Packages.props) not found.");
    }
}
