using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Marten;
using Normalization.Api.Importing.EventData;
using Normalization.Api.Importing.Files;
using Normalization.Api.WhatIf;
using Normalization.Api.Storage;
using Normalization.Domain.Catalog;
using Normalization.Domain.Histories;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Validation;

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
    /// <summary>The text's encoding when it is not UTF-8 and has no byte-order mark (e.g. windows-1252).</summary>
    public string? Encoding { get; init; }
    /// <summary>Event data: which actor codes are which party (<c>US</c>, <c>USA</c>), at least one for each of the two parties.</summary>
    public IReadOnlyList<(string Party, string Actor)> PartyActors { get; init; } = [];
    /// <summary>Land the import as this saved what-if scenario instead of appending it (nothing enters the record).</summary>
    public string? Scenario { get; init; }
    /// <summary>Append to the record. Our own formats append unless <see cref="Scenario"/> is given; event data needs it said.</summary>
    public bool Commit { get; init; }
    /// <summary>For gzip input: the most bytes the text may decompress to (HTTP); null: no limit.</summary>
    public long? MaxDecompressedBytes { get; init; }
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
    /// <summary>The format read: ndjson, csv, gdelt, icews or polecat.</summary>
    public string Format { get; init; } = "";
    /// <summary>Rows skipped because every cell was empty or blank.</summary>
    public int BlankRows { get; init; }
    /// <summary>Event data: how its rows were filtered, mapped and merged (null for our own formats).</summary>
    public EventDataTally? EventData { get; init; }
    /// <summary>When the import landed as a saved what-if scenario: its name (nothing was stored in the record).</summary>
    public string? Scenario { get; init; }
    /// <summary>With <see cref="Scenario"/>: the events the scenario adds, the stage today without them and the stage it would give.</summary>
    public int ScenarioEvents { get; init; }
    public string? StageNow { get; init; }
    public string? StageWithScenario { get; init; }
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
public sealed class Importer(NegotiationStore store, IDocumentStore documents, TimeProvider time)
{
    /// <summary>How many times an import is validated and stored when its negotiation was created by another process meanwhile.</summary>
    public const int Attempts = 5;

    /// <summary>
    /// Imports <paramref name="request"/>'s file, all or nothing. When the negotiation moved between validating the file and
    /// storing it (another process appended — an app node's posts, another import of the same negotiation), the store judges
    /// the file's events again against the record as it then stands, under the stream's lock, and stores them or answers
    /// with the errors it now finds, as if the file had been imported after those writes. When another process created the
    /// negotiation meanwhile (two imports of one new id), nothing was stored; the file is validated again against the
    /// negotiation created and stored, up to <see cref="Attempts"/> times, before the import gives up with the "changed while
    /// the file was being validated" error.
    /// </summary>
    public async Task<ImportReport> ImportAsync(ImportRequest request, IProgress<ImportProgress>? progress = null, CancellationToken ct = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            try { return await ImportOnceAsync(request, progress, ct); }
            // A short, growing, jittered pause: the writers' next append is then less likely to land in the same window.
            catch (RecordMoved) when (attempt < Attempts) { await Task.Delay(Random.Shared.Next(20, 100) * attempt, ct); }
            catch (RecordMoved moved) { throw new ImportException(moved.Message, currentVersion: moved.CurrentVersion); }
        }
    }

    /// <summary>The command-line options of <paramref name="request"/> that describe a negotiation to create, as typed.</summary>
    static List<string> DescribingOptions(ImportRequest request) =>
        [.. new[] { ("--title", request.Title is not null), ("--parties", request.Parties is { Count: > 0 }), ("--mediators", request.Mediators is { Count: > 0 }),
            ("--covered-until", request.CoveredUntil is not null) }.Where(o => o.Item2).Select(o => o.Item1)];

    /// <summary>Another process created the negotiation between validation and storing (nothing stored): <see cref="ImportAsync"/> tries again.</summary>
    sealed class RecordMoved(string message, int currentVersion) : Exception(message)
    {
        /// <summary>The stream version the negotiation had moved on to.</summary>
        public int CurrentVersion { get; } = currentVersion;
    }

    async Task<ImportReport> ImportOnceAsync(ImportRequest request, IProgress<ImportProgress>? progress, CancellationToken ct)
    {
        if (!File.Exists(request.Path)) throw new ImportException($"No file '{request.Path}'.");
        var format = HistoryFile.FormatOf(request.Path, request.Format);
        var eventData = format is HistoryFormat.Gdelt or HistoryFormat.Icews or HistoryFormat.Polecat;
        var formatName = format.ToString().ToLowerInvariant();
        if (request.Scenario is { } name && !ScenarioEndpoints.IsName(name))
            throw new ImportException($"--as-scenario '{name}': a scenario name is 1–64 lower-case letters, digits and single hyphens.");
        if (request.Scenario is not null && request.Commit)
            throw new ImportException("Give --as-scenario NAME to review the import as a what-if, or --commit to append it, not both.");
        if (eventData && request.Scenario is null && !request.Commit)
            throw new ImportException("Event data is machine-coded: give --as-scenario NAME to land it as a what-if scenario and see the stage it would give, or --commit to append it to the record.");
        PartyMatcher? parties = null;
        if (eventData)
        {
            if (request.Into is null) throw new ImportException("Give the negotiation to import event data into: --into <id>.");
            parties = new PartyMatcher(request.PartyActors);
        }
        else if (request.PartyActors.Count > 0)
            throw new ImportException("--party maps actor codes of event data (--format gdelt, icews or polecat); NDJSON and CSV name the parties by their own codes.",
                "party", "party=CODE=ACTOR maps actor codes of event data (format=gdelt, icews or polecat); NDJSON and CSV name the parties by their own codes.");
        var clock = Stopwatch.StartNew();

        using var source = ImportSource.Open(request.Path, format, request.Encoding, parties, request.Into, request.MaxDecompressedBytes);
        var total = source.Length;
        using var lines = source.Lines.GetEnumerator();
        NdjsonHistory.Line? first;
        try { first = lines.MoveNext() ? lines.Current : null; }
        catch (TextFault fault) { return Failed(request.Into ?? "", [fault.Error], 1) with { Format = formatName }; }

        // Which negotiation: --into, else the file's declaring line.
        var declared = format == HistoryFormat.Ndjson && first?.Opening is not null ? first : null;
        var id = request.Into ?? declared?.Opening?.Id;
        if (id is null && first is { Errors.Count: > 0 }) return Failed("", first.Errors, first.Errors.Count) with { Format = formatName };
        if (id is null)
            throw new ImportException("No negotiation to import into: give --into <id>, or start the file with a line declaring the negotiation (type NegotiationOpened).");

        // The version first: an append landing after it makes the bulk write refuse (it validated against less).
        var versionBefore = await store.VersionAsync(id, ct);
        var history = await store.LoadHistoryAsync(id, null, ct);
        NegotiationOpened opening;
        var create = history is null;
        if (history is not null) opening = history.Opening;
        else if (declared?.Opening is { } d) opening = d with { Id = id };
        // A first line that declares the negotiation but cannot be read (a month for coveredUntil, a bad baseline): its
        // errors on line 1, as an import into an existing negotiation or without --into gives them — not "the file does not
        // declare it", whose advice (--title, --parties) the import would then refuse.
        else if (format == HistoryFormat.Ndjson && first is { Declares: true, Errors.Count: > 0 })
            return Failed(id, first.Errors, first.Errors.Count) with { Format = formatName };
        else if (request.Parties is { Count: > 0 } partyList)
            opening = new NegotiationOpened { Id = id, Title = request.Title ?? id, Parties = partyList, Mediators = request.Mediators ?? [], Baseline = new Baseline(), CoveredUntil = request.CoveredUntil };
        else throw new ImportException($"No negotiation '{id}', and the file does not declare it: give --title and --parties (e.g. --parties \"US=United States,TB=Taliban\").");
        // The options that describe a negotiation only create one from a file that does not declare it: said, not silently
        // dropped, when the negotiation exists or the file's first line declares it (a historian's --covered-until was lost).
        if (!(create && declared?.Opening is null) && DescribingOptions(request) is { Count: > 0 } unused)
            throw new ImportException($"{string.Join(", ", unused)} describe a negotiation the import creates from a file with no declaring line, but " +
                (create ? $"the file's first line declares '{id}': edit that line (title, parties, mediators, coveredUntil) instead"
                        : $"'{id}' exists: change its coverage with PUT /api/negotiations/{id}/coverage or a RecordReviewed event") + "; nothing was stored.");
        if (create && request.Scenario is not null)
            throw new ImportException($"A scenario branches a recorded negotiation, and there is no negotiation '{id}' yet: create it first (or import with --commit).");
        if (parties is not null)
            foreach (var code in parties.Parties)
                if (!opening.Parties.Any(p => p.Code == code))
                {
                    var theirs = $"'{code}' is not a party of '{id}' (its parties: {string.Join(", ", opening.Parties.Select(p => p.Code))}).";
                    throw new ImportException($"--party {code}=…: {theirs}", "party", $"party={code}=…: {theirs}");
                }
        if (!create && declared?.Opening is { } header && HeaderMismatches(header, opening) is { Count: > 0 } mismatches)
            return Failed(id, mismatches, mismatches.Count) with { Format = formatName };
        if (create)
        {
            var problems = NegotiationValidator.Validate(opening, today: store.Today);
            if (problems.Count > 0) return Failed(id, problems.Select(p => new LineError(declared?.Opening is null ? 0 : 1, p.Path, p.Code, p.Message)).ToList(), problems.Count);
        }

        // Pass 1: validate everything, store nothing.
        var validating = Telemetry.TelemetrySetup.Source.StartActivity("import.validate");
        validating?.SetTag("negotiation.id", id);
        // The file is judged as a whole: a closing on a line before its opening's waits for it (BatchValidator).
        var judgement = new FileJudgement(opening, history, store.Today, eventData, request.MaxErrors);
        var events = 0;
        // Kept for pass 2 with their line numbers: the file is read and parsed once (~1 KB per event in memory).
        var batch = new List<NegotiationEvent>();
        var batchLines = new List<int>();
        try
        {
            for (var line = first; line is not null; line = lines.MoveNext() ? lines.Current : null)
            {
                ct.ThrowIfCancellationRequested();
                foreach (var e in line.Errors) judgement.Error(e);
                if (line.Opening is not null && line != declared)
                    judgement.Error(new LineError(line.Number, "type", "misplaced_negotiation", "Only the first line may declare the negotiation."));
                if (line.Event is not { } ev) continue;
                events++;
                if (judgement.ErrorCount == 0) { batch.Add(ev); batchLines.Add(line.Number); }
                judgement.Judge(line.Number, ev);
                if (events % 1000 == 0) progress?.Report(new ImportProgress("validating", source.Position, total, events));
            }
        }
        catch (TextFault fault)
        {
            validating?.Dispose();
            return Failed(id, [fault.Error], 1) with { Format = formatName, BlankRows = source.BlankRows, EventData = source.EventData };
        }
        judgement.Finish();
        progress?.Report(new ImportProgress("validating", total, total, events));
        validating?.SetTag("events.count", events);
        validating?.SetTag("errors.count", judgement.ErrorCount);
        validating?.Dispose();
        var report = new ImportReport
        {
            NegotiationId = id, Format = formatName, Events = events, Duplicates = judgement.Duplicates, BlankRows = source.BlankRows, EventData = source.EventData,
        };
        if (judgement.ErrorCount > 0)
            return report with { ErrorCount = judgement.ErrorCount, Errors = judgement.Errors, Duplicates = 0, Seconds = clock.Elapsed.TotalSeconds };
        var fresh = judgement.Fresh;

        if (request.Scenario is { } scenario)
            return await LandAsScenarioAsync(report, scenario, fresh, clock, ct);

        // Pass 2: store everything in one transaction (COPY, one fold): all or nothing.
        // Events written (COPY, in chunks), then "finishing": the index, the fold and its checkpoints, the read models.
        var storing = new SyncProgress<int>(n => progress?.Report(n >= batch.Count
            ? new ImportProgress("finishing", total, total, n)
            : new ImportProgress("storing", (long)((double)n / Math.Max(1, batch.Count) * total), total, n)));
        using var storingSpan = Telemetry.TelemetrySetup.Source.StartActivity("import.store");
        storingSpan?.SetTag("negotiation.id", id);
        storingSpan?.SetTag("events.count", batch.Count);
        // When the record moved since pass 1 (an app node's posts), the store judges the kept events again against it under
        // the stream's lock, as pass 1 would now: writers then wait for this import instead of outpacing it.
        FileJudgement? rejudged = null;
        bool Revalidate(History now)
        {
            rejudged = new FileJudgement(opening, now, store.Today, eventData, request.MaxErrors);
            for (var i = 0; i < batch.Count; i++) rejudged.Judge(batchLines[i], batch[i]);
            rejudged.Finish();
            return rejudged.ErrorCount == 0;
        }
        var outcome = await store.BulkAppendAsync(opening, create, create ? null : versionBefore, batch, request.PostedBy,
            $"import:{System.IO.Path.GetFileName(request.Path)}", storing, Revalidate, ct);
        switch (outcome)
        {
            case BulkOutcome.Stored s:
                progress?.Report(new ImportProgress("storing", total, total, s.Count + s.Duplicates));
                return report with { Created = create, Stored = s.Count, Duplicates = s.Duplicates, Seconds = clock.Elapsed.TotalSeconds };
            case BulkOutcome.Refused:
                // The record moved under pass 1 and the file no longer fits it (an event posted meanwhile took an id, closed a demand…).
                return report with { ErrorCount = rejudged!.ErrorCount, Errors = rejudged.Errors, Duplicates = 0, Seconds = clock.Elapsed.TotalSeconds };
            case BulkOutcome.NotFound:
                throw new ImportException($"The negotiation '{id}' disappeared during the import; nothing was stored.");
            case BulkOutcome.Changed c:
                throw new RecordMoved($"The negotiation '{id}' was created by another process while the file was being validated, and changed again on each of {Attempts} tries (now at version {c.CurrentVersion}); nothing was stored. Run the import again: events already stored are skipped.", c.CurrentVersion);
            default:
                throw new ImportException($"The import into '{id}' was interrupted: {outcome}.");
        }
    }

    /// <summary>
    /// Saves the new events (those not already recorded) as the <see cref="SavedScenario"/> <paramref name="name"/> — the same
    /// document <c>POST …/scenarios</c> writes, so <c>GET …/scenarios/{name}</c> re-runs it — and answers with the stage today
    /// and the stage the scenario gives. Nothing enters the record.
    /// </summary>
    async Task<ImportReport> LandAsScenarioAsync(ImportReport report, string name, List<NegotiationEvent> fresh, Stopwatch clock, CancellationToken ct)
    {
        // A scenario of no change would re-run as the record itself and read as a review that found nothing: say so, save nothing.
        if (fresh.Count == 0)
            return report with
            {
                ErrorCount = 1, Duplicates = 0, Seconds = clock.Elapsed.TotalSeconds,
                Errors = [new LineError(0, "scenario", "nothing_new", report.Duplicates > 0
                    ? $"Every event of the file is already in the record ({report.Duplicates} duplicates): scenario '{name}' would change nothing, so it was not saved (a scenario of that name, if any, is kept as it was)."
                    : $"The file holds no event: scenario '{name}' would change nothing, so it was not saved.")],
            };
        if (fresh.Count > WhatIfChanges.MaxChanges)
            throw new ImportException($"A scenario holds at most {WhatIfChanges.MaxChanges} events and this import has {fresh.Count} new ones: import a shorter span, or append it with --commit.", "scenario");
        var add = new JsonArray(fresh.Select(e => JsonNode.Parse(EventJson.Serialize(e))).ToArray());
        var raw = new JsonObject { ["add"] = add }.ToJsonString();
        using var doc = JsonDocument.Parse(raw);
        var readErrors = new List<FieldError>();
        var changes = WhatIfChanges.Read(doc.RootElement, readErrors);
        var result = readErrors.Count == 0 ? await WhatIfRunner.RunAsync(store, report.NegotiationId, changes, new(null, null, null), ct) : null;
        if (result is null || !result.IsValid)
        {
            var problems = readErrors.Concat(result?.Errors ?? []).Select(e => new LineError(0, e.Path, e.Code, e.Message)).ToList();
            return report with { ErrorCount = problems.Count, Errors = problems.Take(200).ToList(), Duplicates = 0, Seconds = clock.Elapsed.TotalSeconds };
        }
        var now = time.GetUtcNow();
        await using var session = documents.LightweightSession();
        session.Store(new SavedScenario
        {
            Id = SavedScenario.IdOf(report.NegotiationId, name), NegotiationId = report.NegotiationId, Name = name, Changes = changes.Raw,
            SavedAt = now.AddTicks(-(now.Ticks % 10)),
        });
        await session.SaveChangesAsync(ct);
        return report with
        {
            Scenario = name, ScenarioEvents = fresh.Count, StageNow = result.Baseline?.Stage.ToString(), StageWithScenario = result.State.Stage.ToString(),
            Seconds = clock.Elapsed.TotalSeconds,
        };
    }

    /// <summary>
    /// Where a file's declaring first line disagrees with the negotiation it is imported into: its <c>parties</c> (codes, in
    /// order: party A and B are the fold's two sides) or its <c>baseline</c> (the facts every state starts from). Either
    /// would fold the file's events from other premises and give other states than the negotiation it was exported from,
    /// so the import is refused (<c>parties_mismatch</c>, <c>baseline_mismatch</c>, on line 1) rather than silently
    /// dropping the header. Title, mediators, tags and coveredUntil are not compared: they do not change a state's stage.
    /// To land a file with its own header, import it into a negotiation that does not exist yet (the command line's
    /// <c>import FILE [--into NEW-ID]</c> creates it from the header).
    /// </summary>
    static List<LineError> HeaderMismatches(NegotiationOpened header, NegotiationOpened target)
    {
        var errors = new List<LineError>();
        static string Codes(IEnumerable<Party> parties) => string.Join(", ", parties.Select(p => p.Code));
        if (Codes(header.Parties) != Codes(target.Parties))
            errors.Add(new LineError(1, "parties", "parties_mismatch",
                $"The file declares the parties {Codes(header.Parties)}, but '{target.Id}' has {Codes(target.Parties)}: import it into a negotiation with the same parties, or into a new id (the command line's import creates it from the file's first line)."));
        if (BaselineKey(header.Baseline) != BaselineKey(target.Baseline))
            errors.Add(new LineError(1, "baseline", "baseline_mismatch",
                $"The file declares a baseline that differs from '{target.Id}''s (its events would fold from other facts and give other states): give '{target.Id}' the same baseline, or import the file into a new id (the command line's import creates it from the file's first line)."));
        return errors;
    }

    /// <summary>The baseline as JSON with each list in a canonical order: the same facts listed in another order are the same baseline.</summary>
    static string BaselineKey(Baseline b)
    {
        static string[] Sorted<T>(IEnumerable<T> items) => items.Select(i => JsonSerializer.Serialize(i, EventJson.Options)).Order(StringComparer.Ordinal).ToArray();
        return JsonSerializer.Serialize(new
        {
            relations = b.Relations.ToString(), recognition = Sorted(b.Recognition), offices = Sorted(b.Offices),
            sanctions = Sorted(b.Sanctions), designations = Sorted(b.Designations),
        });
    }

    static ImportReport Failed(string id, IReadOnlyList<LineError> errors, int count) => new() { NegotiationId = id, ErrorCount = count, Errors = errors };
}

/// <summary>An IProgress that reports on the caller's thread, in order (Progress&lt;T&gt; would post to the thread pool).</summary>
public sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
