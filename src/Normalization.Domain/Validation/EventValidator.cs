using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;

namespace Normalization.Domain.Validation;

/// <summary>The rules for accepting an event into a negotiation. Never throws for bad input.</summary>
public static class EventValidator
{
    /// <summary>
    /// How the message of an <c>unknown_reference</c> at <c>targetEventId</c> begins when the target is not in the negotiation
    /// at all (the retract endpoint's 404), as opposed to an event that would put back a closing of what is not in the record.
    /// </summary>
    public const string NoSuchEvent = "No event ";

    /// <summary>Whether <paramref name="error"/> says its target is not in the negotiation at all (not what retracting it would put back).</summary>
    public static bool IsMissingTarget(FieldError error) =>
        error.Code == "unknown_reference" && error.Message.StartsWith(NoSuchEvent, StringComparison.Ordinal);

    /// <summary>
    /// How many days before an event's first possible day a source reporting it may be dated (<c>before_event</c>): 1.
    /// Dates are local (the event's where it happened, the source's where it was published), and the two sides of a
    /// negotiation are often nine or more hours apart, so a report can carry the previous calendar day.
    /// </summary>
    public const int SourceDateGraceDays = 1;

    /// <summary>Validates one already-read event; returns true and registers it in the context when it is acceptable.</summary>
    public static bool Validate(NegotiationEvent e, string path, ValidationContext ctx, List<FieldError> errors)
    {
        var before = errors.Count;
        Check(e, path, ctx, errors, isCorrection: false);
        if (errors.Count > before) return false;
        ctx.Register(e);
        return true;
    }

    /// <summary>Whether <paramref name="e"/> would be accepted now (the checks of <see cref="Validate"/>), without registering it.</summary>
    internal static bool Fits(NegotiationEvent e, string path, ValidationContext ctx)
    {
        var errors = new List<FieldError>();
        Check(e, path, ctx, errors, isCorrection: false);
        return errors.Count == 0;
    }

    /// <summary>
    /// Whether the version in force of the opening <paramref name="root"/> (a DemandMade or AgreementSigned, registered or
    /// supposed) fits the record as if it were posted now, after everything else in force: it opens no id another opening in
    /// force holds, and the closings in force of its ids fit it (not dated before it, by the party the catalog names).
    /// </summary>
    internal static bool FitsAsPosted(Guid root, ValidationContext ctx) =>
        ctx.Effective(root) is { } version && !CheckChange(root, null, version, ctx, closingsToo: false).Any();

    static void Check(NegotiationEvent e, string path, ValidationContext ctx, List<FieldError> errors, bool isCorrection)
    {
        var checkedFrom = errors.Count;
        var n = ctx.Negotiation;
        string P(string f) => EventReader.Join(path, f);

        CheckDate(e.OccurredOn, "occurredOn", P, ctx, errors);
        // A review declares what the record holds so far: a coverage through a day not yet come is a claim about the
        // future, refused by the same "today" as occurredOn (the reader's zone, docs/api.md); nor can a review vouch for
        // days after its own — it would declare complete what had not happened when it was made (a review dated by month
        // or year may have been made on its period's last day).
        // and, like every date a record holds, it cannot reach back before 1900-01-01, the record's first possible day
        // (a typo such as 1079 for 1979 would mark every state of the record extrapolated).
        if (e is RecordReviewed { CoveredUntil: var covered })
        {
            if (covered.Start < ValidationContext.Earliest)
                errors.Add(new(P("coveredUntil"), "out_of_range", "coveredUntil must not be before 1900-01-01."));
            else if (covered.End > ctx.Today)
                errors.Add(new(P("coveredUntil"), "in_future", $"coveredUntil must not be after today ({ctx.Today:yyyy-MM-dd})."));
            else if (covered.End > e.OccurredOn.End)
                errors.Add(new(P("coveredUntil"), "after_review", $"coveredUntil must not be after the review's own date ({e.OccurredOn}): a review vouches for what had happened when it was made."));
        }
        if (!isCorrection && ctx.Knows(e.EventId) && e.EventId != Guid.Empty)
            { /* a known eventId is a duplicate, handled by the store as idempotent; not an error here */ }
        if (string.IsNullOrWhiteSpace(e.Actor)) errors.Add(new(P("actor"), "required", "actor is required."));
        if (e.Target is not null && e.Target == e.Actor) errors.Add(new(P("target"), "same_as_actor", "target must differ from actor."));
        foreach (var (s, i) in e.Sources.Select((s, i) => (s, i)))
            // Read JSON is refused at 400 by the reader (the url's FieldFormat); this holds events built otherwise (event data).
        {
            if (s.Url is not null && !EventReader.IsHttpUrl(s.Url))
                errors.Add(new(P($"sources[{i}].url"), "invalid_url", "url must be an absolute http or https address."));
            // A malformed date is the reader's 400 (invalid_date); a well-formed one has occurredOn's range.
            if (DomainDate.TryParse(s.PublishedOn, out var published))
            {
                var before = errors.Count;
                CheckDate(published, $"sources[{i}].publishedOn", P, ctx, errors);
                // A source reports what had happened when it was published: one that ends before the event may have begun (a
                // month or a year reaches to its last day) is a typo of its date or of the event's. A day's grace, because
                // each date is local: talks in Doha or Tehran on the 2nd are reported in New York on the 1st (the UTC+4:30
                // morning is the UTC-5 evening before). One error per path.
                if (errors.Count == before && published.End < e.OccurredOn.Start.AddDays(-SourceDateGraceDays))
                    errors.Add(new(P($"sources[{i}].publishedOn"), "before_event",
                        $"publishedOn must not be before the event it reports (occurredOn {e.OccurredOn}, from {e.OccurredOn.Start:yyyy-MM-dd}; " +
                        $"a source dated the day before is accepted, as the publisher's local date)."));
            }
        }

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
            // A joint event must be between the two parties (NegotiationOpened.IsBetweenTheParties): both at the table, both
            // signing, both releasing; a mediator or guarantor may be named too. One party's dealings with a third country are
            // not this negotiation's (docs/stage-model.md). Codes not well formed are reported instead (one error per path).
            case TalksHeld t:
                if (CheckCodes(t.Participants, P("participants"), errors) && !n.NamesBoth(t.Participants))
                    errors.Add(new(P("participants"), "too_few", $"participants must name both parties, {n.PartyA} and {n.PartyB} (a mediator may be named too)."));
                break;
            case AgreementSigned a:
                if (CheckCodes(a.Signatories, P("signatories"), errors) && !n.NamesBoth(a.Signatories))
                    errors.Add(new(P("signatories"), "too_few", $"signatories must name both parties, {n.PartyA} and {n.PartyB} (a mediator or guarantor may sign too)."));
                var ids = new HashSet<string>();
                foreach (var (c, i) in a.Commitments.Select((c, i) => (c, i)))
                {
                    // A corrected version's ids are judged with what it replaces (CheckChange); an id whose agreement was retracted is free again.
                    if (!ids.Add(c.CommitmentId) || (!isCorrection && ctx.IdTaken((false, c.CommitmentId))))
                        errors.Add(new(P($"commitments[{i}].commitmentId"), "duplicate_id", $"commitmentId '{c.CommitmentId}' is already used."));
                    if (!EventReader.PartyCode().IsMatch(c.Party)) errors.Add(new(P($"commitments[{i}].party"), "invalid_party_code", "party must be a party code."));
                    // Only a party closes a commitment (CommitmentFulfilled/Breached by its party): anyone else's would stay open for ever.
                    else if (!n.IsPrincipal(c.Party)) errors.Add(new(P($"commitments[{i}].party"), "not_a_party", $"party must be one of the parties: {n.PartyA} or {n.PartyB}."));
                }
                break;
            case PrisonersExchanged x:
                var wellFormed = true;
                foreach (var (r, i) in x.Releases.Select((r, i) => (r, i)))
                    if (!EventReader.PartyCode().IsMatch(r.ReleasedBy))
                    {
                        errors.Add(new(P($"releases[{i}].releasedBy"), "invalid_party_code", "releasedBy must be a party code."));
                        wellFormed = false;
                    }
                if (wellFormed && !n.ReleasedByBoth(x.Releases))
                    errors.Add(new(P("releases"), "too_few", $"releases must include people released by each party, {n.PartyA} and {n.PartyB} (a third country may release some too)."));
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
                var targetType = ctx.TypeOf(c.TargetEventId);
                // A retraction or a correction is never corrected, retracted or not: said first, naming what to do instead —
                // and its body is not judged against it (a type_mismatch asking for an EventCorrected body, an eventid_mismatch
                // asking for the correction's id, would ask for what is refused too); the body's own rules still are.
                if (targetType is nameof(EventRetracted) or nameof(EventCorrected))
                {
                    var of = ctx.TargetOf(c.TargetEventId) is { } aimed ? $" of event {aimed}" : "";
                    errors.Add(new(P("targetEventId"), "not_allowed", targetType == nameof(EventCorrected)
                        ? $"Only catalog events can be corrected, not retractions or corrections: event {c.TargetEventId} is a correction{of}. Correct that event instead (its latest correction is the one in force)."
                        : $"Only catalog events can be corrected, not retractions or corrections: event {c.TargetEventId} is a retraction{of}. Retract the retraction to restore that event."));
                    if (c.Correction is not null) Check(c.Correction, P("correction"), ctx, errors, isCorrection: true);
                    break;
                }
                if (ctx.IsRetracted(c.TargetEventId)) errors.Add(new(P("targetEventId"), "already_retracted", $"Event {c.TargetEventId} is retracted."));
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
                    // A correction is dated when it was made, as a retraction is: it cannot come before the event it corrects.
                    // Refused only when it ends before the first day of every version — the recorded ones (a stored correction's
                    // from its year, as the index keeps it) and the one it proposes, which may move the event earlier.
                    if (ctx.EarliestDateOf(c.TargetEventId) is { } recordedStart
                        && (c.Correction.OccurredOn.Start < recordedStart ? c.Correction.OccurredOn.Start : recordedStart) is var firstDay
                        && c.OccurredOn.End < firstDay)
                        errors.Add(new(P("occurredOn"), "before_target",
                            $"A correction cannot be dated before the event it corrects (dated from {firstDay:yyyy-MM-dd}, its corrected version included)."));
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
        // An opening refused as a duplicate does not open its ids: its fit with their closings is not the question.
        if (!isCorrection && !errors.Skip(checkedFrom).Any(x => x.Code == "duplicate_id")) CheckReopening(e, ctx, errors, P);
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
    /// A new opening (a <c>DemandMade</c> or <c>AgreementSigned</c>, not a corrected version) whose ids have closings in force:
    /// they must fit it as they would fit a correction of the opening they closed — dated from its first day
    /// (<c>before_reference</c> at <c>occurredOn</c>) and by the party the catalog names (<c>wrong_party</c>). A post never
    /// meets this (an opening cannot leave the record under its closings: <c>still_referenced</c>); a what-if does, when it
    /// replaces an opening or removes it and adds another with its ids while keeping the recorded closings — judged as the
    /// same change made by a correction would be (docs/what-if.md). Not judged for an opening refused as a duplicate.
    /// </summary>
    static void CheckReopening(NegotiationEvent e, ValidationContext ctx, List<FieldError> errors, Func<string, string> P)
    {
        if (e is not (DemandMade or AgreementSigned)
            || ValidationContext.ProposedVersionOf(e, e.EventId, e.EventId, DomainOrder.SortKey(e)) is not { } version) return;
        foreach (var (code, field, message) in CheckChange(e.EventId, null, version, ctx, closingsToo: false))
            if (code != "duplicate_id") errors.Add(new(P(field), code, message));
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

        // What it stops opening: closings in force of it would be left without an opening — unless another opening in force
        // opens the id (two are in force only while a batch supposes a retracted opening listed after its reuse).
        var dropped = beforeItems.Where(i => i.Opens && !afterItems.Any(a => a.Opens && a.Key == i.Key) && !ctx.InForce(i.Key, opens: true, except: root).Any())
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

    /// <summary>Reports each code not shaped like a party code; whether all are.</summary>
    static bool CheckCodes(IReadOnlyList<string> codes, string path, List<FieldError> errors)
    {
        var before = errors.Count;
        for (var i = 0; i < codes.Count; i++)
            if (!EventReader.PartyCode().IsMatch(codes[i])) errors.Add(new($"{path}[{i}]", "invalid_party_code", "Must be a party code (e.g. US, TB)."));
        return errors.Count == before;
    }

    /// <summary>
    /// The range of every date of an event (<c>occurredOn</c>, a source's <c>publishedOn</c>): not before 1900-01-01, the
    /// record's first possible day (<c>out_of_range</c>), nor after today (<c>in_future</c>); a month or a year that has
    /// begun is not in the future.
    /// </summary>
    static void CheckDate(DomainDate date, string field, Func<string, string> P, ValidationContext ctx, List<FieldError> errors)
    {
        if (date.Start < ValidationContext.Earliest)
            errors.Add(new(P(field), "out_of_range", $"{Leaf(field)} must not be before 1900-01-01."));
        else if (date.Start > ctx.Today)
            errors.Add(new(P(field), "in_future", $"{Leaf(field)} must not be in the future (today is {ctx.Today:yyyy-MM-dd})."));
    }

    static string Leaf(string field) => field[(field.LastIndexOf('.') + 1)..];
}
