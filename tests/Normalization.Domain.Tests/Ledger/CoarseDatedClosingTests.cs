using CsCheck;
using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Ledger;
using Normalization.Domain.Tests.Support;
using static Normalization.Domain.Tests.Support.Given;

namespace Normalization.Domain.Tests.Ledger;

/// <summary>
/// A closing dated inside its opening's coarser period (a demand made "2020-03", met on 2020-03-10) is folded before the
/// opening, which counts on the last day of its period. The ledger at any date holds no entry without its opening: the
/// closed entry appears when the opening counts (docs/stage-model.md, "Closings inside an opening's period").
/// </summary>
public class CoarseDatedClosingTests
{
    static readonly DateOnly From = new(2020, 1, 1);
    static readonly DateOnly End = new(2022, 12, 31);

    [Fact]
    public void Given_a_demand_made_in_a_month_and_met_on_a_day_of_it_When_read_before_the_month_ends_Then_the_ledger_has_no_entry_without_its_opening()
    {
        // Given a demand made in March 2020, met on 10 March
        var n = Negotiation()
            .Has("2020-03", new DemandMade { DemandId = "engineer", Subject = "release the engineer" })
            .Has("2020-03-10", new DemandMet { DemandId = "engineer" }, actor: TB, target: US);

        // When the ledger is read on 15 March, then on the month's last day
        var during = n.At("2020-03-15");
        var after = n.At("2020-03-31");

        // Then on 15 March the demand is not listed (nor counted), and from 31 March it is listed met, with its maker
        during.Ledger.Demands.ShouldBeEmpty();
        during.Ledger.Totals.DemandsResolved.ShouldBe(0);
        var demand = after.Ledger.Demands.ShouldHaveSingleItem();
        demand.ShouldSatisfyAllConditions(
            d => d.By.ShouldBe(US), d => d.Of.ShouldBe(TB), d => d.Status.ShouldBe(DemandStatus.Met),
            d => d.MadeOn.ShouldBe(D("2020-03-31")), d => d.ResolvedOn.ShouldBe(D("2020-03-10")));
        after.Ledger.Totals.DemandsResolved.ShouldBe(1);
    }

    [Fact]
    public void Given_an_agreement_signed_in_a_year_and_a_commitment_fulfilled_in_it_When_read_before_the_year_ends_Then_no_commitment_is_listed_without_its_agreement()
    {
        // Given an agreement known only by its year and one of its commitments fulfilled in June
        var n = Negotiation()
            .Has("2020", new AgreementSigned { Name = "Doha", Signatories = [US, TB], Commitments = [new Commitment { CommitmentId = "withdrawal", Party = US, Text = "withdraw" }] })
            .Has("2020-06-01", new CommitmentFulfilled { CommitmentId = "withdrawal" });

        // When the ledger is read in July, then at the year's end
        var during = n.At("2020-07-01");
        var after = n.At("2020-12-31");

        // Then in July nothing is listed or counted; at the year's end the commitment is listed fulfilled, with its party and text
        during.Ledger.Commitments.ShouldBeEmpty();
        during.Ledger.Totals.CommitmentsClosed.ShouldBe(0);
        after.Ledger.Commitments.ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            c => c.Party.ShouldBe(US), c => c.Text.ShouldBe("withdraw"), c => c.Status.ShouldBe(CommitmentStatus.Fulfilled));
        after.Ledger.Totals.CommitmentsClosed.ShouldBe(1);
    }

    [Fact]
    public void Given_a_commitment_fulfilled_then_breached_inside_its_agreements_year_When_read_before_the_year_ends_Then_it_is_not_listed()
    {
        // Given two closings of one commitment folded before its year-dated agreement
        var n = Negotiation()
            .Has("2020", new AgreementSigned { Name = "Doha", Signatories = [US, TB], Commitments = [new Commitment { CommitmentId = "ct", Party = TB, Text = "no attacks" }] })
            .Has("2020-03-01", new CommitmentFulfilled { CommitmentId = "ct" }, actor: TB, target: US)
            .Has("2020-05-01", new CommitmentBreached { CommitmentId = "ct" }, actor: TB, target: US);

        // When read in June
        var during = n.At("2020-06-01");

        // Then it is not listed (two closings are not an opening)
        during.Ledger.Commitments.ShouldBeEmpty();
        n.At("2020-12-31").Ledger.Commitments.ShouldHaveSingleItem().Status.ShouldBe(CommitmentStatus.Breached);
    }

    /// <summary>A date in <paramref name="precision"/> covering <paramref name="day"/>.</summary>
    static DomainDate Dated(DateOnly day, int precision) => precision switch
    {
        0 => DomainDate.FromDate(day),
        1 => new DomainDate(day.Year, day.Month),
        _ => new DomainDate(day.Year),
    };

    /// <summary>
    /// Openings (demands and agreements, dated by day, month or year) each with up to two closings dated (by day or month)
    /// inside the opening's period, from its first day on: what the validator accepts.
    /// </summary>
    static readonly Gen<List<NegotiationEvent>> CoarseHistories =
        Gen.Select(Gen.Int[0, End.DayNumber - From.DayNumber], Gen.Int[0, 2], Gen.Bool, Gen.Int[0, 2], Gen.Int[0, 400], Gen.Int[0, 400], Gen.Int[0, 1])
            .Array[1, 8]
            .Select(openings =>
            {
                var events = new List<NegotiationEvent>();
                var n = 0;
                Guid Next() => Id(++n);
                for (var i = 0; i < openings.Length; i++)
                {
                    var (offset, precision, demand, closings, c1, c2, closingPrecision) = openings[i];
                    var on = Dated(From.AddDays(offset), precision);
                    var span = on.End.DayNumber - on.Start.DayNumber;
                    var id = $"ref-{i}";
                    events.Add(demand
                        ? new DemandMade { EventId = Next(), DemandId = id, Subject = "s", OccurredOn = on, Actor = US, Target = TB, Confidence = Confidence.Confirmed }
                        : new AgreementSigned
                        {
                            EventId = Next(), Name = id, Signatories = [US, TB], OccurredOn = on, Actor = US, Target = TB, Confidence = Confidence.Confirmed,
                            Commitments = [new Commitment { CommitmentId = id, Party = TB, Text = "t" }],
                        });
                    foreach (var c in new[] { c1, c2 }.Take(closings))
                    {
                        var day = on.Start.AddDays(c % (span + 1));
                        var date = Dated(day, closingPrecision) is var d && d.Start >= on.Start && d.End <= on.End ? d : DomainDate.FromDate(day);
                        events.Add(demand
                            ? new DemandMet { EventId = Next(), DemandId = id, OccurredOn = date, Actor = TB, Target = US, Confidence = Confidence.Confirmed }
                            : new CommitmentFulfilled { EventId = Next(), CommitmentId = id, OccurredOn = date, Actor = TB, Target = US, Confidence = Confidence.Confirmed });
                    }
                }
                return events;
            });

    [Fact]
    public void At_any_date_every_listed_demand_and_commitment_has_its_opening() =>
        Gen.Select(CoarseHistories, Gen.Int[0, End.DayNumber - From.DayNumber + 400]).Sample((events, d) =>
        {
            var asOf = From.AddDays(d);
            var ledger = NegotiationFold.StateAsOf(Negotiation().Opening, events, asOf).Ledger;

            // No entry without its opening: a demand has its maker and the day it was made; a commitment its agreement.
            ledger.Demands.ShouldAllBe(x => x.By != "" && x.MadeOn != null && x.MadeOn <= asOf);
            var signed = ledger.Agreements.SelectMany(a => a.CommitmentIds).ToHashSet();
            ledger.Commitments.ShouldAllBe(c => signed.Contains(c.CommitmentId) && c.Party != "");
            // Counted as listed: every opening counted by asOf is listed, each closed one counted once.
            var opened = events.Where(e => e.Date <= asOf);
            ledger.Demands.Count.ShouldBe(opened.OfType<DemandMade>().Count());
            ledger.Commitments.Count.ShouldBe(opened.OfType<AgreementSigned>().Count());
            ledger.Totals.DemandsResolved.ShouldBe(ledger.Demands.Count(x => x.Status != DemandStatus.Open));
            ledger.Totals.CommitmentsClosed.ShouldBe(ledger.Commitments.Count(c => c.Status != CommitmentStatus.Pending));
        }, iter: 300, print: t => $"asOf {From.AddDays(t.Item2):yyyy-MM-dd}: " + string.Join("; ", t.Item1.Select(e => $"{e.Type} {e.OccurredOn}")));
}
