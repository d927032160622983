using Normalization.Domain.Catalog;
using Normalization.Domain.Ledger;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Tests.Support;
using static Normalization.Domain.Tests.Support.Given;

namespace Normalization.Domain.Tests.Ledger;

/// <summary>What each catalog type does to the ledger.</summary>
public class LedgerEffectTests
{
    const string Day = "2025-03-20";
    const string After = "2025-04-01";

    /// <summary>Types tested in this class; <see cref="Every_catalog_type_has_a_ledger_test"/> keeps the list complete.</summary>
    static readonly HashSet<string> Covered =
    [
        // ledger-neutral (theory below)
        nameof(TalksHeld), nameof(StatementIssued), nameof(EnvoyAppointed), nameof(ThreatIssued), nameof(MilitaryStrike),
        nameof(AttackOccurred), nameof(TroopsWithdrawn), nameof(ReportPublished), nameof(PersonDetained),
        // facts below
        nameof(RecognitionRequested), nameof(OfficeRequested), nameof(DemandMade), nameof(DemandMet), nameof(DemandRefused),
        nameof(DemandWithdrawn), nameof(PrisonerReleased), nameof(PrisonersExchanged), nameof(RewardRescinded), nameof(SanctionsEased),
        nameof(AssetsUnfrozen), nameof(DesignationRemoved), nameof(AidProvided), nameof(CommitmentFulfilled), nameof(AgreementSigned),
        nameof(OfficeOpened), nameof(OfficeClosed), nameof(RecognitionGranted), nameof(RecognitionWithdrawn), nameof(RelationsEstablished),
        nameof(RelationsSevered), nameof(RewardOffered), nameof(SanctionsImposed), nameof(AssetsFrozen), nameof(DesignationAdded),
        nameof(CommitmentBreached), nameof(ThirdPartyRecognition), nameof(EventRetracted), nameof(EventCorrected),
        // the level of representation: tests/Normalization.Domain.Tests/Representation/RepresentationTests.cs
        nameof(AmbassadorRecalled), nameof(AmbassadorReturned), nameof(DiplomatsExpelled), nameof(RelationsDowngraded), nameof(RelationsUpgraded),
        // record keeping: tests/Normalization.Domain.Tests/Coverage/CoverageTests.cs (no ledger effect)
        nameof(RecordReviewed),
    ];

    [Fact]
    public void Every_catalog_type_has_a_ledger_test() =>
        EventCatalog.Names.Where(n => !Covered.Contains(n)).ShouldBeEmpty();

    public static TheoryData<string> LedgerNeutral() =>
    [
        nameof(TalksHeld), nameof(StatementIssued), nameof(EnvoyAppointed), nameof(ThreatIssued), nameof(MilitaryStrike),
        nameof(AttackOccurred), nameof(TroopsWithdrawn), nameof(ReportPublished), nameof(PersonDetained),
    ];

    [Theory]
    [MemberData(nameof(LedgerNeutral))]
    public void Given_a_contact_pressure_or_context_event_without_ledger_entry_When_folded_Then_the_ledger_is_unchanged(string type)
    {
        NegotiationEvent e = type switch
        {
            nameof(TalksHeld) => new TalksHeld { Participants = [US, TB] },
            nameof(StatementIssued) => new StatementIssued { Tone = Tone.Positive, Quote = "positive trajectory" },
            nameof(EnvoyAppointed) => new EnvoyAppointed { Envoy = "Z. Khalilzad" },
            nameof(ThreatIssued) => new ThreatIssued { Quote = "expect cruise missiles" },
            nameof(MilitaryStrike) => new MilitaryStrike { Casualties = 1 },
            nameof(AttackOccurred) => new AttackOccurred { Casualties = 1 },
            nameof(TroopsWithdrawn) => new TroopsWithdrawn { Scope = "all" },
            nameof(ReportPublished) => new ReportPublished { Title = "ATA" },
            _ => new PersonDetained { Person = "A traveller", Nationality = "US" },
        };
        var empty = Negotiation().At(After);

        var state = Negotiation().Has(Day, e).At(After);

        state.EventCount.ShouldBe(1);
        StateJson.Of(state.Ledger).ShouldBe(StateJson.Of(empty.Ledger));
    }

    [Fact]
    public void Given_a_recognition_request_When_the_target_grants_recognition_Then_the_request_is_granted()
    {
        var n = Negotiation().Has(Day, new RecognitionRequested { Form = RecognitionForm.DeJure }, TB, US);

        var pending = n.At(After).Ledger.Requests.Single();
        pending.ShouldBe(new RequestEntry(RequestKind.Recognition, TB, US, "DeJure", D(Day), RequestStatus.Pending, null, [Id(1)]), new RequestEntryComparer());

        n.Has("2025-05-01", new RecognitionGranted(), US, TB);
        var granted = n.At("2025-05-01").Ledger.Requests.Single();
        granted.Status.ShouldBe(RequestStatus.Granted);
        granted.GrantedOn.ShouldBe(D("2025-05-01"));
        granted.EventIds.ShouldBe([Id(1), Id(2)]);
    }

    [Fact]
    public void Given_an_office_request_When_the_requester_opens_an_office_there_Then_the_request_is_granted()
    {
        var n = Negotiation().Has(Day, new OfficeRequested { OfficeKind = OfficeKind.RepresentativeOffice, Location = "US", Constraints = ["outside Washington"] }, TB, US);

        var pending = n.At(After).Ledger.Requests.Single();
        pending.Kind.ShouldBe(RequestKind.Office);
        pending.Detail.ShouldBe("RepresentativeOffice; US; outside Washington");
        pending.Status.ShouldBe(RequestStatus.Pending);

        n.Has("2025-06-01", new OfficeOpened { OfficeKind = OfficeKind.RepresentativeOffice, City = "Houston" }, TB, US);
        n.At("2025-06-01").Ledger.Requests.Single().Status.ShouldBe(RequestStatus.Granted);
    }

    [Theory]
    [InlineData(nameof(DemandMet), DemandStatus.Met)]
    [InlineData(nameof(DemandRefused), DemandStatus.Refused)]
    [InlineData(nameof(DemandWithdrawn), DemandStatus.Withdrawn)]
    public void Given_a_demand_When_it_is_met_refused_or_withdrawn_Then_its_status_follows(string type, DemandStatus status)
    {
        var n = Negotiation().Has(Day, new DemandMade { DemandId = "gitmo", Subject = "Guantanamo prisoners", Category = DemandCategory.PrisonerRelease }, TB, US);
        var open = n.At(After).Ledger.Demands.Single();
        open.Status.ShouldBe(DemandStatus.Open);
        open.By.ShouldBe(TB);
        open.Of.ShouldBe(US);
        open.Category.ShouldBe(DemandCategory.PrisonerRelease);

        NegotiationEvent response = type switch
        {
            nameof(DemandMet) => new DemandMet { DemandId = "gitmo" },
            nameof(DemandRefused) => new DemandRefused { DemandId = "gitmo" },
            _ => new DemandWithdrawn { DemandId = "gitmo" },
        };
        var (actor, target) = type == nameof(DemandWithdrawn) ? (TB, US) : (US, TB);
        n.Has("2025-05-01", response, actor, target);

        var state = n.At("2025-05-01");
        var demand = state.Ledger.Demands.Single();
        demand.Status.ShouldBe(status);
        demand.ResolvedOn.ShouldBe(D("2025-05-01"));
        demand.EventIds.ShouldBe([Id(1), Id(2)]);
        state.Ledger.GesturesByParty[US].Count.ShouldBe(type == nameof(DemandMet) ? 1 : 0, "only meeting a demand is a gesture");
    }

    [Fact]
    public void Given_a_prisoner_release_When_folded_Then_a_prisoner_and_a_gesture_of_the_releasing_party()
    {
        var state = Negotiation().Has(Day, new PrisonerReleased { Person = "George Gleisman", Nationality = "US", Terms = ReleaseTerms.Goodwill }, TB, US).At(After);

        state.Ledger.PrisonersReleasedByParty[TB].Single().ShouldBe(new PrisonerEntry(TB, "George Gleisman", "US", D(Day), Id(1)));
        state.Ledger.PrisonersReleasedByParty[US].ShouldBeEmpty();
        state.Ledger.GesturesByParty[TB].Single().ShouldBe(new GestureEntry(TB, D(Day), nameof(PrisonerReleased), Id(1)));
    }

    [Fact]
    public void Given_a_prisoner_exchange_When_folded_Then_each_releasing_party_has_a_prisoner_and_a_gesture()
    {
        var state = Negotiation().Has("2025-01-21", new PrisonersExchanged
        {
            Releases =
            [
                new Release { ReleasedBy = TB, Person = "Ryan Corbett", Nationality = "US" },
                new Release { ReleasedBy = TB, Person = "William McKenty", Nationality = "US" },
                new Release { ReleasedBy = US, Person = "Khan Mohammed", Nationality = "AF" },
            ],
            Facilitator = "QA",
        }, TB, US).At(After);

        state.Ledger.PrisonersReleasedByParty[TB].Select(p => p.Person).ShouldBe(["Ryan Corbett", "William McKenty"]);
        state.Ledger.PrisonersReleasedByParty[US].Single().Person.ShouldBe("Khan Mohammed");
        state.Ledger.GesturesByParty[TB].Count.ShouldBe(1);
        state.Ledger.GesturesByParty[US].Count.ShouldBe(1);
    }

    [Fact]
    public void Given_rewards_offered_When_some_are_rescinded_Then_only_the_others_remain_and_the_rescinding_is_a_gesture()
    {
        var n = Negotiation()
            .Has("2015-01-01", new RewardOffered { Targets = ["Sirajuddin Haqqani"], AmountUsd = 10_000_000 }, US, TB)
            .Has("2015-01-02", new RewardOffered { Targets = ["Abdul Aziz Haqqani", "Yahya Haqqani"], AmountUsd = 20_000_000 }, US, TB);

        var offered = n.At("2015-02-01").Ledger.Rewards;
        offered.Select(r => (r.Person, r.AmountUsd)).ShouldBe([("Sirajuddin Haqqani", 10_000_000m), ("Abdul Aziz Haqqani", null), ("Yahya Haqqani", null)]);

        n.Has("2025-03-22", new RewardRescinded { Targets = ["sirajuddin haqqani", "Yahya Haqqani"] }, US, TB);
        var state = n.At(After);
        state.Ledger.Rewards.Single().Person.ShouldBe("Abdul Aziz Haqqani");
        state.Ledger.GesturesByParty[US].Single().Type.ShouldBe(nameof(RewardRescinded));
    }

    [Fact]
    public void Given_sanctions_imposed_and_from_the_baseline_When_eased_Then_they_leave_the_ledger()
    {
        var n = Negotiation(new Baseline { Sanctions = ["Baseline embargo"] })
            .Has("2020-01-01", new SanctionsImposed { Scope = "Travel ban" }, US, TB);

        n.At("2020-01-01").Ledger.Sanctions.Select(s => (s.By, s.Scope)).ShouldBe([((string?)null, "Baseline embargo"), (US, "Travel ban")]);

        n.Has(Day, new SanctionsEased { Scope = "travel ban" }, US, TB).Has(Day, new SanctionsEased { Scope = "Baseline embargo" }, US, TB);
        var state = n.At(After);
        state.Ledger.Sanctions.ShouldBeEmpty();
        state.Ledger.GesturesByParty[US].Count.ShouldBe(2);
    }

    [Fact]
    public void Given_assets_frozen_When_some_are_unfrozen_Then_the_frozen_amount_falls_and_never_below_zero()
    {
        var n = Negotiation()
            .Has("2021-08-15", new AssetsFrozen { AmountUsd = 7_000_000_000 }, US, TB)
            .Has("2021-09-15", new AssetsFrozen { AmountUsd = 2_000_000_000 }, US, TB);
        n.At("2021-12-31").Ledger.FrozenAssetsUsdByParty[US].ShouldBe(9_000_000_000m);

        n.Has("2022-01-01", new AssetsUnfrozen { AmountUsd = 3_500_000_000 }, US, TB);
        var state = n.At("2022-01-01");
        state.Ledger.FrozenAssetsUsdByParty[US].ShouldBe(5_500_000_000m);
        state.Ledger.GesturesByParty[US].Single().Type.ShouldBe(nameof(AssetsUnfrozen));

        n.Has("2022-02-01", new AssetsUnfrozen { AmountUsd = 9_000_000_000 }, US, TB);
        n.At("2022-02-01").Ledger.FrozenAssetsUsdByParty[US].ShouldBe(0m);
    }

    [Fact]
    public void Given_designations_from_baseline_and_events_When_removed_Then_they_leave_the_ledger()
    {
        var n = Negotiation(new Baseline { Designations = [new BaselineDesignation { By = US, Designee = "Haqqani network", List = DesignationList.FTO }] })
            .Has("2019-01-01", new DesignationAdded { Designee = "Taliban", List = DesignationList.SDGT }, US, TB);

        n.At("2019-01-01").Ledger.Designations.Select(d => (d.Designee, d.List, d.Since)).ShouldBe(
            [("Haqqani network", DesignationList.FTO, (DateOnly?)null), ("Taliban", DesignationList.SDGT, D("2019-01-01"))]);

        n.Has(Day, new DesignationRemoved { Designee = "Haqqani network", List = DesignationList.SDGT }, US, TB);
        n.At(Day).Ledger.Designations.Count.ShouldBe(2, "removal from another list leaves the designation");

        n.Has(Day, new DesignationRemoved { Designee = "haqqani network", List = DesignationList.FTO }, US, TB);
        var state = n.At(After);
        state.Ledger.Designations.Single().Designee.ShouldBe("Taliban");
        state.Ledger.GesturesByParty[US].Count.ShouldBe(2, "every DesignationRemoved is a gesture");
    }

    [Fact]
    public void Given_aid_When_folded_Then_it_is_a_gesture_of_the_provider()
    {
        var state = Negotiation().Has(Day, new AidProvided { AmountUsd = 1_000_000, Purpose = "earthquake" }, US, TB).At(After);

        state.Ledger.GesturesByParty[US].Single().ShouldBe(new GestureEntry(US, D(Day), nameof(AidProvided), Id(1)));
    }

    [Fact]
    public void Given_an_agreement_with_commitments_When_one_is_fulfilled_and_one_breached_Then_the_ledger_tracks_each()
    {
        var n = Negotiation().Has("2020-02-29", new AgreementSigned
        {
            Name = "Doha agreement",
            Signatories = [US, TB],
            Commitments =
            [
                new Commitment { CommitmentId = "withdrawal", Party = US, Text = "Withdraw all troops" },
                new Commitment { CommitmentId = "ct", Party = TB, Text = "Prevent al-Qaeda from regrouping" },
            ],
        });

        var signed = n.At("2020-03-01").Ledger;
        signed.Agreements.Single().ShouldBe(new AgreementEntry("Doha agreement", D("2020-02-29"), [US, TB], Id(1), ["withdrawal", "ct"]), new AgreementEntryComparer());
        signed.Commitments.Select(c => (c.CommitmentId, c.Party, c.Status)).ShouldBe([("ct", TB, CommitmentStatus.Pending), ("withdrawal", US, CommitmentStatus.Pending)]);
        signed.GesturesByParty[US].Count.ShouldBe(1);
        signed.GesturesByParty[TB].Count.ShouldBe(1);

        n.Has("2021-08-30", new CommitmentFulfilled { CommitmentId = "withdrawal" }, US, TB)
         .Has("2022-08-01", new CommitmentBreached { CommitmentId = "ct" }, TB, US);
        var state = n.At("2022-12-31").Ledger;
        state.Commitments.Select(c => (c.CommitmentId, c.Status)).ShouldBe([("ct", CommitmentStatus.Breached), ("withdrawal", CommitmentStatus.Fulfilled)]);
        state.Commitments.Single(c => c.CommitmentId == "withdrawal").EventIds.ShouldBe([Id(1), Id(2)]);
        state.GesturesByParty[US].Select(g => g.Type).ShouldBe([nameof(AgreementSigned), nameof(CommitmentFulfilled)]);
        state.GesturesByParty[TB].Count.ShouldBe(1, "a breach is not a gesture");
    }

    [Fact]
    public void Given_offices_opened_When_one_closes_by_city_Then_the_other_remains()
    {
        var n = Negotiation()
            .Has("2020-01-01", new OfficeOpened { OfficeKind = OfficeKind.Consulate, City = "Herat" }, US, TB)
            .Has("2020-01-01", new OfficeOpened { OfficeKind = OfficeKind.Consulate, City = "Mazar" }, US, TB)
            .Has("2021-01-01", new OfficeClosed { OfficeKind = OfficeKind.Consulate, City = "mazar" }, US, TB);

        var offices = n.At("2021-01-01").Ledger.Offices;

        offices.Single().ShouldBe(new OfficeEntry(US, TB, OfficeKind.Consulate, "Herat", D("2020-01-01"), Id(1)));
    }

    [Fact]
    public void Given_a_baseline_office_When_closed_without_a_city_Then_it_is_removed()
    {
        var n = Negotiation(new Baseline { Offices = [new BaselineOffice { Sender = US, Host = TB, OfficeKind = OfficeKind.InterestsSection, City = "Havana" }] })
            .Has("2021-01-01", new OfficeClosed { OfficeKind = OfficeKind.InterestsSection }, US, TB);

        n.At("2020-12-31").Ledger.Offices.Single().Since.ShouldBeNull();
        n.At("2021-01-01").Ledger.Offices.ShouldBeEmpty();
    }

    [Fact]
    public void Given_recognition_granted_When_withdrawn_Then_the_ledger_follows()
    {
        var n = Negotiation().Has("2020-01-01", new RecognitionGranted { Form = RecognitionForm.DeFacto }, US, TB);
        n.At("2020-01-01").Ledger.Recognition.Single().ShouldBe(new RecognitionEntry(US, TB, RecognitionForm.DeFacto, D("2020-01-01"), Id(1)));

        n.Has("2020-06-01", new RecognitionGranted { Form = RecognitionForm.DeJure }, US, TB);
        n.At("2020-06-01").Ledger.Recognition.Single().Form.ShouldBe(RecognitionForm.DeJure, "a new grant replaces the earlier form");

        n.Has("2021-01-01", new RecognitionWithdrawn(), US, TB);
        n.At("2021-01-01").Ledger.Recognition.ShouldBeEmpty();
    }

    [Fact]
    public void Given_relations_established_then_severed_When_folded_Then_the_ledger_shows_the_latest_status()
    {
        var n = Negotiation().Has("2015-07-20", new RelationsEstablished(), US, TB);
        n.At("2015-07-20").Ledger.Relations.ShouldBe(new RelationsEntry(RelationsStatus.Established, D("2015-07-20"), Id(1)));

        n.Has("2017-01-01", new RelationsSevered(), TB, US);
        n.At("2017-01-01").Ledger.Relations.ShouldBe(new RelationsEntry(RelationsStatus.Severed, D("2017-01-01"), Id(2)));
    }

    [Fact]
    public void Given_a_third_state_recognizes_a_party_When_folded_Then_the_ledger_lists_it()
    {
        var state = Negotiation().Has("2025-07-03", new ThirdPartyRecognition { Form = RecognitionForm.DeJure }, "RU", TB).At("2025-08-01");

        state.Ledger.ThirdPartyRecognitions.Single().ShouldBe(new ThirdPartyRecognitionEntry("RU", TB, RecognitionForm.DeJure, D("2025-07-03"), Id(1)));
        state.Stage.ShouldBe(Domain.Stages.Stage.Estrangement);
    }

    [Fact]
    public void Given_retraction_and_correction_events_When_folded_Then_they_are_not_ledger_entries_themselves()
    {
        var n = Negotiation().Has(Day, new SanctionsImposed { Scope = "a" }, US, TB);
        n.HasCorrection(Id(1), "2025-03-21", new SanctionsImposed { Scope = "b", OccurredOn = DomainDate.Parse(Day), Actor = US, Target = TB });

        var corrected = n.At(After);
        corrected.Ledger.Sanctions.Single().Scope.ShouldBe("b");
        corrected.EventCount.ShouldBe(1);

        n.HasRetraction(Id(1), "2025-03-22");
        var retracted = n.At(After);
        retracted.Ledger.Sanctions.ShouldBeEmpty();
        retracted.EventCount.ShouldBe(0);
    }

    sealed class RequestEntryComparer : IEqualityComparer<RequestEntry>
    {
        public bool Equals(RequestEntry? x, RequestEntry? y) => StateJson.Of(x) == StateJson.Of(y);
        public int GetHashCode(RequestEntry obj) => 0;
    }

    sealed class AgreementEntryComparer : IEqualityComparer<AgreementEntry>
    {
        public bool Equals(AgreementEntry? x, AgreementEntry? y) => StateJson.Of(x) == StateJson.Of(y);
        public int GetHashCode(AgreementEntry obj) => 0;
    }
}
