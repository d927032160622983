using CsCheck;
using Normalization.Domain.Catalog;
using Normalization.Domain.Tests.Support;
using Normalization.Domain.Validation;
using static Normalization.Domain.Tests.Support.Given;

namespace Normalization.Domain.Tests.Validation;

/// <summary>
/// A source reports an event: it cannot have been published before the event may have happened (an analyst's US–Iran
/// record took talks of 2017 "reported by AP on 2012-01-01" — a typo of the year — without a word). Judged with the
/// precision of both dates: a source of a month-dated event may be published on any day of that month; and with a day's
/// grace, since each date is local (the event's where it happened, the report's where it was published).
/// </summary>
public class SourceDateTests
{
    static readonly DateOnly Today = D("2025-04-03");
    const string P = "events[0]";

    static List<string> Validate(NegotiationEvent e)
    {
        var n = Negotiation();
        var errors = new List<FieldError>();
        EventValidator.Validate(e, P, ValidationContext.For(n.Opening, n.Events, Today), errors);
        return errors.Select(x => $"{x.Path} {x.Code}").ToList();
    }

    static NegotiationEvent TalksOn(string on, params string?[] published) => Negotiation().Envelope(on,
        new TalksHeld { Participants = [US, TB], Level = TalksLevel.Exploratory, Location = "Doha" }, US, TB) with
    {
        Sources = [.. published.Select(p => new Source { Publisher = "AP", PublishedOn = p })],
    };

    [Theory]
    [InlineData("2017-05-02", "2017-05-02", true)]  // the same day
    [InlineData("2017-05-02", "2017-05-01", true)]  // the day before: Tehran's morning is New York's evening before
    [InlineData("2017-05-02", "2017-04-30", false)] // two days before
    [InlineData("2017-05-02", "2012-01-01", false)] // a typo of the year
    [InlineData("2017-05", "2017-05-01", true)]     // within the event's month
    [InlineData("2017-05-20", "2017-05", true)]     // a month that reaches the event's day
    [InlineData("2017", "2016-12", true)]           // the month before the event's year: its last day is the day before
    [InlineData("2017", "2016-11", false)]          // two months before the event's year
    [InlineData("2017-05-02", null, true)]          // no publication date
    public void Given_talks_When_a_source_is_dated_relative_to_them_Then_one_published_before_they_may_have_happened_is_before_event(
        string on, string? publishedOn, bool accepted)
    {
        // Given talks on `on`, When their source is dated publishedOn
        var errors = Validate(TalksOn(on, "2025-01-01", publishedOn));

        // Then it is refused at that source's publishedOn only when it ends before the talks' first possible day
        if (accepted) errors.ShouldBeEmpty();
        else errors.ShouldBe([$"{P}.sources[1].publishedOn before_event"]);
    }

    [Fact]
    public void Given_a_correction_When_its_version_has_a_source_published_before_the_corrected_date_Then_before_event_in_the_correction()
    {
        // Given talks on 2024-06-10, When corrected to 2024-06-12 with the source that reported them on 2024-06-10
        var n = Negotiation().HasTalks("2024-06-10");
        var version = TalksOn("2024-06-12", "2024-06-10") with { EventId = Guid.Empty };
        var errors = new List<FieldError>();
        EventValidator.Validate(n.Envelope("2024-06-20", new EventCorrected { TargetEventId = Id(1), Correction = version }, US, null), P,
            ValidationContext.For(n.Opening, n.Events, Today), errors);

        // Then the corrected version is held to the same rule
        errors.Select(x => $"{x.Path} {x.Code}").ShouldBe([$"{P}.correction.sources[0].publishedOn before_event"]);
    }

    [Fact]
    public void Given_a_source_published_before_1900_When_validated_Then_out_of_range_only()
    {
        // One error per path: the first rule that finds the date wrong
        Validate(TalksOn("2017-05-02", "1850")).ShouldBe([$"{P}.sources[0].publishedOn out_of_range"]);
    }

    [Fact]
    public void Given_random_dates_and_precisions_When_a_source_is_validated_Then_before_event_exactly_when_it_ends_before_the_event_begins()
    {
        var dates = Gen.Select(Gen.Int[2000, 2024], Gen.Int[1, 12], Gen.Int[1, 28], Gen.Int[0, 2])
            .Select((y, m, d, precision) => precision switch { 0 => new DomainDate(y), 1 => new DomainDate(y, m), _ => new DomainDate(y, m, d) });
        Gen.Select(dates, dates).Sample((on, published) =>
        {
            var errors = Validate(TalksOn(on.ToString(), published.ToString()));
            return errors.Count == (published.End < on.Start.AddDays(-EventValidator.SourceDateGraceDays) ? 1 : 0)
                && errors.All(e => e == $"{P}.sources[0].publishedOn before_event");
        });
    }
}
