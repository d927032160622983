using System.Text.Json;
using CsCheck;
using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Stages;
using Normalization.Domain.Tests.Support;

namespace Normalization.Domain.Tests.Folding;

/// <summary>The fold's three laws, checked on random US–TB histories (CsCheck, 200 samples each).</summary>
public class FoldPropertyTests
{
    const int Iterations = 200;
    static readonly DateOnly End = new(2026, 6, 30);
    static readonly FoldOptions AllConfidences = new() { MinConfidence = Confidence.Rumoured };
    static readonly Gen<DateOnly> AnyDate = Gen.Int[0, End.DayNumber - RandomHistory.From.DayNumber].Select(d => RandomHistory.From.AddDays(d));

    static string At(IEnumerable<NegotiationEvent> events, DateOnly asOf, FoldOptions? options = null) =>
        StateJson.Comparable(NegotiationFold.StateAsOf(RandomHistory.Opening, events, asOf, options));

    [Fact]
    public void Any_permutation_of_the_same_events_yields_the_same_state_and_stage_history() =>
        Gen.Select(RandomHistory.Events, Gen.Int, AnyDate).Sample((events, seed, asOf) =>
        {
            var shuffled = RandomHistory.Permute(events, seed);

            At(shuffled, asOf).ShouldBe(At(events, asOf));
            At(shuffled, End).ShouldBe(At(events, End));
            At(shuffled, End, AllConfidences).ShouldBe(At(events, End, AllConfidences));
        }, iter: Iterations, print: t => RandomHistory.Print(t.Item1));

    [Fact]
    public void Retracting_an_event_equals_never_having_had_it() =>
        Gen.Select(RandomHistory.Events, Gen.Int[0, 39], AnyDate, AnyDate).Sample((events, k, retractedOn, asOf) =>
        {
            var target = events[k % events.Length];
            var without = events.Where(e => e != target).ToList();
            var retraction = new EventRetracted
            {
                EventId = Given.Id(1000), TargetEventId = target.EventId, Reason = "did not happen",
                OccurredOn = DomainDate.FromDate(retractedOn), Actor = Given.US, Confidence = Confidence.Confirmed,
            };
            var with = events.Append(retraction).ToList();

            At(with, asOf).ShouldBe(At(without, asOf));
            At(with, End).ShouldBe(At(without, End));
            At(with, End, AllConfidences).ShouldBe(At(without, End, AllConfidences));

            var undo = retraction with { EventId = Given.Id(1001), TargetEventId = retraction.EventId, OccurredOn = DomainDate.FromDate(End) };
            At(with.Append(undo), End).ShouldBe(At(events, End), "retracting the retraction restores the event");
        }, iter: Iterations, print: t => RandomHistory.Print(t.Item1));

    [Fact]
    public void Folding_up_to_D_then_checkpointing_and_continuing_equals_folding_everything() =>
        Gen.Select(RandomHistory.Events, AnyDate, Gen.Bool).Sample((events, d, rumoured) =>
        {
            var options = rumoured ? AllConfidences : FoldOptions.Default;
            var opening = RandomHistory.Opening;
            var effective = NegotiationFold.Effective(events);

            var upToD = FoldAccumulator.Start(opening, options);
            foreach (var e in effective.Where(e => e.Date <= d)) upToD.Apply(e);
            var atD = upToD.StateAt(d);

            var json = JsonSerializer.Serialize(upToD, EventJson.Options);
            var resumed = JsonSerializer.Deserialize<FoldAccumulator>(json, EventJson.Options)!;
            JsonSerializer.Serialize(resumed, EventJson.Options).ShouldBe(json, "the accumulator round-trips through JSON");
            foreach (var e in effective.Where(e => e.Date > d)) resumed.Apply(e);

            var all = NegotiationFold.FoldAll(opening, events, options);
            JsonSerializer.Serialize(resumed, EventJson.Options).ShouldBe(JsonSerializer.Serialize(all, EventJson.Options));
            StateJson.Comparable(resumed.StateAt(End)).ShouldBe(StateJson.Comparable(all.StateAt(End)));

            // Asking at D: the same as the one-shot query, and a prefix of the complete stage history. How far the record
            // reaches holds at every date, so a fold stopped at D is read against the whole record's coverage (what the
            // store does with a checkpoint: Negotiations/Coverage/CoveredState.cs).
            var covered = atD.WithCoverage(all.CoveredUntil);
            StateJson.Comparable(covered).ShouldBe(At(events, d, options));
            var full = all.StateAt(End).StageHistory;
            StateJson.Of(full.Where(t => t.On is null || t.On <= d)).ShouldBe(StateJson.Of(covered.StageHistory));
        }, iter: Iterations, print: t => RandomHistory.Print(t.Item1));

    [Fact]
    public void The_stage_history_is_a_chain_each_transition_changes_the_stage_and_dates_increase() =>
        RandomHistory.Events.Sample(events =>
        {
            var history = NegotiationFold.StateAsOf(RandomHistory.Opening, events, End).StageHistory;

            history[0].On.ShouldBeNull();
            for (var i = 1; i < history.Count; i++)
            {
                history[i].From.ShouldBe(history[i - 1].To);
                history[i].To.ShouldNotBe(history[i].From!.Value);
                if (i > 1) history[i].On!.Value.ShouldBeGreaterThan(history[i - 1].On!.Value);
            }
        }, iter: Iterations, print: RandomHistory.Print);
}
