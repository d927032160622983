using Normalization.Api.Storage;
using Normalization.Api.Timeline;
using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Histories;
using Normalization.Domain.Stages;

namespace Normalization.Api.Importing;

public enum ExportFormat { Ndjson, Csv, Stages }

/// <summary>
/// Writes a negotiation out as it was known at a given time: its history (NDJSON with the declaring first line, or
/// CSV in the timeline layout), in recording order, so that importing it into another negotiation gives the same
/// states; or its stage history (CSV: on,from,to,rule,eventIds,projected).
/// </summary>
public sealed class Exporter(NegotiationStore store)
{
    public static readonly string[] StageColumns = ["on", "from", "to", "rule", "eventIds", "projected"];

    public static ExportFormat FormatOf(string? format, string? path) =>
        (format ?? (path is not null && path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? "csv" : "ndjson")).ToLowerInvariant() switch
        {
            "ndjson" or "jsonl" => ExportFormat.Ndjson,
            "csv" => ExportFormat.Csv,
            "stages" => ExportFormat.Stages,
            var f => throw new ImportException($"Unknown export format '{f}': use ndjson, csv or stages."),
        };

    /// <summary>Writes the export; returns the number of records written (events or stage transitions).</summary>
    public async Task<int> ExportAsync(string id, ExportFormat format, DateTimeOffset? knownAt, TextWriter output, CancellationToken ct = default)
    {
        if (await store.VersionAsync(id, ct) is null) throw new ImportException($"No negotiation '{id}'.");
        var history = await store.LoadHistoryAsync(id, knownAt, ct)
            ?? throw new ImportException($"The negotiation '{id}' was not yet recorded at {knownAt:O}.");
        return await WriteAsync(history, format, output);
    }

    /// <summary>
    /// Writes a loaded history (the CLI's <c>export</c> and <c>GET /api/negotiations/{id}/export</c> share it); returns the
    /// number of records written. Loading is separate so the HTTP endpoint can answer 404 before it starts the body.
    /// </summary>
    public async Task<int> WriteAsync(History history, ExportFormat format, TextWriter output)
    {
        switch (format)
        {
            case ExportFormat.Ndjson:
                await output.WriteAsync(NdjsonHistory.OpeningLine(history.Opening) + "\n");
                foreach (var r in history.Events) await output.WriteAsync(EventJson.Serialize(r.Event) + "\n");
                return history.Events.Count;
            case ExportFormat.Csv:
                var resolved = EffectiveHistory.Resolve(history.Events.Select(r => r.Event));
                var statuses = resolved.Statuses;
                await output.WriteAsync(TimelineEndpoint.CsvHeader + "\n");
                foreach (var r in history.Events)
                {
                    statuses.TryGetValue(r.Event.EventId, out var s);
                    var entry = new TimelineEntry(r.Event, DomainIndex.StatusOf(r.Event, resolved), s?.RetractedBy, s?.CorrectedBy, r.Version, r.RecordedAt, r.PostedBy);
                    await output.WriteAsync(TimelineEndpoint.CsvRow(entry) + "\n");
                }
                return history.Events.Count;
            default:
                var transitions = StageHistory(history, store.Today);
                await output.WriteAsync(string.Join(",", StageColumns) + "\n");
                foreach (var t in transitions) await output.WriteAsync(StageRow(t) + "\n");
                return transitions.Count;
        }
    }


    /// <summary>The stage history up to today (or the last event's date when that is later).</summary>
    public static IReadOnlyList<StageTransition> StageHistory(History history, DateOnly today)
    {
        var events = history.Events.Select(r => r.Event).ToList();
        var last = events.Count == 0 ? today : events.Max(e => e.Date);
        var state = NegotiationFold.StateAsOf(history.Opening, events, last > today ? last : today);
        return state.StageHistory;
    }

    public static string StageRow(StageTransition t) => string.Join(",", new[]
    {
        t.On?.ToString("yyyy-MM-dd") ?? "", t.From?.ToString() ?? "", t.To.ToString(), t.Rule, string.Join(" ", t.EventIds), t.Projected == true ? "true" : "",
    }.Select(TimelineEndpoint.Escape));
}
