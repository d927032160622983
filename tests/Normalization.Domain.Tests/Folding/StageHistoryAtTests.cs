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
    public void A_day_before_the_last_folded_event_is_refused_as_StateAt_refuses_it()
    {
        // Given an accumulator holding an event dated 2024-05-01
        var acc = FoldAccumulator.Start(RandomHistory.Opening);
        acc.Apply(new StatementIssued { EventId = Guid.NewGuid(), OccurredOn = DomainDate.FromDate(new DateOnly(2024, 5, 1)), Actor = RandomHistory.Opening.Parties[0].Code,
            Speaker = "Spokesperson", Tone = Tone.Positive, Quote = "Useful." });

        // When / Then a day before it is refused by both
        Should.Throw<ArgumentOutOfRangeException>(() => acc.StageHistoryAt(new DateOnly(2024, 4, 30)));
        Should.Throw<ArgumentOutOfRangeException>(() => acc.StateAt(new DateOnly(2024, 4, 30)));
    }
}
