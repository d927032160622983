using Normalization.Api.Alerts.Notifying;
using Normalization.Domain.Stages;

namespace Normalization.Api.Tests.Alerts;

/// <summary>Which transitions an append announces (<see cref="StageChangeAlerts.Changes"/>; pure: the stage histories before and after).</summary>
public sealed class StageChangesTests
{
    static readonly DateOnly Day = new(2024, 3, 1);

    static StageTransition T(int day, Stage from, Stage to, string rule = "rule", bool? projected = null) =>
        new(Day.AddDays(day), from, to, rule, "why", [], projected);

    static readonly List<StageTransition> History = [new(null, null, Stage.Estrangement, "opening", "opened", []), T(10, Stage.Estrangement, Stage.Exploratory)];

    [Fact]
    public void Given_the_same_transitions_When_only_their_projected_marks_differ_Then_nothing_is_announced()
    {
        var after = History.Select(t => t with { Projected = true }).ToList();

        StageChangeAlerts.Changes(History, after, [Day]).ShouldBeEmpty();
    }

    [Fact]
    public void Given_a_new_transition_on_an_event_day_When_compared_Then_it_is_announced_as_caused_by_the_event()
    {
        var added = T(20, Stage.Exploratory, Stage.Estrangement);

        var changes = StageChangeAlerts.Changes(History, [.. History, added], [Day.AddDays(20)]);

        changes.ShouldHaveSingleItem().ShouldBe((added, AlertCause.Event));
    }

    [Fact]
    public void Given_as_many_transitions_When_one_of_them_is_rewritten_Then_the_rewritten_one_is_announced_as_a_revision()
    {
        var rewritten = T(10, Stage.Estrangement, Stage.Exploratory, rule: "another rule");

        var changes = StageChangeAlerts.Changes(History, [History[0], rewritten], [Day.AddDays(10)]);

        changes.ShouldHaveSingleItem().ShouldBe((rewritten, AlertCause.Revised));
    }
}
