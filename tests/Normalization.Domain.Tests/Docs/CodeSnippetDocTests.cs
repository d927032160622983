using System.Text;
using System.Text.RegularExpressions;

namespace Normalization.Domain.Tests.Docs;

/// <summary>
/// Code excerpts in docs/*.md are cut from tested code (src/ and tests/, e.g. the package example project), not retyped: a block between <c>&lt;!-- snippet: name --&gt;</c>
/// and <c>&lt;!-- /snippet --&gt;</c> must equal the source between <c>// &lt;snippet:name&gt;</c> and
/// <c>// &lt;/snippet&gt;</c> (dedented). <c>UPDATE_DOCS=1 dotnet test tests/Normalization.Domain.Tests</c> rewrites them.
/// </summary>
public sealed partial class CodeSnippetDocTests
{
    [GeneratedRegex(@"// <snippet:(?<name>[a-z0-9-]+)>\r?\n(?<code>.*?)\r?\n[ \t]*// </snippet>", RegexOptions.Singleline)]
    private static partial Regex SourceSnippet();

    [GeneratedRegex(@"<!-- snippet: (?<name>[a-z0-9-]+) -->\n```csharp\n(?<code>.*?)\n```\n<!-- /snippet -->", RegexOptions.Singleline)]
    private static partial Regex DocSnippet();

    [GeneratedRegex(@"<!--\s*snippet\s*:")]
    private static partial Regex LooseDocMarker();

    static Dictionary<string, string> Sources(string root) =>
        new[] { "src", "tests" }.SelectMany(dir => Directory.EnumerateFiles(Path.Combine(root, dir), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains("/obj/") && !f.Contains("/bin/"))
            .SelectMany(f => SourceSnippet().Matches(File.ReadAllText(f).ReplaceLineEndings("\n")))
            .ToDictionary(m => m.Groups["name"].Value, m => Dedent(m.Groups["code"].Value));

    static string Dedent(string code)
    {
        var lines = code.Split('\n');
        var indent = lines.Where(l => l.Trim().Length > 0).Min(l => l.Length - l.TrimStart().Length);
        return string.Join('\n', lines.Select(l => l.Length >= indent ? l[indent..] : l.TrimStart()));
    }

    [Fact]
    public void Given_the_docs_code_excerpts_When_compared_with_the_marked_source_Then_each_is_the_source_as_it_is()
    {
        var root = RepoRoot();
        var sources = Sources(root);
        var found = 0;
        var problems = new List<string>();
        foreach (var doc in Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md"))
        {
            var text = File.ReadAllText(doc).ReplaceLineEndings("\n");
            var updated = DocSnippet().Replace(text, m =>
            {
                found++;
                var name = m.Groups["name"].Value;
                if (!sources.TryGetValue(name, out var code)) { problems.Add($"{Path.GetFileName(doc)}: no source snippet '{name}'"); return m.Value; }
                if (code != m.Groups["code"].Value) problems.Add($"{Path.GetFileName(doc)}: snippet '{name}' differs from the source");
                return $"<!-- snippet: {name} -->\n```csharp\n{code}\n```\n<!-- /snippet -->";
            });
            if (Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1" && updated != text) File.WriteAllText(doc, updated);
        }
        found.ShouldBeGreaterThan(0, "no snippet in docs/: the markers changed?");
        // A marker the exact pattern above does not read (another fence, spacing, a blank line) would be skipped silently.
        foreach (var doc in Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md"))
        {
            var text = File.ReadAllText(doc).ReplaceLineEndings("\n");
            LooseDocMarker().Matches(text).Count.ShouldBe(DocSnippet().Matches(text).Count,
                $"{Path.GetFileName(doc)}: a snippet marker is not in the form <!-- snippet: name -->, ```csharp, the code, ```, <!-- /snippet -->");
        }
        // A source snippet no doc shows is a marker left behind (or an excerpt a doc lost).
        var shown = Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md")
            .SelectMany(doc => DocSnippet().Matches(File.ReadAllText(doc).ReplaceLineEndings("\n"))).Select(m => m.Groups["name"].Value).ToHashSet();
        sources.Keys.Where(name => !shown.Contains(name)).ShouldBeEmpty("source snippets that no doc in docs/ shows");
        if (Environment.GetEnvironmentVariable("UPDATE_DOCS") != "1") problems.ShouldBeEmpty("run with UPDATE_DOCS=1 to refresh the excerpts");
    }

    static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props"))) return dir.FullName;
        throw new InvalidOperationException("Repository root (Directory.Packages.props) not found.");
    }
}
