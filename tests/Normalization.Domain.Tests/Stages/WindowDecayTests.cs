using Normalization.Domain.Stages;
using Normalization.Domain.Tests.Support;
using static Normalization.Domain.Tests.Support.Given;

namespace Normalization.Domain.Tests.Stages;

/// <summary>Talks, gestures and hostile acts count for W = 365 days; their expiry changes the stage without an event.</summary>
public class WindowDecayTests
{
    [Fact]
    public void Given_talks_When_365_days_pass_without_talks_Then_the_stage_falls_back_exactly_on_day_365()
    {
        var n = Negotiation().HasTalks("2024-03-01");

        n.At("2025-02-28").Stage.ShouldBe(Stage.Exploratory, "day 364 is still inside the window");
        var state = n.At("2025-03-01");

        state.Stage.ShouldBe(Stage.Estrangement);
        state.StageSince.ShouldBe(D("2025-03-01"));
        state.StageHistory.Describe().ShouldBe("Estrangement → Exploratory 2024-03-01 → Estrangement 2025-03-01");
        state.StageHistory[^1].Rule.ShouldBe("no-contact");
    }

    [Fact]
    public void Given_talks_then_a_later_event_past_the_window_When_folded_Then_the_decay_is_recorded_on_its_own_date_not_the_event_date()
    {
        var n = Negotiation().HasTalks("2024-03-01").HasGesture(US, "2025-06-01");

        var state = n.At("2025-12-31");

        state.StageHistory.Describe().ShouldBe("Estrangement → Exploratory 2024-03-01 → Estrangement 2025-03-01");
    }

    [Fact]
    public void Given_ConfidenceBuilding_When_the_first_gesture_expires_Then_it_steps_down_to_Exploratory_then_to_Estrangement()
    {
        var n = Negotiation().HasGesture(TB, "2024-01-01").HasTalks("2024-06-01").HasGesture(US, "2024-06-01");

        var state = n.At("2025-12-31");

        state.StageHistory.Describe().ShouldBe(
            "Estrangement → ConfidenceBuilding 2024-06-01 → Exploratory 2024-12-31 → Estrangement 2025-06-01");
    }

    [Fact]
    public void Given_talks_renewed_inside_the_window_When_folded_Then_no_decay_in_between()
    {
        var n = Negotiation().HasTalks("2024-03-01").HasTalks("2025-02-28");

        var state = n.At("2026-02-27");

        state.Stage.ShouldBe(Stage.Exploratory);
        state.StageHistory.Count.ShouldBe(2);
        n.At("2026-02-28").Stage.ShouldBe(Stage.Estrangement);
    }

    [Fact]
    public void Given_talks_expire_while_a_hostile_act_is_still_in_the_window_When_folded_Then_Hostility_on_the_expiry_date()
    {
        var n = Negotiation().HasTalks("2024-01-01").HasStrike(TB, "2024-06-01");

        var state = n.At("2025-12-31");

        state.StageHistory.Describe().ShouldBe(
            "Estrangement → Exploratory 2024-01-01 → Hostility 2024-12-31 → Estrangement 2025-06-01");
    }

    [Fact]
    public void Given_a_custom_window_When_folded_Then_decay_follows_WindowDays()
    {
        var n = Negotiation().HasTalks("2024-03-01");
        var options = new FoldOptions { WindowDays = 30 };

        n.At("2024-03-30", options).Stage.ShouldBe(Stage.Exploratory);
        n.At("2024-03-31", options).Stage.ShouldBe(Stage.Estrangement);
    }
}
