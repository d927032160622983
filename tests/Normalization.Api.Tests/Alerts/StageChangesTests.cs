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

    [Fact]
    public void Given_the_latest_transition_When_it_disappears_with_nothing_in_its_place_Then_the_move_back_is_announced_on_its_day()
    {
        // Given talks that moved the stage on day 10, When they are retracted (only the opening stage is left)
        var changes = StageChangeAlerts.Changes(History, [History[0]], [Day.AddDays(10)]);

        // Then, on day 10, Exploratory → Estrangement under the rule now in force, as a revision
        var (t, cause) = changes.ShouldHaveSingleItem();
        cause.ShouldBe(AlertCause.Revised);
        (t.On, t.From, t.To, t.Rule).ShouldBe((Day.AddDays(10), Stage.Exploratory, Stage.Estrangement, "opening"));
    }

    [Fact]
    public void Given_the_latest_transition_When_an_earlier_one_to_the_same_stage_replaces_it_Then_only_the_new_one_is_announced()
    {
        // Given the change on day 10, When a correction moves it to day 5 (the stage it announced still holds on day 10)
        var moved = T(5, Stage.Estrangement, Stage.Exploratory);

        var changes = StageChangeAlerts.Changes(History, [History[0], moved], [Day.AddDays(5)]);

        // Then only the day-5 change, nothing more
        changes.ShouldHaveSingleItem().ShouldBe((moved, AlertCause.Revised));
    }
}
