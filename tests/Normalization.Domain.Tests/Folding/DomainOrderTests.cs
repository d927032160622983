using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Stages;
using Normalization.Domain.Tests.Support;
using static Normalization.Domain.Tests.Support.Given;

namespace Normalization.Domain.Tests.Folding;

public class DomainOrderTests
{
    [Fact]
    public void Given_events_on_one_day_When_sorted_Then_openings_come_before_contacts_requests_gestures_pressure_context_closings_corrections()
    {
        var n = Negotiation();
        var day = "2025-03-20";
        NegotiationEvent[] events =
        [
            n.Envelope(day, new EventRetracted { TargetEventId = Id(99), Reason = "x" }),
            n.Envelope(day, new OfficeClosed { OfficeKind = OfficeKind.Embassy }),
            n.Envelope(day, new ReportPublished { Title = "r" }),
            n.Envelope(day, new ThreatIssued()),
            n.Envelope(day, new PrisonerReleased { Person = "p" }),
            n.Envelope(day, new DemandMade { DemandId = "d", Subject = "s" }),
            n.Envelope(day, new TalksHeld { Participants = [US, TB] }),
            n.Envelope(day, new OfficeOpened { OfficeKind = OfficeKind.Embassy }),
        ];

        var sorted = events.OrderBy(e => e, DomainOrder.Instance).Select(e => e.Type).ToList();

        sorted.ShouldBe(["OfficeOpened", "TalksHeld", "DemandMade", "PrisonerReleased", "ThreatIssued", "ReportPublished", "OfficeClosed", "EventRetracted"]);
    }

    [Fact]
    public void Given_a_month_dated_event_and_a_day_dated_event_in_that_month_When_sorted_Then_the_month_one_sorts_at_the_month_end()
    {
        var n = Negotiation();
        var month = n.Envelope("2025-03", new TalksHeld { Participants = [US, TB] });
        var day = n.Envelope("2025-03-30", new ThreatIssued());

        DomainOrder.Instance.Compare(day, month).ShouldBeLessThan(0);
        DomainOrder.SortKey(month).ShouldStartWith("20250331|10|");
        string.CompareOrdinal(DomainOrder.SortKey(month), DomainOrder.EndOfDayKey(D("2025-03-31"))).ShouldBeLessThan(0);
    }

    [Fact]
    public void Given_same_day_same_rank_When_sorted_Then_by_eventId()
    {
        var n = Negotiation();
        var a = n.Envelope("2025-03-20", new ThreatIssued { EventId = Id(7) });
        var b = n.Envelope("2025-03-20", new ThreatIssued { EventId = Id(3) });

        new[] { a, b }.OrderBy(e => e, DomainOrder.Instance).First().ShouldBe(b);
    }

    [Fact]
    public void Given_an_office_closed_and_reopened_the_same_day_When_folded_Then_the_opening_is_applied_first_and_the_office_is_gone()
    {
        var n = Negotiation()
            .Has("2025-01-01", new OfficeOpened { OfficeKind = OfficeKind.LiaisonOffice }, US, TB)
            .Has("2025-06-01", new OfficeClosed { OfficeKind = OfficeKind.LiaisonOffice }, US, TB)
            .Has("2025-06-01", new OfficeOpened { OfficeKind = OfficeKind.LiaisonOffice }, US, TB);

        var state = n.At("2025-06-01");

        state.Ledger.Offices.ShouldBeEmpty("the reopening (rank 0) finds the office operating and changes nothing; the closing (rank 60) then closes it");
        state.Stage.ShouldNotBe(Stage.Representation);
    }

    [Fact]
    public void Given_an_accumulator_When_an_event_arrives_out_of_domain_order_Then_it_refuses_it()
    {
        var n = Negotiation();
        var acc = FoldAccumulator.Start(n.Opening);
        acc.Apply(n.Envelope("2025-03-20", new TalksHeld { Participants = [US, TB] }));

        Should.Throw<InvalidOperationException>(() => acc.Apply(n.Envelope("2025-03-19", new ThreatIssued())));
        Should.Throw<ArgumentOutOfRangeException>(() => acc.StateAt(D("2025-03-19")));
    }
}
