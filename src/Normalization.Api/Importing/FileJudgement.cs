using Normalization.Domain.Catalog;
using Normalization.Domain.Histories;
using Normalization.Api.Storage;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Validation;
using ValidationContext = Normalization.Domain.Validation.ValidationContext;

namespace Normalization.Api.Importing;

/// <summary>
/// Judges a file's events, in file order, against a negotiation as recorded: an eventId already recorded or used on an
/// earlier line is a duplicate (the same event again) or, in our own formats, <c>eventid_reused</c> (another event under
/// that id); every other event is judged by the domain rules as one batch (<see cref="BatchValidator"/>: a closing listed
/// before its opening waits for it).
/// </summary>
/// <remarks>
/// One judgement, two uses: pass 1 of an import feeds it line by line as the file is read; when the record moved between
/// pass 1 and the store, the store feeds it the kept events again against the record as it then stands, under the stream's
/// lock (<see cref="NegotiationStore.BulkAppendAsync"/>'s <c>revalidate</c>), so the answer is the one pass 1 would give
/// now.
/// </remarks>
sealed class FileJudgement
{
    readonly ValidationContext _ctx;
    readonly BatchValidator _validator;
    readonly History? _history;
    readonly bool _eventData;
    readonly int _maxErrors;
    // The events an eventId may already name, built at the first duplicate only (an import without one pays nothing).
    Dictionary<Guid, NegotiationEvent>? _known;

    /// <param name="opening">The negotiation's opening (stored, or the one the import creates).</param>
    /// <param name="history">The record as stored, null for a negotiation the import creates.</param>
    /// <param name="today">The store's today (events dated after it are refused).</param>
    /// <param name="eventData">Event data (GDELT, ICEWS, POLECAT): an id names the real event, so a reused id stays a duplicate.</param>
    /// <param name="maxErrors">How many errors are kept; all are counted.</param>
    public FileJudgement(NegotiationOpened opening, History? history, DateOnly today, bool eventData, int maxErrors)
    {
        _history = history;
        _eventData = eventData;
        _maxErrors = maxErrors;
        _ctx = ValidationContext.For(opening, history?.Events.Select(r => r.Event) ?? [], today);
        _validator = new BatchValidator(_ctx);
    }

    /// <summary>The first <c>maxErrors</c> errors, in the order found (held ones sorted by line at <see cref="Finish"/>).</summary>
    public List<LineError> Errors { get; } = [];
    /// <summary>Every error found, kept or not.</summary>
    public int ErrorCount { get; private set; }
    /// <summary>Events already recorded or repeated in the file.</summary>
    public int Duplicates { get; private set; }
    /// <summary>The events to store (kept while there is no error: a refused file stores nothing).</summary>
    public List<NegotiationEvent> Fresh { get; } = [];

    /// <summary>Records an error (the first <c>maxErrors</c> are kept).</summary>
    public void Error(LineError e)
    {
        ErrorCount++;
        if (Errors.Count < _maxErrors) Errors.Add(e);
    }

    /// <summary>Judges the event of file line <paramref name="line"/>, after every earlier line's.</summary>
    public void Judge(int line, NegotiationEvent ev)
    {
        if (_ctx.Knows(ev.EventId))
        {
            // A duplicate is the same event again (an import run twice); an eventId reused for another is an error —
            // in our formats, where the id is the writer's. Event data's ids name the real event (negotiation, day,
            // dyad, type: docs/event-data.md), so a later export or another dataset may carry more sources under
            // the same id: that stays a duplicate, by design.
            if (!_eventData) _known ??= KnownEvents();
            if (_known is not null && _known.TryGetValue(ev.EventId, out var earlier) && EventIdReuse.ClientContent(earlier) != EventIdReuse.ClientContent(ev))
                Error(new LineError(line, "eventId", "eventid_reused",
                    $"eventId {ev.EventId} is already {(_history?.Events.Any(r => r.Event.EventId == ev.EventId) == true ? "recorded" : "used on an earlier line")} for a different event: a new event needs a new eventId (or none)."));
            Duplicates++;
            return;
        }
        if (ErrorCount == 0) Fresh.Add(ev);
        _known?.TryAdd(ev.EventId, ev);
        var fieldErrors = new List<(int Line, FieldError Error)>();
        _validator.Validate(ev, "", line, fieldErrors);
        foreach (var (number, f) in fieldErrors) Error(new LineError(number, f.Path, f.Code, f.Message));
    }

    /// <summary>Ends the file: what the batch still held (a closing whose opening never came) is judged, in line order.</summary>
    public void Finish()
    {
        var held = new List<(int Line, FieldError Error)>();
        _validator.Finish(held);
        foreach (var (number, f) in held.OrderBy(h => h.Line)) Error(new LineError(number, f.Path, f.Code, f.Message));
    }

    /// <summary>The recorded events and the file's events so far, by eventId (the first with each id).</summary>
    Dictionary<Guid, NegotiationEvent> KnownEvents()
    {
        var known = new Dictionary<Guid, NegotiationEvent>();
        foreach (var r in _history?.Events ?? []) known.TryAdd(r.Event.EventId, r.Event);
        foreach (var e in Fresh) known.TryAdd(e.EventId, e);
        return known;
    }
}
