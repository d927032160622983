using CsCheck;
using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Stages;
using Normalization.Domain.Tests.Support;
using static Normalization.Domain.Tests.Support.Given;

namespace Normalization.Domain.Tests.Stages;

/// <summary>
/// The state's <c>why</c> at a date D names the events that satisfy the rule at D (docs/stage-model.md, "The rules, in
/// order": the last talks, each party's last gesture …), not the ones of the day the stage began; each stage transition
/// keeps its own.
/// </summary>
public class WhyAtDateTests
{
    [Fact]
    public void Given_three_rounds_of_talks_When_the_state_is_read_after_the_last_Then_why_names_the_last_talks_and_the_transition_the_first()
    {
        // Given Hanoi, Panmunjom and Stockholm
        var n = Negotiation().HasTalks("2019-02-28").HasTalks("2019-06-30").HasTalks("2019-10-05");
        var (hanoi, panmunjom, stockholm) = (Id(1), Id(2), Id(3));

        // When read the day after Stockholm, and between Panmunjom and Stockholm
        var october = n.At("2019-10-06");
        var july = n.At("2019-07-01");

        // Then why cites the talks in force that day; the stage history keeps the talks that began Exploratory
        october.Why.Rule.ShouldBe("talks-within-window");
        october.Why.EventIds.ShouldBe([stockholm]);
        july.Why.EventIds.ShouldBe([panmunjom]);
        october.StageHistory[^1].EventIds.ShouldBe([hanoi]);
        october.StageSince.ShouldBe(D("2019-02-28"));
    }

    [Fact]
    public void Given_newer_talks_and_gestures_within_ConfidenceBuilding_When_read_later_Then_why_names_the_latest_of_each()
    {
        var n = Negotiation()
            .HasTalks("2020-01-10").HasGesture(US, "2020-01-11").HasGesture(TB, "2020-01-12")
            .HasTalks("2020-05-01").HasGesture(TB, "2020-05-02");

        var state = n.At("2020-06-01");

        state.Stage.ShouldBe(Stage.ConfidenceBuilding);
        state.StageSince.ShouldBe(D("2020-01-12"));
        state.Why.EventIds.ShouldBe([Id(4), Id(2), Id(5)]);
    }

    [Fact]
    public void Given_a_second_office_opened_while_at_Representation_When_read_later_Then_why_names_both_offices()
    {
        var n = Negotiation()
            .Has("2015-01-01", new OfficeOpened { OfficeKind = OfficeKind.InterestsSection, City = "Havana" }, US, TB)
            .Has("2015-03-01", new OfficeOpened { OfficeKind = OfficeKind.InterestsSection, City = "Washington" }, TB, US);

        var state = n.At("2015-04-01");

        state.Why.Rule.ShouldBe("office-operating");
        state.Why.EventIds.ShouldBe([Id(1), Id(2)], ignoreOrder: true);
    }

    static readonly DateOnly End = new(2026, 6, 30);
    static readonly Gen<DateOnly> AnyDate = Gen.Int[0, End.DayNumber - RandomHistory.From.DayNumber].Select(d => RandomHistory.From.AddDays(d));
    static readonly string[] Windowed = ["talks-and-mutual-gestures", "talks-within-window", "hostile-act-without-talks"];

    [Fact]
    public void At_any_date_why_names_only_events_in_force_on_or_before_it_and_a_windowed_rule_the_latest_talks_within_the_window() =>
        Gen.Select(RandomHistory.Events, AnyDate).Sample((events, asOf) =>
        {
            // Given a random history, When its state is read at any date
            var state = NegotiationFold.StateAsOf(RandomHistory.Opening, events, asOf);
            var w = FoldOptions.Default.WindowDays;
            var counted = NegotiationFold.Effective(events)
                .Where(e => e.Date <= asOf && e.Confidence >= FoldOptions.Default.MinConfidence).ToList();

            // Then each event it names is in force and dated on or before D (within the window for a windowed rule)
            foreach (var id in state.Why.EventIds)
            {
                var e = counted.SingleOrDefault(x => x.EventId == id);
                e.ShouldNotBeNull($"why names {id}, not an event in force on or before {asOf}");
                if (Windowed.Contains(state.Why.Rule)) e.Date.ShouldBeGreaterThan(asOf.AddDays(-w));
            }
            // And talks are the latest talks on or before D
            if (state.Why.Rule is "talks-within-window" or "talks-and-mutual-gestures")
            {
                var lastTalks = counted.Last(e => e is TalksHeld t && t.Participants.Contains(US) && t.Participants.Contains(TB));
                state.Why.EventIds[0].ShouldBe(lastTalks.EventId);
            }
            state.Stage.ShouldBe(state.StageHistory[^1].To);
        }, iter: 300, print: t => $"{t.Item2}: {RandomHistory.Print(t.Item1)}");
}
