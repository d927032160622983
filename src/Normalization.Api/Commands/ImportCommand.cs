using JasperFx.CommandLine;
using Normalization.Api.Importing;
using Normalization.Api.Importing.EventData;
using Normalization.Domain.Negotiations;
using Spectre.Console;

namespace Normalization.Api.Commands;

public class ImportInput : DataInput
{
    [Description("The history file: NDJSON, CSV, or event data (GDELT, ICEWS, POLECAT); gzip is read as it is")]
    public string File { get; set; } = "";

    [Description("The negotiation to import into (default: the one the file's first line declares)")]
    public string? IntoFlag { get; set; }

    [Description("ndjson, csv, gdelt, icews or polecat (default: csv for .csv and .csv.gz, else ndjson)")]
    public string? FormatFlag { get; set; }

    [Description("Title of a negotiation the file does not declare")]
    public string? TitleFlag { get; set; }

    [Description("Parties of a negotiation the file does not declare: \"US=United States,TB=Taliban\" (a name may hold a comma: \"VE=Venezuela, Bolivarian Republic of\")")]
    public string? PartiesFlag { get; set; }

    [Description("Mediators, same form as --parties")]
    public string? MediatorsFlag { get; set; }

    [Description("How far the record reaches (YYYY-MM-DD), for a negotiation the file does not declare")]
    public string? CoveredUntilFlag { get; set; }

    [Description("Event data: CODE=ACTOR, the actor code (country, group, code prefix or name) of a party; repeat for more (--party US=USA --party TB=AFGTAL)")]
    [FlagAlias("party", true)] // -p is --parties'
    public List<string> PartyFlag { get; set; } = [];

    [Description("Event data: a file of CODE=ACTOR lines (# comments), instead of or beside --party")]
    [FlagAlias("party-map", true)]
    public string? PartyMapFlag { get; set; }

    [Description("The file's encoding when it is not UTF-8 and has no byte-order mark, e.g. windows-1252")]
    public string? EncodingFlag { get; set; }

    [Description("Land the import as this saved what-if scenario (nothing enters the record) and show the stage it would give")]
    public string? AsScenarioFlag { get; set; }

    [Description("Append to the record (event data needs --commit or --as-scenario)")]
    [FlagAlias("commit", true)] // -c is --covered-until's
    public bool CommitFlag { get; set; }
}

[Description("Import a history (NDJSON, CSV) or event data (GDELT, ICEWS, POLECAT) into a negotiation, or as a what-if scenario (all or nothing; idempotent by eventId)", Name = "import")]
public sealed class ImportCommand : DataCommand<ImportInput>
{
    protected override async Task<bool> Run(ImportInput input, IServiceProvider services, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(input.File)) throw new CliException("Give the file to import.");
        if (!System.IO.File.Exists(input.File)) throw new CliException($"No file '{input.File}'.");
        var request = new ImportRequest
        {
            Path = input.File, Format = input.FormatFlag, Into = input.IntoFlag, Title = input.TitleFlag,
            Parties = Parties(input.PartiesFlag, "parties"), Mediators = Parties(input.MediatorsFlag, "mediators"),
            CoveredUntil = Day(input.CoveredUntilFlag, "covered-until"),
            PostedBy = "cli:" + Environment.UserName,
            Encoding = input.EncodingFlag, PartyActors = PartyActors(input), Scenario = input.AsScenarioFlag, Commit = input.CommitFlag,
        };
        var importer = services.GetRequiredService<Importer>();
        var size = new FileInfo(input.File).Length;
        ImportReport report;
        if (!input.JsonFlag && AnsiConsole.Profile.Capabilities.Interactive && size > 256 * 1024)
        {
            report = await AnsiConsole.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .StartAsync(async ctx =>
                {
                    var validating = ctx.AddTask("Validating", maxValue: size);
                    var storing = ctx.AddTask("Storing", autoStart: false, maxValue: size);
                    var progress = new SyncProgress<ImportProgress>(p =>
                    {
                        var task = p.Phase == "validating" ? validating : storing;
                        if (!task.IsStarted) task.StartTask();
                        if (p.Phase != "validating" && !validating.IsFinished) validating.Value = size;
                        task.Value = Math.Min(p.Bytes, size);
                        task.Description = p.Phase switch
                        {
                            "validating" => $"Validating ({p.Events:N0} events)",
                            "finishing" => $"Indexing and folding ({p.Events:N0} events)",
                            _ => $"Storing ({p.Events:N0} events)",
                        };
                    });
                    return await importer.ImportAsync(request, progress, ct);
                });
        }
        else report = await importer.ImportAsync(request, ct: ct);

        // The report goes to stdout (a table, or JSON with --json); a failure also ends with the one `error:` line on stderr
        // every command writes (README), whichever the format.
        var more = report.ErrorCount > report.Errors.Count ? $" (first {report.Errors.Count} shown)" : "";
        if (input.JsonFlag)
        {
            WriteJson(report);
            if (!report.Succeeded) await Console.Error.WriteLineAsync($"error: {report.ErrorCount} error(s) in {input.File}{more}; nothing was stored.");
            return report.Succeeded;
        }
        if (!report.Succeeded)
        {
            var table = new Table().AddColumns("Line", "Path", "Code", "Message");
            // Line 0 is no line of the file: the command's options (--parties, --title …) or the file as a whole.
            foreach (var e in report.Errors) table.AddRow(e.Line > 0 ? e.Line.ToString() : "—", Esc(e.Path), Esc(e.Code), Esc(e.Message));
            Out.Write(table);
            await Console.Error.WriteLineAsync($"error: {report.ErrorCount} error(s) in {input.File}{more}; nothing was stored.");
            return false;
        }
        if (report.EventData is { } data)
        {
            var rows = new Table().Title("Event data").AddColumns("Rows", "Other actors", "Same party", "Ambiguous", "Repeated ids", "Mapped rows", "Merged events");
            rows.AddRow(data.Rows.ToString("N0"), data.OtherActors.ToString("N0"), data.SameParty.ToString("N0"), data.Ambiguous.ToString("N0"),
                data.RepeatedIds.ToString("N0"), data.MappedRows.ToString("N0"), data.Events.ToString("N0"));
            Out.Write(rows);
            if (data.Unmapped.Count + data.Ignored.Count > 0)
            {
                var codes = new Table().Title("Rows between the parties not imported, by code (docs/event-data.md)").AddColumns("Code", "Rows", "Why");
                foreach (var (code, n) in data.Ignored) codes.AddRow(Esc(code), n.ToString("N0"), "ignored by the mapping");
                foreach (var (code, n) in data.Unmapped) codes.AddRow(Esc(code), n.ToString("N0"), "no row in the mapping");
                Out.Write(codes);
            }
        }
        if (report.Scenario is { } scenario)
        {
            Out.Write(new Table().AddColumns("Negotiation", "Scenario", "Events", "Stage now", "Stage with the scenario")
                .AddRow(Esc(report.NegotiationId), Esc(scenario), report.ScenarioEvents.ToString("N0"), Esc(report.StageNow), Esc(report.StageWithScenario)));
            await Console.Error.WriteLineAsync($"Saved as scenario '{scenario}' (nothing entered the record): GET /api/negotiations/{report.NegotiationId}/scenarios/{scenario} re-runs it; import again with --commit to append it.");
            return true;
        }
        var summary = new Table().AddColumns("Negotiation", "Created", "Events", "Stored", "Duplicates", "Blank rows", "Seconds", "Events/s");
        summary.AddRow(Esc(report.NegotiationId), report.Created ? "yes" : "no", report.Events.ToString("N0"), report.Stored.ToString("N0"),
            report.Duplicates.ToString("N0"), report.BlankRows.ToString("N0"), report.Seconds.ToString("0.0"), report.EventsPerSecond.ToString("N0"));
        Out.Write(summary);
        return true;
    }

    /// <summary>
    /// The <c>--party</c> values of every <c>--party</c> on the command line (<see cref="DataCommand{T}.ListOption"/>:
    /// <c>--party US=USA --party TB=AFGTAL</c> and <c>--party US=USA TB=AFGTAL</c> both work), then the lines of <c>--party-map</c>.
    /// </summary>
    static IReadOnlyList<(string Party, string Actor)> PartyActors(ImportInput input)
    {
        var pairs = PartyMatcher.Parse(ListOption("--party", input.PartyFlag), "--party");
        if (input.PartyMapFlag is { } map)
        {
            if (!System.IO.File.Exists(map)) throw new CliException($"No file '{map}' (--party-map).");
            pairs.AddRange(PartyMatcher.Parse(System.IO.File.ReadLines(map), map));
        }
        return pairs;
    }

    /// <summary>
    /// <c>--parties</c> / <c>--mediators</c>: <c>CODE=Name</c> items separated by commas, a bare <c>CODE</c> naming itself. A comma
    /// starts a new item only before another <c>CODE=</c> when the list names any, so an official name with a comma stays whole
    /// (<c>VE=Venezuela, Bolivarian Republic of</c>, ISO 3166's form; it was cut into a party "Bolivarian Republic of").
    /// </summary>
    static IReadOnlyList<Party>? Parties(string? text, string flag)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var items = text.Contains('=') ? System.Text.RegularExpressions.Regex.Split(text, @",(?=\s*[^,=\s]+\s*=)") : text.Split(',');
        return items.Select(p => p.Trim()).Where(p => p.Length > 0).Select(p =>
        {
            var kv = p.Split('=', 2, StringSplitOptions.TrimEntries);
            if (kv[0].Length == 0) throw new CliException($"--{flag}: expected CODE=Name, got '{p}'.");
            return new Party { Code = kv[0], Name = kv.Length > 1 && kv[1].Length > 0 ? kv[1] : kv[0] };
        }).ToList();
    }
}
