using System.Text;
using System.Text.Json;
using Normalization.Domain.Catalog;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Validation;

namespace Normalization.Benchmarks;

/// <summary>
/// A deterministic synthetic negotiation between two parties (AA and BB, mediated by QA): a realistic mix of the catalog's
/// types, dates spread over 30 years (1995–2024; 10% of month precision, 5% of year precision), about 5% of the events
/// arriving late (recorded after events dated later than them) and 1% retractions of earlier events. 10% of the events are
/// rumoured (left out of the fold), but never a ledger event (demands, agreements, their resolutions); milestones (offices, relations, recognition) are 0.16% of events. Every event passes
/// <see cref="EventValidator"/> in recording order (a candidate that would not is replaced by a statement), so the same
/// history can be imported, appended or folded.
/// </summary>
public static class SyntheticHistory
{
    public const int Seed = 20_261_125;
    public static readonly DateOnly From = new(1995, 1, 1);
    public static readonly DateOnly To = new(2024, 12, 31);
    public const string A = "AA", B = "BB", Mediator = "QA";

    public sealed record History(NegotiationOpened Opening, IReadOnlyList<NegotiationEvent> Events)
    {
        public int Late { get; init; }
        public int Retractions { get; init; }
    }

    public static NegotiationOpened Opening(string id) => new()
    {
        Id = id, Title = $"Synthetic negotiation {id}",
        Parties = [new Party { Code = A, Name = "Party A" }, new Party { Code = B, Name = "Party B" }],
        Mediators = [new Party { Code = Mediator, Name = "Mediator" }],
    };

    public static History Generate(string id, int count, int seed = Seed)
    {
        var rng = new Random(seed);
        var opening = Opening(id);
        var retractions = count / 100;
        var baseCount = count - retractions;
        var span = To.DayNumber - From.DayNumber;

        // Domain dates in order, then 5% of them moved later in recording order (they arrive late).
        var days = new int[baseCount];
        for (var i = 0; i < baseCount; i++) days[i] = rng.Next(span + 1);
        Array.Sort(days);
        var order = new List<int>(days);
        var lateCount = baseCount / 20;
        var lateMarks = new HashSet<int>();
        while (lateMarks.Count < lateCount && baseCount > 1) lateMarks.Add(rng.Next(baseCount - 1));
        var recording = new List<int>(baseCount);
        var deferred = new List<(int Release, int Day)>();
        for (var i = 0; i < baseCount; i++)
        {
            if (lateMarks.Contains(i)) { deferred.Add((i + 1 + rng.Next(1, Math.Max(2, Math.Min(2_000, baseCount / 10))), days[i])); continue; }
            recording.Add(days[i]);
            for (var j = deferred.Count - 1; j >= 0; j--)
                if (deferred[j].Release <= i) { recording.Add(deferred[j].Day); deferred.RemoveAt(j); }
        }
        recording.AddRange(deferred.Select(d => d.Day));

        var ctx = new ValidationContext(opening, new DateOnly(2025, 1, 1));
        var events = new List<NegotiationEvent>(count);
        var openDemands = new List<string>();
        var commitments = new List<string>();
        // Who made each demand of whom, and each commitment's party: a closing is by the party the catalog names (met or
        // refused by the addressee, withdrawn by the maker, a commitment closed by its party), as the validator requires.
        var demandParties = new Dictionary<string, (string By, string Of)>();
        var committed = new Dictionary<string, string>();
        var retractable = new List<Guid>();
        var retracted = new HashSet<Guid>();
        var maxDay = 0;
        var late = 0;
        var demandNo = 0;
        var agreementNo = 0;
        var retractionsLeft = retractions;
        var errors = new List<FieldError>();

        Guid NewId()
        {
            Span<byte> b = stackalloc byte[16];
            rng.NextBytes(b);
            b[7] = (byte)((b[7] & 0x0F) | 0x40);
            b[8] = (byte)((b[8] & 0x3F) | 0x80);
            return new Guid(b);
        }

        void Add(NegotiationEvent e)
        {
            errors.Clear();
            if (!EventValidator.Validate(e, "", ctx, errors))
            {
                e = new StatementIssued { EventId = e.EventId, OccurredOn = e.OccurredOn, Actor = e.Actor, Target = e.Target, Tone = Tone.Neutral };
                errors.Clear();
                if (!EventValidator.Validate(e, "", ctx, errors)) throw new InvalidOperationException("Synthetic fallback event is invalid: " + errors[0].Message);
            }
            events.Add(e);
            if (e is not EventRetracted) retractable.Add(e.EventId);
        }

        for (var i = 0; i < recording.Count; i++)
        {
            var day = recording[i];
            if (day < maxDay) late++;
            maxDay = Math.Max(maxDay, day);
            var byA = rng.Next(2) == 0;
            var actor = byA ? A : B;
            var other = byA ? B : A;
            var p = rng.Next(100);
            NegotiationEvent e = p switch
            {
                < 18 => new TalksHeld { Participants = [A, B], Level = (TalksLevel)rng.Next(4), Location = "Doha", Facilitator = Mediator },
                < 36 => new StatementIssued { Speaker = "Spokesperson", Tone = (Tone)rng.Next(3), Quote = "We remain committed to dialogue." },
                < 41 => new DemandMade { DemandId = $"d{++demandNo}", Subject = "Release of detainees", Category = (DemandCategory)rng.Next(7) },
                < 46 when openDemands.Count > 0 => Resolve(openDemands, rng),
                < 51 => new PrisonerReleased { Person = $"Person {rng.Next(500)}", Nationality = other, Terms = (ReleaseTerms)rng.Next(4) },
                < 54 => new SanctionsEased { Scope = $"scope-{rng.Next(20)}" },
                < 57 => new AidProvided { AmountUsd = 1_000_000m * rng.Next(1, 50), Purpose = "humanitarian" },
                < 59 => new AssetsUnfrozen { AmountUsd = 100_000m * rng.Next(1, 100) },
                < 60 => new AgreementSigned
                {
                    Name = $"Agreement {++agreementNo}", Signatories = [A, B],
                    Commitments = [new Commitment { CommitmentId = $"c{agreementNo}a", Party = A, Text = "withdraw" }, new Commitment { CommitmentId = $"c{agreementNo}b", Party = B, Text = "guarantee" }],
                },
                < 62 when commitments.Count > 0 => CloseCommitment(commitments, rng),
                < 68 => new MilitaryStrike { TargetDescription = "compound", Casualties = rng.Next(0, 30) },
                < 72 => new PersonDetained { Person = $"Person {rng.Next(500)}", Nationality = other },
                < 75 => new SanctionsImposed { Scope = $"scope-{rng.Next(20)}" },
                < 79 => new ThreatIssued { Quote = "All options are on the table." },
                < 81 => new DesignationAdded { Designee = $"Group {rng.Next(40)}", List = (DesignationList)rng.Next(4) },
                < 82 => new DesignationRemoved { Designee = $"Group {rng.Next(40)}", List = (DesignationList)rng.Next(4) },
                < 84 => new AttackOccurred { Casualties = rng.Next(0, 50), VictimsNationalities = [other] },
                // Milestones (offices, relations, recognition) are rare in a real process: 1 in 50 of this band, else an envoy appointment.
                < 92 when rng.Next(50) != 0 => new EnvoyAppointed { Envoy = $"Envoy {rng.Next(30)}", Role = "special representative" },
                < 85 => new OfficeOpened { OfficeKind = OfficeKind.LiaisonOffice, City = "Capital" },
                < 86 => new OfficeClosed { OfficeKind = OfficeKind.LiaisonOffice, City = "Capital" },
                < 87 => rng.Next(3) == 0 ? new RelationsSevered() : new RelationsEstablished(),
                < 88 => new RecognitionGranted { Form = RecognitionForm.DeFacto },
                < 89 => new RecognitionRequested { Form = RecognitionForm.DeJure },
                < 90 => new OfficeRequested { OfficeKind = OfficeKind.Embassy, Location = "Capital" },
                < 91 => new EnvoyAppointed { Envoy = $"Envoy {rng.Next(30)}", Role = "special representative" },
                < 92 => new ThirdPartyRecognition { Form = RecognitionForm.DeFacto },
                < 94 => new TroopsWithdrawn { Scope = "northern province" },
                < 95 => new AssetsFrozen { AmountUsd = 100_000m * rng.Next(1, 100) },
                _ => new ReportPublished { Title = "Quarterly report", Summary = "Talks continue." },
            };
            if (e is DemandMade d) { openDemands.Add(d.DemandId); demandParties[d.DemandId] = (actor, other); }
            if (e is AgreementSigned ag)
                foreach (var c in ag.Commitments) { commitments.Add(c.CommitmentId); committed[c.CommitmentId] = c.Party; }
            (actor, other) = e switch
            {
                DemandMet { DemandId: var m } => (demandParties[m].Of, demandParties[m].By),
                DemandRefused { DemandId: var r } => (demandParties[r].Of, demandParties[r].By),
                DemandWithdrawn { DemandId: var w } => demandParties[w],
                CommitmentFulfilled { CommitmentId: var f } => (committed[f], committed[f] == A ? B : A),
                CommitmentBreached { CommitmentId: var b } => (committed[b], committed[b] == A ? B : A),
                _ => (actor, other),
            };
            var date = From.AddDays(day);
            var precision = rng.Next(100);
            var on = precision < 5 ? new DomainDate(date.Year) : precision < 15 ? new DomainDate(date.Year, date.Month) : DomainDate.FromDate(date);
            var third = e is ThirdPartyRecognition;
            Add(e with
            {
                EventId = NewId(), OccurredOn = on, Actor = third ? Mediator : actor, Target = other,
                // Ledger events (demands, agreements and their resolutions) are reported or confirmed: a rumoured resolution would keep its demand open forever.
                Confidence = rng.Next(10) switch { 0 when e is not (DemandMade or DemandMet or DemandRefused or DemandWithdrawn or AgreementSigned or CommitmentFulfilled or CommitmentBreached) => Confidence.Rumoured,
                    < 6 => Confidence.Reported, _ => Confidence.Confirmed },
                Sources = rng.Next(3) == 0 ? [new Source { Publisher = "Wire service", Url = "https://example.org/a", PublishedOn = date.ToString("yyyy-MM-dd") }] : [],
            });

            // 1% retractions, spread evenly through the recording, each of an earlier, not yet retracted event.
            if (retractionsLeft > 0 && (long)(i + 1) * retractions / recording.Count > retractions - retractionsLeft && retractable.Count > 0)
            {
                Guid target;
                do target = retractable[rng.Next(retractable.Count)]; while (retracted.Contains(target) && retracted.Count < retractable.Count);
                retracted.Add(target);
                retractionsLeft--;
                Add(new EventRetracted
                {
                    EventId = NewId(), OccurredOn = DomainDate.FromDate(From.AddDays(maxDay)), Actor = actor, Target = other,
                    TargetEventId = target, Reason = "reported in error", Confidence = Confidence.Confirmed,
                });
            }
        }
        return new History(opening, events) { Late = late, Retractions = retractions - retractionsLeft };
    }

    static NegotiationEvent CloseCommitment(List<string> pending, Random rng)
    {
        var i = rng.Next(pending.Count);
        var id = pending[i];
        pending.RemoveAt(i);
        return rng.Next(2) == 0 ? new CommitmentFulfilled { CommitmentId = id } : new CommitmentBreached { CommitmentId = id };
    }

    static NegotiationEvent Resolve(List<string> open, Random rng)
    {
        var i = rng.Next(open.Count);
        var id = open[i];
        open.RemoveAt(i);
        return rng.Next(3) switch
        {
            0 => new DemandMet { DemandId = id },
            1 => new DemandRefused { DemandId = id },
            _ => new DemandWithdrawn { DemandId = id },
        };
    }

    /// <summary>The first line of an NDJSON history: the negotiation it declares.</summary>
    public static string OpeningLine(NegotiationOpened o) => JsonSerializer.Serialize(new
    {
        type = nameof(NegotiationOpened), id = o.Id, title = o.Title, parties = o.Parties, mediators = o.Mediators, baseline = new { },
    }, EventJson.Options);

    /// <summary>Writes the history as NDJSON (declaring line first); returns the file's size in bytes.</summary>
    public static long WriteNdjson(History h, string path)
    {
        using (var w = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16))
        {
            w.WriteLine(OpeningLine(h.Opening));
            foreach (var e in h.Events) w.WriteLine(EventJson.Serialize(e));
        }
        return new FileInfo(path).Length;
    }
}
