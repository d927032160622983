using Normalization.Domain.Validation;

namespace Normalization.Domain.Tests.Validation;

/// <summary>
/// An analyst's trial (US–North Korea 2017–2019, asked "as known at" many instants): a knownAt of year 0001 or at the end of
/// 9999 was answered <c>invalid_instant</c> ("must be an ISO 8601 instant") — or, for year 0001 in UTC, passed on as an
/// instant — although it was a well-formed instant. <see cref="Strict.ReadInstant"/> now tells the two apart so the user
/// hears the allowed range.
/// </summary>
public sealed class InstantRangeTests
{
    [Theory]
    [InlineData("0001-01-01T00:00:00Z")]          // well formed, before any record can be known
    [InlineData("0001-01-01T00:00:00+01:00")]     // before .NET's first instant once in UTC
    [InlineData("1899-12-31T23:59:59.9999999Z")]
    [InlineData("0001-01-01")]
    [InlineData("9999-12-31T23:59:59Z")]
    [InlineData("9999-01-01T00:00:00Z")]
    [InlineData("9999-12-31T23:59:59-01:00")]     // past .NET's last instant once in UTC
    [InlineData("9998-12-31T23:59:59-00:01")]
    public void Given_a_well_formed_instant_outside_the_range_When_read_Then_it_is_out_of_range_not_invalid(string text) =>
        Strict.ReadInstant(text, out _).ShouldBe(Strict.InstantReading.OutOfRange);

    [Theory]
    [InlineData("1900-01-01T00:00:00Z")] [InlineData("1900-01-01T01:00:00+01:00")] [InlineData("9998-12-31T23:59:59.9999999Z")]
    [InlineData("9999-01-01T00:59+01:00")] [InlineData("2026-12-03T06:25:10Z")]
    public void Given_an_instant_at_either_end_of_the_range_When_read_Then_it_is_read(string text)
    {
        Strict.ReadInstant(text, out var instant).ShouldBe(Strict.InstantReading.Ok);
        instant.ShouldBeInRange(Strict.FirstInstant, Strict.LastInstant);
        Strict.TryInstant(text, out _).ShouldBeTrue();
    }

    [Theory]
    [InlineData("0001-02-30T00:00:00+01:00")] [InlineData("9999-12-31T24:00:00-01:00")] [InlineData("9999-12-31T23:59:59-15:00")]
    [InlineData("9999-12-31T23:59:59-14:30")] [InlineData("0000-01-01T00:00:00Z")] [InlineData("10000-01-01T00:00:00Z")] [InlineData("soon")]
    public void Given_a_text_that_is_no_instant_When_read_Then_it_stays_invalid_whatever_its_year(string text) =>
        Strict.ReadInstant(text, out _).ShouldBe(Strict.InstantReading.Invalid);
}
