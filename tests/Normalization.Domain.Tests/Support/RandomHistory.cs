using CsCheck;
using Normalization.Domain.Catalog;
using Normalization.Domain.Negotiations;

namespace Normalization.Domain.Tests.Support;

/// <summary>
/// Random histories between US and TB for the property tests: a realistic mix of the catalog's types over
/// 2020–2024, about one date in ten of month precision and one in twenty of year precision, some Rumoured.
/// Ids are fixed by position (Given.Id(1), Given.Id(2), …) so failures are reproducible from CsCheck's seed.
/// </summary>
public static class RandomHistory
{
    public static readonly DateOnly From = new(2020, 1, 1);
    public static readonly DateOnly To = new(2024, 12, 31);
    static readonly int Days = To.DayNumber - From.DayNumber;

    public sealed record Raw(int Kind, int Day, int Precision, bool ByUS, int Pick, int Confidence);

    static readonly Gen<Raw> GenRaw = Gen.Select(Gen.Int[0, 35], Gen.Int[0, Days], Gen.Int[0, 19], Gen.Bool, Gen.Int[0, 3], Gen.Int[0, 9],
        (k, d, p, us, pick, c) => new Raw(k, d, p, us, pick, c));

    /// <summary>3 to 40 events.</summary>
    public static readonly Gen<NegotiationEvent[]> Events = GenRaw.Array[3, 40].Select(raws => raws.Select((r, i) => Build(r, i + 1)).ToArray());

    public static NegotiationOpened Opening => Given.Negotiation().Opening;

    static readonly string[] Demands = ["gitmo", "assets", "equipment", "recognition"];
    static readonly string[] Commitments = ["withdrawal", "ct", "prisoners", "embassy"];
    static readonly string[] People = ["Sirajuddin Haqqani", "Abdul Aziz Haqqani", "Yahya Haqqani", "Someone"];
    static readonly string[] Scopes = ["travel ban", "asset freeze", "arms embargo", "visa"];

    public static NegotiationEvent Build(Raw r, int n)
    {
        var actor = r.ByUS ? Given.US : Given.TB;
        var other = r.ByUS ? Given.TB : Given.US;
        var pick = r.Pick;
        NegotiationEvent e = r.Kind switch
        {
            0 or 1 or 2 => new TalksHeld { Participants = [Given.US, Given.TB], Level = (TalksLevel)pick, Facilitator = "QA" },
            3 or 4 => new PrisonerReleased { Person = People[pick], Terms = ReleaseTerms.Goodwill },
            5 => new PrisonersExchanged { Releases = [new Release { ReleasedBy = Given.US, Person = "a" }, new Release { ReleasedBy = Given.TB, Person = "b" }] },
            6 => new StatementIssued { Tone = (Tone)(pick % 3) },
            7 => new DemandMade { DemandId = Demands[pick], Subject = Demands[pick], Category = (DemandCategory)pick },
            8 => new DemandMet { DemandId = Demands[pick] },
            9 => new DemandRefused { DemandId = Demands[pick] },
            10 => new DemandWithdrawn { DemandId = Demands[pick] },
            11 => new AgreementSigned
            {
                Name = "Agreement " + pick,
                Signatories = [Given.US, Given.TB],
                Commitments = [new Commitment { CommitmentId = Commitments[pick], Party = actor, Text = "t" }],
            },
            12 => new CommitmentFulfilled { CommitmentId = Commitments[pick] },
            13 => new CommitmentBreached { CommitmentId = Commitments[pick] },
            14 => new OfficeOpened { OfficeKind = (OfficeKind)(pick == 0 ? 0 : pick + 1), City = "City" },
            15 => new OfficeClosed { OfficeKind = (OfficeKind)(pick == 0 ? 0 : pick + 1) },
            16 => new RecognitionGranted { Form = (RecognitionForm)(pick % 2) },
            17 => new RecognitionWithdrawn(),
            18 => pick == 0 ? new RelationsEstablished() : new RelationsSevered(),
            19 or 20 => new MilitaryStrike { Casualties = pick },
            21 => new PersonDetained { Person = People[pick] },
            22 => new SanctionsImposed { Scope = Scopes[pick] },
            23 => new SanctionsEased { Scope = Scopes[pick] },
            24 => new AssetsFrozen { AmountUsd = 1000m * (pick + 1) },
            25 => new AssetsUnfrozen { AmountUsd = 700m * (pick + 1) },
            26 => new RewardOffered { Targets = [People[pick]], AmountUsd = 5_000_000 },
            27 => new RewardRescinded { Targets = [People[pick]] },
            28 => new DesignationAdded { Designee = People[pick], List = (DesignationList)pick },
            29 => new DesignationRemoved { Designee = People[pick], List = (DesignationList)pick },
            30 => pick < 2 ? new RecognitionRequested() : new OfficeRequested { OfficeKind = OfficeKind.RepresentativeOffice },
            31 => pick < 2 ? new ThreatIssued() : new AidProvided { AmountUsd = 100 },
            32 => pick < 2 ? new AmbassadorRecalled { LevelLeft = (RepresentationLevel)(pick * 1) } : new AmbassadorReturned(),
            33 => new DiplomatsExpelled { LevelLeft = pick == 3 ? null : (RepresentationLevel)pick },
            35 => new RecordReviewed { CoveredUntil = DomainDate.FromDate(From.AddDays(r.Day / 2 + 30 * pick)) },
            _ => pick < 2 ? new RelationsDowngraded { Level = (RepresentationLevel)pick } : new RelationsUpgraded { Level = (RepresentationLevel)pick },
        };
        var day = From.AddDays(r.Day);
        var on = r.Precision switch
        {
            0 => new DomainDate(day.Year),
            1 or 2 => new DomainDate(day.Year, day.Month),
            _ => DomainDate.FromDate(day),
        };
        return e with
        {
            EventId = Given.Id(n),
            OccurredOn = on,
            Actor = actor,
            Target = other,
            Confidence = r.Confidence switch { 0 => Confidence.Rumoured, < 4 => Confidence.Reported, _ => Confidence.Confirmed },
        };
    }

    /// <summary>A permutation of <paramref name="events"/> chosen by <paramref name="seed"/>.</summary>
    public static NegotiationEvent[] Permute(NegotiationEvent[] events, int seed)
    {
        var copy = events.ToArray();
        new Random(seed).Shuffle(copy);
        return copy;
    }

    public static string Print(NegotiationEvent[] events) =>
        string.Join("\n", events.Select(e => $"{e.EventId.ToString()[^4..]} {e.OccurredOn} {e.Type} {e.Actor}->{e.Target} {e.Confidence}"));
}
