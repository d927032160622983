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
    public void Given_a_past_event_after_every_change_told_When_it_also_makes_a_window_end_before_today_Then_that_end_is_announced_with_it_as_window_expired()
    {
        // Given talks posted late, dated after every transition so far: they open a stage and their window ends a year on
        var opened = T(20, Stage.Estrangement, Stage.Exploratory);
        var ended = T(385, Stage.Exploratory, Stage.Estrangement);

        var changes = StageChangeAlerts.Changes([History[0]], [History[0], opened, ended], [Day.AddDays(20)]);

        // Then both come with the append (docs/alerts.md, cause): the talks' day as event, the window's end as window-expired
        changes.ShouldBe([(opened, AlertCause.Event), (ended, AlertCause.WindowExpired)]);
    }

    [Fact]
    public void Given_as_many_transitions_When_one_of_them_is_rewritten_Then_the_rewritten_one_is_announced_as_a_revision()
    {
        var rewritten = T(10, Stage.Estrangement, Stage.Exploratory, rule: "another rule");

        var changes = StageChangeAlerts.Changes(History, [History[0], rewritten], [Day.AddDays(10)]);

        changes.ShouldHaveSingleItem().ShouldBe((rewritten, AlertCause.Revised));
    }

    [Fact]
    public void Given_a_receiver_told_of_the_latest_change_When_a_write_takes_it_back_Then_the_move_back_is_announced_on_its_day()
    {
        // Given a receiver told that the stage moved to Exploratory on day 10
        var told = AnnouncedStage.Of("n", History[^1]);

        // When the talks are retracted (only the opening stage is left): no new transition to announce
        var move = StageChangeAlerts.Reconcile(told, StageChangeAlerts.Changes(History, [History[0]], [Day]), History[0]);

        // Then, on day 10, Exploratory → Estrangement under the rule now in force
        move.ShouldNotBeNull();
        (move.On, move.From, move.To, move.Rule).ShouldBe((Day.AddDays(10), Stage.Exploratory, Stage.Estrangement, "opening"));
        (told.On, told.Stage).ShouldBe((Day.AddDays(10), Stage.Estrangement));
    }

    [Fact]
    public void Given_a_later_dated_change_taken_back_silently_When_a_later_write_moves_the_stage_earlier_Then_the_move_is_dated_on_the_latest_day_told()
    {
        // Given a receiver last told of a change on day 30 (Exploratory), which a write took back while Exploratory held
        var told = new AnnouncedStage { Id = "n", On = Day.AddDays(30), Stage = Stage.Exploratory };

        // When a write announces a fall-back dated day 20, earlier than what the receiver was told
        var fallBack = T(20, Stage.Exploratory, Stage.Estrangement);
        var move = StageChangeAlerts.Reconcile(told, [(fallBack, AlertCause.Revised)], fallBack);

        // Then the move to Estrangement is dated day 30, where the receiver's latest announcement stands
        move.ShouldNotBeNull();
        (move.On, move.From, move.To).ShouldBe((Day.AddDays(30), Stage.Exploratory, Stage.Estrangement));
    }

    [Fact]
    public void Given_a_receiver_told_of_the_latest_change_When_a_new_change_is_announced_Then_nothing_more()
    {
        var told = AnnouncedStage.Of("n", History[^1]);
        var added = T(20, Stage.Exploratory, Stage.Estrangement);

        StageChangeAlerts.Reconcile(told, [(added, AlertCause.Event)], added).ShouldBeNull();
        (told.On, told.Stage).ShouldBe((Day.AddDays(20), Stage.Estrangement));
    }
}
