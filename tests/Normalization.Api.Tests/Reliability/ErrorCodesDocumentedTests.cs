using System.Text.RegularExpressions;
using Normalization.Api.Tests.Reliability.Fuzz;

namespace Normalization.Api.Tests.Reliability;

/// <summary>
/// Every error <c>code</c> the API can emit is documented (docs/*.md or README.md, written as <c>`code`</c>): the codes are
/// read from the source where errors are made — a field error (<c>new FieldError(path, "code", …)</c> or the short
/// <c>new(path, "code", …)</c>), a file line's <c>LineError</c>, a problem's <c>Problems.Of</c> / <c>Conflict</c>, and the
/// framework answers' codes (<see cref="Normalization.Api.Http.FrameworkProblems.CodeOf"/>) — so a new code cannot ship undocumented.
/// </summary>
public sealed partial class ErrorCodesDocumentedTests
{
    [GeneratedRegex("""new(?:\s*FieldError)?\(\s*[^,()]*(?:\([^()]*\))?[^,()]*,\s*"([a-z][a-z0-9_]+)"\s*,""")] private static partial Regex FieldErrorCode();
    [GeneratedRegex(@"Problems\.(?:Of|Conflict)\(\s*(?:[^,]+,\s*)?""([a-z][a-z0-9_]+)""")] private static partial Regex ProblemCode();
    [GeneratedRegex(@"LineError\([^,]+,[^,]+,\s*""([a-z][a-z0-9_]+)""")] private static partial Regex LineErrorCode();

    static Dictionary<string, string> CodesInSource()
    {
        var codes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(Path.Combine(FuzzCountsDoc.RepoRoot(), "src"), "*.cs", SearchOption.AllDirectories))
        {
            if (file.Contains($"{Path.DirectorySeparatorChar}Generated{Path.DirectorySeparatorChar}") || file.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}")) continue;
            var text = File.ReadAllText(file);
            foreach (var regex in new[] { FieldErrorCode(), ProblemCode(), LineErrorCode() })
                foreach (Match m in regex.Matches(text)) codes.TryAdd(m.Groups[1].Value, Path.GetFileName(file));
        }
        foreach (var status in new[] { 400, 404, 405, 406, 413, 415, 500 }) codes.TryAdd(Normalization.Api.Http.FrameworkProblems.CodeOf(status), "FrameworkProblems.cs");
        return codes;
    }

    [Fact]
    public void Given_every_error_code_made_in_the_source_When_the_docs_are_read_Then_each_is_documented()
    {
        var root = FuzzCountsDoc.RepoRoot();
        var docs = string.Concat(Directory.EnumerateFiles(Path.Combine(root, "docs"), "*.md", SearchOption.AllDirectories).Append(Path.Combine(root, "README.md")).Select(File.ReadAllText));

        var codes = CodesInSource();

        codes.Count.ShouldBeGreaterThan(50, "the scan finds the codes where errors are made");
        codes.ShouldContainKey("same_as_actor");
        codes.Where(c => !docs.Contains($"`{c.Key}`", StringComparison.Ordinal)).Select(c => $"{c.Key} ({c.Value})").ShouldBeEmpty();
    }
}
