using CsCheck;
using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Tests.Support;
using Normalization.Domain.Validation;
using static Normalization.Domain.Tests.Support.Given;

namespace Normalization.Domain.Tests.Validation;

/// <summary>EventValidator: the rules against a negotiation (parties, dates, references), every problem with its path.</summary>
public class EventValidatorTests
{
    static readonly DateOnly Today = D("2025-04-03");
    const string P = "events[0]";

    static (NegotiationBuilder N, ValidationContext Ctx) Context(Action<NegotiationBuilder>? history = null)
    {
        var n = Negotiation();
        history?.Invoke(n);
        return (n, ValidationContext.For(n.Opening, n.Events, Today));
    }

    static List<FieldError> Validate(NegotiationEvent e, ValidationContext ctx)
    {
        var errors = new List<FieldError>();
        EventValidator.Validate(e, P, ctx, errors);
        return errors;
    }

    static void ShouldBeOnly(List<FieldError> errors, string path, string code)
    {
        errors.Select(e => $"{e.Path} {e.Code}").ShouldBe([$"{path} {code}"]);
    }

    [Fact]
    public void Given_a_valid_event_When_validated_Then_accepted_and_registered_for_later_references()
    {
        var (n, ctx) = Context();
        var demand = n.Envelope("2025-03-20", new DemandMade { DemandId = "d1", Subject = "s", Category = DemandCategory.Other }, TB, US);
        var errors = new List<FieldError>();

        EventValidator.Validate(demand, P, ctx, errors).ShouldBeTrue();

        errors.ShouldBeEmpty();
        ctx.Knows(demand.EventId).ShouldBeTrue();
        Validate(n.Envelope("2025-03-21", new DemandMet { DemandId = "d1" }, US, TB), ctx).ShouldBeEmpty();
    }

    [Fact]
    public void Given_an_invalid_event_When_validated_Then_rejected_and_not_registered()
    {
        var (n, ctx) = Context();
        var e = n.Envelope("2030-01-01", new ThreatIssued());
        var errors = new List<FieldError>();

        EventValidator.Validate(e, P, ctx, errors).ShouldBeFalse();

        ctx.Knows(e.EventId).ShouldBeFalse();
    }

    [Theory]
    [InlineData("2025-04-04")]
    [InlineData("2026")]
    [InlineData("2025-05")]
    public void Given_a_future_date_When_validated_Then_in_future(string on)
    {
        var (n, ctx) = Context();
        ShouldBeOnly(Validate(n.Envelope(on, new ThreatIssued()), ctx), $"{P}.occurredOn", "in_future");
    }

    [Theory]
    [InlineData("2025-04-03")]
    [InlineData("2025-04")]
    [InlineData("2025")]
    public void Given_today_or_a_period_that_has_begun_When_validated_Then_accepted(string on)
    {
        var (n, ctx) = Context();
        Validate(n.Envelope(on, new ThreatIssued()), ctx).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("1899-12-31")]
    [InlineData("1899")]
    public void Given_a_date_before_1900_When_validated_Then_out_of_range(string on)
    {
        var (n, ctx) = Context();
        ShouldBeOnly(Validate(n.Envelope(on, new ThreatIssued()), ctx), $"{P}.occurredOn", "out_of_range");
    }

    [Fact]
    public void Given_1900_01_01_When_validated_Then_accepted()
    {
        var (n, ctx) = Context();
        Validate(n.Envelope("1900-01-01", new ThreatIssued()), ctx).ShouldBeEmpty();
    }

    [Fact]
    public void Given_no_actor_When_validated_Then_actor_required()
    {
        var (n, ctx) = Context();
        ShouldBeOnly(Validate(n.Envelope("2025-01-01", new ThreatIssued(), actor: " ", target: null), ctx), $"{P}.actor", "required");
    }

    [Fact]
    public void Given_the_target_is_the_actor_When_validated_Then_same_as_actor()
    {
        var (n, ctx) = Context();
        ShouldBeOnly(Validate(n.Envelope("2025-01-01", new ThreatIssued(), US, US), ctx), $"{P}.target", "same_as_actor");
    }

    [Fact]
    public void Given_a_source_url_that_is_not_http_When_validated_Then_invalid_url_with_its_index()
    {
        var (n, ctx) = Context();
        var e = n.Envelope("2025-01-01", new ThreatIssued()) with
        {
            Sources = [new Source { Publisher = "CNN", Url = "https://cnn.com/x" }, new Source { Publisher = "X", Url = "javascript:alert(1)" }],
        };
        ShouldBeOnly(Validate(e, ctx), $"{P}.sources[1].url", "invalid_url");
    }

    // Party rules

    [Fact]
    public void Given_a_PrincipalActor_type_by_a_third_party_When_validated_Then_actor_not_a_party()
    {
        var (n, ctx) = Context();
        var errors = Validate(n.Envelope("2025-01-01", new PrisonerReleased { Person = "p" }, "QA", TB), ctx);
        errors.ShouldContain(e => e.Path == $"{P}.actor" && e.Code == "not_a_party" && e.Message.Contains("US or TB"));
    }

    [Fact]
    public void Given_a_PrincipalActor_type_aimed_at_a_third_party_When_validated_Then_target_not_a_party()
    {
        var (n, ctx) = Context();
        ShouldBeOnly(Validate(n.Envelope("2025-01-01", new PrisonerReleased { Person = "p" }, TB, "QA"), ctx), $"{P}.target", "not_a_party");
    }

    [Fact]
    public void Given_a_PrincipalActor_type_without_target_When_validated_Then_accepted()
    {
        var (n, ctx) = Context();
        Validate(n.Envelope("2025-01-01", new SanctionsImposed { Scope = "s" }, US, null), ctx).ShouldBeEmpty();
    }

    [Fact]
    public void Given_a_BetweenPrincipals_type_without_target_When_validated_Then_target_required()
    {
        var (n, ctx) = Context();
        ShouldBeOnly(Validate(n.Envelope("2025-01-01", new RelationsEstablished(), US, null), ctx), $"{P}.target", "required");
    }

    [Fact]
    public void Given_a_BetweenPrincipals_type_with_third_parties_When_validated_Then_actor_and_target_not_a_party()
    {
        var (n, ctx) = Context();
        var errors = Validate(n.Envelope("2025-01-01", new OfficeOpened { OfficeKind = OfficeKind.Embassy }, "RU", "QA"), ctx);
        errors.Select(e => $"{e.Path} {e.Code}").ShouldBe([$"{P}.actor not_a_party", $"{P}.target not_a_party"]);
    }

    [Fact]
    public void Given_a_PrincipalTarget_type_without_a_principal_target_When_validated_Then_target_required_or_not_a_party()
    {
        var (n, ctx) = Context();
        ShouldBeOnly(Validate(n.Envelope("2025-01-01", new PersonDetained { Person = "p" }, "ISIS-K", null), ctx), $"{P}.target", "required");
        ShouldBeOnly(Validate(n.Envelope("2025-01-01", new PersonDetained { Person = "p" }, "ISIS-K", "QA"), ctx), $"{P}.target", "not_a_party");
        Validate(n.Envelope("2025-01-01", new PersonDetained { Person = "p" }, "ISIS-K", US), ctx).ShouldBeEmpty();
    }

    [Fact]
    public void Given_a_ThirdPartyRecognition_by_a_party_When_validated_Then_actor_is_a_party()
    {
        var (n, ctx) = Context();
        ShouldBeOnly(Validate(n.Envelope("2025-01-01", new ThirdPartyRecognition(), US, TB), ctx), $"{P}.actor", "is_a_party");
        ShouldBeOnly(Validate(n.Envelope("2025-01-01", new ThirdPartyRecognition(), "RU", null), ctx), $"{P}.target", "not_a_party");
        Validate(n.Envelope("2025-01-01", new ThirdPartyRecognition(), "RU", TB), ctx).ShouldBeEmpty();
    }

    [Fact]
    public void Given_an_Any_type_between_third_parties_When_validated_Then_accepted()
    {
        var (n, ctx) = Context();
        Validate(n.Envelope("2022-07-31", new MilitaryStrike(), US, "AQ"), ctx).ShouldBeEmpty();
    }

    // Type-specific rules

    [Fact]
    public void Given_talks_with_fewer_than_two_participants_or_bad_codes_When_validated_Then_too_few_and_invalid_party_code()
    {
        var (n, ctx) = Context();
        ShouldBeOnly(Validate(n.Envelope("2025-01-01", new TalksHeld { Participants = [US] }), ctx), $"{P}.participants", "too_few");
        ShouldBeOnly(Validate(n.Envelope("2025-01-01", new TalksHeld { Participants = [US, "tb"] }), ctx), $"{P}.participants[1]", "invalid_party_code");
    }

    [Fact]
    public void Given_an_agreement_with_one_signatory_When_validated_Then_too_few()
    {
        var (n, ctx) = Context();
        ShouldBeOnly(Validate(n.Envelope("2025-01-01", new AgreementSigned { Name = "a", Signatories = [US] }), ctx), $"{P}.signatories", "too_few");
    }

    [Fact]
    public void Given_an_agreement_repeating_a_commitmentId_When_validated_Then_duplicate_id_at_the_second()
    {
        var (n, ctx) = Context();
        var e = n.Envelope("2025-01-01", new AgreementSigned
        {
            Name = "a",
            Signatories = [US, TB],
            Commitments = [new Commitment { CommitmentId = "c", Party = US, Text = "t" }, new Commitment { CommitmentId = "c", Party = "tb", Text = "t" }],
        });
        Validate(e, ctx).Select(x => $"{x.Path} {x.Code}").ShouldBe([$"{P}.commitments[1].commitmentId duplicate_id", $"{P}.commitments[1].party invalid_party_code"]);
    }

    [Fact]
    public void Given_a_commitmentId_used_by_an_earlier_agreement_When_validated_Then_duplicate_id()
    {
        var (n, ctx) = Context(h => h.Has("2020-02-29", new AgreementSigned { Name = "a", Signatories = [US, TB], Commitments = [new Commitment { CommitmentId = "c", Party = US, Text = "t" }] }));
        var e = n.Envelope("2025-01-01", new AgreementSigned { Name = "b", Signatories = [US, TB], Commitments = [new Commitment { CommitmentId = "c", Party = TB, Text = "t" }] });
        ShouldBeOnly(Validate(e, ctx), $"{P}.commitments[0].commitmentId", "duplicate_id");
    }

    [Fact]
    public void Given_an_exchange_with_a_bad_releasing_code_When_validated_Then_invalid_party_code()
    {
        var (n, ctx) = Context();
        var e = n.Envelope("2025-01-21", new PrisonersExchanged { Releases = [new Release { ReleasedBy = "Taliban", Person = "p" }] }, TB, US);
        ShouldBeOnly(Validate(e, ctx), $"{P}.releases[0].releasedBy", "invalid_party_code");
    }

    [Fact]
    public void Given_a_demandId_already_used_When_validated_Then_duplicate_id()
    {
        var (n, ctx) = Context(h => h.Has("2024", new DemandMade { DemandId = "d1", Subject = "s" }, TB, US));
        ShouldBeOnly(Validate(n.Envelope("2025-01-01", new DemandMade { DemandId = "d1", Subject = "again" }, TB, US), ctx), $"{P}.demandId", "duplicate_id");
    }

    [Theory]
    [InlineData(nameof(DemandMet))]
    [InlineData(nameof(DemandRefused))]
    [InlineData(nameof(DemandWithdrawn))]
    public void Given_a_response_to_an_unknown_demandId_When_validated_Then_unknown_reference(string type)
    {
        var (n, ctx) = Context(h => h.Has("2024", new DemandMade { DemandId = "d1", Subject = "s" }, TB, US));
        NegotiationEvent e = type switch
        {
            nameof(DemandMet) => new DemandMet { DemandId = "d2" },
            nameof(DemandRefused) => new DemandRefused { DemandId = "d2" },
            _ => new DemandWithdrawn { DemandId = "d2" },
        };
        var errors = Validate(n.Envelope("2025-01-01", e, US, TB), ctx);
        ShouldBeOnly(errors, $"{P}.demandId", "unknown_reference");
        errors[0].Message.ShouldContain("'d2'");
    }

    [Theory]
    [InlineData(nameof(CommitmentFulfilled))]
    [InlineData(nameof(CommitmentBreached))]
    public void Given_an_unknown_commitmentId_When_validated_Then_unknown_reference(string type)
    {
        var (n, ctx) = Context();
        NegotiationEvent e = type == nameof(CommitmentFulfilled) ? new CommitmentFulfilled { CommitmentId = "x" } : new CommitmentBreached { CommitmentId = "x" };
        ShouldBeOnly(Validate(n.Envelope("2025-01-01", e, US, TB), ctx), $"{P}.commitmentId", "unknown_reference");
    }

    // Retractions and corrections

    [Fact]
    public void Given_a_retraction_of_an_unknown_event_When_validated_Then_unknown_reference()
    {
        var (n, ctx) = Context();
        ShouldBeOnly(Validate(n.Envelope("2025-01-01", new EventRetracted { TargetEventId = Id(42), Reason = "r" }, US, null), ctx), $"{P}.targetEventId", "unknown_reference");
    }

    [Fact]
    public void Given_an_event_already_retracted_When_retracted_again_Then_already_retracted()
    {
        var (n, ctx) = Context(h => h.HasTalks("2025-01-01").HasRetraction(Id(1), "2025-01-02"));
        ShouldBeOnly(Validate(n.Envelope("2025-01-03", new EventRetracted { TargetEventId = Id(1), Reason = "again" }, US, null), ctx), $"{P}.targetEventId", "already_retracted");
    }

    [Fact]
    public void Given_two_retractions_of_one_event_in_one_batch_When_validated_Then_the_second_is_already_retracted()
    {
        var (n, ctx) = Context(h => h.HasTalks("2025-01-01"));
        var first = new List<FieldError>();
        EventValidator.Validate(n.Envelope("2025-01-02", new EventRetracted { TargetEventId = Id(1), Reason = "r" }, US, null), "events[0]", ctx, first).ShouldBeTrue();
        var second = new List<FieldError>();
        EventValidator.Validate(n.Envelope("2025-01-02", new EventRetracted { TargetEventId = Id(1), Reason = "r" }, US, null), "events[1]", ctx, second).ShouldBeFalse();
        second.Single().Path.ShouldBe("events[1].targetEventId");
    }

    [Theory]
    [InlineData("2025-01-10", "2025-01-09", false)] // the day before
    [InlineData("2025-01-10", "2025-01-10", true)]  // the same day
    [InlineData("2025-01", "2025-01-01", true)]     // within the target's month
    [InlineData("2025-01", "2024-12-31", false)]    // before the month began
    [InlineData("2025-01-10", "2025-01", true)]     // a month that reaches the target's day
    [InlineData("2025", "2024-12", false)]          // a month before the year
    [InlineData("2025-03-15", "2024", false)]       // a whole year before
    public void Given_a_recorded_event_When_a_retraction_is_dated_relative_to_it_Then_only_one_that_cannot_reach_its_date_is_before_target(
        string targetOn, string retractedOn, bool accepted)
    {
        // Given an event on targetOn
        var (n, ctx) = Context(h => h.Has(targetOn, new TalksHeld { Participants = [US, TB], Level = TalksLevel.Exploratory, Location = "Doha" }, US, TB));

        // When a retraction of it dated retractedOn is validated
        var errors = Validate(n.Envelope(retractedOn, new EventRetracted { TargetEventId = Id(1), Reason = "r" }, US, null), ctx);

        // Then it is refused at its occurredOn only when it ends before the target's first possible day
        if (accepted) errors.ShouldBeEmpty();
        else ShouldBeOnly(errors, $"{P}.occurredOn", "before_target");
    }

    [Fact]
    public void Given_an_event_corrected_to_an_earlier_date_When_retracted_Then_judged_from_the_first_day_of_the_corrected_year()
    {
        // Given talks recorded on 2025-03-01 and corrected to 2025-01-05
        var talks = new TalksHeld { Participants = [US, TB], Level = TalksLevel.Exploratory, Location = "Doha", OccurredOn = DomainDate.Parse("2025-01-05"), Actor = US, Target = TB };
        var (n, ctx) = Context(h => h.HasTalks("2025-03-01").HasCorrection(Id(1), "2025-03-02", talks));

        // When a retraction dated in the year before is validated, and one on 2025-01-04
        // (the refused one first: an accepted retraction is registered, and a second would be already_retracted)
        var before = Validate(n.Envelope("2024-12-31", new EventRetracted { TargetEventId = Id(1), Reason = "r" }, US, null), ctx);
        var within = Validate(n.Envelope("2025-01-04", new EventRetracted { TargetEventId = Id(1), Reason = "r" }, US, null), ctx);

        // Then a corrected version counts from the first day of its year — what the store keeps of it, so that a batch, an
        // import and one request at a time judge alike: the one in 2025 stands, the one in 2024 is before_target
        within.ShouldBeEmpty();
        ShouldBeOnly(before, $"{P}.occurredOn", "before_target");
    }

    [Fact]
    public void Given_a_store_that_knows_an_event_only_by_its_dates_When_a_retraction_is_validated_Then_the_earliest_date_decides()
    {
        // Given a context that knows event 7 from the index: recorded as 2025-06-10, a correction in 2025
        var (n, ctx) = Context();
        ctx.RegisterKnownEvent(Id(7), nameof(TalksHeld), retracted: false, DomainDate.Parse("2025-06-10"), DomainDate.Parse("2025"));

        // When retractions dated in 2025 and in 2024 are validated
        // Then the one in 2025 stands, the one in 2024 is before every version of the event
        ShouldBeOnly(Validate(n.Envelope("2024-12-31", new EventRetracted { TargetEventId = Id(7), Reason = "r" }, US, null), ctx), $"{P}.occurredOn", "before_target");
        Validate(n.Envelope("2025-02-01", new EventRetracted { TargetEventId = Id(7), Reason = "r" }, US, null), ctx).ShouldBeEmpty();
    }

    [Fact]
    public void Given_random_dates_and_precisions_When_a_retraction_is_validated_Then_it_is_refused_exactly_when_it_ends_before_the_target_begins()
    {
        var dates = Gen.Select(Gen.Int[2000, 2024], Gen.Int[1, 12], Gen.Int[1, 28], Gen.Int[0, 2])
            .Select((y, m, d, precision) => precision switch { 0 => new DomainDate(y), 1 => new DomainDate(y, m), _ => new DomainDate(y, m, d) });
        Gen.Select(dates, dates).Sample((targetOn, retractedOn) =>
        {
            // Given an event on targetOn; When a retraction dated retractedOn is validated
            var (n, ctx) = Context(h => h.Has(targetOn.ToString(), new TalksHeld { Participants = [US, TB], Level = TalksLevel.Exploratory, Location = "Doha" }, US, TB));
            var errors = Validate(n.Envelope(retractedOn.ToString(), new EventRetracted { TargetEventId = Id(1), Reason = "r" }, US, null), ctx);
            // Then before_target exactly when the retraction's last day is before the target's first
            return errors.Any(e => e.Code == "before_target") == (retractedOn.End < targetOn.Start) && errors.All(e => e.Code == "before_target");
        });
    }

    [Fact]
    public void Given_a_retraction_When_it_is_itself_retracted_Then_accepted()
    {
        var (n, ctx) = Context(h => h.HasTalks("2025-01-01").HasRetraction(Id(1), "2025-01-02"));
        Validate(n.Envelope("2025-01-03", new EventRetracted { TargetEventId = Id(2), Reason = "undo" }, US, null), ctx).ShouldBeEmpty();
    }

    [Fact]
    public void Given_a_correction_of_another_type_When_validated_Then_type_mismatch_at_correction_type()
    {
        var (n, ctx) = Context(h => h.HasTalks("2025-01-01"));
        var correction = new ThreatIssued { OccurredOn = DomainDate.Parse("2025-01-01"), Actor = US, Target = TB };
        var errors = Validate(n.Envelope("2025-01-02", new EventCorrected { TargetEventId = Id(1), Correction = correction }, US, null), ctx);
        ShouldBeOnly(errors, $"{P}.correction.type", "type_mismatch");
        errors[0].Message.ShouldContain("TalksHeld");
    }

    [Theory]
    [InlineData(false, false, false)]
    [InlineData(true, false, false)]
    [InlineData(true, true, true)]
    public void Given_a_correction_with_its_own_eventId_When_validated_Then_only_another_than_the_target_s_is_eventid_mismatch(bool withId, bool other, bool refused)
    {
        var (n, ctx) = Context(h => h.HasTalks("2025-01-01"));
        var id = !withId ? Guid.Empty : other ? Guid.NewGuid() : Id(1);
        var correction = new TalksHeld { EventId = id, Participants = [US, TB], Location = "Doha", OccurredOn = DomainDate.Parse("2025-01-01"), Actor = US, Target = TB };

        var errors = Validate(n.Envelope("2025-01-02", new EventCorrected { TargetEventId = Id(1), Correction = correction }, US, null), ctx);

        if (refused) ShouldBeOnly(errors, $"{P}.correction.eventId", "eventid_mismatch");
        else errors.ShouldBeEmpty();
    }

    [Fact]
    public void Given_a_correction_breaking_a_rule_When_validated_Then_the_path_goes_through_correction()
    {
        var (n, ctx) = Context(h => h.HasTalks("2025-01-01"));
        var correction = new TalksHeld { Participants = [US], OccurredOn = DomainDate.Parse("2030-01-01"), Actor = US, Target = TB };
        var errors = Validate(n.Envelope("2025-01-02", new EventCorrected { TargetEventId = Id(1), Correction = correction }, US, null), ctx);
        errors.Select(e => $"{e.Path} {e.Code}").ShouldBe([$"{P}.correction.occurredOn in_future", $"{P}.correction.participants too_few"]);
    }

    [Fact]
    public void Given_a_correction_of_a_demand_keeping_its_id_When_validated_Then_the_demandId_is_not_a_duplicate()
    {
        var (n, ctx) = Context(h => h.Has("2024", new DemandMade { DemandId = "d1", Subject = "s" }, TB, US));
        var correction = new DemandMade { DemandId = "d1", Subject = "better", OccurredOn = DomainDate.Parse("2024"), Actor = TB, Target = US };
        Validate(n.Envelope("2025-01-02", new EventCorrected { TargetEventId = Id(1), Correction = correction }, US, null), ctx).ShouldBeEmpty();
    }

    [Fact]
    public void Given_a_correction_without_the_corrected_event_When_validated_Then_correction_required()
    {
        var (n, ctx) = Context(h => h.HasTalks("2025-01-01"));
        ShouldBeOnly(Validate(n.Envelope("2025-01-02", new EventCorrected { TargetEventId = Id(1) }, US, null), ctx), $"{P}.correction", "required");
    }

    [Fact]
    public void Given_a_correction_of_an_unknown_or_retracted_event_When_validated_Then_unknown_reference_or_already_retracted()
    {
        var (n, ctx) = Context(h => h.HasTalks("2025-01-01").HasRetraction(Id(1), "2025-01-02"));
        var talks = new TalksHeld { Participants = [US, TB], OccurredOn = DomainDate.Parse("2025-01-01"), Actor = US, Target = TB };
        ShouldBeOnly(Validate(n.Envelope("2025-01-03", new EventCorrected { TargetEventId = Id(9), Correction = talks }, US, null), ctx), $"{P}.targetEventId", "unknown_reference");
        ShouldBeOnly(Validate(n.Envelope("2025-01-03", new EventCorrected { TargetEventId = Id(1), Correction = talks }, US, null), ctx), $"{P}.targetEventId", "already_retracted");
    }

    [Fact]
    public void Given_a_correction_of_a_retraction_When_validated_Then_not_allowed()
    {
        var (n, ctx) = Context(h => h.HasTalks("2025-01-01").HasRetraction(Id(1), "2025-01-02"));
        var retraction = new EventRetracted { TargetEventId = Id(1), Reason = "x", OccurredOn = DomainDate.Parse("2025-01-02"), Actor = US };
        var errors = Validate(n.Envelope("2025-01-03", new EventCorrected { TargetEventId = Id(2), Correction = retraction }, US, null), ctx);
        errors.ShouldContain(e => e.Path == $"{P}.targetEventId" && e.Code == "not_allowed");
        errors.ShouldContain(e => e.Path == $"{P}.correction" && e.Code == "not_allowed");
    }

    [Fact]
    public void Given_a_correction_of_the_record_When_a_historian_corrects_the_correction_Then_only_not_allowed_naming_the_event_to_correct()
    {
        // Given talks (event 1) whose date a correction (event 2) changed
        var (n, ctx) = Context(h => h.HasTalks("2025-01-01").HasCorrection(Id(1), "2025-01-05", h.Events[0] with { OccurredOn = DomainDate.Parse("2025-01-02") }));
        var talks = n.Events[0];

        // When the correction itself is corrected, with the talks' corrected version as its body (its own id, type TalksHeld)
        var errors = Validate(n.Envelope("2025-01-06", new EventCorrected { TargetEventId = Id(2), Correction = talks with { OccurredOn = DomainDate.Parse("2025-01-03") } }, US, null), ctx);

        // Then the one error is not_allowed at targetEventId, naming the event to correct instead — not also a type_mismatch
        // asking for an EventCorrected body (itself refused) nor an eventid_mismatch asking for the correction's id
        var error = errors.ShouldHaveSingleItem();
        error.Path.ShouldBe($"{P}.targetEventId");
        error.Code.ShouldBe("not_allowed");
        error.Message.ShouldContain(Id(1).ToString());
    }

    [Fact]
    public void Given_a_retracted_correction_When_corrected_Then_not_allowed_first()
    {
        // Given talks whose correction was retracted
        var (n, ctx) = Context(h => h.HasTalks("2025-01-01").HasCorrection(Id(1), "2025-01-05", h.Events[0] with { OccurredOn = DomainDate.Parse("2025-01-02") }).HasRetraction(Id(2), "2025-01-06"));
        var talks = n.Events[0];

        // When the retracted correction is corrected
        var errors = Validate(n.Envelope("2025-01-07", new EventCorrected { TargetEventId = Id(2), Correction = talks with { EventId = Guid.Empty } }, US, null), ctx);

        // Then not_allowed (it could never be corrected), the only error
        ShouldBeOnly(errors, $"{P}.targetEventId", "not_allowed");
    }

    [Fact]
    public void Given_a_correction_that_is_a_correction_When_validated_Then_not_allowed()
    {
        var (n, ctx) = Context(h => h.HasTalks("2025-01-01"));
        var nested = new EventCorrected { TargetEventId = Id(1), OccurredOn = DomainDate.Parse("2025-01-02"), Actor = US };
        var errors = Validate(n.Envelope("2025-01-03", new EventCorrected { TargetEventId = Id(1), Correction = nested }, US, null), ctx);
        errors.ShouldContain(e => e.Path == $"{P}.correction" && e.Code == "not_allowed");
    }

    [Fact]
    public void Given_an_event_with_several_problems_When_validated_Then_every_problem_is_reported()
    {
        var (n, ctx) = Context();
        var e = n.Envelope("2030-01-01", new DemandMet { DemandId = "none" }, "QA", "QA");

        var errors = Validate(e, ctx);

        errors.Select(x => x.Code).ShouldBe(["in_future", "same_as_actor", "not_a_party", "unknown_reference"]);
    }

    [Fact]
    public void Given_the_seed_history_When_validated_line_by_line_Then_every_event_is_accepted()
    {
        using var reader = File.OpenText(Path.Combine(AppContext.BaseDirectory, "Seed", "us-taliban.ndjson"));
        var (opening, events, errors) = Histories.NdjsonHistory.ReadAll(reader, Today);

        errors.ShouldBeEmpty();
        opening!.Id.ShouldBe("us-taliban");
        events.Count.ShouldBe(25);
    }
    [Fact]
    public void Given_an_event_retracted_and_its_retraction_retracted_in_one_batch_When_it_is_retracted_again_Then_that_stands_and_a_fourth_is_already_retracted()
    {
        // Given talks (event 1), then in one batch (one context): a retraction of it, and a retraction of that retraction
        var (n, ctx) = Context(h => h.HasTalks("2025-01-05"));
        var first = n.Envelope("2025-01-10", new EventRetracted { TargetEventId = Id(1), Reason = "unconfirmed" }, US, null);
        Validate(first, ctx).ShouldBeEmpty();
        Validate(n.Envelope("2025-01-11", new EventRetracted { TargetEventId = first.EventId, Reason = "confirmed after all" }, US, null), ctx).ShouldBeEmpty();

        // When the talks are retracted again, and once more
        var again = Validate(n.Envelope("2025-01-12", new EventRetracted { TargetEventId = Id(1), Reason = "retracted again" }, US, null), ctx);
        var fourth = Validate(n.Envelope("2025-01-13", new EventRetracted { TargetEventId = Id(1), Reason = "and again" }, US, null), ctx);

        // Then the talks were back in the record, so the third retraction stands; the fourth finds them retracted
        again.ShouldBeEmpty();
        ShouldBeOnly(fourth, $"{P}.targetEventId", "already_retracted");
    }

    [Fact]
    public void Given_a_store_that_gives_the_retraction_chain_of_an_event_When_it_is_retracted_Then_the_chain_decides_not_the_stored_flag()
    {
        // Given a context that knows, from the index, talks (7) once retracted by 8, whose retraction 9 restored them
        var (n, ctx) = Context();
        ctx.RegisterKnownEvent(Id(7), nameof(TalksHeld), retracted: false, DomainDate.Parse("2025-01-05"));
        ctx.RegisterKnownEvent(Id(8), nameof(EventRetracted), retracted: true, DomainDate.Parse("2025-02-01"));
        ctx.RegisterKnownEvent(Id(9), nameof(EventRetracted), retracted: false, DomainDate.Parse("2025-03-01"));
        ctx.RegisterRetraction(Id(8), Id(7));
        ctx.RegisterRetraction(Id(9), Id(8));

        // When the batch retracts 9 (the restoring retraction), then the talks
        var undo = Validate(n.Envelope("2025-04-01", new EventRetracted { TargetEventId = Id(9), Reason = "r" }, US, null), ctx);
        var talks = Validate(n.Envelope("2025-04-02", new EventRetracted { TargetEventId = Id(7), Reason = "r" }, US, null), ctx);

        // Then retracting 9 stands, and it put 8 back in force: the talks are retracted again, so the second is refused
        undo.ShouldBeEmpty();
        ShouldBeOnly(talks, $"{P}.targetEventId", "already_retracted");
    }

    [Fact]
    public void Given_random_retractions_of_events_and_of_retractions_in_one_batch_When_each_is_validated_Then_it_is_refused_exactly_when_the_record_says_its_target_is_retracted()
    {
        // Each step retracts one of the events so far (the three talks or any retraction before it), dated a day later.
        Gen.Int[0, 1000].Array[1, 24].Sample(picks =>
        {
            var (n, ctx) = Context(h => h.HasTalks("2025-01-05").HasTalks("2025-01-06").HasTalks("2025-01-07"));
            var record = new List<NegotiationEvent>(n.Events);
            var day = new DateOnly(2025, 1, 8);
            foreach (var pick in picks)
            {
                var target = record[pick % record.Count].EventId;
                // The record's own rule (EffectiveHistory, what the fold reads) over everything accepted so far
                var retracted = EffectiveHistory.Resolve(record).Statuses.TryGetValue(target, out var status) && status.Retracted;
                var retraction = n.Envelope(day.ToString("yyyy-MM-dd"), new EventRetracted { TargetEventId = target, Reason = "r" }, US, null);
                day = day.AddDays(1);
                var errors = Validate(retraction, ctx);
                if (errors.Any(e => e.Code == "already_retracted") != retracted || errors.Any(e => e.Code != "already_retracted")) return false;
                if (errors.Count == 0) record.Add(retraction);
            }
            return true;
        });
    }
    [Fact]
    public void Given_random_dates_and_precisions_When_a_demand_is_met_Then_before_reference_exactly_when_the_closing_ends_before_the_demand_begins()
    {
        var dates = Gen.Select(Gen.Int[2000, 2024], Gen.Int[1, 12], Gen.Int[1, 28], Gen.Int[0, 2])
            .Select((y, m, d, precision) => precision switch { 0 => new DomainDate(y), 1 => new DomainDate(y, m), _ => new DomainDate(y, m, d) });
        Gen.Select(dates, dates).Sample((madeOn, metOn) =>
        {
            // Given a demand US made of TB on madeOn; When TB meets it on metOn
            var (n, ctx) = Context(h => h.Has(madeOn.ToString(), new DemandMade { DemandId = "d1", Subject = "s", Category = DemandCategory.Other }, US, TB));
            var errors = Validate(n.Envelope(metOn.ToString(), new DemandMet { DemandId = "d1" }, TB, US), ctx);
            // Then before_reference (at occurredOn) exactly when the closing's last day is before the demand's first
            return errors.Any(e => e.Code == "before_reference" && e.Path == $"{P}.occurredOn") == (metOn.End < madeOn.Start) && errors.All(e => e.Code == "before_reference");
        });
    }

    [Fact]
    public void Given_a_demand_and_an_agreement_When_closed_by_the_wrong_party_Then_wrong_party_at_actor()
    {
        // Given US demands of TB, and an agreement in which TB commits
        var (n, ctx) = Context(h => h
            .Has("2025-01-05", new DemandMade { DemandId = "d1", Subject = "s", Category = DemandCategory.Other }, US, TB)
            .Has("2025-01-06", new AgreementSigned { Name = "a", Signatories = [US, TB], Commitments = [new Commitment { CommitmentId = "c1", Party = TB, Text = "t" }] }, US, TB));

        // When US meets its own demand, TB withdraws it, and US fulfils and breaches TB's commitment
        // Then each is wrong_party at actor
        ShouldBeOnly(Validate(n.Envelope("2025-02-01", new DemandMet { DemandId = "d1" }, US, TB), ctx), $"{P}.actor", "wrong_party");
        ShouldBeOnly(Validate(n.Envelope("2025-02-01", new DemandWithdrawn { DemandId = "d1" }, TB, US), ctx), $"{P}.actor", "wrong_party");
        ShouldBeOnly(Validate(n.Envelope("2025-02-01", new CommitmentFulfilled { CommitmentId = "c1" }, US, TB), ctx), $"{P}.actor", "wrong_party");
        ShouldBeOnly(Validate(n.Envelope("2025-02-01", new CommitmentBreached { CommitmentId = "c1" }, US, TB), ctx), $"{P}.actor", "wrong_party");
    }

    [Fact]
    public void Given_a_demand_met_When_its_opening_is_retracted_or_corrected_to_another_id_Then_still_referenced_and_after_the_closing_is_retracted_it_stands()
    {
        // Given a demand (event 1) met by TB (event 2)
        var (n, ctx) = Context(h => h
            .Has("2025-01-05", new DemandMade { DemandId = "d1", Subject = "s", Category = DemandCategory.Other }, US, TB)
            .Has("2025-01-06", new DemandMet { DemandId = "d1" }, TB, US));

        // When the opening is retracted, or corrected to open another demand id
        var retract = Validate(n.Envelope("2025-02-01", new EventRetracted { TargetEventId = Id(1), Reason = "r" }, US, null), ctx);
        var corrected = n.Envelope("2025-01-05", new DemandMade { DemandId = "d2", Subject = "s", Category = DemandCategory.Other }, US, TB) with { EventId = Guid.Empty };
        var correct = Validate(n.Envelope("2025-02-01", new EventCorrected { TargetEventId = Id(1), Correction = corrected }, US, null), ctx);

        // Then both are still_referenced; once the closing is retracted, the opening may go — and a new closing finds no demand
        ShouldBeOnly(retract, $"{P}.targetEventId", "still_referenced");
        ShouldBeOnly(correct, $"{P}.correction", "still_referenced");
        Validate(n.Envelope("2025-02-02", new EventRetracted { TargetEventId = Id(2), Reason = "r" }, US, null), ctx).ShouldBeEmpty();
        Validate(n.Envelope("2025-02-03", new EventRetracted { TargetEventId = Id(1), Reason = "r" }, US, null), ctx).ShouldBeEmpty();
        ShouldBeOnly(Validate(n.Envelope("2025-02-04", new DemandMet { DemandId = "d1" }, TB, US), ctx), $"{P}.demandId", "unknown_reference");
    }
    [Fact]
    public void Given_a_refusal_corrected_to_close_another_demand_When_the_first_demand_is_retracted_Then_it_stands()
    {
        // Given demands A (event 1) and B (event 2), and a refusal of A (event 3) corrected to refuse B
        var refusalOfB = new DemandRefused { DemandId = "b", OccurredOn = DomainDate.Parse("2025-01-07"), Actor = TB, Target = US };
        var (n, ctx) = Context(h => h
            .Has("2025-01-05", new DemandMade { DemandId = "a", Subject = "s", Category = DemandCategory.Other }, US, TB)
            .Has("2025-01-05", new DemandMade { DemandId = "b", Subject = "s", Category = DemandCategory.Other }, US, TB)
            .Has("2025-01-06", new DemandRefused { DemandId = "a" }, TB, US)
            .HasCorrection(Id(3), "2025-01-08", refusalOfB));

        // When demand A is retracted (its only closing now closes B), and then demand B
        var a = Validate(n.Envelope("2025-02-01", new EventRetracted { TargetEventId = Id(1), Reason = "r" }, US, null), ctx);
        var b = Validate(n.Envelope("2025-02-02", new EventRetracted { TargetEventId = Id(2), Reason = "r" }, US, null), ctx);

        // Then A may go (the corrected version replaced what the original closed), and B is still_referenced
        a.ShouldBeEmpty();
        ShouldBeOnly(b, $"{P}.targetEventId", "still_referenced");
    }

    // Changes that put an event (or an earlier version of it) back, and changes of openings (user trial D3–D9)

    static DemandMade Made(string id, string on, string by = US, string of = TB) =>
        new() { DemandId = id, Subject = "s", Category = DemandCategory.Other, OccurredOn = DomainDate.Parse(on), Actor = by, Target = of };

    [Fact]
    public void Given_a_closing_retracted_and_then_its_opening_retracted_When_the_closing_s_retraction_is_retracted_Then_unknown_reference_at_targetEventId()
    {
        // Given demand d1 (1) met (2); the meeting retracted (3); then the demand retracted (4), allowed: nothing closed it then
        var (n, ctx) = Context(h => h
            .Has("2025-01-05", new DemandMade { DemandId = "d1", Subject = "s", Category = DemandCategory.Other }, US, TB)
            .Has("2025-01-06", new DemandMet { DemandId = "d1" }, TB, US)
            .HasRetraction(Id(2), "2025-01-07")
            .HasRetraction(Id(1), "2025-01-08"));

        // When the meeting's retraction is retracted (which would put the meeting back, closing a demand not in the record)
        var errors = Validate(n.Envelope("2025-01-09", new EventRetracted { TargetEventId = Id(3), Reason = "met after all" }, US, null), ctx);

        // Then refused at targetEventId: the closing would be an orphan
        ShouldBeOnly(errors, $"{P}.targetEventId", "unknown_reference");
        errors[0].Message.ShouldContain(Id(2).ToString());
    }

    [Fact]
    public void Given_a_demand_retracted_and_its_id_reused_When_the_retraction_is_retracted_Then_duplicate_id_and_the_reuse_itself_stands()
    {
        // Given demand d1 (1), retracted (2)
        var (n, ctx) = Context(h => h
            .Has("2025-01-05", new DemandMade { DemandId = "d1", Subject = "s", Category = DemandCategory.Other }, US, TB)
            .HasRetraction(Id(1), "2025-01-06"));

        // When a new DemandMade reuses d1, and then the retraction of the first is retracted
        var reuse = Validate(n.Envelope("2025-01-07", new DemandMade { DemandId = "d1", Subject = "again", Category = DemandCategory.Other }, US, TB), ctx);
        var restore = Validate(n.Envelope("2025-01-08", new EventRetracted { TargetEventId = Id(2), Reason = "made after all" }, US, null), ctx);

        // Then the reuse stands (the retracted opening no longer holds the id), and putting the first back is duplicate_id
        reuse.ShouldBeEmpty();
        ShouldBeOnly(restore, $"{P}.targetEventId", "duplicate_id");
    }

    [Fact]
    public void Given_a_demand_corrected_to_a_new_id_that_was_then_met_When_the_correction_is_retracted_Then_still_referenced_until_the_closing_is_retracted()
    {
        // Given demand d1 (1) corrected to open d2 (2), and d2 met (3)
        var (n, ctx) = Context(h => h
            .Has("2025-01-05", new DemandMade { DemandId = "d1", Subject = "s", Category = DemandCategory.Other }, US, TB)
            .HasCorrection(Id(1), "2025-01-06", Made("d2", "2025-01-05"))
            .Has("2025-01-07", new DemandMet { DemandId = "d2" }, TB, US));

        // When the correction is retracted (d1 would be back, d2 gone under its meeting)
        var errors = Validate(n.Envelope("2025-01-08", new EventRetracted { TargetEventId = Id(2), Reason = "r" }, US, null), ctx);

        // Then still_referenced naming the closing; once it is retracted, the correction may go
        ShouldBeOnly(errors, $"{P}.targetEventId", "still_referenced");
        errors[0].Message.ShouldContain(Id(3).ToString());
        Validate(n.Envelope("2025-01-09", new EventRetracted { TargetEventId = Id(3), Reason = "r" }, US, null), ctx).ShouldBeEmpty();
        Validate(n.Envelope("2025-01-10", new EventRetracted { TargetEventId = Id(2), Reason = "r" }, US, null), ctx).ShouldBeEmpty();
    }

    [Fact]
    public void Given_a_demand_met_When_the_demand_is_corrected_to_after_the_meeting_or_to_another_addressee_Then_before_reference_or_wrong_party()
    {
        // Given US demanded d1 of TB on 2025-01-05 (1); TB met it on 2025-01-10 (2)
        var (n, ctx) = Context(h => h
            .Has("2025-01-05", new DemandMade { DemandId = "d1", Subject = "s", Category = DemandCategory.Other }, US, TB)
            .Has("2025-01-10", new DemandMet { DemandId = "d1" }, TB, US));
        EventCorrected Correct(DemandMade version) => (EventCorrected)n.Envelope("2025-02-01", new EventCorrected { TargetEventId = Id(1), Correction = version }, US, null);

        // When it is corrected to a date after the meeting; to be made by TB of US (so TB met its own demand); to the same day
        var later = Validate(Correct(Made("d1", "2025-01-20")), ctx);
        var turned = Validate(Correct(Made("d1", "2025-01-05", by: TB, of: US)), ctx);
        var fine = Validate(Correct(Made("d1", "2025-01-10")), ctx);

        // Then the date is before_reference at correction.occurredOn, the party wrong_party at correction.target; a fitting one stands
        ShouldBeOnly(later, $"{P}.correction.occurredOn", "before_reference");
        ShouldBeOnly(turned, $"{P}.correction.target", "wrong_party");
        fine.ShouldBeEmpty();
    }

    [Fact]
    public void Given_two_open_demands_When_one_is_corrected_to_the_other_s_id_Then_duplicate_id_at_correction_demandId()
    {
        var (n, ctx) = Context(h => h
            .Has("2025-01-05", new DemandMade { DemandId = "d1", Subject = "s", Category = DemandCategory.Other }, US, TB)
            .Has("2025-01-05", new DemandMade { DemandId = "d2", Subject = "s", Category = DemandCategory.Other }, US, TB));

        var errors = Validate(n.Envelope("2025-02-01", new EventCorrected { TargetEventId = Id(2), Correction = Made("d1", "2025-01-05") }, US, null), ctx);

        ShouldBeOnly(errors, $"{P}.correction.demandId", "duplicate_id");
    }

    [Fact]
    public void Given_an_agreement_with_a_commitment_fulfilled_When_the_commitment_is_corrected_to_another_party_Then_wrong_party_at_its_party()
    {
        var (n, ctx) = Context(h => h
            .Has("2025-01-05", new AgreementSigned { Name = "a", Signatories = [US, TB], Commitments = [new Commitment { CommitmentId = "c1", Party = TB, Text = "t" }] }, US, TB)
            .Has("2025-01-10", new CommitmentFulfilled { CommitmentId = "c1" }, TB, US));
        var version = new AgreementSigned
        {
            Name = "a", Signatories = [US, TB], Commitments = [new Commitment { CommitmentId = "c1", Party = US, Text = "t" }],
            OccurredOn = DomainDate.Parse("2025-01-05"), Actor = US, Target = TB,
        };

        var errors = Validate(n.Envelope("2025-02-01", new EventCorrected { TargetEventId = Id(1), Correction = version }, US, null), ctx);

        ShouldBeOnly(errors, $"{P}.correction.commitments[0].party", "wrong_party");
    }

    [Fact]
    public void Given_a_demand_and_agreement_retracted_When_their_ids_are_used_again_Then_accepted_and_an_id_in_force_is_still_duplicate()
    {
        var (n, ctx) = Context(h => h
            .Has("2025-01-05", new DemandMade { DemandId = "d1", Subject = "s", Category = DemandCategory.Other }, US, TB)
            .Has("2025-01-05", new AgreementSigned { Name = "a", Signatories = [US, TB], Commitments = [new Commitment { CommitmentId = "c1", Party = TB, Text = "t" }] }, US, TB)
            .HasRetraction(Id(1), "2025-01-06")
            .HasRetraction(Id(2), "2025-01-06"));

        Validate(n.Envelope("2025-01-07", new DemandMade { DemandId = "d1", Subject = "again", Category = DemandCategory.Other }, US, TB), ctx).ShouldBeEmpty();
        Validate(n.Envelope("2025-01-07", new AgreementSigned { Name = "b", Signatories = [US, TB], Commitments = [new Commitment { CommitmentId = "c1", Party = TB, Text = "t" }] }, US, TB), ctx).ShouldBeEmpty();
        ShouldBeOnly(Validate(n.Envelope("2025-01-08", new DemandMade { DemandId = "d1", Subject = "third", Category = DemandCategory.Other }, US, TB), ctx), $"{P}.demandId", "duplicate_id");
    }

    [Fact]
    public void Given_a_batch_listing_closings_before_their_openings_When_validated_as_a_whole_Then_they_stand_and_a_true_orphan_is_unknown_reference()
    {
        // Given an empty record; a batch: d1 met, c1 fulfilled, d9 refused (never made), then d1's demand and c1's agreement
        var (n, ctx) = Context();
        var batch = new List<NegotiationEvent>
        {
            n.Envelope("2025-01-10", new DemandMet { DemandId = "d1" }, TB, US),
            n.Envelope("2025-01-10", new CommitmentFulfilled { CommitmentId = "c1" }, TB, US),
            n.Envelope("2025-01-10", new DemandRefused { DemandId = "d9" }, TB, US),
            n.Envelope("2025-01-05", new DemandMade { DemandId = "d1", Subject = "s", Category = DemandCategory.Other }, US, TB),
            n.Envelope("2025-01-05", new AgreementSigned { Name = "a", Signatories = [US, TB], Commitments = [new Commitment { CommitmentId = "c1", Party = TB, Text = "t" }] }, US, TB),
        };

        // When the batch is judged as a whole
        var validator = new BatchValidator(ctx);
        var errors = new List<(int Tag, FieldError Error)>();
        for (var i = 0; i < batch.Count; i++) validator.Validate(batch[i], $"events[{i}]", i, errors);
        validator.Finish(errors);

        // Then only the orphan is refused; the closings wait for their openings and are registered
        errors.Select(e => $"{e.Error.Path} {e.Error.Code}").ShouldBe(["events[2].demandId unknown_reference"]);
        ctx.Knows(batch[0].EventId).ShouldBeTrue();
        ctx.Knows(batch[1].EventId).ShouldBeTrue();
    }

    [Fact]
    public void Given_a_batch_whose_closing_comes_first_When_its_later_opening_is_dated_after_it_or_made_of_the_wrong_party_Then_the_closing_is_refused_for_that()
    {
        var (n, ctx) = Context();
        var validator = new BatchValidator(ctx);
        var errors = new List<(int Tag, FieldError Error)>();
        validator.Validate(n.Envelope("2025-01-04", new DemandMet { DemandId = "d1" }, TB, US), "events[0]", 0, errors);
        validator.Validate(n.Envelope("2025-01-05", new DemandMade { DemandId = "d1", Subject = "s", Category = DemandCategory.Other }, US, TB), "events[1]", 1, errors);
        validator.Finish(errors);
        errors.Select(e => $"{e.Error.Path} {e.Error.Code}").ShouldBe(["events[0].occurredOn before_reference"]);
    }

    [Fact]
    public void Given_random_orders_of_a_batch_When_validated_as_a_whole_Then_the_answer_does_not_depend_on_the_order()
    {
        // A demand made and met, an agreement signed and its commitment fulfilled, and a closing of a demand never made.
        var (proto, _) = Context();
        var events = new List<NegotiationEvent>
        {
            proto.Envelope("2025-01-05", new DemandMade { DemandId = "d1", Subject = "s", Category = DemandCategory.Other }, US, TB),
            proto.Envelope("2025-01-10", new DemandMet { DemandId = "d1" }, TB, US),
            proto.Envelope("2025-01-05", new AgreementSigned { Name = "a", Signatories = [US, TB], Commitments = [new Commitment { CommitmentId = "c1", Party = TB, Text = "t" }] }, US, TB),
            proto.Envelope("2025-01-10", new CommitmentFulfilled { CommitmentId = "c1" }, TB, US),
            proto.Envelope("2025-01-10", new DemandWithdrawn { DemandId = "d9" }, US, TB),
        };
        Gen.Shuffle(events.ToArray()).Sample(order =>
        {
            var (_, ctx) = Context();
            var validator = new BatchValidator(ctx);
            var errors = new List<(int Tag, FieldError Error)>();
            foreach (var e in order) validator.Validate(e, "", 0, errors);
            validator.Finish(errors);
            // Only the orphan is refused, whatever the order
            return errors.Count == 1 && errors[0].Error.Code == "unknown_reference" && order.Where(e => e.EventId != events[4].EventId).All(e => ctx.Knows(e.EventId));
        });
    }
}
