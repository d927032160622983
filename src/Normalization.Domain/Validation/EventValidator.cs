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
        if (e is EventCorrected correcting)
        {
            NoteDate(correcting.TargetEventId, correcting.OccurredOn);
            if (correcting.Correction is { } corrected) NoteDate(correcting.TargetEventId, corrected.OccurredOn);
        }
        switch (e)
        {
            case DemandMade d: _demands.Add(d.DemandId); break;
            case AgreementSigned a: foreach (var c in a.Commitments) _commitments.Add(c.CommitmentId); break;
            case EventRetracted r: RegisterRetraction(r.EventId, r.TargetEventId); break;
            case EventCorrected { Correction: DemandMade d }: _demands.Add(d.DemandId); break;
            case EventCorrected { Correction: AgreementSigned a }: foreach (var c in a.Commitments) _commitments.Add(c.CommitmentId); break;
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
                break;
            case CommitmentFulfilled or CommitmentBreached:
                var cid = e is CommitmentFulfilled f ? f.CommitmentId : ((CommitmentBreached)e).CommitmentId;
                if (!ctx.KnowsCommitment(cid)) errors.Add(new(P("commitmentId"), "unknown_reference", $"No agreement in this negotiation has commitment '{cid}'."));
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
                }
                break;
        }
    }

    static void CheckCodes(IReadOnlyList<string> codes, string path, List<FieldError> errors)
    {
        for (var i = 0; i < codes.Count; i++)
            if (!EventReader.PartyCode().IsMatch(codes[i])) errors.Add(new($"{path}[{i}]", "invalid_party_code", "Must be a party code (e.g. US, TB)."));
    }
}
