using Normalization.Domain.Catalog;
using Normalization.Domain.Negotiations;
using Normalization.Domain.WhatIf;

namespace Normalization.Domain.Tests.WhatIf;

using WhatIf = Normalization.Domain.WhatIf.WhatIf;

/// <summary>
/// An analyst's trial, US–North Korea 2017–2019: "what if EO 13810 had come in August, and the state-sponsor listing in
/// October?" The projected ledger moved both entries' <c>since</c>, but the comparison listed no ledger change — a sanction
/// was "imposed", a designation "listed", a recognition its form, whatever their dates — while docs/what-if.md promises
/// "the ledger entries that differ" (an office's "open since D" already said when).
/// </summary>
public class KoreaAnalystTests
{
    static readonly Guid Eo13810 = Guid.Parse("0e013810-0000-0000-0000-000000000001");
    static readonly Guid StateSponsor = Guid.Parse("0e013810-0000-0000-0000-000000000002");
    static readonly Guid Reward = Guid.Parse("0e013810-0000-0000-0000-000000000003");
    static readonly Guid Recognition = Guid.Parse("0e013810-0000-0000-0000-000000000004");

    static readonly NegotiationOpened Opening = new()
    {
        Id = "us-dprk-analyst", Title = "United States – North Korea",
        Parties = [new Party { Code = "US", Name = "United States" }, new Party { Code = "KP", Name = "North Korea" }],
    };

    static SanctionsImposed Sanction(string on) => new() { EventId = Eo13810, OccurredOn = DomainDate.Parse(on), Actor = "US", Target = "KP", Scope = "EO 13810" };
    static DesignationAdded Listing(string on) => new() { EventId = StateSponsor, OccurredOn = DomainDate.Parse(on), Actor = "US", Target = "KP", Designee = "North Korea", List = DesignationList.StateSponsor };
    static RewardOffered Bounty(string on) => new() { EventId = Reward, OccurredOn = DomainDate.Parse(on), Actor = "US", Target = "KP", Targets = ["a hacker"], AmountUsd = 5_000_000 };
    static RecognitionGranted Recognized(string on) => new() { EventId = Recognition, OccurredOn = DomainDate.Parse(on), Actor = "KP", Target = "US" };

    /// <summary>A replacement is another event: it takes its own id.</summary>
    static NegotiationEvent New(NegotiationEvent e) => e with { EventId = Guid.NewGuid() };

    static Branch History() => WhatIf.From(Opening,
    [
        new TalksHeld { EventId = Guid.NewGuid(), OccurredOn = DomainDate.Parse("2018-06-12"), Actor = "US", Target = "KP", Participants = ["US", "KP"] },
        Sanction("2017-09-21"), Listing("2017-11-20"), Bounty("2019-03"), Recognized("2019-02"),
    ]).Today(new DateOnly(2026, 12, 3));

    [Fact]
    public void Given_standing_facts_When_a_what_if_only_moves_when_they_began_Then_each_is_a_ledger_change_with_both_dates()
    {
        var result = History()
            .Replace(Eo13810, New(Sanction("2017-08"))).Replace(StateSponsor, New(Listing("2017-10-01")))
            .Replace(Reward, New(Bounty("2019-04"))).Replace(Recognition, New(Recognized("2019-01")))
            .Project();

        result.IsValid.ShouldBeTrue(string.Join("; ", result.Errors.Select(e => $"{e.Path} {e.Code} {e.Message}")));
        result.Diff.Ledger("sanction").ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            c => c.Key.ShouldBe("US EO 13810"), c => c.Before.ShouldBe("imposed since 2017-09-21"), c => c.After.ShouldBe("imposed since 2017-08-31"),
            c => c.Hypothetical.ShouldBeTrue());
        result.Diff.Ledger("designation").ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            c => c.Before.ShouldBe("listed since 2017-11-20"), c => c.After.ShouldBe("listed since 2017-10-01"));
        result.Diff.Ledger("reward").ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            c => c.Before.ShouldBe("offered 5000000 USD since 2019-03-31"), c => c.After.ShouldBe("offered 5000000 USD since 2019-04-30"));
        result.Diff.Ledger("recognition").ShouldHaveSingleItem().ShouldSatisfyAllConditions(
            c => c.Before.ShouldBe("DeJure since 2019-02-28"), c => c.After.ShouldBe("DeJure since 2019-01-31"));
    }

    [Fact]
    public void Given_a_what_if_that_leaves_the_standing_facts_as_they_were_When_compared_Then_no_ledger_change_is_listed_for_them()
    {
        var result = History().Replace(Eo13810, New(Sanction("2017-09-21"))).Project();

        result.IsValid.ShouldBeTrue(string.Join("; ", result.Errors.Select(e => $"{e.Path} {e.Code} {e.Message}")));
        result.Diff.LedgerChanges.ShouldBeEmpty();
    }
}
