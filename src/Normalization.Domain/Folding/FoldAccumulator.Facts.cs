using Normalization.Domain.Catalog;
using Normalization.Domain.Ledger;

namespace Normalization.Domain.Folding;

// What each event changes in the facts behind the rules and in the ledger (docs/event-catalog.md, docs/stage-model.md).
public sealed partial class FoldAccumulator
{
    void Gesture(string party, NegotiationEvent e)
    {
        if (!IsPrincipal(party)) return;
        LastGesture[party] = new Dated(_on, e.EventId);
        _gestures.Add(new GestureEntry(party, _on, e.Type, e.EventId));
        var count = GestureCounts[party] = GestureCounts.GetValueOrDefault(party) + 1;
        if (count > RecentPerParty && ++_gesturesOver >= TrimAfter) Gestures = MostRecent(_gestures, g => g.Party);
    }

    void Released(string party, string person, string? nationality, NegotiationEvent e)
    {
        _released.Add(new PrisonerEntry(party, person, nationality, _on, e.EventId));
        var count = PrisonerCounts[party] = PrisonerCounts.GetValueOrDefault(party) + 1;
        if (count > RecentPerParty && ++_releasedOver >= TrimAfter) PrisonersReleased = MostRecent(_released, p => p.ReleasedBy);
    }

    /// <summary>
    /// The entries of <paramref name="list"/> (oldest first) without each party's oldest past <see cref="RecentPerParty"/>:
    /// the most recent <see cref="RecentPerParty"/> per party, in their order. Only <see cref="Gesture"/> and
    /// <see cref="Released"/> add entries, so a party's entries past its limit are exactly the ones counted as over.
    /// </summary>
    static List<T> MostRecent<T>(List<T> list, Func<T, string> party)
    {
        // Only principals add entries: a handful of distinct parties, counted in a small list (no hashing).
        var parties = new List<string>(2);
        var kept = new List<int>(2);
        var keep = new bool[list.Count];
        var n = 0;
        for (var i = list.Count - 1; i >= 0; i--)
        {
            var p = party(list[i]);
            var at = parties.IndexOf(p);
            if (at < 0) { parties.Add(p); kept.Add(0); at = parties.Count - 1; }
            if (kept[at]++ < RecentPerParty) { keep[i] = true; n++; }
        }
        var result = new List<T>(n + TrimAfter);
        for (var i = 0; i < list.Count; i++) if (keep[i]) result.Add(list[i]);
        return result;
    }

    void ApplyFacts(NegotiationEvent e)
    {
        var on = _on;
        switch (e)
        {
            case TalksHeld:
                if (Between(e)) LastTalks = new Dated(on, e.EventId);
                break;
            case RecognitionRequested r:
                Requests.Add(new RequestEntry(RequestKind.Recognition, r.Actor, r.Target ?? "", r.Form.ToString(), on, RequestStatus.Pending, null, [e.EventId]));
                break;
            case OfficeRequested o:
                var detail = string.Join("; ", new[] { o.OfficeKind?.ToString(), o.Location }.Concat(o.Constraints).Where(s => !string.IsNullOrWhiteSpace(s)));
                Requests.Add(new RequestEntry(RequestKind.Office, o.Actor, o.Target ?? "", detail, on, RequestStatus.Pending, null, [e.EventId]));
                break;
            case DemandMade d:
                Demands[d.DemandId] = Demands.TryGetValue(d.DemandId, out var existing)
                    ? existing with { By = d.Actor, Of = d.Target, Subject = d.Subject, Category = d.Category, MadeOn = on, EventIds = [e.EventId, .. existing.EventIds] }
                    : new DemandEntry(d.DemandId, d.Actor, d.Target, d.Subject, d.Category, DemandStatus.Open, on, null, [e.EventId]);
                break;
            case DemandMet m:
                Resolve(m.DemandId, DemandStatus.Met, e);
                if (Between(e)) Gesture(e.Actor, e);
                break;
            case DemandRefused r:
                Resolve(r.DemandId, DemandStatus.Refused, e);
                break;
            case DemandWithdrawn w:
                Resolve(w.DemandId, DemandStatus.Withdrawn, e);
                break;
            case PrisonerReleased p:
                if (IsPrincipal(p.Actor)) Released(p.Actor, p.Person, p.Nationality, e);
                if (Between(e)) Gesture(e.Actor, e);
                break;
            case PrisonersExchanged x:
                // A swap of one party with a third country is not the negotiation's: no gesture, no release listed.
                if (!Between(e)) break;
                foreach (var r in x.Releases)
                    if (IsPrincipal(r.ReleasedBy)) Released(r.ReleasedBy, r.Person, r.Nationality, e);
                foreach (var party in x.Releases.Select(r => r.ReleasedBy).Distinct()) Gesture(party, e);
                break;
            case RewardRescinded rr:
                RescindRewards(rr);
                if (Between(e)) Gesture(e.Actor, e);
                break;
            case SanctionsEased s:
                EaseSanctions(s);
                if (Between(e)) Gesture(e.Actor, e);
                break;
            case AssetsUnfrozen u:
                if (u.AmountUsd is { } amount && FrozenAssetsUsd.TryGetValue(u.Actor, out var frozen))
                    FrozenAssetsUsd[u.Actor] = Math.Max(0, frozen - amount);
                if (Between(e)) Gesture(e.Actor, e);
                break;
            case DesignationRemoved dr:
                RemoveDesignation(dr);
                if (Between(e)) Gesture(e.Actor, e);
                break;
            case AidProvided or CommitmentFulfilled:
                if (e is CommitmentFulfilled cf) SetCommitment(cf.CommitmentId, CommitmentStatus.Fulfilled, e);
                if (Between(e)) Gesture(e.Actor, e);
                break;
            case AgreementSigned ag:
                // An agreement of one party with a third country is not the negotiation's: not listed, counted or a gesture,
                // and its commitments are not the ledger's (a closing of one is held back as one without its agreement).
                if (!Between(e)) break;
                Agreements.Add(new AgreementEntry(ag.Name, on, ag.Signatories, e.EventId, ag.Commitments.Select(c => c.CommitmentId).ToList()));
                Totals = Totals with { Agreements = Totals.Agreements + 1 };
                if (Agreements.Count > ClosedListed) Agreements.RemoveAt(0);
                foreach (var c in ag.Commitments)
                {
                    CommitmentsBeforeAgreement.Remove(c.CommitmentId);
                    // A closing folded before its agreement (coarser date) keeps its status.
                    Commitments[c.CommitmentId] = Commitments.TryGetValue(c.CommitmentId, out var closed)
                        ? closed with { Party = c.Party, Text = c.Text, EventIds = [e.EventId, .. closed.EventIds] }
                        : new CommitmentEntry(c.CommitmentId, c.Party, c.Text, CommitmentStatus.Pending, [e.EventId]);
                }
                foreach (var s in ag.Signatories.Distinct()) Gesture(s, e);
                break;
            case OfficeOpened oo:
                OpenOffice(oo);
                // An embassy (re)opened where the record says no one represents the sender: a resident mission is headed by a chargé d'affaires at least.
                if (oo.OfficeKind == OfficeKind.Embassy && LevelOf(oo.Actor, oo.Target!).Level == RepresentationLevel.None)
                    SetLevel(oo.Actor, oo.Target!, RepresentationLevel.ChargeDAffaires, e);
                GrantRequests(RequestKind.Office, oo.Actor, oo.Target!, e);
                break;
            case OfficeClosed oc:
                CloseOffice(oc);
                break;
            case RecognitionGranted rg:
                WithdrawRecognition(rg.Actor, rg.Target);
                Recognition.Add(new RecognitionEntry(rg.Actor, rg.Target!, rg.Form, on, e.EventId));
                GrantRequests(RequestKind.Recognition, rg.Target!, rg.Actor, e);
                break;
            case RecognitionWithdrawn rw:
                WithdrawRecognition(rw.Actor, rw.Target);
                break;
            case RelationsEstablished:
                Relations = new RelationsEntry(RelationsStatus.Established, on, e.EventId);
                break;
            case RelationsSevered:
                Relations = new RelationsEntry(RelationsStatus.Severed, on, e.EventId);
                // A break ends all representation (Vienna Convention, art. 45): relations restored later stand without envoys until some return.
                SetLevel(e.Actor, e.Target!, RepresentationLevel.None, e);
                SetLevel(e.Target!, e.Actor, RepresentationLevel.None, e);
                break;
            case AmbassadorRecalled ar:
                SetLevel(ar.Actor, ar.Target!, ar.LevelLeft, e);
                break;
            case AmbassadorReturned:
                SetLevel(e.Actor, e.Target!, RepresentationLevel.Ambassador, e);
                break;
            case DiplomatsExpelled de:
                if (de.LevelLeft is { } left) SetLevel(de.Target!, de.Actor, left, e);
                else if (BetweenPrincipals(e))
                {
                    // Some diplomats go, the mission stays at its level: listed, not a change of level.
                    var kept = LevelOf(de.Target!, de.Actor).Level;
                    ListChange(new RepresentationChange(de.Target!, de.Actor, kept, kept, on, e.Type, e.EventId));
                }
                break;
            case RelationsDowngraded or RelationsUpgraded:
                var level = e is RelationsDowngraded down ? down.Level : ((RelationsUpgraded)e).Level;
                SetLevel(e.Actor, e.Target!, level, e);
                SetLevel(e.Target!, e.Actor, level, e);
                break;
            case PersonDetained:
                if (BetweenPrincipals(e)) LastHostile = new Dated(on, e.EventId);
                break;
            case MilitaryStrike or AttackOccurred:
                if (BetweenPrincipals(e)) LastHostile = new Dated(on, e.EventId);
                break;
            case RewardOffered ro:
                OfferRewards(ro);
                break;
            case SanctionsImposed si:
                // Sanctions of a scope already in force stay in force since their first imposition.
                ImposeSanctions(si);
                break;
            case AssetsFrozen af:
                FrozenAssetsUsd[af.Actor] = SaturatingAdd(FrozenAssetsUsd.GetValueOrDefault(af.Actor), af.AmountUsd ?? 0);
                break;
            case DesignationAdded da:
                AddDesignation(da);
                break;
            case CommitmentBreached cb:
                SetCommitment(cb.CommitmentId, CommitmentStatus.Breached, e);
                break;
            case ThirdPartyRecognition tp:
                ThirdPartyRecognitions.Add(new ThirdPartyRecognitionEntry(tp.Actor, tp.Target ?? "", tp.Form, on, e.EventId));
                Totals = Totals with { ThirdPartyRecognitions = Totals.ThirdPartyRecognitions + 1 };
                if (ThirdPartyRecognitions.Count > ClosedListed) ThirdPartyRecognitions.RemoveAt(0);
                break;
        }
    }

    // The ledger's list edits, each in its own method: a lambda capturing a case's pattern variable made the compiler
    // allocate one closure for the whole switch on every event (a fifth of what the fold allocated).

    void RescindRewards(RewardRescinded rr) =>
        Rewards.RemoveAll(r => r.By == rr.Actor && rr.Targets.Contains(r.Person, StringComparer.OrdinalIgnoreCase));

    void EaseSanctions(SanctionsEased s) =>
        Sanctions.RemoveAll(x => string.Equals(x.Scope, s.Scope, StringComparison.OrdinalIgnoreCase) && (x.By == s.Actor || string.IsNullOrEmpty(x.By))); // "": a baseline sanction in a checkpoint written before By was null

    void RemoveDesignation(DesignationRemoved dr) =>
        Designations.RemoveAll(x => string.Equals(x.Designee, dr.Designee, StringComparison.OrdinalIgnoreCase) && x.List == dr.List);

    void WithdrawRecognition(string by, string? of) => Recognition.RemoveAll(r => r.By == by && r.Of == of);

    void OpenOffice(OfficeOpened oo)
    {
        // Opening an office that already operates changes nothing (the ledger keeps when it first opened).
        if (!Offices.Any(o => o.Sender == oo.Actor && o.Host == oo.Target && o.OfficeKind == oo.OfficeKind && string.Equals(o.City, oo.City, StringComparison.OrdinalIgnoreCase)))
            Offices.Add(new OfficeEntry(oo.Actor, oo.Target!, oo.OfficeKind, oo.City, _on, oo.EventId));
    }

    void CloseOffice(OfficeClosed oc)
    {
        var match = Offices.FirstOrDefault(o => o.Sender == oc.Actor && o.Host == oc.Target && o.OfficeKind == oc.OfficeKind
            && (oc.City is null || string.Equals(o.City, oc.City, StringComparison.OrdinalIgnoreCase)));
        if (match is not null) Offices.Remove(match);
    }

    void OfferRewards(RewardOffered ro)
    {
        foreach (var person in ro.Targets)
        {
            // A new offer for the same person replaces the standing one.
            Rewards.RemoveAll(r => r.By == ro.Actor && string.Equals(r.Person, person, StringComparison.OrdinalIgnoreCase));
            Rewards.Add(new RewardEntry(ro.Actor, person, ro.Targets.Count == 1 ? ro.AmountUsd : null, _on, ro.EventId));
        }
    }

    void ImposeSanctions(SanctionsImposed si)
    {
        // Sanctions of a scope already in force stay in force since their first imposition.
        if (!Sanctions.Any(x => x.By == si.Actor && string.Equals(x.Scope, si.Scope, StringComparison.OrdinalIgnoreCase)))
            Sanctions.Add(new SanctionEntry(si.Actor, si.Scope, _on, si.EventId));
    }

    void AddDesignation(DesignationAdded da)
    {
        if (!Designations.Any(x => x.By == da.Actor && x.List == da.List && string.Equals(x.Designee, da.Designee, StringComparison.OrdinalIgnoreCase)))
            Designations.Add(new DesignationEntry(da.Actor, da.Designee, da.List, _on, da.EventId));
    }

    void Resolve(string demandId, DemandStatus status, NegotiationEvent e)
    {
        var known = Demands.TryGetValue(demandId, out var d);
        var reclosed = known && d!.Status != DemandStatus.Open;
        if (!reclosed) Totals = Totals with { DemandsResolved = Totals.DemandsResolved + 1 };
        Demands[demandId] = known
            ? d! with { Status = status, ResolvedOn = _on, EventIds = [.. d.EventIds, e.EventId] }
            : new DemandEntry(demandId, "", null, "", DemandCategory.Other, status, null, _on, [e.EventId]);
        Closed(ClosedDemandIds, demandId, reclosed, Demands, static d => d.MadeOn is not null);
    }

    void SetCommitment(string id, CommitmentStatus status, NegotiationEvent e)
    {
        var known = Commitments.TryGetValue(id, out var c);
        var reclosed = known && c!.Status != CommitmentStatus.Pending;
        if (!reclosed) Totals = Totals with { CommitmentsClosed = Totals.CommitmentsClosed + 1 };
        Commitments[id] = known
            ? c! with { Status = status, EventIds = [.. c.EventIds, e.EventId] }
            : new CommitmentEntry(id, e.Actor, "", status, [e.EventId]);
        if (!known) CommitmentsBeforeAgreement.Add(id);
        // Closed twice before its agreement is still without one: whether the agreement was folded is the list's to say, not the entry's.
        var awaiting = CommitmentsBeforeAgreement;
        Closed(ClosedCommitmentIds, id, reclosed, Commitments, c => !awaiting.Contains(c.CommitmentId));
    }

    /// <summary>
    /// Moves a closed entry to the end of the closure order and drops the oldest closed entry past <see cref="ClosedListed"/>.
    /// Only an entry whose opening (the demand, the agreement) is folded too may go: a closing folded before its opening
    /// (a demand known only by year, resolved within it) must still be there when the opening arrives, or it would reopen.
    /// An id is in <paramref name="order"/> exactly while its entry is closed, so only a <paramref name="reclosed"/> one is
    /// looked for (the scan of the whole order on every closing was a tenth of the fold's time).
    /// </summary>
    static void Closed<T>(List<string> order, string id, bool reclosed, Dictionary<string, T> entries, Func<T, bool> complete)
    {
        if (reclosed) order.Remove(id);
        order.Add(id);
        var excess = order.Count - ClosedListed;
        for (var i = 0; i < order.Count && excess > 0; i++)
        {
            if (entries.TryGetValue(order[i], out var entry) && !complete(entry)) continue;
            entries.Remove(order[i]);
            order.RemoveAt(i--);
            excess--;
        }
    }

    void GrantRequests(RequestKind kind, string requester, string grantor, NegotiationEvent e)
    {
        var granted = 0;
        for (var i = 0; i < Requests.Count; i++)
        {
            var r = Requests[i];
            if (r.Kind == kind && r.By == requester && r.Of == grantor && r.Status == RequestStatus.Pending)
            {
                Requests[i] = r with { Status = RequestStatus.Granted, GrantedOn = _on, EventIds = [.. r.EventIds, e.EventId] };
                granted++;
            }
        }
        if (granted == 0) return;
        Totals = Totals with { RequestsGranted = Totals.RequestsGranted + granted };
        var listed = Requests.Count(r => r.Status == RequestStatus.Granted);
        for (var i = 0; i < Requests.Count && listed > ClosedListed; i++)
            if (Requests[i].Status == RequestStatus.Granted) { Requests.RemoveAt(i--); listed--; }
    }
}
