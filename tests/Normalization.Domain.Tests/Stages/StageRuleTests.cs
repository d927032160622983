using Normalization.Domain.Catalog;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Stages;
using Normalization.Domain.Tests.Support;
using static Normalization.Domain.Tests.Support.Given;

namespace Normalization.Domain.Tests.Stages;

/// <summary>The seven stage rules of FoldAccumulator.Evaluate, one at a time, highest first.</summary>
public class StageRuleTests
{
    [Fact]
    public void Given_a_baseline_with_relations_established_When_folded_at_any_date_Then_FullRelations_since_tracking_began()
    {
        var n = Negotiation(new Baseline { Relations = RelationsStatus.Established });

        var state = n.At("1950-01-01");

        state.Stage.ShouldBe(Stage.FullRelations);
        state.Why.Rule.ShouldBe("relations-established");
        state.StageSince.ShouldBeNull();
        state.StageHistory.Count.ShouldBe(1);
    }

    [Fact]
    public void Given_RelationsEstablished_When_folded_Then_FullRelations_from_that_day_with_the_event_as_reason()
    {
        var n = Negotiation().Has("2015-07-20", new RelationsEstablished());

        n.At("2015-07-19").Stage.ShouldBe(Stage.Estrangement);
        var state = n.At("2015-07-20");

        state.Stage.ShouldBe(Stage.FullRelations);
        state.StageSince.ShouldBe(D("2015-07-20"));
        state.Why.Rule.ShouldBe("relations-established");
        state.Why.EventIds.ShouldBe([n.LastId]);
    }

    [Fact]
    public void Given_RelationsEstablished_then_RelationsSevered_When_folded_Then_FullRelations_ends()
    {
        var n = Negotiation().Has("2015-07-20", new RelationsEstablished()).Has("2017-01-01", new RelationsSevered());

        var state = n.At("2017-06-01");

        state.Stage.ShouldBe(Stage.Estrangement);
        state.StageHistory.Select(t => t.To).ShouldBe([Stage.Estrangement, Stage.FullRelations, Stage.Estrangement]);
        state.StageSince.ShouldBe(D("2017-01-01"));
    }

    [Fact]
    public void Given_embassies_opened_both_ways_When_folded_Then_FullRelations_by_embassies_both_ways()
    {
        var n = Negotiation()
            .Has("2015-07-20", new OfficeOpened { OfficeKind = OfficeKind.Embassy, City = "Kabul" }, US, TB)
            .Has("2015-08-14", new OfficeOpened { OfficeKind = OfficeKind.Embassy, City = "Washington" }, TB, US);

        var between = n.At("2015-08-01");
        var state = n.At("2015-08-14");

        between.Stage.ShouldBe(Stage.Representation, "one embassy not matched by the other side is representation");
        state.Stage.ShouldBe(Stage.FullRelations);
        state.Why.Rule.ShouldBe("embassies-both-ways");
        state.Why.EventIds.ShouldBe([Id(1), Id(2)]);
    }

    [Fact]
    public void Given_mutual_de_jure_recognition_When_folded_Then_Recognition()
    {
        var n = Negotiation()
            .Has("2024-01-10", new RecognitionGranted { Form = RecognitionForm.DeJure }, US, TB)
            .Has("2024-02-10", new RecognitionGranted { Form = RecognitionForm.DeJure }, TB, US);

        n.At("2024-01-31").Stage.ShouldBe(Stage.Estrangement, "one-sided recognition is not the Recognition stage");
        var state = n.At("2024-02-10");

        state.Stage.ShouldBe(Stage.Recognition);
        state.Why.Rule.ShouldBe("mutual-recognition");
        state.Why.EventIds.ShouldBe([Id(1), Id(2)]);
    }

    [Fact]
    public void Given_mutual_recognition_of_which_one_de_facto_When_folded_Then_not_Recognition()
    {
        var n = Negotiation()
            .Has("2024-01-10", new RecognitionGranted { Form = RecognitionForm.DeFacto }, US, TB)
            .Has("2024-02-10", new RecognitionGranted { Form = RecognitionForm.DeJure }, TB, US);

        n.At("2024-03-01").Stage.ShouldBe(Stage.Estrangement);
    }

    [Fact]
    public void Given_a_baseline_of_mutual_de_jure_recognition_When_folded_Then_Recognition_since_tracking_began()
    {
        var n = Negotiation(new Baseline
        {
            Recognition = [new BaselineRecognition { By = US, Of = TB }, new BaselineRecognition { By = TB, Of = US }],
        });

        var state = n.At("2000-01-01");

        state.Stage.ShouldBe(Stage.Recognition);
        state.StageSince.ShouldBeNull();
    }

    [Fact]
    public void Given_a_US_Cuba_style_baseline_with_interests_sections_When_folded_Then_Representation_from_the_baseline()
    {
        var n = Negotiation(new Baseline
        {
            Relations = RelationsStatus.Severed,
            Offices =
            [
                new BaselineOffice { Sender = US, Host = TB, OfficeKind = OfficeKind.InterestsSection, City = "Havana" },
                new BaselineOffice { Sender = TB, Host = US, OfficeKind = OfficeKind.InterestsSection, City = "Washington" },
            ],
            Sanctions = ["embargo"],
        });

        var state = n.At("1990-01-01");

        state.Stage.ShouldBe(Stage.Representation);
        state.Why.Rule.ShouldBe("office-operating");
        state.StageSince.ShouldBeNull();
        state.Ledger.Offices.Count.ShouldBe(2);
        state.Ledger.Sanctions.Single().Scope.ShouldBe("embargo");
    }

    [Fact]
    public void Given_interests_sections_then_embassies_both_ways_When_folded_Then_Representation_rises_to_FullRelations()
    {
        var n = Negotiation(new Baseline
        {
            Offices =
            [
                new BaselineOffice { Sender = US, Host = TB, OfficeKind = OfficeKind.InterestsSection },
                new BaselineOffice { Sender = TB, Host = US, OfficeKind = OfficeKind.InterestsSection },
            ],
        })
            .Has("2015-07-20", new OfficeOpened { OfficeKind = OfficeKind.Embassy }, US, TB)
            .Has("2015-07-20", new OfficeOpened { OfficeKind = OfficeKind.Embassy }, TB, US);

        var state = n.At("2015-12-31");

        state.StageHistory.Describe().ShouldBe("Representation → FullRelations 2015-07-20");
    }

    [Fact]
    public void Given_an_OfficeOpened_When_folded_Then_Representation_until_it_closes()
    {
        var n = Negotiation()
            .Has("2022-05-01", new OfficeOpened { OfficeKind = OfficeKind.LiaisonOffice, City = "Doha" }, TB, US)
            .Has("2023-05-01", new OfficeClosed { OfficeKind = OfficeKind.LiaisonOffice }, TB, US);

        var open = n.At("2022-05-01");
        open.Stage.ShouldBe(Stage.Representation);
        open.Why.Rule.ShouldBe("office-operating");
        open.Why.EventIds.ShouldBe([Id(1)]);
        n.At("2023-05-01").Stage.ShouldBe(Stage.Estrangement);
    }

    [Fact]
    public void Given_talks_and_a_gesture_from_each_party_within_the_window_When_folded_Then_ConfidenceBuilding()
    {
        var n = Negotiation().HasTalks("2025-01-10").HasGesture(TB, "2025-02-01").HasGesture(US, "2025-03-01");

        n.At("2025-02-15").Stage.ShouldBe(Stage.Exploratory, "one side's gesture is not enough");
        var state = n.At("2025-03-01");

        state.Stage.ShouldBe(Stage.ConfidenceBuilding);
        state.Why.Rule.ShouldBe("talks-and-mutual-gestures");
        state.Why.EventIds.ShouldBe([Id(1), Id(3), Id(2)]);
    }

    [Fact]
    public void Given_an_agreement_signed_at_talks_When_folded_Then_it_counts_as_a_gesture_of_every_signatory()
    {
        var n = Negotiation()
            .HasTalks("2020-02-29")
            .Has("2020-02-29", new AgreementSigned { Name = "Doha", Signatories = [US, TB] });

        n.At("2020-02-29").Stage.ShouldBe(Stage.ConfidenceBuilding);
    }

    [Fact]
    public void Given_gestures_but_no_talks_When_folded_Then_not_ConfidenceBuilding()
    {
        var n = Negotiation().HasGesture(TB, "2025-02-01").HasGesture(US, "2025-03-01");

        n.At("2025-03-01").Stage.ShouldBe(Stage.Estrangement);
    }

    [Fact]
    public void Given_talks_only_When_folded_Then_Exploratory()
    {
        var n = Negotiation().HasTalks("2025-03-20");

        var state = n.At("2025-03-20");

        state.Stage.ShouldBe(Stage.Exploratory);
        state.Why.Rule.ShouldBe("talks-within-window");
        state.Why.EventIds.ShouldBe([Id(1)]);
    }

    [Fact]
    public void Given_talks_with_a_third_party_only_When_folded_Then_they_are_not_talks_between_the_parties()
    {
        var n = Negotiation().Has("2025-03-20", new TalksHeld { Participants = [US, "QA"] }, US, "QA");

        n.At("2025-03-20").Stage.ShouldBe(Stage.Estrangement);
    }

    [Fact]
    public void Given_a_hostile_act_and_no_talks_When_folded_Then_Hostility()
    {
        var n = Negotiation().HasStrike(US, "2024-06-01");

        var state = n.At("2024-06-01");

        state.Stage.ShouldBe(Stage.Hostility);
        state.Why.Rule.ShouldBe("hostile-act-without-talks");
        state.Why.EventIds.ShouldBe([Id(1)]);
    }

    [Theory]
    [InlineData("PersonDetained")]
    [InlineData("MilitaryStrike")]
    [InlineData("AttackOccurred")]
    public void Given_each_kind_of_hostile_act_between_the_parties_When_folded_Then_Hostility(string type)
    {
        NegotiationEvent e = type switch
        {
            "PersonDetained" => new PersonDetained { Person = "A journalist", Nationality = "US" },
            "MilitaryStrike" => new MilitaryStrike(),
            _ => new AttackOccurred { Casualties = 3 },
        };
        var n = Negotiation().Has("2024-06-01", e, TB, US);

        n.At("2024-06-02").Stage.ShouldBe(Stage.Hostility);
    }

    [Fact]
    public void Given_an_attack_by_a_third_party_When_folded_Then_it_is_not_a_hostile_act_between_the_parties()
    {
        var n = Negotiation().Has("2021-08-26", new AttackOccurred { Casualties = 183 }, "ISIS-K", US);

        n.At("2021-08-26").Stage.ShouldBe(Stage.Estrangement);
    }

    [Fact]
    public void Given_a_hostile_act_and_talks_within_the_window_When_folded_Then_talks_win_Exploratory()
    {
        var n = Negotiation().HasStrike(US, "2024-06-01").HasTalks("2024-09-01");

        n.At("2024-09-01").Stage.ShouldBe(Stage.Exploratory);
    }

    [Fact]
    public void Given_nothing_When_folded_Then_Estrangement_with_the_no_contact_rule()
    {
        var state = Negotiation().At("2025-01-01");

        state.Stage.ShouldBe(Stage.Estrangement);
        state.Why.Rule.ShouldBe("no-contact");
        state.Why.EventIds.ShouldBeEmpty();
        state.StageSince.ShouldBeNull();
        state.StageHistory.Single().On.ShouldBeNull();
    }

    [Fact]
    public void Given_a_structural_stage_When_talks_also_happen_Then_the_higher_rule_wins()
    {
        var n = Negotiation()
            .Has("2022-05-01", new OfficeOpened { OfficeKind = OfficeKind.RepresentativeOffice }, TB, US)
            .HasTalks("2022-06-01").HasGesture(US, "2022-06-01").HasGesture(TB, "2022-06-01");

        n.At("2022-06-30").Stage.ShouldBe(Stage.Representation);
    }
}
