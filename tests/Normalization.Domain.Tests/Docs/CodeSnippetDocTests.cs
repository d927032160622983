using System.Text;
using System.Text.RegularExpressions;

namespace Normalization.Domain.Tests.Docs;

/// <summary>
/// Code excerpts in docs/*.md, the README and the package's README (src/*/README.md, shown on the package) are cut from tested code (src/ and tests/, e.g. the package example project), not retyped: a block between <c>&lt;!-- snippet: name --&gt;</c>
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

    [GeneratedRegex(@"^[ \t]*```[ \t]*(csharp|cs|c#)[ \t]*$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex CSharpFence();

    /// <summary>The documents whose C# a reader copies: docs/*.md, the README and each project's README (the package's is on nuget).</summary>
    static IEnumerable<string> Docs(string root) =>
        Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md")
            .Append(Path.Combine(root, "README.md"))
            .Concat(Directory.EnumerateDirectories(Path.Combine(root, "src")).Select(d => Path.Combine(d, "README.md")).Where(File.Exists));

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
        foreach (var doc in Docs(root))
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
        foreach (var doc in Docs(root))
        {
            var text = File.ReadAllText(doc).ReplaceLineEndings("\n");
            LooseDocMarker().Matches(text).Count.ShouldBe(DocSnippet().Matches(text).Count,
                $"{Path.GetFileName(doc)}: a snippet marker is not in the form <!-- snippet: name -->, ```csharp, the code, ```, <!-- /snippet -->");
        }
        // A source snippet no doc shows is a marker left behind (or an excerpt a doc lost).
        var shown = Docs(root)
            .SelectMany(doc => DocSnippet().Matches(File.ReadAllText(doc).ReplaceLineEndings("\n"))).Select(m => m.Groups["name"].Value).ToHashSet();
        sources.Keys.Where(name => !shown.Contains(name)).ShouldBeEmpty("source snippets that no doc in docs/ shows");
        if (Environment.GetEnvironmentVariable("UPDATE_DOCS") != "1") problems.ShouldBeEmpty("run with UPDATE_DOCS=1 to refresh the excerpts");
    }

    [Fact]
    public void Given_the_docs_When_a_block_of_CSharp_is_shown_Then_it_is_a_snippet_cut_from_tested_code()
    {
        // A retyped block is checked by nothing: the package README's example lacked `using Shouldly;` and did not compile
        // as written. Every C# block a reader may copy must be one of the snippets the test above keeps equal to its source.
        var root = RepoRoot();
        var loose = Docs(root).SelectMany(doc =>
        {
            var text = File.ReadAllText(doc).ReplaceLineEndings("\n");
            var marked = DocSnippet().Matches(text).Select(m => m.Index + m.Value.IndexOf("```", StringComparison.Ordinal)).ToHashSet();
            return CSharpFence().Matches(text).Where(f => !marked.Contains(f.Index + f.Value.IndexOf("```", StringComparison.Ordinal)))
                .Select(f => $"{Path.GetRelativePath(root, doc)}:{text[..f.Index].Count(c => c == '\n') + 1}");
        }).ToList();
        loose.ShouldBeEmpty("C# blocks not between <!-- snippet: name --> markers (mark the code in a tested file with // <snippet:name> … // </snippet>)");
    }

    static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props"))) return dir.FullName;
        throw new InvalidOperationException("Repository root (Directory.Packages.props) not found.");
    }
}
