using Normalization.Domain.Catalog;
using Normalization.Domain.Tests.Support;
using static Normalization.Domain.Tests.Support.Given;
using DomainWhatIf = Normalization.Domain.WhatIf.WhatIf;

namespace Normalization.Domain.Tests.WhatIf;

/// <summary>
/// A what-if that removes or replaces a recorded event removes it as the record has it — its corrections with it: a
/// correction of an event the branch no longer holds corrects nothing (the fold ignores it, <c>EffectiveHistory</c>), so
/// what the corrected version opened (a demand id, a commitment id) is free in the branch for a hypothetical opening, as an
/// id whose opening was retracted is free in the store. (A historian asking "what if the Shanghai Communiqué, its date
/// corrected in the record, had been signed a year later" was refused <c>duplicate_id</c> on its own commitments.)
/// </summary>
public class CorrectedOpeningInBranchTests
{
    static readonly DateOnly Today = new(2025, 6, 30);

    static NegotiationBuilder Record()
    {
        var n = Negotiation()
            .HasTalks("2020-03-30")
            .Has("2020-04-02", new AgreementSigned { Name = "Communiqué", Signatories = [US, TB], Commitments = [new Commitment { CommitmentId = "forces", Party = US, Text = "reduce forces" }] });
        var agreement = n.Events[^1];
        return n.HasCorrection(agreement.EventId, "2020-04-10", agreement with { OccurredOn = DomainDate.Parse("2020-04-01") });
    }

    static Guid AgreementId => Id(2);

    static NegotiationEvent MovedAgreement(NegotiationBuilder n, string on) =>
        n.Events.Single(e => e.EventId == AgreementId) with { EventId = Guid.NewGuid(), OccurredOn = DomainDate.Parse(on) };

    [Fact]
    public void Given_a_corrected_agreement_When_a_what_if_replaces_it_by_the_same_agreement_a_year_later_Then_it_stands_and_the_agreement_dates_from_then()
    {
        // Given an agreement whose date the record corrected
        var n = Record();

        // When a what-if replaces it by the same agreement (same commitment ids) signed a year later
        var result = DomainWhatIf.From(n.Opening, n.Events).Today(Today).AsOf(Today).Replace(AgreementId, MovedAgreement(n, "2021-04-01")).Project();

        // Then it stands, and the branch's commitment is the replacement's
        result.Errors.ShouldBeEmpty();
        result.State.Ledger.Commitments.ShouldHaveSingleItem().CommitmentId.ShouldBe("forces");
        result.State.Ledger.Agreements.ShouldHaveSingleItem().SignedOn.ShouldBe(new DateOnly(2021, 4, 1));
    }

    [Fact]
    public void Given_a_corrected_agreement_When_a_what_if_removes_it_and_adds_one_opening_its_ids_Then_it_stands_as_the_replacement_does()
    {
        // Given an agreement whose date the record corrected
        var n = Record();

        // When a what-if removes it and adds an agreement opening the same commitment id
        var result = DomainWhatIf.From(n.Opening, n.Events).Today(Today).AsOf(Today).Remove(AgreementId).Add(MovedAgreement(n, "2021-04-01")).Project();

        // Then it stands
        result.Errors.ShouldBeEmpty();
        result.State.Ledger.Commitments.ShouldHaveSingleItem().CommitmentId.ShouldBe("forces");
        result.State.Ledger.Agreements.ShouldHaveSingleItem().SignedOn.ShouldBe(new DateOnly(2021, 4, 1));
    }

    [Fact]
    public void Given_a_corrected_agreement_kept_When_a_what_if_adds_another_opening_of_its_ids_Then_duplicate_id_still()
    {
        // Given an agreement whose date the record corrected, kept by the branch
        var n = Record();

        // When a what-if adds another agreement opening the same commitment id
        var result = DomainWhatIf.From(n.Opening, n.Events).Today(Today).AsOf(Today).Add(MovedAgreement(n, "2021-04-01")).Project();

        // Then the id is held by the corrected agreement: duplicate_id
        result.Errors.ShouldContain(e => e.Code == "duplicate_id" && e.Path == "add[0].commitments[0].commitmentId");
    }
}
