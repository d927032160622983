using Normalization.Domain.Negotiations;
using Normalization.Domain.Validation;

namespace Normalization.Domain.Tests.Validation;

public class NegotiationValidatorTests
{
    static NegotiationOpened Valid() => new()
    {
        Id = "us-cuba",
        Title = "US – Cuba",
        Parties = [new Party { Code = "US", Name = "United States" }, new Party { Code = "CU", Name = "Cuba" }],
    };

    [Fact]
    public void Given_a_valid_negotiation_When_validated_Then_no_errors() => NegotiationValidator.Validate(Valid()).ShouldBeEmpty();

    [Theory]
    [InlineData("us")]
    [InlineData("US-Cuba")]
    [InlineData("-us-cuba")]
    [InlineData("us--cuba")]
    [InlineData("us_cuba")]
    public void Given_a_bad_slug_When_validated_Then_invalid_slug(string id) =>
        NegotiationValidator.Validate(Valid() with { Id = id }).Single().ShouldBe(new FieldError("id", "invalid_slug", NegotiationValidator.Validate(Valid() with { Id = id }).Single().Message));

    [Fact]
    public void Given_bad_parties_and_baseline_When_validated_Then_each_problem_with_its_path()
    {
        var n = Valid() with
        {
            Title = "",
            Parties = [new Party { Code = "US", Name = "United States" }, new Party { Code = "US", Name = "" }],
            Baseline = new Baseline
            {
                Recognition = [new BaselineRecognition { By = "us", Of = "CU" }],
                Offices = [new BaselineOffice { Sender = "US", Host = "" }],
                Sanctions = [" "],
                Designations = [new BaselineDesignation { By = "US", Designee = "" }],
            },
        };

        NegotiationValidator.Validate(n, "negotiation").Select(e => $"{e.Path} {e.Code}").ShouldBe(
        [
            "negotiation.title required",
            "negotiation.parties[1].name required",
            "negotiation.parties[1].code duplicate_code",
            "negotiation.baseline.recognition[0].by invalid_party_code",
            "negotiation.baseline.offices[0].host invalid_party_code",
            "negotiation.baseline.sanctions[0] required",
            "negotiation.baseline.designations[0].designee required",
        ]);
    }

    [Fact]
    public void Given_three_parties_When_validated_Then_exactly_two()
    {
        var n = Valid() with { Parties = [.. Valid().Parties, new Party { Code = "RU", Name = "Russia" }] };
        NegotiationValidator.Validate(n).Single().Code.ShouldBe("exactly_two");
    }

    [Fact]
    public void Given_three_parties_two_with_one_code_When_validated_Then_exactly_two_and_the_repeat_is_duplicate_code()
    {
        // Given [US, US, CU]
        var n = Valid() with { Parties = [new Party { Code = "US", Name = "United States" }, new Party { Code = "US", Name = "USA" }, new Party { Code = "CU", Name = "Cuba" }] };

        // When validated
        var errors = NegotiationValidator.Validate(n);

        // Then both: there are not two, and the second US repeats the first (every party listed is judged)
        errors.Select(e => (e.Path, e.Code)).ShouldBe([("parties", "exactly_two"), ("parties[1].code", "duplicate_code")], ignoreOrder: true);
    }

    [Theory]
    [InlineData("""{"id":"us-cuba","title":"t","parties":null}""")]
    [InlineData("""{"id":"us-cuba","title":"t"}""")]
    public void Given_parties_null_or_missing_When_read_Then_required_not_exactly_two(string json)
    {
        var errors = new List<FieldError>();
        using var doc = System.Text.Json.JsonDocument.Parse(json);

        NegotiationValidator.Read(doc.RootElement, errors).ShouldBeNull();

        errors.Where(e => e.Path == "parties").Select(e => e.Code).ShouldBe(["required"]);
    }

    [Theory]
    [InlineData("2025-04-04", true)]
    [InlineData("2025-04-03", false)]
    [InlineData("2024-01-01", false)]
    public void Given_a_coveredUntil_When_validated_against_today_Then_a_day_after_today_is_in_future(string coveredUntil, bool inFuture)
    {
        // Given a negotiation covered until coveredUntil, and today 2025-04-03
        var n = Valid() with { CoveredUntil = DateOnly.Parse(coveredUntil) };

        // When validated with today, and without
        var withToday = NegotiationValidator.Validate(n, today: new DateOnly(2025, 4, 3));
        var without = NegotiationValidator.Validate(n);

        // Then only a day after today is in_future, at coveredUntil; without a today the shape alone is judged
        withToday.Select(e => $"{e.Path} {e.Code}").ShouldBe(inFuture ? ["coveredUntil in_future"] : []);
        without.ShouldBeEmpty();
    }
}
