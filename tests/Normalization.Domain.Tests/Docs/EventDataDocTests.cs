using System.Globalization;
using System.Text;
using System.Text.Json;
using Normalization.Domain.Catalog;
using Normalization.Domain.EventData;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Validation;

namespace Normalization.Domain.Tests.Docs;

/// <summary>
/// The mapping table of docs/event-data.md is rendered from <see cref="EventDataMapping.Rows"/> — the table the importer
/// uses — so the doc cannot drift: the test fails when the committed section differs. Regenerate with
/// <c>UPDATE_DOCS=1 dotnet test tests/Normalization.Domain.Tests</c>.
/// </summary>
public class EventDataDocTests
{
    const string Start = "<!-- mapping table: generated from EventDataMapping.Rows, do not edit -->";
    const string End = "<!-- end of mapping table -->";

    [Fact]
    public void The_mapping_table_in_docs_event_data_is_the_rendering_of_the_mapping()
    {
        var path = Path.Combine(RepoRoot(), "docs", "event-data.md");
        File.Exists(path).ShouldBeTrue("docs/event-data.md is missing");
        var text = File.ReadAllText(path).ReplaceLineEndings("\n");
        var from = text.IndexOf(Start, StringComparison.Ordinal);
        var to = text.IndexOf(End, StringComparison.Ordinal);
        from.ShouldBeGreaterThanOrEqualTo(0, $"docs/event-data.md lacks the line {Start}");
        to.ShouldBeGreaterThan(from, $"docs/event-data.md lacks the line {End}");
        var rendered = text[..(from + Start.Length)] + "\n" + Render() + text[to..];
        if (Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1") File.WriteAllText(path, text = rendered);
        text.ShouldBe(rendered, "the mapping table of docs/event-data.md is stale: run with UPDATE_DOCS=1");
    }

    [Fact]
    public void Given_each_mapping_row_When_filled_for_a_dyad_Then_it_reads_and_validates_as_its_catalog_type()
    {
        var opening = new NegotiationOpened
        {
            Id = "t", Title = "t", Parties = [new Party { Code = "US", Name = "US" }, new Party { Code = "TB", Name = "TB" }], Mediators = [], Baseline = new Baseline(),
        };
        foreach (var row in EventDataMapping.Rows.Where(r => r.Maps))
        {
            row.Catalog.ShouldNotBeNull($"{row.Code}: {row.Type} is not a catalog type");
            var (e, errors) = Instantiate(row);
            errors.ShouldBeEmpty($"{row.Scheme} {row.Code}");
            EventValidator.Validate(e!, "", new ValidationContext(opening, new DateOnly(2026, 1, 1)), errors);
            errors.ShouldBeEmpty($"{row.Scheme} {row.Code}");
            e!.Type.ShouldBe(row.Type);
        }
    }

    [Fact]
    public void Every_code_has_one_row_and_every_ignored_row_says_why()
    {
        EventDataMapping.Rows.GroupBy(r => (r.Scheme, r.Code.ToUpperInvariant())).Where(g => g.Count() > 1).Select(g => g.Key).ShouldBeEmpty();
        EventDataMapping.Rows.Where(r => !r.Maps && string.IsNullOrWhiteSpace(r.Note)).Select(r => r.Code).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("046", "TalksHeld")] [InlineData("0841", "PrisonerReleased")] [InlineData("1384", "ThreatIssued")] [InlineData("1952", "MilitaryStrike")]
    [InlineData("081", null)] [InlineData("1056", null)]
    public void Given_a_CAMEO_code_When_looked_up_Then_its_own_row_or_its_base_codes_row_answers(string code, string? type)
    {
        EventDataMapping.ForCameo(code)?.Type.ShouldBe(type);
        if (code == "1056") EventDataMapping.ForCameo(code).ShouldBeNull();
    }

    [Theory]
    [InlineData("consult", "visit", "TalksHeld")] [InlineData("CONSULT", "phone", null)] [InlineData("retreat", "release", "PrisonerReleased")]
    [InlineData("retreat", "ceasefire", null)] [InlineData("assault", "explosives", "AttackOccurred")]
    public void Given_a_PLOVER_type_and_mode_When_looked_up_Then_the_mode_row_answers(string type, string mode, string? expected) =>
        (EventDataMapping.ForPlover(type, mode)?.Type).ShouldBe(expected);

    [Theory]
    [InlineData("SANCTION", "lift")] [InlineData("sanction", "imposee")] [InlineData("CONSULT", "emial")] [InlineData("ASSAULT", "unknown")]
    public void Given_a_PLOVER_mode_the_table_does_not_know_When_looked_up_Then_no_row_answers_so_it_is_counted_unmapped_not_taken_as_its_type(string type, string mode) =>
        // "SANCTION/lift" read as SANCTION would import the opposite of what was coded (SanctionsImposed).
        EventDataMapping.ForPlover(type, mode).ShouldBeNull();

    [Theory]
    [InlineData("SANCTION", "", "SanctionsImposed")] [InlineData("consult", null, "TalksHeld")] [InlineData("ASSAULT", " ", "AttackOccurred")]
    public void Given_a_PLOVER_type_without_a_mode_When_looked_up_Then_the_type_row_answers(string type, string? mode, string expected) =>
        EventDataMapping.ForPlover(type, mode)!.Type.ShouldBe(expected);

    /// <summary>The event a mapping row gives for the dyad US → TB on 2025-03-20, read by the catalog's reader.</summary>
    static (NegotiationEvent? Event, List<FieldError> Errors) Instantiate(MappingRow row)
    {
        var json = EventDataMapping.TypeFields(row, "US", "TB", row.Code, "ed-0123456789ab");
        json["eventId"] = Guid.NewGuid().ToString();
        json["occurredOn"] = "2025-03-20";
        json["actor"] = "US";
        json["target"] = "TB";
        using var doc = JsonDocument.Parse(json.ToJsonString());
        var errors = new List<FieldError>();
        return (EventReader.Read(doc.RootElement, "", errors), errors);
    }

    /// <summary>The markdown table: one row per mapping row, CAMEO first, with the catalog's Goldstein weight and PLOVER category.</summary>
    public static string Render()
    {
        var sb = new StringBuilder();
        sb.Append("| scheme | code | code book label | catalog type | fields set | mutual | Goldstein (catalog) | PLOVER (catalog) | note |\n");
        sb.Append("|---|---|---|---|---|---|---|---|---|\n");
        foreach (var r in EventDataMapping.Rows)
        {
            var info = r.Catalog;
            var e = r.Maps ? Instantiate(r).Event : null;
            sb.Append(CultureInfo.InvariantCulture, $"| {r.Scheme.ToString().ToUpperInvariant()} | `{r.Code}` | {r.Label} | {(r.Type is null ? "— *ignored*" : $"**{r.Type}**")} | ")
              .Append(r.Fields == "{}" ? "" : $"`{r.Fields}`").Append(" | ")
              .Append(r.Mutual ? "yes" : "").Append(" | ")
              .Append(e is null ? "" : EventCatalog.GoldsteinOf(e).ToString("+0.0;-0.0;0.0", CultureInfo.InvariantCulture)).Append(" | ")
              .Append(info?.Plover ?? "").Append(" | ")
              .Append(r.Note.Replace("|", "\\|", StringComparison.Ordinal)).Append(" |\n");
        }
        return sb.ToString();
    }

    static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props"))) return dir.FullName;
        throw new InvalidOperationException("Repository root (Directory.Packages.props) not found.");
    }
}
