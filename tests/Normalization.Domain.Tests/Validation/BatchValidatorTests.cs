using CsCheck;
using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Ledger;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Tests.Support;
using Normalization.Domain.Validation;
using static Normalization.Domain.Tests.Support.Given;

namespace Normalization.Domain.Tests.Validation;

/// <summary>
/// BatchValidator: a batch or a file is judged as a whole — a retraction or correction listed before the event it aims at
/// (a timeline export is in domain order, where a correction may sort before its target) waits for it, as a closing waits
/// for its opening; a true orphan stays <c>unknown_reference</c>.
/// </summary>
public class BatchValidatorTests
{
    static readonly DateOnly Today = D("2025-04-03");

    static List<string> Judge(ValidationContext ctx, IReadOnlyList<NegotiationEvent> batch)
    {
        var validator = new BatchValidator(ctx);
        var errors = new List<(int Tag, FieldError Error)>();
        for (var i = 0; i < batch.Count; i++) validator.Validate(batch[i], $"events[{i}]", i, errors);
        validator.Finish(errors);
        return errors.OrderBy(e => e.Tag).Select(e => $"{e.Error.Path} {e.Error.Code}").ToList();
    }

    static NegotiationEvent Retraction(NegotiationBuilder n, Guid target, string on) =>
        n.Envelope(on, new EventRetracted { TargetEventId = target, Reason = "wrong" }, US, null);

    [Fact]
    public void Given_a_correction_and_a_retraction_listed_before_their_targets_When_judged_as_a_whole_Then_both_stand()
    {
        // Given a batch: a correction of talks, a retraction of a threat, then the talks and the threat
        var n = Negotiation();
        var talks = n.Envelope("2025-01-05", new TalksHeld { Participants = [US, TB], Level = TalksLevel.Exploratory }, US, TB);
        var threat = n.Envelope("2025-01-06", new ThreatIssued(), US, TB);
        var correction = n.Envelope("2025-01-06", new EventCorrected { TargetEventId = talks.EventId, Correction = talks with { Note = "in Doha" } }, US, null);
        var retraction = Retraction(n, threat.EventId, "2025-01-07");
        var ctx = new ValidationContext(n.Opening, Today);

        // When judged as a whole
        var errors = Judge(ctx, [correction, retraction, talks, threat]);

        // Then nothing is refused and every event is registered
        errors.ShouldBeEmpty();
        new[] { correction, retraction, talks, threat }.ShouldAllBe(e => ctx.Knows(e.EventId));
        Retracted([correction, retraction, talks, threat], threat.EventId).ShouldBeTrue();
    }

    [Fact]
    public void Given_a_retraction_of_a_retraction_listed_first_When_judged_as_a_whole_Then_the_chain_stands_and_the_event_is_back()
    {
        // Given: the retraction of R (listed first), R retracting the threat, the threat
        var n = Negotiation();
        var threat = n.Envelope("2025-01-06", new ThreatIssued(), US, TB);
        var r = Retraction(n, threat.EventId, "2025-01-07");
        var rr = Retraction(n, r.EventId, "2025-01-08");
        var ctx = new ValidationContext(n.Opening, Today);

        var errors = Judge(ctx, [rr, r, threat]);

        errors.ShouldBeEmpty();
        new[] { rr, r, threat }.ShouldAllBe(e => ctx.Knows(e.EventId));
        Retracted([rr, r, threat], threat.EventId).ShouldBeFalse();
    }

    [Fact]
    public void Given_a_second_retraction_listed_before_the_retraction_of_the_first_When_judged_as_a_whole_Then_it_stands()
    {
        // Given: threat, R1 retracting it, R2 retracting it again, RR retracting R1 — valid in the order threat, R1, RR, R2
        var n = Negotiation();
        var threat = n.Envelope("2025-01-06", new ThreatIssued(), US, TB);
        var r1 = Retraction(n, threat.EventId, "2025-01-07");
        var r2 = Retraction(n, threat.EventId, "2025-01-09");
        var rr = Retraction(n, r1.EventId, "2025-01-08");
        var ctx = new ValidationContext(n.Opening, Today);

        Judge(ctx, [threat, r1, r2, rr]).ShouldBeEmpty();
        Retracted([threat, r1, r2, rr], threat.EventId).ShouldBeTrue();
    }

    [Fact]
    public void Given_a_retraction_of_an_event_in_no_line_When_judged_as_a_whole_Then_unknown_reference_at_its_target()
    {
        var n = Negotiation();
        var threat = n.Envelope("2025-01-06", new ThreatIssued(), US, TB);
        var orphan = Retraction(n, Id(999), "2025-01-07");
        var correctionOfOrphan = n.Envelope("2025-01-07", new EventCorrected { TargetEventId = Id(998), Correction = threat }, US, null);

        var errors = Judge(new ValidationContext(n.Opening, Today), [orphan, threat, correctionOfOrphan]);

        errors.ShouldBe(["events[0].targetEventId unknown_reference", "events[2].targetEventId unknown_reference"]);
    }

    [Fact]
    public void Given_a_twice_retracted_event_When_judged_as_a_whole_Then_the_second_retraction_is_still_already_retracted()
    {
        var n = Negotiation();
        var threat = n.Envelope("2025-01-06", new ThreatIssued(), US, TB);
        var errors = Judge(new ValidationContext(n.Opening, Today), [Retraction(n, threat.EventId, "2025-01-07"), Retraction(n, threat.EventId, "2025-01-08"), threat]);
        errors.ShouldBe(["events[1].targetEventId already_retracted"]);
    }

    /// <summary>A random valid file: random events, retractions (of anything earlier, retractions too) and corrections after them, each kept only when one request at a time accepts it.</summary>
    internal static readonly Gen<NegotiationEvent[]> ValidFile =
        Gen.Select(RandomHistory.Events, Gen.Select(Gen.Int[0, 1000], Gen.Int[0, 1], Gen.Int[0, 300]).Array[0, 25])
            .Select(t =>
            {
                var (events, amendments) = t;
                var opening = RandomHistory.Opening;
                var ctx = new ValidationContext(opening, Today);
                var kept = new List<NegotiationEvent>();
                foreach (var e in events)
                    if (EventValidator.Validate(e, "", ctx, [])) kept.Add(e);
                var next = 1000;
                foreach (var (pick, kind, day) in amendments)
                {
                    if (kept.Count == 0) break;
                    var target = kept[pick % kept.Count];
                    var on = DomainDate.FromDate(new DateOnly(2025, 1, 1).AddDays(day / 3));
                    NegotiationEvent amendment = kind == 0 || target is EventRetracted or EventCorrected
                        ? new EventRetracted { TargetEventId = target.EventId, Reason = "r" }
                        : new EventCorrected { TargetEventId = target.EventId, Correction = target with { Note = $"corrected {day}" } };
                    amendment = amendment with { EventId = Id(++next), OccurredOn = on, Actor = US };
                    if (EventValidator.Validate(amendment, "", ctx, [])) kept.Add(amendment);
                }
                return kept.ToArray();
            });

    [Fact]
    public void Given_a_valid_file_with_retractions_and_corrections_When_any_permutation_is_judged_as_a_whole_Then_it_validates_the_same()
    {
        Gen.Select(ValidFile, Gen.Int).Sample((file, seed) =>
        {
            var permuted = RandomHistory.Permute(file, seed);
            var ctx = new ValidationContext(RandomHistory.Opening, Today);
            var errors = Judge(ctx, permuted);
            return errors.Count == 0 && file.All(e => ctx.Knows(e.EventId));
        }, iter: 300, print: t => Print(RandomHistory.Permute(t.Item1, t.Item2)));
    }

    [Fact]
    public void Given_a_demandId_used_again_before_the_retraction_of_its_first_opening_is_listed_When_judged_as_a_whole_Then_every_line_stands()
    {
        // Given a file in domain order: a demand (Jan), the same demandId made again (Feb), then met (Apr), and the first
        // demand's retraction recorded in March — listed after the reuse, as a timeline export lists it
        var n = Negotiation();
        var first = n.Envelope("2025-01-05", new DemandMade { DemandId = "d1", Subject = "first" }, TB, US);
        var again = n.Envelope("2025-02-05", new DemandMade { DemandId = "d1", Subject = "again" }, TB, US);
        var retraction = Retraction(n, first.EventId, "2025-03-01");
        var met = n.Envelope("2025-04-01", new DemandMet { DemandId = "d1" }, US, TB);
        var ctx = new ValidationContext(n.Opening, Today);

        // When judged as a whole
        var errors = Judge(ctx, [first, again, retraction, met]);

        // Then every line stands, and the demand met is the second one
        errors.ShouldBeEmpty();
        new[] { first, again, retraction, met }.ShouldAllBe(e => ctx.Knows(e.EventId));
        Retracted([first, again, retraction, met], first.EventId).ShouldBeTrue();
    }

    [Fact]
    public void Given_a_fulfilment_listed_while_a_retracted_agreement_still_holds_its_commitmentId_When_judged_as_a_whole_Then_it_closes_the_agreement_that_replaced_it()
    {
        // Given: an agreement binding US to c1 (Jan), TB's fulfilment of c1 (Apr) listed next, the agreement that replaced it
        // binding TB to c1 (Feb), and the retraction of the first (Mar) listed last
        var n = Negotiation();
        AgreementSigned Agreement(string name, string party) => new() { Name = name, Signatories = [US, TB], Commitments = [new Commitment { CommitmentId = "c1", Party = party, Text = "t" }] };
        var first = n.Envelope("2025-01-05", Agreement("first", US), US, TB);
        var fulfilled = n.Envelope("2025-04-01", new CommitmentFulfilled { CommitmentId = "c1" }, TB, US);
        var second = n.Envelope("2025-02-05", Agreement("second", TB), US, TB);
        var retraction = Retraction(n, first.EventId, "2025-03-01");
        var ctx = new ValidationContext(n.Opening, Today);

        // When judged as a whole
        var errors = Judge(ctx, [first, fulfilled, second, retraction]);

        // Then every line stands: TB fulfils its own commitment, not the retracted one of US
        errors.ShouldBeEmpty();
        new[] { first, fulfilled, second, retraction }.ShouldAllBe(e => ctx.Knows(e.EventId));
    }

    [Fact]
    public void Given_a_fulfilment_by_the_wrong_party_When_judged_as_a_whole_Then_it_is_still_wrong_party()
    {
        var n = Negotiation();
        var agreement = n.Envelope("2025-01-05", new AgreementSigned { Name = "a", Signatories = [US, TB], Commitments = [new Commitment { CommitmentId = "c1", Party = US, Text = "t" }] }, US, TB);
        var fulfilled = n.Envelope("2025-04-01", new CommitmentFulfilled { CommitmentId = "c1" }, TB, US);

        Judge(new ValidationContext(n.Opening, Today), [agreement, fulfilled]).ShouldBe(["events[1].actor wrong_party"]);
    }

    [Fact]
    public void Given_a_commitmentId_held_by_an_agreement_in_force_When_judged_as_a_whole_Then_the_second_agreement_is_still_duplicate_id()
    {
        // Given two agreements binding the same commitmentId, neither retracted
        var n = Negotiation();
        AgreementSigned Agreement(string name) => new() { Name = name, Signatories = [US, TB], Commitments = [new Commitment { CommitmentId = "c1", Party = US, Text = "t" }] };
        var first = n.Envelope("2025-01-05", Agreement("first"), US, TB);
        var second = n.Envelope("2025-02-05", Agreement("second"), US, TB);

        // When judged as a whole, Then the second is refused at its commitmentId, as one request at a time refuses it
        Judge(new ValidationContext(n.Opening, Today), [first, second]).ShouldBe(["events[1].commitments[0].commitmentId duplicate_id"]);
    }

    /// <summary>
    /// A record stored one request at a time: a demand (2020), its retraction (2021-06), the retraction of that retraction
    /// (2021-07) putting it back, then the demand withdrawn (2021-03). Its timeline lists it in domain order — made, withdrawn,
    /// retracted, retraction retracted — where the retraction meets a closing of its target.
    /// </summary>
    static (NegotiationBuilder N, NegotiationEvent[] Record) DemandPutBackThenWithdrawn()
    {
        var n = Negotiation();
        var made = n.Envelope("2020-01-01", new DemandMade { DemandId = "d1", Subject = "s" }, TB, US);
        var withdrawn = n.Envelope("2021-03-01", new DemandWithdrawn { DemandId = "d1" }, TB, US);
        var r = Retraction(n, made.EventId, "2021-06-01");
        var rr = Retraction(n, r.EventId, "2021-07-01");
        return (n, [made, withdrawn, r, rr]);
    }

    [Fact]
    public void Given_a_demand_put_back_then_withdrawn_When_every_order_of_its_lines_is_judged_as_a_whole_Then_every_order_stands()
    {
        // Given the record (valid one request at a time in the order made, retracted, put back, withdrawn)
        var (n, record) = DemandPutBackThenWithdrawn();
        foreach (var order in Permutations(record))
        {
            // When this order is judged as a whole
            var ctx = new ValidationContext(n.Opening, Today);
            var errors = Judge(ctx, order);

            // Then nothing is refused and the demand is back in force
            errors.ShouldBeEmpty(string.Join(", ", order.Select(e => e.Type)));
            Retracted(order, record[0].EventId).ShouldBeFalse();
        }
    }

    [Fact]
    public void Given_the_put_back_demand_retracted_again_under_its_withdrawal_When_judged_as_a_whole_Then_it_is_still_referenced()
    {
        // Given the same lines, the retraction of the retraction retracted in turn: the demand stays retracted under its withdrawal
        var (n, record) = DemandPutBackThenWithdrawn();
        var rrr = Retraction(n, record[3].EventId, "2021-08-01");

        // When judged as a whole, Then the lines are refused as one request at a time refuses them in the record's order
        // (made, retracted, put back, withdrawn): the last retraction would take the demand out from under its withdrawal
        var errors = Judge(new ValidationContext(n.Opening, Today), [.. record, rrr]);
        errors.ShouldBe(["events[4].targetEventId still_referenced"]);
    }

    [Fact]
    public void Given_a_correction_moving_a_withdrawn_demand_to_another_id_and_its_retraction_When_every_order_is_judged_as_a_whole_Then_every_order_stands()
    {
        // Given: a demand d1, its withdrawal, a correction giving it the id d2 (refused alone: the withdrawal still closes d1),
        // and that correction's retraction
        var n = Negotiation();
        var made = n.Envelope("2020-01-01", new DemandMade { DemandId = "d1", Subject = "s" }, TB, US);
        var withdrawn = n.Envelope("2021-03-01", new DemandWithdrawn { DemandId = "d1" }, TB, US);
        var correction = n.Envelope("2021-06-01", new EventCorrected { TargetEventId = made.EventId, Correction = (DemandMade)made with { DemandId = "d2" } }, US, null);
        var retraction = Retraction(n, correction.EventId, "2021-07-01");

        foreach (var order in Permutations([made, withdrawn, correction, retraction]))
            // When judged as a whole, Then every order stands
            Judge(new ValidationContext(n.Opening, Today), order).ShouldBeEmpty(string.Join(", ", order.Select(e => e.Type)));
    }

    /// <summary>
    /// A record stored one request at a time: a demand d1 (March 2024), its retraction (April), d1 made again (February: the
    /// reuse is dated before the demand it replaces) and met (May). Its timeline lists the reuse before the retracted demand.
    /// </summary>
    static (NegotiationBuilder N, NegotiationEvent[] Record) DemandIdReusedBeforeTheRetractedDemand()
    {
        var n = Negotiation();
        var first = n.Envelope("2024-03-05", new DemandMade { DemandId = "d1", Subject = "first" }, TB, US);
        var retraction = Retraction(n, first.EventId, "2024-04-01");
        var again = n.Envelope("2024-02-05", new DemandMade { DemandId = "d1", Subject = "again" }, TB, US);
        var met = n.Envelope("2024-05-01", new DemandMet { DemandId = "d1" }, US, TB);
        return (n, [first, retraction, again, met]);
    }

    [Fact]
    public void Given_a_demandId_reused_with_a_date_before_the_retracted_demand_When_every_order_is_judged_as_a_whole_Then_every_order_stands()
    {
        // Given the record (valid one request at a time in the order made, retracted, made again, met)
        var (n, record) = DemandIdReusedBeforeTheRetractedDemand();
        foreach (var order in Permutations(record))
        {
            // When this order is judged as a whole (its domain order — made again, made, retracted, met — among them)
            var ctx = new ValidationContext(n.Opening, Today);
            var errors = Judge(ctx, order);

            // Then nothing is refused, the first demand is retracted and the reuse holds the id
            errors.ShouldBeEmpty(string.Join(", ", order.Select(e => e.EventId == record[0].EventId ? "first" : e.Type)));
            Retracted(order, record[0].EventId).ShouldBeTrue();
            Retracted(order, record[2].EventId).ShouldBeFalse();
        }
    }

    [Fact]
    public void Given_a_demandId_reused_before_a_demand_put_back_When_judged_as_a_whole_Then_the_put_back_is_still_duplicate_id()
    {
        // Given the reuse listed first, then the demand it would replace, retracted and put back (its retraction retracted)
        var (n, record) = DemandIdReusedBeforeTheRetractedDemand();
        var putBack = Retraction(n, record[1].EventId, "2024-06-01");

        // When judged as a whole, Then the retraction putting the demand back is refused (duplicate_id at its targetEventId),
        // as one request at a time refuses it in the record's order (made, retracted, made again): the reuse holds the id
        Judge(new ValidationContext(n.Opening, Today), [record[2], record[0], record[1], putBack])
            .ShouldBe(["events[3].targetEventId duplicate_id"]);
    }

    [Fact]
    public void Given_a_demandId_reused_with_a_date_before_the_demand_corrected_away_from_it_When_every_order_is_judged_as_a_whole_Then_every_order_stands()
    {
        // Given a record stored one request at a time: a demand d2 (March), corrected to d1, then d2 made again (February)
        var n = Negotiation();
        var first = n.Envelope("2024-03-20", new DemandMade { DemandId = "d2", Subject = "first" }, US, TB);
        var correction = n.Envelope("2024-03-20", new EventCorrected { TargetEventId = first.EventId, Correction = (DemandMade)first with { DemandId = "d1" } }, US, null);
        var again = n.Envelope("2024-02-29", new DemandMade { DemandId = "d2", Subject = "again" }, US, TB);

        foreach (var order in Permutations([first, correction, again]))
            // When judged as a whole (its domain order — made again, made, corrected — among them), Then every order stands
            Judge(new ValidationContext(n.Opening, Today), order).ShouldBeEmpty(string.Join(", ", order.Select(e => e.EventId == first.EventId ? "first" : e.Type)));
    }

    [Fact]
    public void Given_a_demandId_reused_before_a_demand_corrected_but_keeping_it_When_judged_as_a_whole_Then_the_demand_is_still_duplicate_id()
    {
        // Given the reuse listed first, then the demand it would replace, corrected to another date (it still opens d2)
        var n = Negotiation();
        var first = n.Envelope("2024-03-20", new DemandMade { DemandId = "d2", Subject = "first" }, US, TB);
        var correction = n.Envelope("2024-03-20", new EventCorrected { TargetEventId = first.EventId, Correction = first with { OccurredOn = DomainDate.Parse("2024-03-10") } }, US, null);
        var again = n.Envelope("2024-02-29", new DemandMade { DemandId = "d2", Subject = "again" }, US, TB);

        // When judged as a whole, Then the demand is refused: two openings of d2 would be in force
        Judge(new ValidationContext(n.Opening, Today), [again, first, correction]).ShouldContain("events[1].demandId duplicate_id");
    }

    [Fact]
    public void Given_a_demand_corrected_to_an_id_reused_after_its_retraction_When_every_order_is_judged_as_a_whole_Then_every_order_stands()
    {
        // Given a record stored one request at a time: a demand d1 (March), corrected to d2, retracted (April), then d2 made
        // again (February): its timeline lists the reuse first and the correction (recorded 2025) last
        var n = Negotiation();
        var first = n.Envelope("2024-03-02", new DemandMade { DemandId = "d1", Subject = "first" }, TB, US);
        var correction = n.Envelope("2025-01-01", new EventCorrected { TargetEventId = first.EventId, Correction = (DemandMade)first with { DemandId = "d2" } }, US, null);
        var retraction = Retraction(n, first.EventId, "2024-04-01");
        var again = n.Envelope("2024-02-28", new DemandMade { DemandId = "d2", Subject = "again" }, US, TB);

        var refused = Permutations([first, correction, retraction, again])
            .Select(order => (Order: string.Join(", ", order.Select(e => e.EventId == first.EventId ? "first" : e.Type)), Errors: Judge(new ValidationContext(n.Opening, Today), order)))
            .Where(x => x.Errors.Count > 0).Select(x => $"{x.Order}: {string.Join("; ", x.Errors)}").ToList();

        // When judged as a whole (its domain order — made again, made, retracted, corrected — among them), Then every order stands
        refused.ShouldBeEmpty();
    }

    [Fact]
    public void Given_a_demand_corrected_to_an_id_reused_When_its_retraction_is_retracted_Then_the_correction_is_refused_as_duplicate_id()
    {
        // Given the same lines, the retraction retracted in turn: the demand is back, corrected to d2, which the reuse holds
        var n = Negotiation();
        var first = n.Envelope("2024-03-02", new DemandMade { DemandId = "d1", Subject = "first" }, TB, US);
        var correction = n.Envelope("2025-01-01", new EventCorrected { TargetEventId = first.EventId, Correction = (DemandMade)first with { DemandId = "d2" } }, US, null);
        var retraction = Retraction(n, first.EventId, "2024-04-01");
        var again = n.Envelope("2024-02-28", new DemandMade { DemandId = "d2", Subject = "again" }, US, TB);
        var putBack = Retraction(n, retraction.EventId, "2025-02-01");

        // When judged as a whole, Then something is refused: the record cannot hold two openings of d2 in force
        Judge(new ValidationContext(n.Opening, Today), [again, first, retraction, correction, putBack]).ShouldNotBeEmpty();
    }

    [Fact]
    public void Given_a_retraction_dated_before_its_target_but_within_its_corrections_year_When_every_order_is_judged_as_a_whole_Then_every_order_stands()
    {
        // Given a record stored one request at a time: a demand (2024-03-20), a correction of it (recorded 2024-04-10), its
        // retraction dated 2024-03-02 (accepted: a corrected version counts from the first day of its year), then the
        // correction retracted. Its timeline lists the retraction before the demand and the correction after it.
        var n = Negotiation();
        var made = n.Envelope("2024-03-20", new DemandMade { DemandId = "d1", Subject = "s" }, TB, US);
        var correction = n.Envelope("2024-04-10", new EventCorrected { TargetEventId = made.EventId, Correction = made }, US, null);
        var retraction = Retraction(n, made.EventId, "2024-03-02");
        var correctionRetracted = Retraction(n, correction.EventId, "2024-04-10");

        var refused = Permutations([made, correction, retraction, correctionRetracted])
            .Select(order => (Order: string.Join(", ", order.Select(e => e.EventId == made.EventId ? "made" : e.EventId == retraction.EventId ? "retraction" : e.Type)),
                Errors: Judge(new ValidationContext(n.Opening, Today), order)))
            .Where(x => x.Errors.Count > 0).Select(x => $"{x.Order}: {string.Join("; ", x.Errors)}").ToList();

        // When judged as a whole, Then every order stands
        refused.ShouldBeEmpty();
    }

    [Fact]
    public void Given_a_retraction_dated_before_its_uncorrected_target_When_judged_as_a_whole_Then_it_is_still_before_target()
    {
        var n = Negotiation();
        var made = n.Envelope("2024-03-20", new DemandMade { DemandId = "d1", Subject = "s" }, TB, US);
        var retraction = Retraction(n, made.EventId, "2024-03-02");

        Judge(new ValidationContext(n.Opening, Today), [retraction, made]).ShouldBe(["events[0].occurredOn before_target"]);
        Judge(new ValidationContext(n.Opening, Today), [made, retraction]).ShouldBe(["events[1].occurredOn before_target"]);
    }

    // ------------------------------------------------------------------------------------------------ a closing listed
    // before the retraction (or correction away) of the opening it fits, while a reuse of the id is listed too

    /// <summary>
    /// A record stored one request at a time: a demand d1 made by TB of US (2024-02-05), its retraction dated by its month
    /// (2024-03), d1 made again (2024-02-20), then that demand closed by <paramref name="closing"/> (2024-03-10). Its timeline
    /// lists the first demand, the reuse, the closing, then the retraction (a month sorts by its last day).
    /// </summary>
    static (NegotiationBuilder N, NegotiationEvent[] Record) DemandReusedThenClosed(string closing, bool correctedAway)
    {
        var n = Negotiation();
        var first = n.Envelope("2024-02-05", new DemandMade { DemandId = "d1", Subject = "first" }, TB, US);
        var change = correctedAway
            ? n.Envelope("2024", new EventCorrected { TargetEventId = first.EventId, Correction = (DemandMade)first with { DemandId = "d9" } }, US, null)
            : Retraction(n, first.EventId, "2024-03");
        var again = n.Envelope("2024-02-20", new DemandMade { DemandId = "d1", Subject = "again" }, TB, US);
        var closed = closing switch
        {
            nameof(DemandMet) => n.Envelope("2024-03-10", new DemandMet { DemandId = "d1" }, US, TB),
            nameof(DemandRefused) => n.Envelope("2024-03-10", new DemandRefused { DemandId = "d1" }, US, TB),
            _ => n.Envelope("2024-03-10", new DemandWithdrawn { DemandId = "d1" }, TB, US),
        };
        return (n, [first, change, again, closed]);
    }

    [Theory]
    [InlineData(nameof(DemandMet), false)]
    [InlineData(nameof(DemandRefused), false)]
    [InlineData(nameof(DemandWithdrawn), false)]
    [InlineData(nameof(DemandMet), true)]
    [InlineData(nameof(DemandWithdrawn), true)]
    public void Given_a_demand_closed_after_its_id_was_reused_When_every_order_is_judged_as_a_whole_Then_every_order_stands_and_the_closing_closes_the_reuse(string closing, bool correctedAway)
    {
        // Given the record (valid one request at a time in the order made, retracted or corrected to d9, made again, closed)
        var (n, record) = DemandReusedThenClosed(closing, correctedAway);
        var oneAtATime = new ValidationContext(n.Opening, Today);
        record.ShouldAllBe(e => EventValidator.Validate(e, "", oneAtATime, new List<FieldError>()));
        var (first, again, closed) = (record[0], record[2], record[3]);

        var refused = Permutations(record)
            .Select(order => (Order: Describe(order, first, again), Errors: Judge(new ValidationContext(n.Opening, Today), order)))
            .Where(x => x.Errors.Count > 0).Select(x => $"{x.Order}: {string.Join("; ", x.Errors)}").ToList();

        // When every order is judged as a whole (its timeline — first, again, closed, then the change — among them),
        // Then every order stands
        refused.ShouldBeEmpty();
        // and the folded ledger is the record's: the closing closes the reuse, the first demand no longer holds d1
        var demand = NegotiationFold.StateAsOf(n.Opening, record, Today).Ledger.Demands.Where(d => d.DemandId == "d1").ShouldHaveSingleItem();
        demand.Subject.ShouldBe("again");
        demand.EventIds.ShouldBe([again.EventId, closed.EventId], ignoreOrder: true);
        demand.Status.ShouldNotBe(DemandStatus.Open);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Given_an_agreement_whose_commitments_were_reused_then_fulfilled_and_breached_When_every_order_is_judged_as_a_whole_Then_every_order_stands(bool correctedAway)
    {
        // Given a record stored one request at a time: an agreement binding US to c1 and TB to c2 (January), retracted or
        // corrected to bind US to c3 only (dated by its year: the timeline lists it last), an agreement binding the same
        // parties to c1 and c2 again (February), c1 fulfilled by US and c2 breached by TB (March)
        var n = Negotiation();
        AgreementSigned Agreement(string name, params string[] ids) => new()
        {
            Name = name, Signatories = [US, TB],
            Commitments = ids.Select(c => new Commitment { CommitmentId = c, Party = c == "c2" ? TB : US, Text = "t" }).ToList(),
        };
        var first = n.Envelope("2024-01-10", Agreement("first", "c1", "c2"), US, TB);
        var change = correctedAway
            ? n.Envelope("2024", new EventCorrected { TargetEventId = first.EventId, Correction = (AgreementSigned)first with { Commitments = Agreement("first", "c3").Commitments } }, US, null)
            : Retraction(n, first.EventId, "2024");
        var again = n.Envelope("2024-02-01", Agreement("again", "c1", "c2"), US, TB);
        var fulfilled = n.Envelope("2024-03-05", new CommitmentFulfilled { CommitmentId = "c1" }, US, TB);
        var breached = n.Envelope("2024-03-06", new CommitmentBreached { CommitmentId = "c2" }, TB, US);
        NegotiationEvent[] record = [first, change, again, fulfilled, breached];
        var oneAtATime = new ValidationContext(n.Opening, Today);
        record.ShouldAllBe(e => EventValidator.Validate(e, "", oneAtATime, new List<FieldError>()));

        var refused = Permutations(record)
            .Select(order => (Order: Describe(order, first, again), Errors: Judge(new ValidationContext(n.Opening, Today), order)))
            .Where(x => x.Errors.Count > 0).Select(x => $"{x.Order}: {string.Join("; ", x.Errors)}").ToList();

        // When every order is judged as a whole, Then every order stands
        refused.ShouldBeEmpty();
        // and in the folded ledger both closings are the second agreement's
        var commitments = NegotiationFold.StateAsOf(n.Opening, record, Today).Ledger.Commitments;
        commitments.Where(c => c.CommitmentId is "c1" or "c2").ShouldAllBe(c => c.EventIds.Contains(again.EventId) && !c.EventIds.Contains(first.EventId));
        commitments.Single(c => c.CommitmentId == "c1").Status.ShouldBe(CommitmentStatus.Fulfilled);
        commitments.Single(c => c.CommitmentId == "c2").Status.ShouldBe(CommitmentStatus.Breached);
    }

    [Fact]
    public void Given_a_closing_that_fits_the_retracted_demand_but_not_its_reuse_When_judged_as_a_whole_Then_it_is_still_refused()
    {
        // Given: d1 made by TB of US, d1 made again by US of TB, met by US (as the first demand wants, not the reuse), then
        // the first demand's retraction — no order one request at a time accepts these lines
        var n = Negotiation();
        var first = n.Envelope("2024-02-05", new DemandMade { DemandId = "d1", Subject = "first" }, TB, US);
        var again = n.Envelope("2024-02-20", new DemandMade { DemandId = "d1", Subject = "again" }, US, TB);
        var met = n.Envelope("2024-03-10", new DemandMet { DemandId = "d1" }, US, TB);
        var retraction = Retraction(n, first.EventId, "2024-03");

        // When judged as a whole, Then the reuse and the retraction are refused, as before
        Judge(new ValidationContext(n.Opening, Today), [first, again, met, retraction])
            .ShouldBe(["events[1].demandId duplicate_id", "events[3].targetEventId still_referenced"]);
    }

    [Fact]
    public void Given_a_stored_closing_of_the_demand_a_batch_retracts_When_the_batch_reuses_its_id_Then_the_retraction_is_still_referenced()
    {
        // Given a record holding d1 and its closing; a batch making d1 again and retracting the first demand
        var n = Negotiation();
        var first = n.Envelope("2024-02-05", new DemandMade { DemandId = "d1", Subject = "first" }, TB, US);
        var met = n.Envelope("2024-03-10", new DemandMet { DemandId = "d1" }, US, TB);
        var again = n.Envelope("2024-02-20", new DemandMade { DemandId = "d1", Subject = "again" }, TB, US);
        var retraction = Retraction(n, first.EventId, "2024-03");

        // When judged, Then refused as one request at a time refuses it in any order: the stored closing closes the first demand
        Judge(ValidationContext.For(n.Opening, [first, met], Today), [again, retraction])
            .ShouldBe(["events[0].demandId duplicate_id", "events[1].targetEventId still_referenced"]);
        // while a batch that lists the closing too stands (one request at a time: retracted, made again, met)
        Judge(ValidationContext.For(n.Opening, [first], Today), [again, met, retraction]).ShouldBeEmpty();
    }

    static string Describe(NegotiationEvent[] order, NegotiationEvent first, NegotiationEvent again) =>
        string.Join(", ", order.Select(e => e.EventId == first.EventId ? "first" : e.EventId == again.EventId ? "again" : e.Type));

    static IEnumerable<NegotiationEvent[]> Permutations(NegotiationEvent[] items) =>
        items.Length <= 1 ? [items]
            : items.SelectMany((e, i) => Permutations([.. items[..i], .. items[(i + 1)..]]).Select(rest => (NegotiationEvent[])[e, .. rest]));

    /// <summary>The permuted file, each line with what it aims at, then the errors judging it as a whole gives.</summary>
    static string Print(NegotiationEvent[] file) =>
        string.Join("\n", file.Select(e => $"{e.EventId.ToString()[^4..]} {e.OccurredOn} {e.Type} {e.Actor}->{e.Target}" + e switch
        {
            EventRetracted r => $" of {r.TargetEventId.ToString()[^4..]}",
            EventCorrected c => $" of {c.TargetEventId.ToString()[^4..]}",
            _ => "",
        })) + "\n" + string.Join("\n", Judge(new ValidationContext(RandomHistory.Opening, Today), file));

    static bool Retracted(IEnumerable<NegotiationEvent> record, Guid id) =>
        EffectiveHistory.Resolve(record).Statuses.TryGetValue(id, out var s) && s.Retracted;
}
