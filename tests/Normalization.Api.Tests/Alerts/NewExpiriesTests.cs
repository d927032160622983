using Normalization.Api.Alerts.Notifying;
using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Negotiations;

namespace Normalization.Api.Tests.Alerts;

/// <summary>Which expiry days an append schedules (pure: the fold before and after).</summary>
public sealed class NewExpiriesTests
{
    static readonly DateOnly Start = new(2024, 3, 1);

    static FoldAccumulator Opened() => FoldAccumulator.Start(new NegotiationOpened
    {
        Id = "us-tb", Title = "US – TB",
        Parties = [new Party { Code = "US", Name = "United States" }, new Party { Code = "TB", Name = "Taliban" }],
    });

    static TalksHeld TalksOn(DateOnly on) => new()
    {
        EventId = Guid.NewGuid(), OccurredOn = DomainDate.Parse(on.ToString("yyyy-MM-dd")), Actor = "US", Target = "TB",
        Confidence = Confidence.Confirmed, Participants = ["US", "TB"], Level = TalksLevel.Exploratory, Location = "Doha",
    };

    static FoldAccumulator With(FoldAccumulator fold, DateOnly talks)
    {
        var next = fold.Clone();
        next.Apply(TalksOn(talks));
        return next;
    }

    [Fact]
    public void Given_no_events_When_talks_come_Then_the_day_their_window_ends_is_scheduled()
    {
        var before = Opened();
        var after = With(before, Start);

        StageChangeAlerts.NewExpiries(before, after, Start).ShouldBe([Start.AddDays(365)]);
        after.Expiries().ShouldHaveSingleItem().From.ShouldBe(after.StateAt(Start).Stage);
    }

    [Fact]
    public void Given_a_foreseen_expiry_When_later_talks_come_Then_the_new_day_is_scheduled_and_the_old_one_is_not_again()
    {
        var before = With(Opened(), Start);
        var later = Start.AddDays(100);
        var after = With(before, later);

        StageChangeAlerts.NewExpiries(before, after, later).ShouldBe([later.AddDays(365)]);
        after.Expiries().Select(t => t.On).ShouldNotContain(Start.AddDays(365));
    }

    [Fact]
    public void Given_a_foreseen_expiry_When_nothing_changes_the_outlook_Then_nothing_is_scheduled_again()
    {
        var before = With(Opened(), Start);

        StageChangeAlerts.NewExpiries(before, before.Clone(), Start).ShouldBeEmpty();
    }

    [Fact]
    public void Given_an_expiry_already_past_on_the_day_of_the_append_Then_it_is_not_scheduled()
    {
        var before = Opened();
        var after = With(before, Start);

        StageChangeAlerts.NewExpiries(before, after, Start.AddDays(400)).ShouldBeEmpty();
    }
}
