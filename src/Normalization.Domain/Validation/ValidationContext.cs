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
    /// <summary>The negotiation events are validated for.</summary>
    public NegotiationOpened Negotiation { get; } = negotiation;
    /// <summary>"Today" for the no-future-events rule.</summary>
    public DateOnly Today { get; } = today;
    /// <summary>The earliest date an event may have (1900-01-01): <c>out_of_range</c> before.</summary>
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

    /// <summary>The event a recorded retraction or correction <paramref name="id"/> aims at, when this context knows it; else null.</summary>
    internal Guid? TargetOf(Guid id) => _targetOf.TryGetValue(id, out var target) || _aimedAt.TryGetValue(id, out target) ? target : null;

    readonly Dictionary<Guid, Guid> _aimedAt = new();

    /// <summary>
    /// Registers the event a stored correction <paramref name="correctionId"/> aims at, as the store's index reads it, for the
    /// messages that name what to correct instead (<c>not_allowed</c>). It changes no judgement: the correction's version is
    /// not known here.
    /// </summary>
    public void RegisterAim(Guid correctionId, Guid targetId) => _aimedAt[correctionId] = targetId;

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

    /// <summary>
    /// Takes the retractions <paramref name="retractionIds"/> of <paramref name="targetId"/> out hypothetically — to judge an
    /// event as if it had been listed before them (<see cref="BatchValidator"/>); the returned action puts them back.
    /// </summary>
    internal Action SupposeWithout(Guid targetId, IReadOnlyCollection<Guid> retractionIds)
    {
        if (!_retractionsOf.TryGetValue(targetId, out var list)) return () => { };
        var removed = list.Where(retractionIds.Contains).ToList();
        list.RemoveAll(removed.Contains);
        return () => list.AddRange(removed);
    }

    /// <summary>The version a new event (or a correction's corrected version) would add: exact dates, for the check.</summary>
    internal static LedgerVersion? ProposedVersionOf(NegotiationEvent e, Guid root, Guid source, string orderKey) =>
        VersionOf(e, root, source, orderKey, e.OccurredOn.Start);

    void NoteDate(Guid id, DomainDate date)
    {
        if (!_earliest.TryGetValue(id, out var known) || date.Start < known) _earliest[id] = date.Start;
    }

    /// <summary>Whether the stream (or the batch so far) has an event with this id.</summary>
    public bool Knows(Guid eventId) => _events.ContainsKey(eventId);
    /// <summary>The type of a known event; null when unknown.</summary>
    public string? TypeOf(Guid eventId) => _events.GetValueOrDefault(eventId);

    /// <summary>Records an accepted event: its id, what it opens or closes, what it retracts or corrects.</summary>
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

    /// <summary>
    /// Whether <see cref="Register"/> reads more of an event of <paramref name="type"/> than its id, type and date: the events
    /// that open or close a demand or commitment (<see cref="VersionOf"/>), and retractions and corrections. Every other event
    /// registers the same through <see cref="RegisterKnownEvent"/> with what the domain-order index holds, so a context for the
    /// whole record reads only these bodies (NegotiationStore's whole-record validation).
    /// </summary>
    public static bool NeedsBody(string type) => type is nameof(DemandMade) or nameof(AgreementSigned) or nameof(DemandMet) or nameof(DemandRefused)
        or nameof(DemandWithdrawn) or nameof(CommitmentFulfilled) or nameof(CommitmentBreached) or nameof(EventRetracted) or nameof(EventCorrected);

    /// <summary>A context knowing <paramref name="history"/> (a stream's recorded events, any order).</summary>
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

    /// <summary>Records a demand id as opened.</summary>
    public void RegisterDemandId(string id) => _demands.Add(id);
    /// <summary>Records a commitment id as opened.</summary>
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
    /// <summary>The events any of whose versions opens <paramref name="key"/> (in force or not).</summary>
    internal IEnumerable<Guid> OpenersOf((bool, string) key) =>
        _rootsOf.TryGetValue(key, out var roots) ? roots.Where(r => _versions[r].Any(v => v.Items.Any(i => i.Opens && i.Key == key))) : [];

    /// <summary>How many retractions of <paramref name="id"/> the context knows that nothing retracts (in force or not).</summary>
    internal int RetractionsNeverRetracted(Guid id) =>
        _retractionsOf.TryGetValue(id, out var list) ? list.Count(r => !_retractionsOf.TryGetValue(r, out var of) || of.Count == 0) : 0;
    internal DateOnly? EarliestDateOf(Guid id) => _earliest.TryGetValue(id, out var d) ? d : null;
}
