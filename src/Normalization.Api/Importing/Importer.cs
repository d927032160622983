using System.Diagnostics;
using Normalization.Api.Storage;
using Normalization.Domain.Catalog;
using Normalization.Domain.Histories;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Validation;
using ValidationContext = Normalization.Domain.Validation.ValidationContext;

namespace Normalization.Api.Importing;

/// <summary>How to import a file.</summary>
public sealed record ImportRequest
{
    public required string Path { get; init; }
    /// <summary>ndjson or csv; by default from the file's extension (.csv is CSV, anything else NDJSON).</summary>
    public string? Format { get; init; }
    /// <summary>The negotiation to import into; by default the one the file's first line declares.</summary>
    public string? Into { get; init; }
    /// <summary>When the negotiation does not exist and the file does not declare it: its title and parties.</summary>
    public string? Title { get; init; }
    public IReadOnlyList<Party>? Parties { get; init; }
    public IReadOnlyList<Party>? Mediators { get; init; }
    /// <summary>How far the record reaches, for a negotiation the file does not declare (a CSV); NDJSON files declare it on their first line.</summary>
    public DateOnly? CoveredUntil { get; init; }
    public string PostedBy { get; init; } = "import";
    /// <summary>At most this many errors are reported (all are counted).</summary>
    public int MaxErrors { get; init; } = 200;
}

/// <summary>Progress of an import: the phase (validating, storing, finishing), bytes of the file's total (for storing: the share of events written).</summary>
public sealed record ImportProgress(string Phase, long Bytes, long TotalBytes, int Events);

/// <summary>What an import did. With errors nothing was stored.</summary>
public sealed record ImportReport
{
    public string NegotiationId { get; init; } = "";
    public bool Created { get; init; }
    public int Events { get; init; }
    public int Stored { get; init; }
    public int Duplicates { get; init; }
    public int ErrorCount { get; init; }
    public IReadOnlyList<LineError> Errors { get; init; } = [];
    public double Seconds { get; init; }
    public double EventsPerSecond => Seconds > 0 ? Stored / Seconds : 0;
    public bool Succeeded => ErrorCount == 0;
}

/// <summary>
/// Imports an NDJSON or CSV history into a new or existing negotiation, all or nothing per file:
/// pass 1 streams the file and validates every record (structure with <see cref="NdjsonHistory.ParseLine"/>,
/// then the domain rules against the stored stream and the file's earlier lines); if anything is wrong nothing is
/// stored. Pass 2 stores the events kept from pass 1 in one transaction with <see cref="NegotiationStore.BulkAppendAsync"/>
/// (COPY into Marten's event table and the index, one fold over the whole record, checkpoints written once).
/// Idempotent by eventId: events already stored are counted as duplicates.
/// </summary>
public sealed class Importer(NegotiationStore store)
{
    public async Task<ImportReport> ImportAsync(ImportRequest request, IProgress<ImportProgress>? progress = null, CancellationToken ct = default)
    {
        if (!File.Exists(request.Path)) throw new ImportException($"No file '{request.Path}'.");
        var format = HistoryFile.FormatOf(request.Path, request.Format);
        var clock = Stopwatch.StartNew();
        var total = new FileInfo(request.Path).Length;

        // Which negotiation: --into, else the file's declaring line.
        var declared = format == HistoryFormat.Ndjson ? FirstLineOpening(request.Path) : null;
        if (declared is { Errors.Count: > 0 }) return Failed(request.Into ?? "", declared.Errors, declared.Errors.Count);
        var id = request.Into ?? declared?.Opening?.Id
            ?? throw new ImportException("No negotiation to import into: give --into <id>, or start the file with a line declaring the negotiation (type NegotiationOpened).");

        // The version first: an append landing after it makes the bulk write refuse (it validated against less).
        var versionBefore = await store.VersionAsync(id, ct);
        var history = await store.LoadHistoryAsync(id, null, ct);
        NegotiationOpened opening;
        var create = history is null;
        if (history is not null) opening = history.Opening;
        else if (declared?.Opening is { } d) opening = d with { Id = id };
        else if (request.Parties is { Count: > 0 } parties)
            opening = new NegotiationOpened { Id = id, Title = request.Title ?? id, Parties = parties, Mediators = request.Mediators ?? [], Baseline = new Baseline(), CoveredUntil = request.CoveredUntil };
        else throw new ImportException($"No negotiation '{id}', and the file does not declare it: give --title and --parties (e.g. --parties \"US=United States,TB=Taliban\").");
        if (create)
        {
            var problems = NegotiationValidator.Validate(opening);
            if (problems.Count > 0) return Failed(id, problems.Select(p => new LineError(declared?.Opening is null ? 0 : 1, p.Path, p.Code, p.Message)).ToList(), problems.Count);
        }

        // Pass 1: validate everything, store nothing.
        var validating = Telemetry.TelemetrySetup.Source.StartActivity("import.validate");
        validating?.SetTag("negotiation.id", id);
        var ctx = ValidationContext.For(opening, history?.Events.Select(r => r.Event) ?? [], store.Today);
        var errors = new List<LineError>();
        var errorCount = 0;
        var events = 0;
        var duplicates = 0;
        // Kept for pass 2: the file is read and parsed once (~1 KB per event in memory).
        var batch = new List<NegotiationEvent>();
        void Error(LineError e) { errorCount++; if (errors.Count < request.MaxErrors) errors.Add(e); }
        await using (var stream = Open(request.Path))
        using (var reader = new StreamReader(stream))
        {
            foreach (var line in HistoryFile.Read(reader, format))
            {
                ct.ThrowIfCancellationRequested();
                foreach (var e in line.Errors) Error(e);
                if (line.Opening is not null && line.Number != FirstLineNumber(declared))
                    Error(new LineError(line.Number, "type", "misplaced_negotiation", "Only the first line may declare the negotiation."));
                if (line.Event is not { } ev) continue;
                events++;
                if (errorCount == 0) batch.Add(ev);
                if (ctx.Knows(ev.EventId)) { duplicates++; continue; }
                var fieldErrors = new List<FieldError>();
                EventValidator.Validate(ev, "", ctx, fieldErrors);
                foreach (var f in fieldErrors) Error(new LineError(line.Number, f.Path, f.Code, f.Message));
                if (events % 1000 == 0) progress?.Report(new ImportProgress("validating", stream.Position, total, events));
            }
            progress?.Report(new ImportProgress("validating", total, total, events));
        }
        validating?.SetTag("events.count", events);
        validating?.SetTag("errors.count", errorCount);
        validating?.Dispose();
        if (errorCount > 0)
            return new ImportReport { NegotiationId = id, Events = events, ErrorCount = errorCount, Errors = errors, Seconds = clock.Elapsed.TotalSeconds };

        // Pass 2: store everything in one transaction (COPY, one fold): all or nothing.
        // Events written (COPY, in chunks), then "finishing": the index, the fold and its checkpoints, the read models.
        var storing = new SyncProgress<int>(n => progress?.Report(n >= batch.Count
            ? new ImportProgress("finishing", total, total, n)
            : new ImportProgress("storing", (long)((double)n / Math.Max(1, batch.Count) * total), total, n)));
        using var storingSpan = Telemetry.TelemetrySetup.Source.StartActivity("import.store");
        storingSpan?.SetTag("negotiation.id", id);
        storingSpan?.SetTag("events.count", batch.Count);
        var outcome = await store.BulkAppendAsync(opening, create, create ? null : versionBefore, batch, request.PostedBy,
            $"import:{System.IO.Path.GetFileName(request.Path)}", storing, ct);
        switch (outcome)
        {
            case BulkOutcome.Stored s:
                progress?.Report(new ImportProgress("storing", total, total, s.Count + s.Duplicates));
                return new ImportReport
                {
                    NegotiationId = id, Created = create, Events = events, Stored = s.Count, Duplicates = s.Duplicates, Seconds = clock.Elapsed.TotalSeconds,
                };
            case BulkOutcome.NotFound:
                throw new ImportException($"The negotiation '{id}' disappeared during the import; nothing was stored.");
            case BulkOutcome.Changed c:
                throw new ImportException($"The negotiation '{id}' changed while the file was being validated (now at version {c.CurrentVersion}); nothing was stored. Run the import again: events already stored are skipped.");
            default:
                throw new ImportException($"The import into '{id}' was interrupted: {outcome}.");
        }
    }

    static ImportReport Failed(string id, IReadOnlyList<LineError> errors, int count) => new() { NegotiationId = id, ErrorCount = count, Errors = errors };

    static int FirstLineNumber(NdjsonHistory.Line? declared) => declared?.Number ?? -1;

    /// <summary>Store errors have paths "events[i].field": i is the index in the batch, mapped back to its line.</summary>
    static LineError MapBack(FieldError f, List<int> lines)
    {
        var m = System.Text.RegularExpressions.Regex.Match(f.Path, @"\Aevents\[([0-9]+)\]\.?(.*)\z", System.Text.RegularExpressions.RegexOptions.Singleline);
        if (m.Success && int.TryParse(m.Groups[1].Value, out var i) && i < lines.Count)
            return new LineError(lines[i], m.Groups[2].Value, f.Code, f.Message);
        return new LineError(0, f.Path, f.Code, f.Message);
    }

    static FileStream Open(string path) => new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);

    /// <summary>The first non-blank line of an NDJSON file when it declares the negotiation.</summary>
    static NdjsonHistory.Line? FirstLineOpening(string path)
    {
        using var reader = File.OpenText(path);
        var number = 0;
        while (reader.ReadLine() is { } text)
        {
            number++;
            if (string.IsNullOrWhiteSpace(text)) continue;
            if (!text.Contains("\"NegotiationOpened\"", StringComparison.Ordinal)) return null;
            var line = NdjsonHistory.ParseLine(number, text);
            return line.Opening is not null || line.Errors.Count > 0 ? line : null;
        }
        return null;
    }
}

/// <summary>An IProgress that reports on the caller's thread, in order (Progress&lt;T&gt; would post to the thread pool).</summary>
public sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
