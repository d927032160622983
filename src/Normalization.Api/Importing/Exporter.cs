using System.Text;
using CsvHelper;
using Normalization.Api.Exporting;
using Normalization.Api.Storage;
using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Histories;
using Normalization.Domain.Stages;

namespace Normalization.Api.Importing;

/// <summary>What <c>export</c> writes: the history (NDJSON, CSV, XLSX), the stage history (CSV), or the CAMEO/PLOVER event rows (CSV, XLSX).</summary>
public enum ExportFormat { Ndjson, Csv, Stages, Xlsx, Cameo, CameoXlsx }

/// <summary>What an <see cref="ExportFormat"/> is written as.</summary>
public static class ExportFormats
{
    /// <summary>Whether <paramref name="format"/> is written as CSV — the formats a CSV <c>dialect</c> applies to (elsewhere it is <c>not_applicable</c>).</summary>
    public static bool IsCsv(this ExportFormat format) => format is ExportFormat.Csv or ExportFormat.Stages or ExportFormat.Cameo;
}

/// <summary>How to write an export: the CSV dialect and the party → actor-code mapping of the CAMEO rows.</summary>
public sealed record ExportOptions(CsvDialect Dialect = CsvDialect.Rfc4180, ActorCodes? ActorCodes = null)
{
    public static ExportOptions Default { get; } = new();
}

/// <summary>
/// Writes a negotiation out as it was known at a given time: its history (NDJSON with the declaring first line, CSV in the
/// timeline layout, or an XLSX workbook with the timeline, the stage history and a sheet per type), in recording order,
/// so that importing it into another negotiation gives the same states; its stage history (CSV: on,from,to,rule,eventIds,projected);
/// or the effective history as CAMEO/PLOVER rows (<see cref="CameoExport"/>).
/// </summary>
public sealed class Exporter(NegotiationStore store)
{
    public static readonly string[] StageColumns = TimelineCsv.StageColumns;

    public static ExportFormat FormatOf(string? format, string? path) =>
        (format ?? DefaultFor(path)).ToLowerInvariant() switch
        {
            "ndjson" or "jsonl" => ExportFormat.Ndjson,
            "csv" => ExportFormat.Csv,
            "stages" => ExportFormat.Stages,
            "xlsx" => ExportFormat.Xlsx,
            "cameo" => ExportFormat.Cameo,
            "cameo-xlsx" => ExportFormat.CameoXlsx,
            var f => throw new ImportException($"Unknown export format '{f}': use ndjson, csv, stages, xlsx, cameo or cameo-xlsx."),
        };

    static string DefaultFor(string? path) => Path.GetExtension(path ?? "").ToLowerInvariant() switch
    {
        ".csv" => "csv",
        ".xlsx" => "xlsx",
        _ => "ndjson",
    };

    /// <summary>Writes the export; returns the number of records written (events or stage transitions).</summary>
    public async Task<int> ExportAsync(string id, ExportFormat format, DateTimeOffset? knownAt, Stream output, ExportOptions? options = null, CancellationToken ct = default)
    {
        options ??= ExportOptions.Default;
        if (await store.VersionAsync(id, ct) is null) throw new ImportException($"No negotiation '{id}'.");
        var history = await store.LoadHistoryAsync(id, knownAt, ct)
            ?? throw new ImportException(await store.FirstRecordedAtAsync(id, ct) is { } first
                ? NegotiationStore.NotKnownThenMessage(id, knownAt, first, "--known-at ") : $"No negotiation '{id}'.");
        return await WriteAsync(history, format, output, options, ct);
    }

    /// <summary>
    /// Writes a loaded history (the CLI's <c>export</c> and <c>GET /api/negotiations/{id}/export</c> share it); returns the
    /// number of records written. Loading is separate so the HTTP endpoint can answer 404 before it starts the body.
    /// </summary>
    public async Task<int> WriteAsync(History history, ExportFormat format, Stream output, ExportOptions? options = null, CancellationToken ct = default)
    {
        options ??= ExportOptions.Default;
        switch (format)
        {
            case ExportFormat.Ndjson:
            {
                await using var text = new StreamWriter(output, new UTF8Encoding(false), leaveOpen: true);
                await text.WriteAsync(NdjsonHistory.OpeningLine(history.Opening) + "\n");
                foreach (var r in history.Events) await text.WriteAsync(EventJson.Serialize(r.Event) + "\n");
                return history.Events.Count;
            }
            case ExportFormat.Csv:
                using (var csv = CsvWriter.Create(output, CsvDialects.Options(options.Dialect), leaveOpen: true)) TimelineCsv.Write(csv, Entries(history));
                return history.Events.Count;
            case ExportFormat.Xlsx:
                await TimelineWorkbook.WriteAsync(output, Entries(history).ToList(), StageHistory(history, store.Today), ct);
                return history.Events.Count;
            case ExportFormat.Cameo or ExportFormat.CameoXlsx:
                var rows = CameoExport.Rows(history.Events.Select(r => r.Event), options.ActorCodes ?? ActorCodes.Identity);
                if (format == ExportFormat.Cameo)
                    using (var csv = CsvWriter.Create(output, CsvDialects.Options(options.Dialect), leaveOpen: true)) CameoExport.Write(csv, rows);
                else await CameoExport.WriteAsync(output, rows, ct);
                return rows.Count;
            default:
                var transitions = StageHistory(history, store.Today);
                using (var csv = CsvWriter.Create(output, CsvDialects.Options(options.Dialect), leaveOpen: true)) TimelineCsv.WriteStages(csv, transitions);
                return transitions.Count;
        }
    }

    /// <summary>The record as timeline entries in recording order, with the statuses retractions and corrections give.</summary>
    static IEnumerable<TimelineEntry> Entries(History history)
    {
        var resolved = EffectiveHistory.Resolve(history.Events.Select(r => r.Event));
        foreach (var r in history.Events)
        {
            resolved.Statuses.TryGetValue(r.Event.EventId, out var s);
            yield return new TimelineEntry(r.Event, DomainIndex.StatusOf(r.Event, resolved), s?.RetractedBy, s?.CorrectedBy, r.Version, r.RecordedAt, r.PostedBy);
        }
    }

    /// <summary>The stage history up to today, as GET …/stages answers it (a change an event makes on a later day is not one yet).</summary>
    public static IReadOnlyList<StageTransition> StageHistory(History history, DateOnly today) =>
        NegotiationFold.StateAsOf(history.Opening, history.Events.Select(r => r.Event), today).StageHistory;
}
