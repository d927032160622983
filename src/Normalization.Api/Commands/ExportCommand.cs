using JasperFx.CommandLine;
using Normalization.Api.Exporting;
using Normalization.Api.Importing;

namespace Normalization.Api.Commands;

public class ExportInput : DataInput
{
    [Description("The negotiation id")]
    public string Id { get; set; } = "";

    [Description("ndjson (default; csv / xlsx when --out ends so), csv, stages (the stage history as CSV), xlsx (timeline + stage history + a sheet per type), cameo (CAMEO/PLOVER rows as CSV) or cameo-xlsx")]
    public string? FormatFlag { get; set; }

    [Description("CSV dialect: rfc4180 (default) or excel (UTF-8 with BOM, CRLF, formula-leading cells protected)")]
    public string? DialectFlag { get; set; }

    [Description("CAMEO rows: the actor code of each party, CODE=ACTOR pairs after the flag or the flag repeated (--party US=USA TB=AFGTAL, --party US=USA --party TB=AFGTAL; default: the party code)")]
    public List<string> PartyFlag { get; set; } = [];

    [Description("Export the record as it was known at this instant (e.g. 2025-04-15T00:00:00Z)")]
    public string? KnownAtFlag { get; set; }

    [Description("Write to this file instead of stdout")]
    public string? OutFlag { get; set; }
}

[Description("Export a negotiation's history (NDJSON, CSV, XLSX), its stage history (CSV) or its CAMEO/PLOVER event rows, as known at a given time", Name = "export")]
public sealed class ExportCommand : DataCommand<ExportInput>
{
    protected override async Task<bool> Run(ExportInput input, IServiceProvider services, CancellationToken ct)
    {
        // The options by the HTTP rules: the format by the one format reader (Exporter.FormatOf, which GET …/export uses),
        // --known-at as the knownAt of every endpoint, --party as cameo's party; then the id, as the route's.
        ExportFormat format;
        try { format = Exporter.FormatOf(input.FormatFlag, input.OutFlag); }
        catch (ImportException e) when (input.FormatFlag is not null) { throw new CliException("--format: " + e.Message); }
        var knownAt = Instant(input.KnownAtFlag, "known-at");
        // --dialect by the rule of GET …/export's dialect (ExportQuery.TryDialect): unknown, or given for a format that is not CSV, is refused.
        var dialectErrors = new List<Normalization.Domain.Validation.FieldError>();
        Exporting.ExportQuery.TryDialect(input.DialectFlag is null ? default : new Microsoft.Extensions.Primitives.StringValues(input.DialectFlag), format.IsCsv(), out var dialect, dialectErrors);
        if (dialectErrors.Count > 0) throw new CliException("--" + dialectErrors[0].Message.Replace("format=csv", "--format csv"));
        var (codes, errors) = ActorCodes.Parse(ListOption("--party", input.PartyFlag));
        if (errors.Count > 0) throw new CliException("--party: " + string.Join(" ", errors));
        var options = new ExportOptions(dialect, codes);
        ValidId(input.Id);
        if (input.OutFlag is { } target)
        {
            // Said before anything is read, in the option's words (not as the exception of the temporary file written first).
            if (Directory.Exists(target)) throw new CliException($"--out: '{target}' is a folder: name a file in it (e.g. {Path.Combine(target, input.Id + ".ndjson")}).");
            var folder = Path.GetDirectoryName(Path.GetFullPath(target));
            if (folder is not null && !Directory.Exists(folder)) throw new CliException($"--out: there is no folder '{folder}': create it first, or name a file in an existing folder.");
        }
        var exporter = services.GetRequiredService<Exporter>();
        if (input.OutFlag is null)
        {
            await using var stdout = Console.OpenStandardOutput();
            await exporter.ExportAsync(input.Id, format, knownAt, stdout, options, ct);
            await stdout.FlushAsync(ct);
            return true;
        }
        var temp = input.OutFlag + ".part";
        int count;
        try
        {
            await using (var file = File.Create(temp))
                count = await exporter.ExportAsync(input.Id, format, knownAt, file, options, ct);
            File.Move(temp, input.OutFlag, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
        if (input.JsonFlag) WriteJson(new { id = input.Id, format = format.ToString().ToLowerInvariant(), records = count, file = input.OutFlag });
        else DataCommands.Results.WriteLine($"Exported {count} {(format == ExportFormat.Stages ? "stage transitions" : "events")} of '{input.Id}' to {input.OutFlag}.");
        return true;
    }
}
