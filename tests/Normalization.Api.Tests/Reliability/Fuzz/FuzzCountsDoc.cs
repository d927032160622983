using System.Text;
using System.Text.Json.Nodes;

namespace Normalization.Api.Tests.Reliability.Fuzz;

/// <summary>
/// Renders the counts of the generated fuzz (per hostile class, per event type, per endpoint) for docs/reliability.md.
/// The counts follow from the catalog and the OpenAPI document alone, so the committed table is checked like a
/// generated doc (<c>UPDATE_DOCS=1 dotnet test --filter ContractFuzz</c> rewrites it).
/// </summary>
public static class FuzzCountsDoc
{
    public const string Start = "<!-- generated: fuzz counts -->";
    public const string End = "<!-- end of generated fuzz counts -->";

    public static string Render(JsonNode openApi)
    {
        var body = ContractCases.All().ToList();
        var query = QueryCases.From(openApi, new Dictionary<string, string> { ["id"] = "n", ["eventId"] = Guid.Empty.ToString(), ["name"] = "base", ["code"] = "US" }).ToList();
        var sb = new StringBuilder(Start).Append('\n');
        sb.Append("\nBodies: ").Append(body.Count).Append(" cases over ").Append(body.Select(c => c.Type).Distinct().Count())
          .Append(" event types and ").Append(body.Select(c => c.Type + "." + c.Path).Distinct().Count()).Append(" type × field places. ")
          .Append("Each refused case is sent in `POST /events`, in what-if `add`, in a saved scenario's `add` and in an NDJSON import ")
          .Append("(envelope columns also in a CSV import); each allowed case in what-if `add`.\n\n");
        sb.Append("| class | refused | allowed |\n|---|---:|---:|\n");
        foreach (var g in body.GroupBy(c => c.Class).OrderBy(g => g.Key, StringComparer.Ordinal))
            sb.Append($"| {g.Key} | {g.Count(c => c.Refused)} | {g.Count(c => !c.Refused)} |\n");
        sb.Append("\nPer event type: ").Append(string.Join(", ", body.GroupBy(c => c.Type).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} {g.Count()}"))).Append(".\n");
        sb.Append("\nQuery strings and path ids: ").Append(query.Count).Append(" requests from the served OpenAPI document.\n\n");
        sb.Append("| endpoint | query cases | path-id cases |\n|---|---:|---:|\n");
        foreach (var g in query.GroupBy(c => $"{c.Method} {c.Template}").OrderBy(g => g.Key, StringComparer.Ordinal))
            sb.Append($"| `{g.Key}` | {g.Count(c => c.In == "query")} | {g.Count(c => c.In == "path")} |\n");
        sb.Append("\n| class | query | path |\n|---|---:|---:|\n");
        foreach (var g in query.GroupBy(c => c.Class).OrderBy(g => g.Key, StringComparer.Ordinal))
            sb.Append($"| {g.Key} | {g.Count(c => c.In == "query")} | {g.Count(c => c.In == "path")} |\n");
        sb.Append('\n').Append(End).Append('\n');
        return sb.ToString();
    }

    public static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props"))) return dir.FullName;
        throw new DirectoryNotFoundException("The repository root (Directory.Packages.props) was not found.");
    }
}
