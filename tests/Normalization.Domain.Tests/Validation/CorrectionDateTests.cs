using CsCheck;
using Normalization.Domain.Catalog;
using Normalization.Domain.Tests.Support;
using Normalization.Domain.Validation;
using static Normalization.Domain.Tests.Support.Given;

namespace Normalization.Domain.Tests.Validation;

/// <summary>
/// A correction is dated when it was made: like a retraction (before_target), it cannot be dated before the event it
/// corrects — before every version of it, the one it proposes included (an analyst's US–Iran record had the January 2016
/// prisoner swap corrected "in 2010", and that correction was accepted).
/// </summary>
public class CorrectionDateTests
{
    static readonly DateOnly Today = D("2025-04-03");
    const string P = "events[0]";

    static TalksHeld TalksOn(string on) =>
        new() { Participants = [US, TB], Level = TalksLevel.Exploratory, Location = "Doha", OccurredOn = DomainDate.Parse(on), Actor = US, Target = TB };

    static List<FieldError> Validate(NegotiationBuilder n, string correctedOn, string versionOn)
    {
        var ctx = ValidationContext.For(n.Opening, n.Events, Today);
        var errors = new List<FieldError>();
        EventValidator.Validate(n.Envelope(correctedOn, new EventCorrected { TargetEventId = Id(1), Correction = TalksOn(versionOn) }, US, null), P, ctx, errors);
        return errors;
    }

    [Theory]
    [InlineData("2024-01-17", "2024-01-20", "2024-01-16", true)]  // the swap's date corrected three days later
    [InlineData("2024-01-17", "2010", "2024-01-16", false)]       // a correction "made" six years before the event
    [InlineData("2024-01-17", "2024-01-16", "2024-01-16", true)]  // on the day of the version it puts in force
    [InlineData("2024-01-17", "2023-12-31", "2024-01-16", false)] // before the original and the version
    [InlineData("2024-01", "2024-01-01", "2024-01", true)]        // within the target's month
    [InlineData("2024-01-17", "2023-06", "2023-05-01", true)]     // moved earlier: dated after the version it proposes
    [InlineData("2024", "2023", "2024", false)]                   // a year before the year
    public void Given_a_recorded_event_When_a_correction_is_dated_relative_to_it_Then_one_that_ends_before_every_version_is_before_target(
        string targetOn, string correctedOn, string versionOn, bool accepted)
    {
        // Given talks recorded on targetOn
        var n = Negotiation().HasTalks(targetOn);

        // When a correction dated correctedOn, putting them on versionOn, is validated
        var errors = Validate(n, correctedOn, versionOn);

        // Then it is refused at its own occurredOn only when it ends before the first day of every version of the event
        if (accepted) errors.ShouldBeEmpty();
        else errors.Select(e => $"{e.Path} {e.Code}").ShouldBe([$"{P}.occurredOn before_target"]);
    }

    [Fact]
    public void Given_an_event_already_corrected_to_an_earlier_year_When_corrected_again_Then_the_earlier_version_counts_from_its_year()
    {
        // Given talks recorded on 2024-06-10 and corrected (in 2024) to 2023-03-05
        var n = Negotiation().HasTalks("2024-06-10").HasCorrection(Id(1), "2024-06-11", TalksOn("2023-03-05"));

        // When corrected again to 2024-06-10, the correction dated 2023-02 and 2022-12
        // Then a version counts from the first day of its year (what the store's index keeps): 2023-02 stands, 2022-12 does not
        Validate(n, "2023-02", "2024-06-10").ShouldBeEmpty();
        Validate(n, "2022-12", "2024-06-10").Select(e => $"{e.Path} {e.Code}").ShouldBe([$"{P}.occurredOn before_target"]);
    }

    [Fact]
    public void Given_random_dates_and_precisions_When_a_correction_is_validated_Then_before_target_exactly_when_it_ends_before_both_versions()
    {
        var dates = Gen.Select(Gen.Int[2000, 2024], Gen.Int[1, 12], Gen.Int[1, 28], Gen.Int[0, 2])
            .Select((y, m, d, precision) => precision switch { 0 => new DomainDate(y), 1 => new DomainDate(y, m), _ => new DomainDate(y, m, d) });
        Gen.Select(dates, dates, dates).Sample((targetOn, correctedOn, versionOn) =>
        {
            // Given talks on targetOn; When a correction dated correctedOn putting them on versionOn is validated
            var errors = Validate(Negotiation().HasTalks(targetOn.ToString()), correctedOn.ToString(), versionOn.ToString());
            // Then before_target exactly when the correction's last day is before the first day of both versions
            var before = correctedOn.End < (targetOn.Start < versionOn.Start ? targetOn.Start : versionOn.Start);
            return errors.Any(e => e.Code == "before_target") == before && errors.All(e => e.Code == "before_target");
        });
    }
}
