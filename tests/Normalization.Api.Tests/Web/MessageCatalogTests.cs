using System.Text.RegularExpressions;
using Normalization.Domain.Catalog;
using Normalization.Domain.Stages;

namespace Normalization.Api.Tests.Web;

/// <summary>
/// The page's message catalogs (wwwroot/js/i18n/en.js and fr.js) against the scripts and pages that use them, read as text: a
/// text the scripts write that has no French, a static text with no French, a stage rule with no French explanation, or a
/// placeholder lost in translation fails here before any browser runs.
/// </summary>
public sealed partial class MessageCatalogTests
{
    static readonly string Wwwroot = Path.Combine(RepositoryRoot(), "src", "Normalization.Api", "wwwroot");

    [Fact]
    public void Given_the_two_catalogs_When_their_keys_are_compared_Then_every_English_message_has_a_French_one_and_no_key_is_written_twice()
    {
        var en = Entries("en");
        var fr = Entries("fr");

        en.Keys.Except(fr.Keys).ShouldBeEmpty("every English message needs its French one");
        Duplicates("en").ShouldBeEmpty();
        Duplicates("fr").ShouldBeEmpty();
        fr.Values.ShouldAllBe(v => v.Trim().Length > 0);
    }

    [Fact]
    public void Given_a_message_with_placeholders_When_it_is_translated_Then_the_French_has_the_same_placeholders()
    {
        var en = Entries("en");
        var fr = Entries("fr");

        var lost = en.Where(e => fr.ContainsKey(e.Key) && !Placeholders(e.Value).SetEquals(Placeholders(fr[e.Key])))
            .Select(e => $"{e.Key}: en {{{string.Join(",", Placeholders(e.Value))}}} fr {{{string.Join(",", Placeholders(fr[e.Key]))}}}").ToList();
        lost.ShouldBeEmpty();
    }

    [Fact]
    public void Given_the_scripts_When_they_ask_for_a_message_by_a_literal_key_Then_the_English_catalog_has_it()
    {
        var en = Entries("en");
        var used = new SortedSet<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(Wwwroot, "js"), "*.js"))
        {
            var text = File.ReadAllText(file);
            foreach (Match m in LiteralKey().Matches(text)) used.Add(m.Groups["key"].Value);
            foreach (Match m in PluralKey().Matches(text)) used.Add(m.Groups["key"].Value + ".other");
        }

        used.Count.ShouldBeGreaterThan(100, "the scan must see the scripts' messages");
        used.Where(k => !en.ContainsKey(k)).ShouldBeEmpty();
    }

    [Fact]
    public void Given_the_pages_When_a_static_text_carries_a_data_i18n_key_Then_the_French_catalog_has_it()
    {
        var fr = Entries("fr");
        var keys = Directory.GetFiles(Wwwroot, "*.html").SelectMany(f => StaticKey().Matches(File.ReadAllText(f)).Select(m => m.Groups["key"].Value)).ToHashSet();

        keys.Count.ShouldBeGreaterThan(50);
        keys.Where(k => !fr.ContainsKey(k)).Order().ShouldBeEmpty();
    }

    [Fact]
    public void Given_the_stage_rules_of_the_fold_When_the_page_explains_them_in_French_Then_each_rule_and_stage_has_a_French_text()
    {
        var fr = Entries("fr");
        // The fold is one partial class over several files (FoldAccumulator*.cs): the stage rules are in one of them.
        var fold = string.Concat(Directory.GetFiles(Path.Combine(RepositoryRoot(), "src", "Normalization.Domain", "Folding"), "FoldAccumulator*.cs").Select(File.ReadAllText));
        var rules = RuleId().Matches(fold).Select(m => m.Groups["rule"].Value).ToHashSet();

        rules.Count.ShouldBeGreaterThanOrEqualTo(9);
        rules.Where(r => !fr.ContainsKey("rule." + r)).ShouldBeEmpty();
        Enum.GetNames<Stage>().Where(s => !fr.ContainsKey("stage." + s)).ShouldBeEmpty();
    }

    [Fact]
    public void Given_the_event_catalog_When_the_page_names_a_type_in_French_Then_every_type_has_a_French_name()
    {
        var fr = Entries("fr");

        var types = EventCatalog.All.Select(t => t.Name).ToList();

        types.Count.ShouldBeGreaterThan(40);
        types.Where(t => !fr.ContainsKey("type." + t)).ShouldBeEmpty();
        Enum.GetNames<EventFamily>().Where(f => !fr.ContainsKey("family." + f)).ShouldBeEmpty();
    }

    /// <summary>The <c>'key': 'text'</c> entries of a catalog (single-quoted or double-quoted texts).</summary>
    internal static Dictionary<string, string> Entries(string language)
    {
        var text = File.ReadAllText(Path.Combine(Wwwroot, "js", "i18n", language + ".js"));
        var entries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in Entry().Matches(text)) entries[m.Groups["key"].Value] = m.Groups["single"].Success ? m.Groups["single"].Value : m.Groups["double"].Value;
        entries.Count.ShouldBeGreaterThan(100, $"{language}.js must parse");
        return entries;
    }

    static List<string> Duplicates(string language) =>
        Entry().Matches(File.ReadAllText(Path.Combine(Wwwroot, "js", "i18n", language + ".js"))).GroupBy(m => m.Groups["key"].Value).Where(g => g.Count() > 1).Select(g => g.Key).ToList();

    static HashSet<string> Placeholders(string text) => Placeholder().Matches(text).Select(m => m.Groups[1].Value).ToHashSet();

    [GeneratedRegex(@"'(?<key>[a-zA-Z][\w.-]*)':\s*(?:'(?<single>(?:[^'\\]|\\.)*)'|""(?<double>(?:[^""\\]|\\.)*)"")")]
    private static partial Regex Entry();

    [GeneratedRegex(@"\{(\w+)\}")]
    private static partial Regex Placeholder();

    // t('key' …) with a literal key; keys built at run time (`stage.${s}`) are checked by the tests that know their sets.
    [GeneratedRegex(@"\bt\(\s*'(?<key>[a-zA-Z][\w.-]*)'")]
    private static partial Regex LiteralKey();

    [GeneratedRegex(@"\bplural\(\s*'(?<key>[a-zA-Z][\w.-]*)'")]
    private static partial Regex PluralKey();

    [GeneratedRegex(@"data-i18n(?:-label)?=""(?<key>[^""]+)""")]
    private static partial Regex StaticKey();

    // The fold's reasons: new("rule-id", "description", …).
    [GeneratedRegex(@"new\(""(?<rule>[a-z]+(?:-[a-z]+)+)""")]
    private static partial Regex RuleId();

    static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Normalization.sln"))) return dir.FullName;
        throw new InvalidOperationException("Normalization.sln not found above " + AppContext.BaseDirectory);
    }
}
