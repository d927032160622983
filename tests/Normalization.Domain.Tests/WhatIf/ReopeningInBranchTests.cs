using Normalization.Domain.Catalog;
using Normalization.Domain.Tests.Support;
using Normalization.Domain.Validation;
using static Normalization.Domain.Tests.Support.Given;
using DomainWhatIf = Normalization.Domain.WhatIf.WhatIf;

namespace Normalization.Domain.Tests.WhatIf;

/// <summary>
/// A what-if that replaces an opening (an agreement, a demand) keeping its ids, while the record's closings of them stay,
/// is judged as the same change made by a correction: the closings must fit the replacement — not dated before it
/// (<c>before_reference</c>), by the party it names (<c>wrong_party</c>). An analyst's US–Iran what-if moved the Joint Plan of
/// Action (2013-11-24) to 2014-02 while its fulfilments of 2014-01-20 stayed: accepted, where the correction is 422.
/// </summary>
public class ReopeningInBranchTests
{
    static readonly DateOnly Today = new(2025, 6, 30);

    static NegotiationBuilder Record() => Negotiation()
        .HasTalks("2020-03-30")
        .Has("2020-04-02", new AgreementSigned { Name = "Plan", Signatories = [US, TB], Commitments = [new Commitment { CommitmentId = "relief", Party = US, Text = "ease sanctions" }] })
        .Has("2020-05-10", new CommitmentFulfilled { CommitmentId = "relief" });

    static Guid AgreementId => Id(2);

    static AgreementSigned Agreement(string on, string party = "US") => new()
    {
        OccurredOn = DomainDate.Parse(on), Actor = US, Target = TB, Name = "Plan", Signatories = [US, TB],
        Commitments = [new Commitment { CommitmentId = "relief", Party = party, Text = "ease sanctions" }],
    };

    [Theory]
    [InlineData("replace")]
    [InlineData("remove and add")]
    public void Given_an_agreement_fulfilled_on_2020_05_10_When_a_what_if_moves_it_to_June_Then_before_reference_as_the_correction_is(string how)
    {
        // Given an agreement and its fulfilment
        var n = Record();
        var branch = DomainWhatIf.From(n.Opening, n.Events).Today(Today).AsOf(Today);

        // When a what-if signs it in June instead, keeping the fulfilment of May
        var moved = Agreement("2020-06-15");
        var result = (how == "replace" ? branch.Replace(AgreementId, moved) : branch.Remove(AgreementId).Add(moved)).Project();

        // Then it is refused at the replacement's date, as a correction moving it to June is
        var path = how == "replace" ? "replace[0].event.occurredOn" : "add[0].occurredOn";
        result.Errors.Select(e => $"{e.Path} {e.Code}").ShouldBe([$"{path} before_reference"]);
        var corrected = Validate(n, new EventCorrected { TargetEventId = AgreementId, Correction = moved with { EventId = AgreementId } });
        corrected.ShouldContain("events[0].correction.occurredOn before_reference");
    }

    [Fact]
    public void Given_an_agreement_fulfilled_by_the_US_When_a_what_if_binds_the_other_party_instead_Then_wrong_party_as_the_correction_is()
    {
        // Given an agreement whose US commitment the US fulfilled
        var n = Record();

        // When a what-if replaces it with the same commitment binding TB
        var result = DomainWhatIf.From(n.Opening, n.Events).Today(Today).AsOf(Today).Replace(AgreementId, Agreement("2020-04-02", TB)).Project();

        // Then the kept fulfilment by the US is by the wrong party
        result.Errors.Select(e => $"{e.Path} {e.Code}").ShouldBe(["replace[0].event.commitments[0].party wrong_party"]);
    }

    [Fact]
    public void Given_an_agreement_fulfilled_in_May_When_a_what_if_moves_it_earlier_Then_it_stands()
    {
        // Given an agreement and its fulfilment, When a what-if signs it a month earlier
        var n = Record();
        var result = DomainWhatIf.From(n.Opening, n.Events).Today(Today).AsOf(Today).Replace(AgreementId, Agreement("2020-03-02")).Project();

        // Then it stands, and the commitment is fulfilled
        result.Errors.ShouldBeEmpty();
        result.State.Ledger.Agreements.ShouldHaveSingleItem().SignedOn.ShouldBe(new DateOnly(2020, 3, 2));
    }

    [Fact]
    public void Given_an_agreement_When_a_what_if_replaces_it_by_a_version_carrying_its_own_eventId_Then_duplicate_id_says_a_replacement_needs_its_own_id()
    {
        // Given an agreement, When a what-if replaces it with an edited copy that kept its eventId
        var n = Record();
        var result = DomainWhatIf.From(n.Opening, n.Events).Today(Today).AsOf(Today)
            .Replace(AgreementId, Agreement("2020-03-02") with { EventId = AgreementId }).Project();

        // Then the error names the id as the replaced event's own, not as one "already used" elsewhere
        var error = result.Errors.ShouldHaveSingleItem();
        $"{error.Path} {error.Code}".ShouldBe("replace[0].event.eventId duplicate_id");
        error.Message.ShouldContain("the id of the event this replaces");
    }

    static List<string> Validate(NegotiationBuilder n, NegotiationEvent change)
    {
        var errors = new List<FieldError>();
        EventValidator.Validate(n.Envelope("2020-07-01", change, US, null), "events[0]",
            ValidationContext.For(n.Opening, n.Events, Today), errors);
        return errors.Select(e => $"{e.Path} {e.Code}").ToList();
    }
}
