using Normalization.Domain.Catalog;
using Normalization.Domain.Negotiations;

namespace Normalization.Domain.Validation;

/// <summary>
/// What validation needs to know about a stream: its parties and the ids already used. Feed it the stored
/// history, then validate a batch event by event (each accepted event is registered, so later events of the
/// same batch may reference it).
/// </summary>
public sealed class ValidationContext(NegotiationOpened negotiation, DateOnly today)
{
    public NegotiationOpened Negotiation { get; } = negotiation;
    public DateOnly Today { get; } = today;
    public static readonly DateOnly Earliest = new(1900, 1, 1);
    readonly Dictionary<Guid, string> _events = new();
    readonly HashSet<string> _demands = new(StringComparer.Ordinal);
    readonly HashSet<string> _commitments = new(StringComparer.Ordinal);
    // Retracted as the store resolved it before this batch (an event whose retractions the context was not given).
    readonly HashSet<Guid> _retracted = new();
    // Each retraction the context knows, by the event it retracts: whether an event is retracted is then the record's own
    // rule (EffectiveHistory) — some retraction of it is not itself retracted — so "retract, retract the retraction,
    // retract again" in one batch or file reads as it does one request at a time.
    readonly Dictionary<Guid, List<Guid>> _retractionsOf = new();
    // The earliest day each known event may have happened on: its own date or any corrected version's (a correction may
    // move it earlier), so a retraction is refused only when it is before every version of its target.
    readonly Dictionary<Guid, DateOnly> _earliest = new();

    /// <summary>
    /// What the record holds of one demand (or one agreement commitment): the event that opened it (its DemandMade, or the
    /// AgreementSigned naming the commitment), who made it and of whom (a commitment: its party), and the events that
    /// closed it (met, refused, withdrawn; fulfilled, breached). <see cref="OpeningGone"/>: closings are recorded but the
    /// opening is not in the record (retracted, or corrected away).
    /// </summary>
    public sealed class LedgerReference
    {
        /// <summary>Each event that opened it (one in a valid record; a correction keeps its original's id) with its maker and addressee.</summary>
        internal List<(Guid Event, string? By, string? Of)> Openings { get; } = [];
        public bool OpeningGone { get; internal set; }
        internal List<Guid> Closings { get; } = [];
    }
    readonly Dictionary<string, LedgerReference> _demandRefs = new(StringComparer.Ordinal);
    readonly Dictionary<string, LedgerReference> _commitmentRefs = new(StringComparer.Ordinal);
    // The demands and commitments each opening event opened: retracting it leaves their closings without an opening.
    readonly Dictionary<Guid, List<(bool Demand, string Id)>> _opened = new();

    static LedgerReference RefIn(Dictionary<string, LedgerReference> refs, string id) =>
        refs.TryGetValue(id, out var r) ? r : refs[id] = new LedgerReference();

    void Opens(Guid eventId, bool demand, string id, string? by, string? of)
    {
        var r = RefIn(demand ? _demandRefs : _commitmentRefs, id);
        r.Openings.RemoveAll(o => o.Event == eventId);
        r.Openings.Add((eventId, by, of));
        r.OpeningGone = false;
        if (!_opened.TryGetValue(eventId, out var list)) _opened[eventId] = list = [];
        if (!list.Contains((demand, id))) list.Add((demand, id));
    }

    void Closes(Guid eventId, bool demand, string id)
    {
        var r = RefIn(demand ? _demandRefs : _commitmentRefs, id);
        if (!r.Closings.Contains(eventId)) r.Closings.Add(eventId);
    }

    void NoteDate(Guid id, DomainDate date)
    {
        if (!_earliest.TryGetValue(id, out var known) || date.Start < known) _earliest[id] = date.Start;
    }

    public bool Knows(Guid eventId) => _events.ContainsKey(eventId);
    public string? TypeOf(Guid eventId) => _events.GetValueOrDefault(eventId);

    public void Register(NegotiationEvent e)
    {
        _events[e.EventId] = e.Type;
        NoteDate(e.EventId, e.OccurredOn);
        // A corrected version's date may put the event earlier. Judged as the store judges it, which keeps only a correction's
        // year (DomainIndex.ReferencesOfAsync): from the first day of that year — so a batch, an import and one request at a
        // time accept the same records. (The correcting event's own date is when it was corrected, not a version's.)
        if (e is EventCorrected { Correction: { } version } correcting)
            NoteDate(correcting.TargetEventId, new DomainDate(version.OccurredOn.End.Year));
        switch (e)
        {
            case EventRetracted r: RegisterRetraction(r.EventId, r.TargetEventId); break;
            // A corrected version keeps the original's eventId and replaces it: what the original opened or closed is forgotten,
            // then the version opens or closes under that id.
            case EventCorrected { Correction: { } corrected } c: ForgetLedger(c.TargetEventId); RegisterLedger(corrected, c.TargetEventId); break;
            default: RegisterLedger(e, e.EventId); break;
        }
    }

    void ForgetLedger(Guid eventId)
    {
        foreach (var refs in new[] { _demandRefs, _commitmentRefs })
            foreach (var r in refs.Values)
            {
                r.Openings.RemoveAll(o => o.Event == eventId);
                r.Closings.Remove(eventId);
            }
        _opened.Remove(eventId);
    }

    void RegisterLedger(NegotiationEvent e, Guid eventId)
    {
        switch (e)
        {
            case DemandMade d: _demands.Add(d.DemandId); Opens(eventId, true, d.DemandId, e.Actor, e.Target); break;
            case AgreementSigned a:
                foreach (var c in a.Commitments) { _commitments.Add(c.CommitmentId); Opens(eventId, false, c.CommitmentId, c.Party, null); }
                break;
            case DemandMet m: Closes(eventId, true, m.DemandId); break;
            case DemandRefused r: Closes(eventId, true, r.DemandId); break;
            case DemandWithdrawn w: Closes(eventId, true, w.DemandId); break;
            case CommitmentFulfilled f: Closes(eventId, false, f.CommitmentId); break;
            case CommitmentBreached b: Closes(eventId, false, b.CommitmentId); break;
        }
    }

    public static ValidationContext For(NegotiationOpened negotiation, IEnumerable<NegotiationEvent> history, DateOnly today)
    {
        var ctx = new ValidationContext(negotiation, today);
        foreach (var e in history) ctx.Register(e);
        return ctx;
    }

    /// <summary>
    /// Registers what the store knows without loading the whole stream: an event's type, whether it is retracted, and the
    /// dates it (or a corrected version of it) is recorded on — a retraction dated before all of them is refused.
    /// </summary>
    public void RegisterKnownEvent(Guid id, string type, bool retracted, params DomainDate[] dates)
    {
        _events[id] = type;
        if (retracted) _retracted.Add(id);
        foreach (var d in dates) NoteDate(id, d);
    }
    /// <summary>
    /// Registers that <paramref name="retractionId"/> retracts <paramref name="targetId"/>. The store gives every stored
    /// retraction aimed at an event the batch names, and the retractions of those, down the chain
    /// (<c>DomainIndex.ReferencesOfAsync</c>): with the whole chain known, whether the event is retracted is computed here.
    /// </summary>
    public void RegisterRetraction(Guid retractionId, Guid targetId)
    {
        if (!_retractionsOf.TryGetValue(targetId, out var list)) _retractionsOf[targetId] = list = [];
        if (!list.Contains(retractionId)) list.Add(retractionId);
    }
    /// <summary>
    /// Registers what the record holds of demand <paramref name="demandId"/> (the store reads it from the fold's head, whose
    /// ledger keeps each open demand and the latest closed ones): <paramref name="opening"/> the DemandMade's eventId, or
    /// null when closings are recorded without one in the record; <paramref name="by"/> / <paramref name="of"/> its maker
    /// and addressee; <paramref name="closings"/> the events that met, refused or withdrew it.
    /// </summary>
    public void RegisterDemand(string demandId, Guid? opening, string? by, string? of, IEnumerable<Guid> closings)
    {
        // Without an opening it is only marked: whether the id was ever used is the store's list of ids (RegisterDemandId).
        if (opening is { } o) { _demands.Add(demandId); Opens(o, true, demandId, by, of); }
        else if (RefIn(_demandRefs, demandId).Openings.Count == 0) _demandRefs[demandId].OpeningGone = true;
        foreach (var c in closings) Closes(c, true, demandId);
    }

    /// <summary>As <see cref="RegisterDemand"/> for an agreement commitment: <paramref name="opening"/> the AgreementSigned's eventId, <paramref name="party"/> the committed party.</summary>
    public void RegisterCommitment(string commitmentId, Guid? opening, string? party, IEnumerable<Guid> closings)
    {
        if (opening is { } o) { _commitments.Add(commitmentId); Opens(o, false, commitmentId, party, null); }
        else if (RefIn(_commitmentRefs, commitmentId).Openings.Count == 0) _commitmentRefs[commitmentId].OpeningGone = true;
        foreach (var c in closings) Closes(c, false, commitmentId);
    }

    internal LedgerReference? DemandRef(string id) => _demandRefs.GetValueOrDefault(id);
    internal LedgerReference? CommitmentRef(string id) => _commitmentRefs.GetValueOrDefault(id);

    /// <summary>The closings still in force (not retracted) of what <paramref name="opening"/> opened, with the ids they close.</summary>
    internal IEnumerable<(string Id, Guid Closing)> ClosingsInForceOf(Guid opening) =>
        _opened.TryGetValue(opening, out var opened)
            ? opened.SelectMany(o => ((o.Demand ? _demandRefs : _commitmentRefs)[o.Id].Closings).Where(c => !IsRetracted(c)).Select(c => (o.Id, c)))
            : [];

    public void RegisterDemandId(string id) => _demands.Add(id);
    public void RegisterCommitmentId(string id) => _commitments.Add(id);

    internal bool KnowsDemand(string id) => _demands.Contains(id);
    internal bool KnowsCommitment(string id) => _commitments.Contains(id);
    /// <summary>
    /// Whether <paramref name="id"/> is out of the effective record: some retraction of it is not itself retracted (the rule of
    /// <c>EffectiveHistory.Resolve</c>; a chain deeper than it follows, 64, reads as not retracted there too); an event with no
    /// known retraction keeps the status the store gave it.
    /// </summary>
    internal bool IsRetracted(Guid id, int depth = 0)
    {
        if (!_retractionsOf.TryGetValue(id, out var retractions)) return _retracted.Contains(id);
        if (depth >= 64) return false;
        foreach (var r in retractions)
            if (!IsRetracted(r, depth + 1)) return true;
        return false;
    }
    internal DateOnly? EarliestDateOf(Guid id) => _earliest.TryGetValue(id, out var d) ? d : null;
}

/// <summary>The rules for accepting an event into a negotiation. Never throws for bad input.</summary>
public static class EventValidator
{
    /// <summary>Validates one already-read event; returns true and registers it in the context when it is acceptable.</summary>
    public static bool Validate(NegotiationEvent e, string path, ValidationContext ctx, List<FieldError> errors)
    {
        var before = errors.Count;
        Check(e, path, ctx, errors, isCorrection: false);
        if (errors.Count > before) return false;
        ctx.Register(e);
        return true;
    }

    static void Check(NegotiationEvent e, string path, ValidationContext ctx, List<FieldError> errors, bool isCorrection)
    {
        var n = ctx.Negotiation;
        string P(string f) => EventReader.Join(path, f);

        if (e.OccurredOn.Start < ValidationContext.Earliest)
            errors.Add(new(P("occurredOn"), "out_of_range", "occurredOn must not be before 1900-01-01."));
        else if (e.OccurredOn.Start > ctx.Today)
            errors.Add(new(P("occurredOn"), "in_future", $"occurredOn must not be in the future (today is {ctx.Today:yyyy-MM-dd})."));
        // A review declares what the record holds so far: a coverage through a day not yet come is a claim about the
        // future, refused by the same "today" as occurredOn (the reader's zone, docs/api.md).
        if (e is RecordReviewed { CoveredUntil: var covered } && covered.End > ctx.Today)
            errors.Add(new(P("coveredUntil"), "in_future", $"coveredUntil must not be after today ({ctx.Today:yyyy-MM-dd})."));
        if (!isCorrection && ctx.Knows(e.EventId) && e.EventId != Guid.Empty)
            { /* a known eventId is a duplicate, handled by the store as idempotent; not an error here */ }
        if (string.IsNullOrWhiteSpace(e.Actor)) errors.Add(new(P("actor"), "required", "actor is required."));
        if (e.Target is not null && e.Target == e.Actor) errors.Add(new(P("target"), "same_as_actor", "target must differ from actor."));
        foreach (var (s, i) in e.Sources.Select((s, i) => (s, i)))
            // Read JSON is refused at 400 by the reader (the url's FieldFormat); this holds events built otherwise (event data).
            if (s.Url is not null && !EventReader.IsHttpUrl(s.Url))
                errors.Add(new(P($"sources[{i}].url"), "invalid_url", "url must be an absolute http or https address."));

        var info = EventCatalog.Of(e);
        switch (info.Parties)
        {
            case PartyRule.PrincipalActor:
                if (!n.IsPrincipal(e.Actor)) errors.Add(new(P("actor"), "not_a_party", $"actor must be one of the parties: {n.PartyA} or {n.PartyB}."));
                else if (e.Target is not null && e.Target != n.OtherParty(e.Actor)) errors.Add(new(P("target"), "not_a_party", $"target, when given, must be the other party ({n.OtherParty(e.Actor)})."));
                break;
            case PartyRule.BetweenPrincipals:
                if (!n.IsPrincipal(e.Actor)) errors.Add(new(P("actor"), "not_a_party", $"actor must be one of the parties: {n.PartyA} or {n.PartyB}."));
                if (e.Target is null) errors.Add(new(P("target"), "required", "target is required for " + info.Name + "."));
                else if (!n.IsPrincipal(e.Target) || e.Target == e.Actor) errors.Add(new(P("target"), "not_a_party", "target must be the other party."));
                break;
            case PartyRule.PrincipalTarget:
                if (e.Target is null) errors.Add(new(P("target"), "required", "target is required for " + info.Name + "."));
                else if (!n.IsPrincipal(e.Target)) errors.Add(new(P("target"), "not_a_party", $"target must be one of the parties: {n.PartyA} or {n.PartyB}."));
                break;
            case PartyRule.ThirdPartyOnPrincipal:
                if (n.IsPrincipal(e.Actor)) errors.Add(new(P("actor"), "is_a_party", "actor must be a third state, not one of the parties."));
                if (e.Target is null || !n.IsPrincipal(e.Target)) errors.Add(new(P("target"), "not_a_party", $"target must be one of the parties: {n.PartyA} or {n.PartyB}."));
                break;
        }

        switch (e)
        {
            case TalksHeld t:
                if (t.Participants.Count < 2) errors.Add(new(P("participants"), "too_few", "participants must name at least two parties."));
                CheckCodes(t.Participants, P("participants"), errors);
                break;
            case AgreementSigned a:
                if (a.Signatories.Count < 2) errors.Add(new(P("signatories"), "too_few", "signatories must name at least two parties."));
                CheckCodes(a.Signatories, P("signatories"), errors);
                var ids = new HashSet<string>();
                foreach (var (c, i) in a.Commitments.Select((c, i) => (c, i)))
                {
                    if (!ids.Add(c.CommitmentId) || (!isCorrection && ctx.KnowsCommitment(c.CommitmentId)))
                        errors.Add(new(P($"commitments[{i}].commitmentId"), "duplicate_id", $"commitmentId '{c.CommitmentId}' is already used."));
                    if (!EventReader.PartyCode().IsMatch(c.Party)) errors.Add(new(P($"commitments[{i}].party"), "invalid_party_code", "party must be a party code."));
                }
                break;
            case PrisonersExchanged x:
                foreach (var (r, i) in x.Releases.Select((r, i) => (r, i)))
                    if (!EventReader.PartyCode().IsMatch(r.ReleasedBy)) errors.Add(new(P($"releases[{i}].releasedBy"), "invalid_party_code", "releasedBy must be a party code."));
                break;
            case DemandMade d when !isCorrection && ctx.KnowsDemand(d.DemandId):
                errors.Add(new(P("demandId"), "duplicate_id", $"demandId '{d.DemandId}' is already used in this negotiation."));
                break;
            case DemandMet or DemandRefused or DemandWithdrawn:
                var demandId = e switch { DemandMet m => m.DemandId, DemandRefused r => r.DemandId, DemandWithdrawn w => w.DemandId, _ => "" };
                if (!ctx.KnowsDemand(demandId)) errors.Add(new(P("demandId"), "unknown_reference", $"No demand '{demandId}' was made in this negotiation."));
                else
                {
                    // The catalog's parties: met or refused by the party the demand was made of, withdrawn by its maker.
                    var withdrawn = e is DemandWithdrawn;
                    CheckClosing(e, ctx.DemandRef(demandId), ctx, errors, P, "demandId", $"demand '{demandId}'", "DemandMade",
                        withdrawn ? o => o.By : o => o.Of,
                        withdrawn ? "the party that made the demand" : "the party the demand was made of");
                }
                break;
            case CommitmentFulfilled or CommitmentBreached:
                var cid = e is CommitmentFulfilled f ? f.CommitmentId : ((CommitmentBreached)e).CommitmentId;
                if (!ctx.KnowsCommitment(cid)) errors.Add(new(P("commitmentId"), "unknown_reference", $"No agreement in this negotiation has commitment '{cid}'."));
                // A commitment is a party's promise: only that party fulfils or breaches it.
                else CheckClosing(e, ctx.CommitmentRef(cid), ctx, errors, P, "commitmentId", $"commitment '{cid}'", "AgreementSigned", o => o.By, "the committed party");
                break;
            case EventRetracted r:
                if (isCorrection) { errors.Add(new(path, "not_allowed", "A correction cannot be a retraction.")); break; }
                if (!ctx.Knows(r.TargetEventId)) errors.Add(new(P("targetEventId"), "unknown_reference", $"No event {r.TargetEventId} in this negotiation."));
                else if (ctx.IsRetracted(r.TargetEventId)) errors.Add(new(P("targetEventId"), "already_retracted", $"Event {r.TargetEventId} is already retracted."));
                // A retraction withdraws a report of something that happened: it cannot come before the event it withdraws.
                // Refused only when it ends before the earliest day the target (or any corrected version) may have happened
                // (a month or a year reaches to its last day): a retraction in March of an event dated "2025-03" stands.
                else if (ctx.EarliestDateOf(r.TargetEventId) is { } targetStart && r.OccurredOn.End < targetStart)
                    errors.Add(new(P("occurredOn"), "before_target",
                        $"A retraction cannot be dated before the event it retracts (dated from {targetStart:yyyy-MM-dd})."));
                // A demand or an agreement whose closings stand cannot leave the record under them: retract those first.
                else if (ctx.ClosingsInForceOf(r.TargetEventId).ToList() is { Count: > 0 } closing)
                    errors.Add(new(P("targetEventId"), "still_referenced",
                        $"Event {r.TargetEventId} opened {string.Join(", ", closing.Select(c => $"'{c.Id}'").Distinct())}, still closed by {string.Join(", ", closing.Select(c => c.Closing).Distinct())}: retract those first."));
                break;
            case EventCorrected c:
                if (isCorrection) { errors.Add(new(path, "not_allowed", "A correction cannot correct another event.")); break; }
                if (!ctx.Knows(c.TargetEventId)) { errors.Add(new(P("targetEventId"), "unknown_reference", $"No event {c.TargetEventId} in this negotiation.")); break; }
                if (ctx.IsRetracted(c.TargetEventId)) errors.Add(new(P("targetEventId"), "already_retracted", $"Event {c.TargetEventId} is retracted."));
                var targetType = ctx.TypeOf(c.TargetEventId);
                if (targetType is nameof(EventRetracted) or nameof(EventCorrected)) errors.Add(new(P("targetEventId"), "not_allowed", "Only catalog events can be corrected, not retractions or corrections."));
                if (c.Correction is null) errors.Add(new(P("correction"), "required", "correction is required."));
                else
                {
                    if (c.Correction.Type != targetType) errors.Add(new(P("correction.type"), "type_mismatch", $"correction must be a {targetType}, like the event it corrects."));
                    // The corrected version keeps the original's eventId (EffectiveHistory): another id would be stored and
                    // exported yet never read, so it is refused rather than silently dropped.
                    if (c.Correction.EventId != Guid.Empty && c.Correction.EventId != c.TargetEventId)
                        errors.Add(new(P("correction.eventId"), "eventid_mismatch",
                            $"correction.eventId must be left out or be the corrected event's ({c.TargetEventId}): the corrected version keeps the original's eventId."));
                    Check(c.Correction, P("correction"), ctx, errors, isCorrection: true);
                    // A corrected version must still open what has closings in force (the same demandId, every commitment).
                    var keeps = new HashSet<string>(c.Correction switch
                    {
                        DemandMade d => [d.DemandId],
                        AgreementSigned a => a.Commitments.Select(x => x.CommitmentId),
                        _ => [],
                    }, StringComparer.Ordinal);
                    if (ctx.ClosingsInForceOf(c.TargetEventId).Where(x => !keeps.Contains(x.Id)).ToList() is { Count: > 0 } dropped)
                        errors.Add(new(P("correction"), "still_referenced",
                            $"The corrected version no longer opens {string.Join(", ", dropped.Select(x => $"'{x.Id}'").Distinct())}, still closed by {string.Join(", ", dropped.Select(x => x.Closing).Distinct())}: retract those first."));
                }
                break;
        }
    }

    /// <summary>
    /// A closing (met, refused, withdrawn; fulfilled, breached) against what the record holds of the demand or commitment it
    /// closes: its opening must be in the record (not retracted: <c>unknown_reference</c>), it cannot end before the opening
    /// may have begun (<c>before_reference</c> at occurredOn, the rule of a retraction's date), and its actor must be the party
    /// the catalog names (<c>wrong_party</c> at actor). What the context does not know (an old closed demand the head no
    /// longer lists) is not judged.
    /// </summary>
    static void CheckClosing(NegotiationEvent e, ValidationContext.LedgerReference? r, ValidationContext ctx, List<FieldError> errors, Func<string, string> P,
        string idField, string what, string openingType, Func<(Guid Event, string? By, string? Of), string?> party, string partyName)
    {
        if (r is null) return;
        var inForce = r.Openings.Where(o => !ctx.IsRetracted(o.Event)).ToList();
        if (inForce.Count == 0)
        {
            if (r.OpeningGone || r.Openings.Count > 0)
                errors.Add(new(P(idField), "unknown_reference", $"The {what} is not in the record: its {openingType} was retracted."));
            return;
        }
        // Dated from the earliest day any version of its opening may have happened (a year reaches back to its first day).
        if (inForce.Select(o => ctx.EarliestDateOf(o.Event)).Where(d => d is not null).Min() is { } start && e.OccurredOn.End < start)
            errors.Add(new(P("occurredOn"), "before_reference", $"It cannot be dated before the {what} it closes (its {openingType} is dated from {start:yyyy-MM-dd})."));
        if (inForce.Select(party).Distinct().ToList() is [{ Length: > 0 } expected] && !string.IsNullOrWhiteSpace(e.Actor) && e.Actor != expected)
            errors.Add(new(P("actor"), "wrong_party", $"actor must be {partyName} ({expected}) for {e.Type}."));
    }

    static void CheckCodes(IReadOnlyList<string> codes, string path, List<FieldError> errors)
    {
        for (var i = 0; i < codes.Count; i++)
            if (!EventReader.PartyCode().IsMatch(codes[i])) errors.Add(new($"{path}[{i}]", "invalid_party_code", "Must be a party code (e.g. US, TB)."));
    }
}
