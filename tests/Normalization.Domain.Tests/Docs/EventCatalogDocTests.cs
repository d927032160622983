using System.Globalization;
using System.Text;
using System.Text.Json;
using Normalization.Domain.Catalog;
using Normalization.Domain.Validation;

namespace Normalization.Domain.Tests.Docs;

/// <summary>
/// docs/event-catalog.md is rendered from <see cref="EventCatalog"/>, so it cannot drift: this test fails when the
/// committed file differs from the rendering. Regenerate with <c>UPDATE_DOCS=1 dotnet test tests/Normalization.Domain.Tests</c>.
/// </summary>
public class EventCatalogDocTests
{
    [Fact]
    public void The_committed_event_catalog_doc_is_the_rendering_of_the_catalog()
    {
        var path = Path.Combine(RepoRoot(), "docs", "event-catalog.md");
        var rendered = EventCatalogDoc.Render();
        if (Environment.GetEnvironmentVariable("UPDATE_DOCS") == "1") File.WriteAllText(path, rendered);

        File.Exists(path).ShouldBeTrue("docs/event-catalog.md is missing: run with UPDATE_DOCS=1");
        File.ReadAllText(path).ReplaceLineEndings("\n").ShouldBe(rendered, "docs/event-catalog.md is stale: run with UPDATE_DOCS=1");
    }

    [Fact]
    public void Every_catalog_type_has_an_example_and_every_example_reads_without_errors()
    {
        EventCatalog.Names.Where(n => !CatalogExamples.ByType.ContainsKey(n)).ShouldBeEmpty();
        foreach (var (name, example) in CatalogExamples.ByType)
        {
            using var doc = JsonDocument.Parse(EventJson.Serialize(example));
            var errors = new List<FieldError>();
            var read = EventReader.Read(doc.RootElement, name, errors);
            errors.ShouldBeEmpty(name);
            EventJson.Serialize(read!).ShouldBe(EventJson.Serialize(example), name);
        }
    }

    static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props"))) return dir.FullName;
        throw new InvalidOperationException("Repository root (Directory.Packages.props) not found.");
    }
}

public static class EventCatalogDoc
{
    static readonly JsonSerializerOptions Indented = EventJson.CreateOptions(indented: true);

    static string G(double g) => g switch { > 0 => "+" + g.ToString("0.0", CultureInfo.InvariantCulture), _ => g.ToString("0.0", CultureInfo.InvariantCulture) };

    static string Party(PartyRule r) => r switch
    {
        PartyRule.Any => "Any actor; `target` optional and may be any party (including third parties).",
        PartyRule.PrincipalActor => "`actor` must be one of the two parties; `target`, if given, must be the other party.",
        PartyRule.BetweenPrincipals => "`actor` and `target` are required and are the two parties.",
        PartyRule.PrincipalTarget => "Any `actor` (may be a third party); `target` is required and is one of the two parties.",
        PartyRule.ThirdPartyOnPrincipal => "`actor` is a third state (not one of the parties); `target` is required and is one of the parties.",
        _ => r.ToString(),
    };

    static string Kind(FieldSpec f) => f.Kind switch
    {
        FieldKind.String when f.Format == FieldFormat.PartyCode => "party code (`US`, `ISIS-K`)",
        FieldKind.String when f.Format == FieldFormat.CountryCode => "country code: ISO 3166 alpha-2 (`US`, `AF`)",
        FieldKind.String when f.Format == FieldFormat.LanguageTag => "language tag: ISO 639, optional ISO 3166 region (`fr`, `fr-FR`)",
        FieldKind.String => $"string (≤ {f.MaxLength})",
        FieldKind.Integer => $"integer 0 … {f.NumberMax.ToString("#,0", CultureInfo.InvariantCulture)}",
        FieldKind.Number => $"number 0 … {f.NumberMax.ToString("#,0", CultureInfo.InvariantCulture)}, ≤ {f.Decimals} decimal places",
        FieldKind.StringArray when f.Format == FieldFormat.PartyCode => "array of party codes, each once (≤ 200 items)",
        FieldKind.StringArray when f.Format == FieldFormat.CountryCode => "array of ISO 3166 alpha-2 country codes, each once (≤ 200 items)",
        FieldKind.Enum => "enum: " + string.Join(", ", f.EnumValues!.Select(v => $"`{v}`")),
        FieldKind.Date when f.Format == FieldFormat.Day => "day: `YYYY-MM-DD` (not a month or year)",
        FieldKind.Date => "date: `YYYY-MM-DD`, `YYYY-MM` or `YYYY`",
        FieldKind.Guid => "GUID (not empty)",
        FieldKind.StringArray => "array of strings (≤ 200 items, each ≤ 500)",
        FieldKind.ObjectArray => "array of objects (≤ 200 items)",
        FieldKind.Event => "event object (flat, with `type`)",
        _ => f.Kind.ToString(),
    };

    static void Fields(StringBuilder sb, IEnumerable<FieldSpec> fields, string prefix = "")
    {
        foreach (var f in fields)
        {
            sb.Append($"| `{prefix}{f.Name}` | {(f.Required ? "yes" : "no")} | {Kind(f)} | {Cell(f.Description)} |\n");
            if (f.ItemFields is not null) Fields(sb, f.ItemFields, $"{prefix}{f.Name}[].");
        }
    }

    static string Cell(string s) => s.Replace("|", "\\|");

    static readonly Dictionary<int, string> RankNames = new()
    {
        [0] = "openings: structure that starts",
        [10] = "contacts",
        [20] = "requests and demands",
        [30] = "responses to demands, gestures and concessions",
        [40] = "pressure and conflict",
        [50] = "context",
        [60] = "closings: structure that ends",
        [70] = "corrections",
    };

    public static string Render()
    {
        var sb = new StringBuilder();
        sb.Append("# Event catalog\n\n");
        sb.Append("<!-- Generated from src/Normalization.Domain/Catalog/EventCatalog*.cs by tests/Normalization.Domain.Tests/Docs/EventCatalogDocTests.cs.\n");
        sb.Append("     Do not edit by hand: change the catalog (or the renderer) and run `UPDATE_DOCS=1 dotnet test tests/Normalization.Domain.Tests`. -->\n\n");
        sb.Append("Every fact about a negotiation is one event of the types below. Type names, JSON field names and enum values are\n");
        sb.Append("part of the public contract. The JSON form is **flat**: the envelope fields and the type's own fields side by side,\n");
        sb.Append("camelCase, enums as strings, `type` naming the event type. Each type carries its nearest **CAMEO** code, its\n");
        sb.Append("**Goldstein** weight (−10 conflictual … +10 cooperative; the momentum weight) and its **PLOVER** category, so exports and\n");
        sb.Append("momentum speak the language of GDELT, ICEWS and POLECAT. How the stage is computed: [stage-model.md](stage-model.md).\n\n");

        sb.Append("## Contents\n\n");
        foreach (var family in EventCatalog.All.GroupBy(t => t.Family))
            sb.Append($"- **{family.Key}**: " + string.Join(", ", family.Select(t => $"[{t.Name}](#{t.Name.ToLowerInvariant()})")) + "\n");
        sb.Append('\n');

        sb.Append("## The envelope (every event)\n\n");
        sb.Append("| Field | Required | Type | Meaning |\n|---|---|---|---|\n");
        Fields(sb, EventCatalog.EnvelopeFields);
        sb.Append("\nDates: an event dated `2025-03` (month precision) counts as having happened on the last day of its month\n");
        sb.Append("(2025-03-31); `2024` (year precision) on 31 December. \"As of 2025-03-15\" therefore does not yet include an event\n");
        sb.Append("dated `2025-03`. Dates must lie between 1900-01-01 and today (a period counts as in the future when it has not begun).\n");
        sb.Append("Party codes are 1–16 characters: upper-case letters, digits and hyphens, starting with a letter (`US`, `TB`, `ISIS-K`).\n");
        sb.Append("Events below the query's minimum confidence (default: `Reported`, so `Rumoured` events are left out) do not count.\n\n");
        sb.Append("```json\n");
        var envelope = CatalogExamples.ByType[nameof(PrisonerReleased)] with
        {
            Sources = [new Source { Publisher = "CNN", PublishedOn = "2025-04-03", Attribution = "a US official" }],
            Note = "Released after talks in Kabul.",
        };
        sb.Append(JsonSerializer.Serialize(envelope, Indented).ReplaceLineEndings("\n")).Append("\n```\n\n");

        sb.Append("## Same-day order\n\n");
        sb.Append("The fold orders events by their domain date (the end of their precision period), then by the type's same-day rank,\n");
        sb.Append("then by `eventId` (as a GUID). The order in which events arrive never matters. Ranks:\n\n");
        sb.Append("| Rank | What | Types |\n|---|---|---|\n");
        foreach (var g in EventCatalog.All.GroupBy(t => t.SameDayRank).OrderBy(g => g.Key))
            sb.Append($"| {g.Key} | {RankNames.GetValueOrDefault(g.Key, "")} | {string.Join(", ", g.Select(t => t.Name))} |\n");
        sb.Append("\nSo an office opened and closed on the same day is opened first, then closed; talks on a day come before the\n");
        sb.Append("gestures of that day; a month-dated event sorts after every day-dated event of its month.\n\n");

        sb.Append("## Momentum weights (Goldstein)\n\n");
        sb.Append("Momentum is the sum of these weights over the last 90 days (`MomentumDays`) of the events between the two parties\n");
        sb.Append("(actor a party and target the other party or none; talks, agreements and prisoner exchanges with both parties among\n");
        sb.Append("the participants, signatories or releasing parties — the test the stage rules use, docs/stage-model.md). Events\n");
        sb.Append("involving third parties (an ISIS-K attack, a strike on al-Qaeda, one party's deal with a third country) do not count.\n");
        sb.Append("The trend compares it with the 90 days before: `Improving` / `Deteriorating` when the difference exceeds\n");
        sb.Append("`TrendThreshold` (2.0), else `Stable`.\n\n");
        sb.Append("| Goldstein | Type | CAMEO | PLOVER |\n|---|---|---|---|\n");
        var rows = EventCatalog.All.Where(t => t.Family != EventFamily.Corrections).SelectMany(t => t.ClrType == typeof(StatementIssued)
                ? Enum.GetValues<Tone>().Select(tone => new StatementIssued { Tone = tone })
                    .Select(s => (Weight: EventCatalog.GoldsteinOf(s), Name: $"StatementIssued (tone {s.Tone})", Cameo: EventCatalog.CameoOf(s), t.Plover))
                : [(Weight: t.Goldstein, Name: t.Name, Cameo: t.Cameo, t.Plover)])
            .OrderByDescending(r => r.Weight).ThenBy(r => r.Name, StringComparer.Ordinal);
        foreach (var r in rows) sb.Append($"| {G(r.Weight)} | {r.Name} | {r.Cameo} | {r.Plover} |\n");
        sb.Append("\nEventRetracted and EventCorrected carry no weight: they change which events are read, not the score.\n");
        sb.Append("DemandMade's CAMEO code is refined by category: `1053` (release persons or property) for PrisonerRelease and\n");
        sb.Append("EquipmentReturn, `1054` (ease sanctions) for SanctionsRelief and AssetsUnfreeze, `100` otherwise.\n\n");

        foreach (var family in EventCatalog.All.GroupBy(t => t.Family))
        {
            sb.Append($"## {family.Key}\n\n");
            foreach (var t in family)
            {
                sb.Append($"### {t.Name}\n\n{t.Meaning}\n\n");
                sb.Append("| | |\n|---|---|\n");
                sb.Append($"| Stage effect | {Cell(t.StageEffect)} |\n");
                sb.Append($"| Parties | {Party(t.Parties)} |\n");
                sb.Append($"| CAMEO | `{t.Cameo}` {Cell(t.CameoLabel)} |\n");
                sb.Append($"| Goldstein (momentum weight) | {G(t.Goldstein)}{(t.ClrType == typeof(StatementIssued) ? " (Positive +0.4, Negative −0.4)" : "")} |\n");
                sb.Append($"| PLOVER | {t.Plover} |\n");
                sb.Append($"| Same-day rank | {t.SameDayRank} |\n\n");
                if (t.Fields.Count > 0)
                {
                    sb.Append("| Field | Required | Type | Meaning |\n|---|---|---|---|\n");
                    Fields(sb, t.Fields);
                    sb.Append('\n');
                }
                else sb.Append("No fields besides the envelope.\n\n");
                sb.Append("```json\n").Append(JsonSerializer.Serialize(CatalogExamples.ByType[t.Name], Indented).ReplaceLineEndings("\n")).Append("\n```\n\n");
            }
        }
        return sb.ToString().TrimEnd('\n') + "\n";
    }
}
