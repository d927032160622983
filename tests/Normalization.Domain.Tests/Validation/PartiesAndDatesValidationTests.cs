using Normalization.Domain.Catalog;
using Normalization.Domain.Tests.Support;
using Normalization.Domain.Validation;
using static Normalization.Domain.Tests.Support.Given;

namespace Normalization.Domain.Tests.Validation;

/// <summary>
/// A user trial's validation findings: a joint event must be one of the two parties (both at the table, both signing, both
/// releasing), a commitment binds a party, a source cannot be published in the future or before 1900, and a review cannot
/// declare the record complete past its own date.
/// </summary>
public class PartiesAndDatesValidationTests
{
    static readonly DateOnly Today = D("2025-04-03");
    const string P = "events[0]";
    const string RU = "RU";

    static (NegotiationBuilder N, ValidationContext Ctx) Context()
    {
        var n = Negotiation();
        return (n, ValidationContext.For(n.Opening, n.Events, Today));
    }

    static List<string> Validate(NegotiationEvent e, ValidationContext ctx)
    {
        var errors = new List<FieldError>();
        EventValidator.Validate(e, P, ctx, errors);
        return errors.Select(x => $"{x.Path} {x.Code}").ToList();
    }

    // Joint events name both parties

    public static TheoryData<string[]> NotBothParties() => new() { new[] { US, RU }, new[] { TB, "QA" }, new[] { RU, "QA", "CN" } };

    [Theory]
    [MemberData(nameof(NotBothParties))]
    public void Given_signatories_that_do_not_name_both_parties_When_validated_Then_too_few(string[] signatories)
    {
        var (n, ctx) = Context();

        var errors = Validate(n.Envelope("2025-01-01", new AgreementSigned { Name = "a", Signatories = signatories }, US, null), ctx);

        errors.ShouldBe([$"{P}.signatories too_few"]);
    }

    [Theory]
    [MemberData(nameof(NotBothParties))]
    public void Given_participants_that_do_not_name_both_parties_When_validated_Then_too_few(string[] participants)
    {
        var (n, ctx) = Context();

        var errors = Validate(n.Envelope("2025-01-01", new TalksHeld { Participants = participants }, US, null), ctx);

        errors.ShouldBe([$"{P}.participants too_few"]);
    }

    [Theory]
    [MemberData(nameof(NotBothParties))]
    public void Given_an_exchange_whose_releases_are_not_by_both_parties_When_validated_Then_too_few(string[] releasers)
    {
        var (n, ctx) = Context();
        var exchange = new PrisonersExchanged { Releases = releasers.Select(r => new Release { ReleasedBy = r, Person = "p" + r }).ToArray() };

        var errors = Validate(n.Envelope("2025-01-01", exchange, US, null), ctx);

        errors.ShouldBe([$"{P}.releases too_few"]);
    }

    [Fact]
    public void Given_joint_events_of_both_parties_with_a_mediator_or_guarantor_too_When_validated_Then_accepted()
    {
        var (n, ctx) = Context();

        Validate(n.Envelope("2020-02-29", new AgreementSigned { Name = "Doha", Signatories = [US, TB, "QA"] }, "QA", null), ctx).ShouldBeEmpty();
        Validate(n.Envelope("2020-02-29", new TalksHeld { Participants = ["QA", TB, US] }, US, TB), ctx).ShouldBeEmpty();
        Validate(n.Envelope("2020-02-29", new PrisonersExchanged
        {
            Releases = [new Release { ReleasedBy = US, Person = "a" }, new Release { ReleasedBy = "DE", Person = "b" }, new Release { ReleasedBy = TB, Person = "c" }],
        }, US, TB), ctx).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("XX")]
    [InlineData("QA")]
    public void Given_a_commitment_of_one_who_is_not_a_party_When_validated_Then_not_a_party_at_its_party(string party)
    {
        // A commitment is closed by its party's CommitmentFulfilled/Breached, whose actor must be a party: one of anyone else stays open for ever
        var (n, ctx) = Context();
        var agreement = new AgreementSigned
        {
            Name = "a", Signatories = [US, TB, "QA"],
            Commitments = [new Commitment { CommitmentId = "c0", Party = TB, Text = "t" }, new Commitment { CommitmentId = "c1", Party = party, Text = "t" }],
        };

        var errors = Validate(n.Envelope("2025-01-01", agreement), ctx);

        errors.ShouldBe([$"{P}.commitments[1].party not_a_party"]);
    }

    [Fact]
    public void Given_a_correction_of_an_agreement_naming_a_third_country_When_validated_Then_judged_as_a_post_at_correction_fields()
    {
        var n = Negotiation().Has("2020-02-29", new AgreementSigned { Name = "Doha", Signatories = [US, TB] });
        var ctx = ValidationContext.For(n.Opening, n.Events, Today);
        var correction = n.Envelope("2020-02-29", new AgreementSigned
        {
            Name = "Doha", Signatories = [US, RU], Commitments = [new Commitment { CommitmentId = "c", Party = RU, Text = "t" }],
        }) with { EventId = Id(1) };

        var errors = Validate(n.Envelope("2020-03-01", new EventCorrected { TargetEventId = Id(1), Correction = correction }, US, null), ctx);

        errors.ShouldBe([$"{P}.correction.signatories too_few", $"{P}.correction.commitments[0].party not_a_party"], ignoreOrder: true);
    }

    // A source's publishedOn: the rules of occurredOn

    [Theory]
    [InlineData("2099-01-01", "in_future")]
    [InlineData("2025-04-04", "in_future")]
    [InlineData("2025-05", "in_future")]
    [InlineData("1850", "out_of_range")]
    [InlineData("1899-12-31", "out_of_range")]
    public void Given_a_source_published_in_the_future_or_before_1900_When_validated_Then_refused_at_its_publishedOn(string publishedOn, string code)
    {
        var (n, ctx) = Context();
        var e = n.Envelope("2025-01-01", new ThreatIssued()) with
        {
            Sources = [new Source { Publisher = "CNN", PublishedOn = "2025-01-02" }, new Source { Publisher = "X", PublishedOn = publishedOn }],
        };

        Validate(e, ctx).ShouldBe([$"{P}.sources[1].publishedOn {code}"]);
    }

    [Theory]
    [InlineData("2025-04-03")]
    [InlineData("2025-04")]
    [InlineData("1900")]
    public void Given_a_source_published_today_or_in_a_period_that_has_begun_When_validated_Then_accepted(string publishedOn)
    {
        var (n, ctx) = Context();
        var e = n.Envelope("1900-01-01", new ThreatIssued()) with { Sources = [new Source { Publisher = "X", PublishedOn = publishedOn }] };

        Validate(e, ctx).ShouldBeEmpty();
    }

    // A review's coverage

    [Theory]
    [InlineData("2025-03-01", "2025-03-02")]
    [InlineData("2025-03", "2025-04-01")]
    [InlineData("2024-02-10", "2024")]
    public void Given_a_review_claiming_coverage_after_its_own_date_When_validated_Then_after_review_at_coveredUntil(string on, string coveredUntil)
    {
        var (n, ctx) = Context();

        var errors = Validate(n.Envelope(on, new RecordReviewed { CoveredUntil = DomainDate.Parse(coveredUntil) }, "EDITOR", null), ctx);

        errors.ShouldBe([$"{P}.coveredUntil after_review"]);
    }

    [Theory]
    [InlineData("2025-03-01", "2025-03-01")]
    [InlineData("2025-03", "2025-03-31")]
    [InlineData("2025-03-02", "2024")]
    public void Given_a_review_covering_up_to_its_own_date_When_validated_Then_accepted(string on, string coveredUntil)
    {
        var (n, ctx) = Context();

        Validate(n.Envelope(on, new RecordReviewed { CoveredUntil = DomainDate.Parse(coveredUntil) }, "EDITOR", null), ctx).ShouldBeEmpty();
    }

    [Fact]
    public void Given_a_review_covering_a_day_not_yet_come_When_validated_Then_in_future_only()
    {
        var (n, ctx) = Context();

        var errors = Validate(n.Envelope("2025-04-03", new RecordReviewed { CoveredUntil = DomainDate.Parse("2025-04-10") }, "EDITOR", null), ctx);

        errors.ShouldBe([$"{P}.coveredUntil in_future"]);
    }
}
