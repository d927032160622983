using Normalization.Domain.Catalog;
using Normalization.Domain.Tests.Support;
using static Normalization.Domain.Tests.Support.Given;

namespace Normalization.Domain.Tests.Docs;

/// <summary>One realistic example per catalog type (mostly the seed's facts), used in docs/event-catalog.md.</summary>
public static class CatalogExamples
{
    static readonly Guid Doha = new("bbc0dce4-f4e5-5cd6-8d7d-24c9e68f1915");

    static T E<T>(T e, string on, string actor, string? target, Confidence c = Confidence.Confirmed, string? note = null) where T : NegotiationEvent =>
        e with { EventId = Guid.Parse("3f2b8c1e-5d4a-4e6f-9a7b-0c1d2e3f4a5b"), OccurredOn = DomainDate.Parse(on), Actor = actor, Target = target, Confidence = c, Note = note };

    public static readonly IReadOnlyDictionary<string, NegotiationEvent> ByType = new NegotiationEvent[]
    {
        E(new TalksHeld { Participants = [US, TB], Level = TalksLevel.Exploratory, Location = "Kabul", Facilitator = "QA" }, "2025-03-20", US, TB),
        E(new StatementIssued { Speaker = "A US official", Tone = Tone.Positive, Quote = "There is a positive trajectory." }, "2025-04-03", US, TB, Confidence.Reported),
        E(new EnvoyAppointed { Envoy = "Zalmay Khalilzad", Role = "Special Representative for Afghanistan Reconciliation" }, "2018-09-05", US, TB),
        E(new RecognitionRequested { Form = RecognitionForm.DeJure }, "2025-03-20", TB, US, Confidence.Reported),
        E(new OfficeRequested { OfficeKind = OfficeKind.RepresentativeOffice, Location = "United States", Constraints = ["outside Washington", "not necessarily an embassy"] }, "2025-03-20", TB, US, Confidence.Reported),
        E(new DemandMade { DemandId = "tb-assets", Subject = "Unfreeze Afghan central bank assets", Category = DemandCategory.AssetsUnfreeze }, "2024", TB, US, Confidence.Reported),
        E(new DemandMet { DemandId = "tb-assets" }, "2025-06", US, TB),
        E(new DemandRefused { DemandId = "us-equipment" }, "2025-04-03", TB, US),
        E(new DemandWithdrawn { DemandId = "tb-normalization" }, "2025-05-01", TB, US),
        E(new PrisonerReleased { Person = "George Gleisman", Nationality = "US", Terms = ReleaseTerms.Goodwill, Facilitator = "QA" }, "2025-03-20", TB, US),
        E(new PrisonersExchanged
        {
            Releases =
            [
                new Release { ReleasedBy = TB, Person = "Ryan Corbett", Nationality = "US" },
                new Release { ReleasedBy = US, Person = "Khan Mohammed", Nationality = "AF" },
            ],
            Facilitator = "QA",
        }, "2025-01-21", TB, US),
        E(new RewardRescinded { Targets = ["Sirajuddin Haqqani", "Abdul Aziz Haqqani", "Yahya Haqqani"] }, "2025-03-22", US, TB),
        E(new SanctionsEased { Scope = "Humanitarian transactions (general license)" }, "2021-12-22", US, TB),
        E(new AssetsUnfrozen { AmountUsd = 3_500_000_000 }, "2022-09-14", US, TB),
        E(new DesignationRemoved { Designee = "Sirajuddin Haqqani", List = DesignationList.SDGT }, "2025-06-01", US, TB),
        E(new AidProvided { AmountUsd = 12_000_000, Purpose = "Earthquake relief" }, "2023-10-10", US, TB),
        E(new CommitmentFulfilled { CommitmentId = "doha-withdrawal" }, "2021-08-30", US, TB),
        E(new AgreementSigned
        {
            Name = "Agreement for Bringing Peace to Afghanistan",
            Signatories = [US, TB],
            Commitments =
            [
                new Commitment { CommitmentId = "doha-withdrawal", Party = US, Text = "Withdraw all US forces within 14 months." },
                new Commitment { CommitmentId = "doha-ct", Party = TB, Text = "Prevent al-Qaeda from using Afghan soil." },
            ],
        }, "2020-02-29", US, TB),
        E(new OfficeOpened { OfficeKind = OfficeKind.LiaisonOffice, City = "Kabul" }, "2025-09-01", US, TB),
        E(new OfficeClosed { OfficeKind = OfficeKind.Embassy, City = "Kabul" }, "2021-08-31", US, TB),
        E(new RecognitionGranted { Form = RecognitionForm.DeFacto }, "2025-10-01", US, TB),
        E(new RecognitionWithdrawn { Form = RecognitionForm.DeJure }, "2021-08-15", US, TB),
        E(new RelationsEstablished(), "2026-01-01", US, TB),
        E(new RelationsSevered(), "2021-08-31", US, TB),
        E(new AmbassadorRecalled { Envoy = "Dominick Chilcott", LevelLeft = RepresentationLevel.None }, "2011-11-30", "GB", "IR", note: "UK–Iran: the British embassy in Tehran was stormed on 29 November and its staff withdrawn."),
        E(new AmbassadorReturned { Envoy = "Nicholas Hopton" }, "2016-09-05", "GB", "IR", Confidence.Reported),
        E(new DiplomatsExpelled { LevelLeft = RepresentationLevel.None }, "2011-11-30", "GB", "IR", note: "Iranian diplomats given 48 hours to leave London."),
        E(new RelationsDowngraded { Level = RepresentationLevel.ChargeDAffaires }, "2011-11-27", "IR", "GB", note: "Majlis law lowering relations to chargé d'affaires level."),
        E(new RelationsUpgraded { Level = RepresentationLevel.Ambassador }, "2016-09-05", "GB", "IR", Confidence.Reported),
        E(new PersonDetained { Person = "Mahmood Habibi", Nationality = "US" }, "2022-08-10", TB, US),
        E(new RewardOffered { Targets = ["Sirajuddin Haqqani"], AmountUsd = 10_000_000 }, "2008", US, TB),
        E(new SanctionsImposed { Scope = "Taliban sanctions (EO 13224)" }, "2001-09-23", US, TB),
        E(new AssetsFrozen { AmountUsd = 7_000_000_000 }, "2021-08-15", US, TB),
        E(new DesignationAdded { Designee = "Haqqani network", List = DesignationList.FTO }, "2012-09-19", US, TB),
        E(new CommitmentBreached { CommitmentId = "doha-ct" }, "2022-08-01", TB, US, note: "US accusation: al-Zawahiri sheltered in Kabul."),
        E(new ThreatIssued { Quote = "If you take Americans: expect cruise missile strikes." }, "2024", US, TB, Confidence.Reported),
        E(new MilitaryStrike { TargetDescription = "Al-Qaeda leader's house in Kabul", Casualties = 1 }, "2022-07-31", US, "AQ"),
        E(new AttackOccurred { Casualties = 183, VictimsNationalities = ["AF", "US"] }, "2021-08-26", "ISIS-K", US),
        E(new TroopsWithdrawn { Scope = "All US forces from Afghanistan" }, "2021-08-30", US, TB),
        E(new ThirdPartyRecognition { Form = RecognitionForm.DeJure }, "2025-07-03", "RU", TB),
        E(new ReportPublished { Title = "Annual Threat Assessment 2025", Summary = "ISIS-K the most capable branch of the Islamic State." }, "2025-03-25", US, null),
        E(new RecordReviewed { CoveredUntil = DomainDate.Parse("2025-04-03") }, "2025-04-10", "EDITOR", null),
        E(new EventRetracted { TargetEventId = Doha, Reason = "Duplicate of an earlier record." }, "2025-04-10", US, null),
        E(new EventCorrected
        {
            TargetEventId = Doha,
            Correction = new TalksHeld { EventId = Doha, Participants = [US, TB], Level = TalksLevel.Senior, Location = "Doha", Facilitator = "QA", OccurredOn = DomainDate.Parse("2020-02-29"), Actor = US, Target = TB, Confidence = Confidence.Confirmed },
        }, "2025-04-10", US, null),
    }.ToDictionary(e => e.Type);
}
