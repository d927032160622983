using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;

namespace Normalization.Domain.Validation;

/// <summary>
/// Validates a batch (or a whole file) as one whole: the order of a list is not domain order, so an event refused only for
/// what a later line of the same batch or file settles is held back rather than refused, and judged again once that line is
/// accepted — as if it had been listed after it. Held so: a closing listed before the DemandMade (AgreementSigned) it
/// closes; a retraction or correction listed before the event it aims at (a timeline export is in domain order, where a
/// correction may sort before its target), down chains (the retraction of a retraction listed before both); and a
/// retraction refused as <c>already_retracted</c> or <c>still_referenced</c>, or a closing whose opening is retracted, which
/// another line (the retraction of that retraction, of those closings) may settle; an opening whose demandId or commitmentId
/// another opening in force holds (<c>duplicate_id</c>), which a later retraction of that opening frees. What is still held at the end is judged
/// once more, until nothing more can be accepted (<see cref="Finish"/>): a closing whose opening never comes, a retraction of
/// an event in no line, stay <c>unknown_reference</c>; a retraction of an opening whose closings (listed before it) a held
/// reuse of its id fits is accepted with that reuse, the closings re-attached to it (<see cref="ReattachToReuse"/>). Everything else is judged in list order, event by event
/// (<see cref="EventValidator.Validate"/>), as one request at a time would be.
/// </summary>
public sealed class BatchValidator(ValidationContext ctx)
{
    // Events waiting for a line: by the demand or commitment they close ((bool, string)), or the event they aim at (Guid).
    // Few, usually none: retries cost nothing then.
    readonly Dictionary<object, List<Held>> _waiting = new();
    // Events refused for what any later acceptance may change (already_retracted, still_referenced): retried at the end.
    readonly List<Held> _retry = [];

    // The events of this batch accepted so far: only closings of the batch itself can be re-attached to a reuse (ReattachToReuse).
    readonly HashSet<Guid> _acceptedHere = [];

    // The retractions accepted in this batch, by their target: a correction of a target they retract is judged as if listed before them.
    readonly Dictionary<Guid, List<Guid>> _retractedHere = new();

    // Retractions accepted as if listed before another retraction of their target (of this batch): at the end all but one of
    // the target's retractions must be retracted in turn by some line, else the second is already_retracted.
    // A correction so accepted though its version would not fit the record (OutOfRecord) stands only while its target stays retracted.
    readonly List<(Held Held, Guid Target, List<FieldError> Refusal, bool OutOfRecord)> _provisional = [];

    sealed record Held(NegotiationEvent Event, string Path, int Tag);

    /// <summary>The context the batch is judged in (it registers every accepted event).</summary>
    public ValidationContext Context => ctx;

    /// <summary>
    /// Validates <paramref name="e"/> (at <paramref name="path"/>; <paramref name="tag"/> goes back with its errors, e.g. a line
    /// number). Its errors, and those of held events it settles, are added to <paramref name="errors"/>; an event refused only
    /// for what a later line may settle is held, with no error for now. False when it is refused or held.
    /// </summary>
    public bool Validate(NegotiationEvent e, string path, int tag, List<(int Tag, FieldError Error)> errors)
    {
        var held = new Held(e, path, tag);
        if (Judge(held, errors))
        {
            if (_waiting.Count > 0) Settle(e, errors);
            return true;
        }
        return false;
    }

    /// <summary>
    /// Judges the events still held (what they wait for never came) until no more of them can be accepted — one accepted may
    /// settle another (the retraction of a retraction, then a second retraction of its target) — and adds the errors of the
    /// rest to <paramref name="errors"/>.
    /// </summary>
    public void Finish(List<(int Tag, FieldError Error)> errors)
    {
        var held = _waiting.Values.SelectMany(l => l).Concat(_retry).OrderBy(h => h.Tag).ToList();
        _waiting.Clear();
        _retry.Clear();
        var last = new Dictionary<Held, List<FieldError>>();
        var supposed = new List<(Held Held, List<FieldError> Refusal)>();
        for (var progress = true; progress && held.Count > 0;)
        {
            progress = false;
            foreach (var h in held.ToList())
            {
                var mine = new List<FieldError>();
                if (Accept(h, mine)) { held.Remove(h); last.Remove(h); progress = true; }
                else last[h] = mine;
            }
            if (progress) continue;
            if (SupposeOneRetracted(held, last) is { } s)
            {
                supposed.Add((s, last[s]));
                held.Remove(s);
                last.Remove(s);
                progress = true;
            }
            else if (ReattachToReuse(held, last) is { Count: > 0 } moved)
            {
                foreach (var h in moved) { held.Remove(h); last.Remove(h); }
                progress = true;
            }
        }
        foreach (var h in held) errors.AddRange(last[h].Select(m => (h.Tag, m)));
        // A change supposed in force stands only when a line retracts it in the end: its effect was never in the record. An
        // opening supposed in force stands when it is retracted, or corrected to open no id another opening in force holds.
        foreach (var (h, refusal) in supposed)
            if (!ctx.IsRetracted(h.Event.EventId) && !(h.Event is not (EventRetracted or EventCorrected) && OpensNoHeldId(h.Event.EventId)))
                errors.AddRange(refusal.Select(m => (h.Tag, m)));
        // One request at a time, a retraction is refused while its target is retracted: two retractions of one event can be
        // put in an order it accepts only when the one listed first is itself retracted by some line (then put back or not).
        // A closing accepted as if listed before the retraction of its opening stands when its opening is back in force or it
        // is itself retracted by some line (one request at a time: retract the closing, then its opening).
        // A correction of a closing likewise, unless what it corrects is out of the record by then.
        foreach (var (h, target, refusal, outOfRecord) in _provisional)
            if (outOfRecord)
            {
                if (!ctx.IsRetracted(h.Event.EventId) && !ctx.IsRetracted(target)) errors.AddRange(refusal.Select(m => (h.Tag, m)));
            }
            else if (h.Event is EventRetracted && ctx.RetractionsNeverRetracted(target) > 1)
                errors.Add((h.Tag, new FieldError(EventReader.Join(h.Path, "targetEventId"), "already_retracted", $"Event {target} is already retracted.")));
            else if (ClosedKey(h.Event is EventCorrected { Correction: { } version } ? version : h.Event) is { } key
                && !ctx.IsRetracted(h.Event.EventId) && !(target != Guid.Empty && ctx.IsRetracted(target)) && !ctx.InForce(key, opens: true).Any())
                errors.AddRange(refusal.Select(m => (h.Tag, m)));
        _provisional.Clear();
    }

    /// <summary>
    /// When nothing held can be accepted: a retraction or correction refused only for what it would change (its target is
    /// known: <c>still_referenced</c>, <c>duplicate_id</c>, …) that a held line retracts in turn — or an opening refused only
    /// as <c>duplicate_id</c>, its id held by a reuse listed before it, that a held line retracts or corrects — is registered
    /// as if accepted, so that line can be judged. One request at a time the change would have been listed before the
    /// closings or the reuse that refuse it now, then retracted (the record's own order: demand, its retraction, the
    /// retraction of that retraction, then the demand withdrawn — in domain order the withdrawal may come first).
    /// <see cref="Finish"/> reports its errors when no line retracts it in the end (an opening: nor corrects it away).
    /// </summary>
    Held? SupposeOneRetracted(List<Held> held, Dictionary<Held, List<FieldError>> last)
    {
        var retractedByHeld = held.Select(h => h.Event).OfType<EventRetracted>().Select(r => r.TargetEventId).ToHashSet();
        var correctedByHeld = held.Select(h => h.Event).OfType<EventCorrected>().Select(c => c.TargetEventId).ToHashSet();
        foreach (var h in held)
        {
            var target = h.Event switch { EventCorrected c => c.TargetEventId, EventRetracted r => r.TargetEventId, _ => Guid.Empty };
            // An opening refused only because an opening listed before it holds its id (a reuse dated before it, as a timeline
            // export lists it), that a held line retracts or corrects: one request at a time it was recorded first, then
            // retracted or corrected to another id, then the id reused.
            var changedOpening = target == Guid.Empty && OpenedKeys(h.Event).Any() && last[h].Count > 0 && last[h].All(m => m.Code is "duplicate_id")
                && (retractedByHeld.Contains(h.Event.EventId) || correctedByHeld.Contains(h.Event.EventId));
            if (!changedOpening && (target == Guid.Empty || !ctx.Knows(target) || !retractedByHeld.Contains(h.Event.EventId))) continue;
            if (!last[h].All(m => m.Code is "still_referenced" or "duplicate_id" or "unknown_reference" or "wrong_party" or "before_reference")) continue;
            ctx.Register(h.Event);
            _acceptedHere.Add(h.Event.EventId);
            if (h.Event is EventRetracted)
            {
                if (!_retractedHere.TryGetValue(target, out var list)) _retractedHere[target] = list = [];
                list.Add(h.Event.EventId);
            }
            return h;
        }
        return null;
    }

    /// <summary>
    /// When nothing held can be accepted: a retraction of an opening (or a correction of it to other ids) refused only as
    /// <c>still_referenced</c> — closings listed before it were taken to close it, the opening in force when they were read —
    /// while held openings refused only as <c>duplicate_id</c> reuse ids it opens. One request at a time the record was: the
    /// opening, its retraction (or correction), the reuse, then the closings, which closed the reuse (a timeline export lists
    /// the reuse and the closings before a retraction dated by its month or year). So when the change fits the record with the
    /// reuses in force, and each reuse, once the change is made, fits as if posted after it — it opens no id another opening in
    /// force holds, and the closings in force of its ids fit it (their dates, their parties) — the change is accepted, then the
    /// reuses: the closings are re-attached to them, as the fold reads them (the retracted opening is out of the record). Only
    /// closings of this batch or file: a stored closing keeps its opening in force one request at a time, in any order. Tried
    /// with every such reuse, then each alone. Returns the held lines so accepted (none when no change qualifies).
    /// </summary>
    List<Held> ReattachToReuse(List<Held> held, Dictionary<Held, List<FieldError>> last)
    {
        foreach (var x in held)
        {
            var target = x.Event switch { EventCorrected c => c.TargetEventId, EventRetracted r => r.TargetEventId, _ => Guid.Empty };
            if (target == Guid.Empty || last[x].Count == 0 || !last[x].All(m => m.Code is "still_referenced")) continue;
            if (ctx.RootOf(target) is not { } root || ctx.Effective(root) is not { } version) continue;
            var opened = version.Items.Where(i => i.Opens).Select(i => i.Key).ToHashSet();
            var reuses = held.Where(b => b != x && b.Event is not (EventRetracted or EventCorrected) && last[b].Count > 0
                && last[b].All(m => m.Code is "duplicate_id") && OpenedKeys(b.Event).Any(opened.Contains)).ToList();
            if (reuses.Count == 0) continue;
            foreach (var set in reuses.Count == 1 ? [reuses] : (List<Held>[])[reuses, .. reuses.Select(b => new List<Held> { b })])
            {
                var keys = set.SelectMany(b => OpenedKeys(b.Event)).Where(opened.Contains).Distinct().ToList();
                if (keys.SelectMany(k => ctx.InForce(k, opens: false)).Any(c => !_acceptedHere.Contains(c.Version.Root))) continue;
                if (!CanReattach(x, target, root, set)) continue;
                // The change, judged with the reuses in force (the closings keep an opening), then the reuses, judged without it.
                var undo = SupposeInForce(set);
                var accepted = new List<Held>();
                try { if (Accept(x, [])) accepted.Add(x); }
                finally { undo(); }
                if (accepted.Count == 0) continue;
                accepted.AddRange(set.Where(b => Accept(b, [])));
                return accepted;
            }
        }
        return [];
    }

    /// <summary>
    /// Whether change <paramref name="x"/> (of <paramref name="target"/>, whose version it changes is <paramref name="root"/>'s)
    /// fits the record with the openings <paramref name="reuses"/> in force, and each of those, once the change is made, fits
    /// as if posted after it (<see cref="EventValidator.FitsAsPosted"/>). Judged on suppositions, all taken back.
    /// </summary>
    bool CanReattach(Held x, Guid target, Guid root, List<Held> reuses)
    {
        var undo = new List<Action> { SupposeInForce(reuses) };
        try
        {
            if (!EventValidator.Fits(x.Event, x.Path, ctx)) return false;
            switch (x.Event)
            {
                case EventRetracted r: undo.Add(ctx.SupposeRetraction(r.EventId, target)); break;
                case EventCorrected { Correction: { } corrected } c:
                    if (ValidationContext.ProposedVersionOf(corrected, root, c.EventId, DomainOrder.SortKey(c)) is { } v) undo.Add(ctx.Suppose(v));
                    break;
            }
            return reuses.All(b => EventValidator.FitsAsPosted(b.Event.EventId, ctx));
        }
        finally
        {
            for (var i = undo.Count - 1; i >= 0; i--) undo[i]();
        }
    }

    /// <summary>Supposes the openings <paramref name="openings"/> in force (their ledger versions only); the returned action takes them back.</summary>
    Action SupposeInForce(List<Held> openings)
    {
        var undo = openings.Select(b => ValidationContext.ProposedVersionOf(b.Event, b.Event.EventId, b.Event.EventId, "")).OfType<ValidationContext.LedgerVersion>()
            .Select(ctx.Suppose).ToList();
        return () => { for (var i = undo.Count - 1; i >= 0; i--) undo[i](); };
    }

    /// <summary>Validates <paramref name="h"/>: true when accepted; else held (<see cref="Hold"/>) or its errors reported.</summary>
    bool Judge(Held h, List<(int Tag, FieldError Error)> errors)
    {
        var mine = new List<FieldError>();
        if (Accept(h, mine)) return true;
        if (!Hold(h, mine)) errors.AddRange(mine.Select(m => (h.Tag, m)));
        return false;
    }

    /// <summary>
    /// Validates <paramref name="h"/> and registers it when accepted. A retraction or correction refused only because its
    /// target is retracted by retractions of this same batch is judged as if listed before them: in the record as a whole it
    /// may have been (a timeline export in domain order lists a retraction before a correction recorded earlier). A
    /// retraction so accepted is checked at the end (<see cref="Finish"/>): all but one of its target's retractions must then
    /// be retracted by some line (the order "retract, retract that retraction, retract again"). A correction so judged that
    /// its version would not fit (<c>duplicate_id</c>, …) stands while its target stays retracted: its version never enters the record.
    /// </summary>
    bool Accept(Held h, List<FieldError> mine)
    {
        var accepted = EventValidator.Validate(h.Event, h.Path, ctx, mine);
        var target = h.Event switch { EventCorrected c => c.TargetEventId, EventRetracted r => r.TargetEventId, _ => Guid.Empty };
        var closed = ClosedKey(h.Event is EventCorrected { Correction: { } version } ? version : h.Event);
        // What the event would need out of the way: the retractions of this batch of its target, or of the opening it closes.
        var hidden = new List<Guid>();
        if (!accepted && mine.Count > 0 && mine.All(m => m.Code is "already_retracted" or "unknown_reference"))
        {
            if (target != Guid.Empty) hidden.Add(target);
            if (closed is { } key) hidden.AddRange(ctx.OpenersOf(key));
            hidden = hidden.Where(_retractedHere.ContainsKey).Distinct().ToList();
        }
        if (hidden.Count > 0)
        {
            var undo = hidden.Select(t => ctx.SupposeWithout(t, _retractedHere[t])).ToList();
            var again = new List<FieldError>();
            try { accepted = EventValidator.Validate(h.Event, h.Path, ctx, again); }
            finally { undo.ForEach(u => u()); }
            // A correction of an event this batch retracts, refused before those retractions only for what its version would do
            // to the ledger (an id a reuse listed before it holds, …): one request at a time it was recorded before the
            // retraction and the reuse, and its version never enters the record while its target stays retracted.
            var outOfRecord = !accepted && h.Event is EventCorrected && target != Guid.Empty && again.Count > 0
                && again.All(m => m.Code is "duplicate_id" or "still_referenced" or "wrong_party" or "before_reference" or "unknown_reference");
            if (outOfRecord) ctx.Register(h.Event);
            if (accepted || outOfRecord)
            {
                _provisional.Add((h, target, outOfRecord ? again : mine.ToList(), outOfRecord));
                mine.Clear();
                accepted = true;
            }
        }
        if (accepted) _acceptedHere.Add(h.Event.EventId);
        if (accepted && h.Event is EventRetracted)
        {
            if (!_retractedHere.TryGetValue(target, out var list)) _retractedHere[target] = list = [];
            list.Add(h.Event.EventId);
        }
        return accepted;
    }

    /// <summary>Holds <paramref name="h"/> when every error of <paramref name="mine"/> is one a later line may settle.</summary>
    bool Hold(Held h, List<FieldError> mine)
    {
        var key = WaitKey(h, mine);
        if (key is null && !mine.All(m => Retryable(h, m))) return false;
        if (key is null) { _retry.Add(h); return true; }
        if (!_waiting.TryGetValue(key, out var list)) _waiting[key] = list = [];
        list.Add(h);
        return true;
    }

    /// <summary>
    /// What <paramref name="h"/> waits for, when its only error is that it is missing: the event a retraction or correction
    /// aims at (not in the negotiation at all), or the opening of what a closing closes.
    /// </summary>
    static object? WaitKey(Held h, List<FieldError> mine)
    {
        if (mine.Count != 1 || mine[0].Code != "unknown_reference") return null;
        var error = mine[0];
        return h.Event switch
        {
            EventRetracted r when EventValidator.IsMissingTarget(error) && error.Path == EventReader.Join(h.Path, "targetEventId") => r.TargetEventId,
            EventCorrected c when EventValidator.IsMissingTarget(error) && error.Path == EventReader.Join(h.Path, "targetEventId") => c.TargetEventId,
            _ when ClosedKey(h.Event) is { } key && error.Path == EventReader.Join(h.Path, key.Item1 ? "demandId" : "commitmentId") => key,
            _ => null,
        };
    }

    /// <summary>
    /// Whether <paramref name="error"/> is about the record as the lines so far leave it, which a later line may change: a
    /// target already retracted (a later retraction of that retraction puts it back), an opening still closed (a later
    /// retraction of the closings frees it), a reference to what is not in the record (retracted: a later line may put it back).
    /// </summary>
    static bool Retryable(Held h, FieldError error) =>
        (error.Code is "already_retracted" or "still_referenced" or "unknown_reference"
            && (h.Event is EventRetracted or EventCorrected || ClosedKey(h.Event) is not null))
        // A closing judged against the opening in force now (its party, its date): a later line may retract that opening and
        // another opening of the same id, listed later, be the one it closes.
        || (error.Code is "wrong_party" or "before_reference" && ClosedKey(h.Event) is not null)
        // A retraction or correction dated before its target: a later line may correct the target, whose version counts from
        // the first day of its year (what the store keeps of a correction's date) — one request at a time that correction came first.
        || (error.Code is "before_target" && h.Event is EventRetracted or EventCorrected)
        // A demandId or commitmentId another opening in force holds: a later line retracting that opening frees it (an id is
        // free again once its opening is retracted), so a timeline export that lists the reuse before that retraction imports.
        || (error.Code is "duplicate_id" && !error.Path.EndsWith("eventId", StringComparison.Ordinal)
            && (h.Event is EventRetracted or EventCorrected || OpenedKeys(h.Event).Any()));

    /// <summary>The held events that <paramref name="accepted"/> may have settled are judged again, and so on down the chain.</summary>
    void Settle(NegotiationEvent accepted, List<(int Tag, FieldError Error)> errors)
    {
        var queue = new Queue<NegotiationEvent>([accepted]);
        while (queue.Count > 0 && _waiting.Count > 0)
        {
            var e = queue.Dequeue();
            foreach (var key in SettledBy(e).ToList())
            {
                if (!_waiting.Remove(key, out var list)) continue;
                // A held event judged again may be held again (the opening came and was retracted: it waits for another).
                foreach (var h in list)
                    if (Judge(h, errors)) queue.Enqueue(h.Event);
            }
        }
    }

    /// <summary>What an accepted event may settle: its eventId (retractions and corrections of it), and what it opens or puts back.</summary>
    IEnumerable<object> SettledBy(NegotiationEvent accepted)
    {
        yield return accepted.EventId;
        var opened = accepted switch
        {
            EventCorrected { Correction: { } c } => OpenedKeys(c),
            EventRetracted r => ctx.RootOf(r.TargetEventId) is { } root && ctx.Effective(root) is { } v ? v.Items.Where(i => i.Opens).Select(i => i.Key) : [],
            _ => OpenedKeys(accepted),
        };
        foreach (var key in opened) yield return key;
    }

    /// <summary>Whether the version of <paramref name="root"/> in force opens only ids no other opening in force holds.</summary>
    bool OpensNoHeldId(Guid root) =>
        ctx.Effective(root) is { } version && version.Items.Where(i => i.Opens).All(i => !ctx.InForce(i.Key, opens: true, except: root).Any());

    static IEnumerable<(bool, string)> OpenedKeys(NegotiationEvent e) => e switch
    {
        DemandMade d => [(true, d.DemandId)],
        AgreementSigned a => a.Commitments.Select(c => (false, c.CommitmentId)),
        _ => [],
    };

    static (bool, string)? ClosedKey(NegotiationEvent e) => e switch
    {
        DemandMet m => (true, m.DemandId),
        DemandRefused r => (true, r.DemandId),
        DemandWithdrawn w => (true, w.DemandId),
        CommitmentFulfilled f => (false, f.CommitmentId),
        CommitmentBreached b => (false, b.CommitmentId),
        _ => null,
    };
}
