using System.Text.Json;
using CsCheck;
using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Tests.Support;

namespace Normalization.Domain.Tests.Folding;

/// <summary>
/// <see cref="FoldAccumulator.StageHistoryAt"/> is the stage part of <see cref="FoldAccumulator.StateAt"/> without the rest
/// of the state (the store's board row and the alerts' comparison use it on every append): it must answer exactly what
/// the whole state answers — same transitions, same projected marks — on any day the fold may be asked about.
/// </summary>
public class StageHistoryAtTests
{
    static string Json<T>(T value) => JsonSerializer.Serialize(value, EventJson.Options);

    [Fact]
    public void The_stage_history_alone_is_the_whole_states_stage_history_on_every_day() =>
        Gen.Select(RandomHistory.Events, Gen.Int[0, 40], Gen.Int[0, 400]).Sample((events, split, days) =>
        {
            // Given an accumulator that has folded a prefix of a random history
            var acc = FoldAccumulator.Start(RandomHistory.Opening);
            foreach (var e in NegotiationFold.Effective(events).Take(split)) acc.Apply(e);
            var day = (acc.PendingDate ?? new DateOnly(2020, 1, 1)).AddDays(days);

            // When the stage history alone is asked for a day on or after the last event (window expiries included)
            var history = acc.StageHistoryAt(day);

            // Then it is the whole state's, and its last entry is the state's stage and its date
            var state = acc.StateAt(day);
            Json(history).ShouldBe(Json(state.StageHistory));
            history[^1].To.ShouldBe(state.Stage);
            history[^1].On.ShouldBe(state.StageSince);
        }, iter: 300, print: t => RandomHistory.Print(t.Item1));

    [Fact]
    public void A_day_before_the_last_folded_event_is_answered_with_the_settled_stages_while_StateAt_refuses_it()
    {
        // Given an accumulator holding talks on 2024-04-10 and an event dated 2024-05-01 (as one of the current month counts
        // from its period's end, after today)
        var acc = FoldAccumulator.Start(RandomHistory.Opening);
        var talks = new TalksHeld { EventId = Guid.NewGuid(), OccurredOn = DomainDate.FromDate(new DateOnly(2024, 4, 10)), Actor = Given.US, Target = Given.TB,
            Participants = [Given.US, Given.TB], Level = TalksLevel.Senior, Facilitator = "QA" };
        acc.Apply(talks);
        acc.Apply(new StatementIssued { EventId = Guid.NewGuid(), OccurredOn = DomainDate.FromDate(new DateOnly(2024, 5, 1)), Actor = RandomHistory.Opening.Parties[0].Code,
            Speaker = "Spokesperson", Tone = Tone.Positive, Quote = "Useful." });

        // When the stage history is asked for 2024-04-30
        var history = acc.StageHistoryAt(new DateOnly(2024, 4, 30));

        // Then it is the fold of the talks alone on that day; the whole state (ledger, momentum) is still refused
        var talksOnly = FoldAccumulator.Start(RandomHistory.Opening);
        talksOnly.Apply(talks);
        Json(history).ShouldBe(Json(talksOnly.StageHistoryAt(new DateOnly(2024, 4, 30))));
        history[^1].On.ShouldBe(new DateOnly(2024, 4, 10));
        Should.Throw<ArgumentOutOfRangeException>(() => acc.StateAt(new DateOnly(2024, 4, 30)));
    }

    [Fact]
    public void On_any_day_the_stage_history_of_the_whole_fold_is_the_fold_of_the_events_dated_up_to_it() =>
        Gen.Select(RandomHistory.Events, Gen.Int[-400, 400]).Sample((events, offset) =>
        {
            // Given the fold of a whole random history (coarse dates included) and a day anywhere around its last event
            var head = NegotiationFold.FoldAll(RandomHistory.Opening, events);
            var day = (head.PendingDate ?? RandomHistory.To).AddDays(offset);

            // When its stage history is asked for that day
            var history = head.StageHistoryAt(day);

            // Then it is what the fold of only the events dated up to that day answers (the one fold, as time travel reads it)
            Json(history).ShouldBe(Json(NegotiationFold.StateAsOf(RandomHistory.Opening, events, day).StageHistory));
        }, iter: 300, print: t => RandomHistory.Print(t.Item1));

    [Fact]
    public void The_stage_history_on_a_day_and_the_upcoming_changes_after_it_give_the_stage_history_of_every_later_day() =>
        Gen.Select(RandomHistory.Events, Gen.Int[-400, 400], Gen.Int[0, 800]).Sample((events, offset, later) =>
        {
            // Given the fold of a whole random history and a day anywhere around its last event (the reader's today)
            var head = NegotiationFold.FoldAll(RandomHistory.Opening, events);
            var today = (head.PendingDate ?? RandomHistory.To).AddDays(offset);

            // When a later day comes with no new event
            var day = today.AddDays(later);
            var known = head.StageHistoryAt(today).Concat(head.Upcoming(today)).Where(t => t.On is null || t.On <= day);

            // Then today's history and the upcoming changes due by then are that day's history
            Json(known.ToList()).ShouldBe(Json(head.StageHistoryAt(day)));
            head.Upcoming(today).ShouldAllBe(t => t.On > today);
        }, iter: 300, print: t => RandomHistory.Print(t.Item1));
}
