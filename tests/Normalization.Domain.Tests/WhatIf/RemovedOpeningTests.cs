using Normalization.Domain.Catalog;
using Normalization.Domain.Tests.Support;
using static Normalization.Domain.Tests.Support.Given;
using DomainWhatIf = Normalization.Domain.WhatIf.WhatIf;

namespace Normalization.Domain.Tests.WhatIf;

/// <summary>
/// A what-if that removes (or replaces) a DemandMade or AgreementSigned whose closings it keeps is refused with
/// <c>still_referenced</c> at the change, as the store refuses retracting such an opening: no branch holds a closing
/// without its opening.
/// </summary>
public class RemovedOpeningTests
{
    static readonly DateOnly Today = new(2025, 6, 30);

    static NegotiationBuilder Record() => Negotiation()
        .Has("2020-03-01", new DemandMade { DemandId = "engineer", Subject = "release the engineer" })
        .Has("2020-03-10", new DemandMet { DemandId = "engineer" }, actor: TB, target: US)
        .Has("2020-04-01", new AgreementSigned { Name = "Doha", Signatories = [US, TB], Commitments = [new Commitment { CommitmentId = "office", Party = TB, Text = "t" }] })
        .Has("2020-05-01", new CommitmentFulfilled { CommitmentId = "office" }, actor: TB, target: US);

    static Guid DemandMadeId => Id(1);
    static Guid DemandMetId => Id(2);
    static Guid AgreementId => Id(3);

    [Fact]
    public void Given_a_met_demand_When_a_what_if_removes_its_DemandMade_Then_still_referenced_at_the_removal()
    {
        // Given a demand made and met
        var n = Record();

        // When a what-if removes the DemandMade (after removing the commitment's closing, which stands)
        var result = DomainWhatIf.From(n.Opening, n.Events).Today(Today).AsOf(Today).Remove(Id(4)).Remove(DemandMadeId).Project();

        // Then it is refused at remove[1], naming the closing to remove too
        var error = result.Errors.ShouldHaveSingleItem();
        error.Path.ShouldBe("remove[1]");
        error.Code.ShouldBe("still_referenced");
        error.Message.ShouldContain(DemandMetId.ToString());
        result.IsValid.ShouldBeFalse();
    }

    [Fact]
    public void Given_a_met_demand_When_a_what_if_removes_the_DemandMade_and_its_closing_Then_the_branch_has_no_such_demand()
    {
        // Given a demand made and met
        var n = Record();

        // When a what-if removes both
        var result = DomainWhatIf.From(n.Opening, n.Events).Today(Today).AsOf(Today).Remove(DemandMadeId).Remove(DemandMetId).Project();

        // Then the branch holds neither (no phantom entry)
        result.Errors.ShouldBeEmpty();
        result.State.Ledger.Demands.ShouldBeEmpty();
    }

    [Fact]
    public void Given_a_fulfilled_commitment_When_a_what_if_replaces_its_agreement_by_talks_Then_still_referenced_at_the_replacement()
    {
        // Given an agreement whose commitment is fulfilled
        var n = Record();

        // When a what-if replaces the agreement by talks (which open no commitment)
        var result = DomainWhatIf.From(n.Opening, n.Events).Today(Today).AsOf(Today)
            .Replace(AgreementId, n.Envelope("2020-04-01", new TalksHeld { Participants = [US, TB] }) with { EventId = Guid.NewGuid() }).Project();

        // Then it is refused at the replacement's event
        var error = result.Errors.ShouldHaveSingleItem();
        error.Path.ShouldBe("replace[0].event");
        error.Code.ShouldBe("still_referenced");
    }

    [Fact]
    public void Given_a_met_demand_When_a_what_if_replaces_the_DemandMade_by_one_of_the_same_id_Then_it_stands()
    {
        // Given a demand made and met
        var n = Record();

        // When a what-if replaces the DemandMade by another DemandMade of the same id (made earlier, of another subject)
        var result = DomainWhatIf.From(n.Opening, n.Events).Today(Today).AsOf(Today)
            .Replace(DemandMadeId, n.Envelope("2020-02-01", new DemandMade { DemandId = "engineer", Subject = "release the pilot" }) with { EventId = Guid.NewGuid() })
            .Project();

        // Then it stands: the closing still has an opening
        result.Errors.ShouldBeEmpty();
        result.State.Ledger.Demands.ShouldHaveSingleItem().Subject.ShouldBe("release the pilot");
    }

    [Fact]
    public void Given_a_met_demand_When_a_what_if_removes_every_DemandMade_by_filter_Then_still_referenced_at_the_filters_remove_index()
    {
        // Given a demand made and met
        var n = Record();

        // When a what-if removes every DemandMade
        var result = DomainWhatIf.From(n.Opening, n.Events).Today(Today).AsOf(Today).Remove<DemandMade>().Project();

        // Then it is refused at the filter's place among the removals
        var error = result.Errors.ShouldHaveSingleItem();
        error.Path.ShouldBe("remove[0]");
        error.Code.ShouldBe("still_referenced");
    }
}
