using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
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
    /// One demand (<see cref="Demand"/>) or agreement commitment an event opens or closes. An opening carries its maker and
    /// addressee (a commitment: its party, no addressee); a closing its actor (<see cref="By"/>) and whether the catalog
    /// wants it by the maker (<see cref="ByMaker"/>: a withdrawal, a commitment's fulfilment or breach) or by the addressee.
    /// </summary>
    internal readonly record struct LedgerItem(bool Demand, string Id, bool Opens, string? By, string? Of, bool ByMaker = false)
    {
        public (bool, string) Key => (Demand, Id);
    }

    /// <summary>
    /// What one version of an event (the event as recorded, <see cref="Source"/> its own id; or a correction of it,
    /// <see cref="Source"/> the correction's id) opens and closes, and its dates (null: the store did not say; judged from
    /// what it did say). <see cref="OrderKey"/> orders a root's corrections as the record does (the latest in force wins).
    /// </summary>
    internal sealed record LedgerVersion(Guid Root, Guid Source, string OrderKey, List<LedgerItem> Items, DateOnly? Start, DateOnly? End);

    // Every version the context knows of each event that opens or closes something (the ledger is resolved lazily from them,
    // so retracting a retraction or a correction restores what it hid — and that restoration can be judged).
    readonly Dictionary<Guid, List<LedgerVersion>> _versions = new();
    // The events whose versions name each demand / commitment id (in force or not).
    readonly Dictionary<(bool, string), HashSet<Guid>> _rootsOf = new();
    // Ids the store says have closings recorded but no opening in the record (retracted, or corrected away).
    readonly HashSet<(bool, string)> _gone = new();
    // What each retraction or correction aims at: the event whose version a retraction down a chain changes.
    readonly Dictionary<Guid, Guid> _targetOf = new();
    // The start of the version in force of stored events, as the store knows it (its index keeps a correction's year only).
    readonly Dictionary<Guid, DateOnly> _storedStart = new();

    static LedgerVersion? VersionOf(NegotiationEvent e, Guid root, Guid source, string orderKey, DateOnly start)
    {
        List<LedgerItem> items = e switch
        {
            DemandMade d => [new(true, d.DemandId, true, e.Actor, e.Target)],
            AgreementSigned a => a.Commitments.Select(c => new LedgerItem(false, c.CommitmentId, true, c.Party, null)).ToList(),
            DemandMet m => [new(true, m.DemandId, false, e.Actor, null)],
            DemandRefused r => [new(true, r.DemandId, false, e.Actor, null)],
            DemandWithdrawn w => [new(true, w.DemandId, false, e.Actor, null, ByMaker: true)],
            CommitmentFulfilled f => [new(false, f.CommitmentId, false, e.Actor, null, ByMaker: true)],
            CommitmentBreached b => [new(false, b.CommitmentId, false, e.Actor, null, ByMaker: true)],
            _ => [],
        };
        return items.Count == 0 ? null : new LedgerVersion(root, source, orderKey, items, start, e.OccurredOn.End);
    }

    void AddVersion(LedgerVersion v)
    {
        if (!_versions.TryGetValue(v.Root, out var list)) _versions[v.Root] = list = [];
        list.RemoveAll(x => x.Source == v.Source);
        list.Add(v);
        foreach (var item in v.Items)
        {
            if (!_rootsOf.TryGetValue(item.Key, out var roots)) _rootsOf[item.Key] = roots = [];
            roots.Add(v.Root);
            if (item.Opens) (item.Demand ? _demands : _commitments).Add(item.Id);
        }
    }

    void RemoveVersion(LedgerVersion v)
    {
        if (_versions.TryGetValue(v.Root, out var list)) list.Remove(v);
    }

    /// <summary>Adds what the store read of one stored event (from the fold's head) to its one stored version.</summary>
    void AddStored(Guid root, LedgerItem item)
    {
        if (!_versions.TryGetValue(root, out var list)) _versions[root] = list = [];
        var v = list.FirstOrDefault(x => x.Source == root);
        if (v is null) list.Add(v = new LedgerVersion(root, root, "", [], null, null));
        if (!v.Items.Contains(item)) v.Items.Add(item);
        if (!_rootsOf.TryGetValue(item.Key, out var roots)) _rootsOf[item.Key] = roots = [];
        roots.Add(root);
    }

    /// <summary>
    /// The version of <paramref name="root"/> in the effective record (the rule of <c>EffectiveHistory</c>): none when it is
    /// retracted, else its latest correction in force, else the event as recorded.
    /// </summary>
    internal LedgerVersion? Effective(Guid root)
    {
        if (!_versions.TryGetValue(root, out var versions) || IsRetracted(root)) return null;
        LedgerVersion? latest = null, original = null;
        foreach (var v in versions)
            if (v.Source == root) original = v;
            else if (!IsRetracted(v.Source) && (latest is null || string.CompareOrdinal(v.OrderKey, latest.OrderKey) > 0)) latest = v;
        return latest ?? original;
    }

    /// <summary>The items in force that open (or close) <paramref name="key"/>, with their versions, other than <paramref name="except"/>'s.</summary>
    internal IEnumerable<(LedgerVersion Version, LedgerItem Item)> InForce((bool, string) key, bool opens, Guid? except = null)
    {
        if (!_rootsOf.TryGetValue(key, out var roots)) yield break;
        foreach (var root in roots)
            if (root != except && Effective(root) is { } v)
                foreach (var item in v.Items)
                    if (item.Opens == opens && item.Key == key) yield return (v, item);
    }

    /// <summary>Whether some event (in force or not) ever opened <paramref name="key"/>, or the store said it is gone.</summary>
    internal bool OpeningKnownGone((bool, string) key) =>
        _gone.Contains(key) || (_rootsOf.TryGetValue(key, out var roots) && roots.Any(r => _versions[r].Any(v => v.Items.Any(i => i.Opens && i.Key == key))));

    /// <summary>
    /// Whether a new opening of <paramref name="key"/> would open an id already in use: an opening of it is in force, or the
    /// store knows the id was used and cannot tell that its opening left the record. An id whose opening was retracted (or
    /// corrected away) is free again.
    /// </summary>
    internal bool IdTaken((bool, string) key) =>
        InForce(key, opens: true).Any() || ((key.Item1 ? _demands : _commitments).Contains(key.Item2) && !OpeningKnownGone(key));

    /// <summary>The first day a version may have happened: its own, else what the store said of the stored event.</summary>
    internal DateOnly? StartOf(LedgerVersion v) => v.Start ?? (_storedStart.TryGetValue(v.Root, out var s) ? s : EarliestDateOf(v.Root));

    /// <summary>The event whose version a retraction (or correction) of <paramref name="target"/> changes, down a retraction chain; null when unknown.</summary>
    internal Guid? RootOf(Guid target)
    {
        var current = target;
        for (var depth = 0; depth <= 64; depth++)
        {
            if (!_targetOf.TryGetValue(current, out var next)) return TypeOf(current) is nameof(EventRetracted) or nameof(EventCorrected) ? null : current;
            if (TypeOf(current) == nameof(EventCorrected)) return next;
            current = next;
        }
        return null;
    }

    /// <summary>Adds a version hypothetically (for a check); the returned action takes it back.</summary>
    internal Action Suppose(LedgerVersion v)
    {
        AddVersion(v);
        return () => RemoveVersion(v);
    }

    /// <summary>Registers a retraction hypothetically (for a check); the returned action takes it back.</summary>
    internal Action SupposeRetraction(Guid retractionId, Guid targetId)
    {
        var had = _retractionsOf.TryGetValue(targetId, out var list) && list.Contains(retractionId);
        RegisterRetraction(retractionId, targetId);
        return () => { if (!had) _retractionsOf[targetId].Remove(retractionId); };
    }

    /// <summary>The version a new event (or a correction's corrected version) would add: exact dates, for the check.</summary>
    internal static LedgerVersion? ProposedVersionOf(NegotiationEvent e, Guid root, Guid source, string orderKey) =>
        VersionOf(e, root, source, orderKey, e.OccurredOn.Start);

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
            case EventRetracted r: _targetOf[r.EventId] = r.TargetEventId; RegisterRetraction(r.EventId, r.TargetEventId); break;
            // A corrected version keeps the original's eventId and, while it is the latest in force, replaces it: what the
            // original opened or closed is then out of the ledger. Its start is taken from its year, as the store keeps it.
            case EventCorrected c:
                _targetOf[c.EventId] = c.TargetEventId;
                if (c.Correction is { } corrected && VersionOf(corrected, c.TargetEventId, c.EventId, DomainOrder.SortKey(c), new DateOnly(corrected.OccurredOn.End.Year, 1, 1)) is { } v)
                    AddVersion(v);
                break;
            default:
                if (VersionOf(e, e.EventId, e.EventId, "", e.OccurredOn.Start) is { } original) AddVersion(original);
                break;
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
        if (opening is { } o) { _demands.Add(demandId); AddStored(o, new LedgerItem(true, demandId, true, by, of)); }
        else _gone.Add((true, demandId));
        // The closings' actors and dates are not read: what a change of the opening does to them is judged on the whole record.
        foreach (var c in closings) AddStored(c, new LedgerItem(true, demandId, false, null, null));
    }

    /// <summary>As <see cref="RegisterDemand"/> for an agreement commitment: <paramref name="opening"/> the AgreementSigned's eventId, <paramref name="party"/> the committed party.</summary>
    public void RegisterCommitment(string commitmentId, Guid? opening, string? party, IEnumerable<Guid> closings)
    {
        if (opening is { } o) { _commitments.Add(commitmentId); AddStored(o, new LedgerItem(false, commitmentId, true, party, null)); }
        else _gone.Add((false, commitmentId));
        foreach (var c in closings) AddStored(c, new LedgerItem(false, commitmentId, false, null, null, ByMaker: true));
    }

    /// <summary>
    /// Registers the first day the version in force of stored event <paramref name="id"/> may have happened (its own date's,
    /// or — corrected — the first day of its correction's year, all the index keeps): a closing is judged against it.
    /// </summary>
    public void RegisterStoredStart(Guid id, DateOnly start) => _storedStart[id] = start;

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
    /// <summary>
    /// How the message of an <c>unknown_reference</c> at <c>targetEventId</c> begins when the target is not in the negotiation
    /// at all (the retract endpoint's 404), as opposed to an event that would put back a closing of what is not in the record.
    /// </summary>
    public const string NoSuchEvent = "No event ";

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
                    // A corrected version's ids are judged with what it replaces (CheckChange); an id whose agreement was retracted is free again.
                    if (!ids.Add(c.CommitmentId) || (!isCorrection && ctx.IdTaken((false, c.CommitmentId))))
                        errors.Add(new(P($"commitments[{i}].commitmentId"), "duplicate_id", $"commitmentId '{c.CommitmentId}' is already used."));
                    if (!EventReader.PartyCode().IsMatch(c.Party)) errors.Add(new(P($"commitments[{i}].party"), "invalid_party_code", "party must be a party code."));
                }
                break;
            case PrisonersExchanged x:
                foreach (var (r, i) in x.Releases.Select((r, i) => (r, i)))
                    if (!EventReader.PartyCode().IsMatch(r.ReleasedBy)) errors.Add(new(P($"releases[{i}].releasedBy"), "invalid_party_code", "releasedBy must be a party code."));
                break;
            case DemandMade d when !isCorrection && ctx.IdTaken((true, d.DemandId)):
                errors.Add(new(P("demandId"), "duplicate_id", $"demandId '{d.DemandId}' is already used in this negotiation."));
                break;
            case DemandMet or DemandRefused or DemandWithdrawn:
                var demandId = e switch { DemandMet m => m.DemandId, DemandRefused r => r.DemandId, DemandWithdrawn w => w.DemandId, _ => "" };
                if (!ctx.KnowsDemand(demandId)) errors.Add(new(P("demandId"), "unknown_reference", $"No demand '{demandId}' was made in this negotiation."));
                else
                {
                    // The catalog's parties: met or refused by the party the demand was made of, withdrawn by its maker.
                    var withdrawn = e is DemandWithdrawn;
                    CheckClosing(e, (true, demandId), ctx, errors, P, "demandId", $"demand '{demandId}'", "DemandMade",
                        withdrawn ? o => o.By : o => o.Of,
                        withdrawn ? "the party that made the demand" : "the party the demand was made of");
                }
                break;
            case CommitmentFulfilled or CommitmentBreached:
                var cid = e is CommitmentFulfilled f ? f.CommitmentId : ((CommitmentBreached)e).CommitmentId;
                if (!ctx.KnowsCommitment(cid)) errors.Add(new(P("commitmentId"), "unknown_reference", $"No agreement in this negotiation has commitment '{cid}'."));
                // A commitment is a party's promise: only that party fulfils or breaches it.
                else CheckClosing(e, (false, cid), ctx, errors, P, "commitmentId", $"commitment '{cid}'", "AgreementSigned", o => o.By, "the committed party");
                break;
            case EventRetracted r:
                if (isCorrection) { errors.Add(new(path, "not_allowed", "A correction cannot be a retraction.")); break; }
                if (!ctx.Knows(r.TargetEventId)) errors.Add(new(P("targetEventId"), "unknown_reference", $"{NoSuchEvent}{r.TargetEventId} in this negotiation."));
                else if (ctx.IsRetracted(r.TargetEventId)) errors.Add(new(P("targetEventId"), "already_retracted", $"Event {r.TargetEventId} is already retracted."));
                // A retraction withdraws a report of something that happened: it cannot come before the event it withdraws.
                // Refused only when it ends before the earliest day the target (or any corrected version) may have happened
                // (a month or a year reaches to its last day): a retraction in March of an event dated "2025-03" stands.
                else if (ctx.EarliestDateOf(r.TargetEventId) is { } targetStart && r.OccurredOn.End < targetStart)
                    errors.Add(new(P("occurredOn"), "before_target",
                        $"A retraction cannot be dated before the event it retracts (dated from {targetStart:yyyy-MM-dd})."));
                // What the retraction takes out of the record — or, retracting a retraction or a correction, puts back — is judged
                // as that change would be: a demand or an agreement whose closings stand cannot leave the record under them
                // (still_referenced), and an event put back must fit the record as it is now, as if posted again.
                else if (ctx.RootOf(r.TargetEventId) is { } root)
                {
                    var before = ctx.Effective(root);
                    var undo = ctx.SupposeRetraction(r.EventId, r.TargetEventId);
                    var after = ctx.Effective(root);
                    undo();
                    if (!ReferenceEquals(before, after))
                        foreach (var (code, _, message) in CheckChange(root, before, after, ctx, closingsToo: true))
                            errors.Add(new(P("targetEventId"), code, root == r.TargetEventId ? message : $"Retracting it changes event {root}: {message}"));
                }
                break;
            case EventCorrected c:
                if (isCorrection) { errors.Add(new(path, "not_allowed", "A correction cannot correct another event.")); break; }
                if (!ctx.Knows(c.TargetEventId)) { errors.Add(new(P("targetEventId"), "unknown_reference", $"{NoSuchEvent}{c.TargetEventId} in this negotiation.")); break; }
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
                    // The corrected version replaces the one in force (when it is the latest): it must still open what has
                    // closings in force, open no id another opening holds, and fit the closings it keeps (their dates, parties).
                    // A closing's own version is judged by the checks above, against the openings in force.
                    if (c.Correction.Type == targetType && ctx.RootOf(c.TargetEventId) is { } root
                        && ValidationContext.ProposedVersionOf(c.Correction, root, c.EventId, DomainOrder.SortKey(c)) is var proposed)
                    {
                        var before = ctx.Effective(root);
                        var undo = proposed is null ? () => { } : ctx.Suppose(proposed);
                        var after = ctx.Effective(root);
                        undo();
                        if (!ReferenceEquals(before, after) && ReferenceEquals(after, proposed))
                            foreach (var (code, field, message) in CheckChange(root, before, after, ctx, closingsToo: false))
                                errors.Add(new(field.Length == 0 ? P("correction") : P("correction." + field), code, message));
                    }
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
    static void CheckClosing(NegotiationEvent e, (bool, string) key, ValidationContext ctx, List<FieldError> errors, Func<string, string> P,
        string idField, string what, string openingType, Func<ValidationContext.LedgerItem, string?> party, string partyName)
    {
        var inForce = ctx.InForce(key, opens: true).ToList();
        if (inForce.Count == 0)
        {
            if (ctx.OpeningKnownGone(key))
                errors.Add(new(P(idField), "unknown_reference", $"The {what} is not in the record: its {openingType} was retracted."));
            return;
        }
        // Dated from the earliest day the version in force of its opening may have happened (a year reaches back to its first day).
        if (inForce.Select(o => ctx.StartOf(o.Version)).Where(d => d is not null).Min() is { } start && e.OccurredOn.End < start)
            errors.Add(new(P("occurredOn"), "before_reference", $"It cannot be dated before the {what} it closes (its {openingType} is dated from {start:yyyy-MM-dd})."));
        if (inForce.Select(o => party(o.Item)).Distinct().ToList() is [{ Length: > 0 } expected] && !string.IsNullOrWhiteSpace(e.Actor) && e.Actor != expected)
            errors.Add(new(P("actor"), "wrong_party", $"actor must be {partyName} ({expected}) for {e.Type}."));
    }

    /// <summary>
    /// What changing event <paramref name="root"/> from version <paramref name="before"/> to <paramref name="after"/> (null:
    /// out of the record) does to the ledger, judged against everything else in force — the same rules as for a new event, so
    /// a change cannot make the record hold what a post would be refused: an id it stops opening while closings of it stand
    /// (<c>still_referenced</c>); an id it opens that another opening in force holds (<c>duplicate_id</c>); a closing in force
    /// it opens that ends before it begins (<c>before_reference</c>) or is by another party than the catalog names
    /// (<c>wrong_party</c>); with <paramref name="closingsToo"/>, a closing it puts in force whose opening is not in the record
    /// (<c>unknown_reference</c>) or that it does not fit. Only what the change brings is reported: what already held under
    /// <paramref name="before"/> (a record stored before these rules) is not. Each problem comes with the field of the
    /// version it is about (empty: the whole version).
    /// </summary>
    static IEnumerable<(string Code, string Field, string Message)> CheckChange(Guid root, ValidationContext.LedgerVersion? before,
        ValidationContext.LedgerVersion? after, ValidationContext ctx, bool closingsToo)
    {
        static string What((bool Demand, string Id) key) => key.Demand ? $"demand '{key.Id}'" : $"commitment '{key.Id}'";
        static string IdField(ValidationContext.LedgerItem item, int index) => item.Demand ? "demandId" : $"commitments[{index}].commitmentId";
        static string PartyField(ValidationContext.LedgerItem opening, ValidationContext.LedgerItem closing, int index) =>
            !opening.Demand ? $"commitments[{index}].party" : closing.ByMaker ? "actor" : "target";
        static string? Expected(ValidationContext.LedgerItem opening, ValidationContext.LedgerItem closing) => closing.ByMaker ? opening.By : opening.Of;
        var beforeItems = before?.Items ?? [];
        var afterItems = after?.Items ?? [];
        var beforeStart = before is null ? null : ctx.StartOf(before);
        var afterStart = after is null ? null : ctx.StartOf(after);

        // What it stops opening: closings in force of it would be left without an opening.
        var dropped = beforeItems.Where(i => i.Opens && !afterItems.Any(a => a.Opens && a.Key == i.Key))
            .SelectMany(i => ctx.InForce(i.Key, opens: false, except: root).Select(c => (i.Key, Closing: c.Version.Root))).ToList();
        if (dropped.Count > 0)
            yield return ("still_referenced", "",
                $"{(after is null ? $"Event {root} opened" : "The corrected version no longer opens")} {string.Join(", ", dropped.Select(x => $"'{x.Key.Item2}'").Distinct())}, still closed by {string.Join(", ", dropped.Select(x => x.Closing).Distinct())}: retract those first.");

        var commitmentIndex = 0;
        foreach (var item in afterItems)
        {
            var index = item.Demand ? 0 : commitmentIndex++;
            var had = beforeItems.FirstOrDefault(b => b.Opens == item.Opens && b.Key == item.Key);
            var kept = had.Id is not null;
            if (item.Opens)
            {
                if (!kept && ctx.InForce(item.Key, opens: true, except: root).Any())
                    yield return ("duplicate_id", IdField(item, index), $"{What(item.Key)} is already opened by another event in force.");
                foreach (var (closingVersion, closing) in ctx.InForce(item.Key, opens: false, except: root))
                {
                    if (afterStart is { } start && closingVersion.End is { } end && end < start && !(kept && beforeStart is { } was && end < was))
                        yield return ("before_reference", "occurredOn",
                            $"{What(item.Key)} is closed by event {closingVersion.Root} dated before {start:yyyy-MM-dd}, the first day it would be made.");
                    if (closing.By is { } actor && Expected(item, closing) is { Length: > 0 } expected && actor != expected
                        && !(kept && Expected(had, closing) != actor))
                        yield return ("wrong_party", PartyField(item, closing, index),
                            $"{What(item.Key)} is closed by event {closingVersion.Root} by {actor}, who would no longer be the party the catalog names ({expected}).");
                }
            }
            else if (closingsToo && !kept)
            {
                var openings = ctx.InForce(item.Key, opens: true, except: root).ToList();
                if (openings.Count == 0)
                {
                    if (ctx.OpeningKnownGone(item.Key))
                        yield return ("unknown_reference", IdField(item, index), $"It would put back a closing of {What(item.Key)}, whose opening is not in the record.");
                    continue;
                }
                if (openings.Select(o => ctx.StartOf(o.Version)).Where(d => d is not null).Min() is { } start && after!.End is { } end && end < start)
                    yield return ("before_reference", "occurredOn", $"It would put back a closing of {What(item.Key)} dated before its opening (from {start:yyyy-MM-dd}).");
                if (openings.Select(o => Expected(o.Item, item)).Distinct().ToList() is [{ Length: > 0 } expected] && item.By is { } actor && actor != expected)
                    yield return ("wrong_party", "actor", $"It would put back a closing of {What(item.Key)} by {actor}, not the party the catalog names ({expected}).");
            }
        }
    }

    static void CheckCodes(IReadOnlyList<string> codes, string path, List<FieldError> errors)
    {
        for (var i = 0; i < codes.Count; i++)
            if (!EventReader.PartyCode().IsMatch(codes[i])) errors.Add(new($"{path}[{i}]", "invalid_party_code", "Must be a party code (e.g. US, TB)."));
    }
}
