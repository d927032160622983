using JasperFx.CommandLine;
using Normalization.Api.Importing;
using Normalization.Domain.Negotiations;
using Spectre.Console;

namespace Normalization.Api.Commands;

public class ImportInput : DataInput
{
    [Description("The NDJSON or CSV history file")]
    public string File { get; set; } = "";

    [Description("The negotiation to import into (default: the one the file's first line declares)")]
    public string? IntoFlag { get; set; }

    [Description("ndjson or csv (default: from the extension)")]
    public string? FormatFlag { get; set; }

    [Description("Title of a negotiation the file does not declare")]
    public string? TitleFlag { get; set; }

    [Description("Parties of a negotiation the file does not declare: \"US=United States,TB=Taliban\"")]
    public string? PartiesFlag { get; set; }

    [Description("Mediators, same form as --parties")]
    public string? MediatorsFlag { get; set; }

    [Description("How far the record reaches (YYYY-MM-DD), for a negotiation the file does not declare")]
    public string? CoveredUntilFlag { get; set; }
}

[Description("Import an NDJSON or CSV history into a new or existing negotiation (all or nothing; idempotent by eventId)", Name = "import")]
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
            CoveredUntil = Date(input.CoveredUntilFlag, "covered-until"),
            PostedBy = "cli:" + Environment.UserName,
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

        if (input.JsonFlag) { WriteJson(report); return report.Succeeded; }
        if (!report.Succeeded)
        {
            var table = new Table().AddColumns("Line", "Path", "Code", "Message");
            foreach (var e in report.Errors) table.AddRow(e.Line.ToString(), Esc(e.Path), Esc(e.Code), Esc(e.Message));
            Out.Write(table);
            var more = report.ErrorCount > report.Errors.Count ? $" (first {report.Errors.Count} shown)" : "";
            await Console.Error.WriteLineAsync($"error: {report.ErrorCount} error(s) in {input.File}{more}; nothing was stored.");
            return false;
        }
        var summary = new Table().AddColumns("Negotiation", "Created", "Events", "Stored", "Duplicates", "Seconds", "Events/s");
        summary.AddRow(Esc(report.NegotiationId), report.Created ? "yes" : "no", report.Events.ToString("N0"), report.Stored.ToString("N0"),
            report.Duplicates.ToString("N0"), report.Seconds.ToString("0.0"), report.EventsPerSecond.ToString("N0"));
        Out.Write(summary);
        return true;
    }

    static IReadOnlyList<Party>? Parties(string? text, string flag)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        return text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p =>
        {
            var kv = p.Split('=', 2, StringSplitOptions.TrimEntries);
            if (kv[0].Length == 0) throw new CliException($"--{flag}: expected CODE=Name, got '{p}'.");
            return new Party { Code = kv[0], Name = kv.Length > 1 && kv[1].Length > 0 ? kv[1] : kv[0] };
        }).ToList();
    }
}
