using System.Text;
using JasperFx.CommandLine;
using Normalization.Api.Importing;

namespace Normalization.Api.Commands;

public class ExportInput : DataInput
{
    [Description("The negotiation id")]
    public string Id { get; set; } = "";

    [Description("ndjson (default), csv, or stages (the stage history as CSV)")]
    public string? FormatFlag { get; set; }

    [Description("Export the record as it was known at this instant (e.g. 2025-04-15T00:00:00Z)")]
    public string? KnownAtFlag { get; set; }

    [Description("Write to this file instead of stdout")]
    public string? OutFlag { get; set; }
}

[Description("Export a negotiation's history (NDJSON or CSV) or its stage history (CSV), as known at a given time", Name = "export")]
public sealed class ExportCommand : DataCommand<ExportInput>
{
    protected override async Task<bool> Run(ExportInput input, IServiceProvider services, CancellationToken ct)
    {
        var format = Exporter.FormatOf(input.FormatFlag, input.OutFlag);
        var knownAt = Instant(input.KnownAtFlag, "known-at");
        var exporter = services.GetRequiredService<Exporter>();
        if (input.OutFlag is null)
        {
            var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = false };
            await exporter.ExportAsync(input.Id, format, knownAt, stdout, ct);
            await stdout.FlushAsync(ct);
            return true;
        }
        var temp = input.OutFlag + ".part";
        int count;
        try
        {
            await using (var file = new StreamWriter(temp, false, new UTF8Encoding(false)))
                count = await exporter.ExportAsync(input.Id, format, knownAt, file, ct);
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
