using CsCheck;
using Normalization.Domain.Folding;
using Normalization.Domain.Stages;
using Normalization.Domain.Tests.Support;

namespace Normalization.Domain.Tests.Folding;

/// <summary>
/// <see cref="FoldAccumulator.Expiries"/> is what alerts schedule (a message per expiry day, docs/alerts.md "Decay"): with
/// no new event, the stage may change on those days and on no other, ever.
/// </summary>
public class ExpiriesTests
{
    [Fact]
    public void With_no_new_event_the_stage_changes_exactly_on_the_expiry_days_and_never_after_the_last() =>
        Gen.Select(RandomHistory.Events, Gen.Int[1, 800]).Sample((events, probe) =>
        {
            // Given the fold of a random history
            var head = NegotiationFold.FoldAll(RandomHistory.Opening, events);
            if (head.PendingDate is not { } last) return; // every event retracted: nothing to expire

            // When it is asked about days after its last event, with no new event
            var expiries = head.Expiries();
            var day = last.AddDays(probe);
            var state = head.StateAt(day);

            // Then every change after the last event is one of the expiries (up to that day), and the stage on that day is
            // the one the last expiry due by then gives
            static (DateOnly?, Stage?, Stage, string) Key(StageTransition t) => (t.On, t.From, t.To, t.Rule);
            state.StageHistory.Where(t => t.On > last).Select(Key).ShouldBe(expiries.Where(t => t.On <= day).Select(Key));
            var due = expiries.LastOrDefault(t => t.On <= day);
            state.Stage.ShouldBe(due?.To ?? head.StateAt(last).Stage);
            expiries.ShouldAllBe(t => t.On > last && t.On <= last.AddDays(head.Options.WindowDays + 1));
        }, iter: 300, print: t => RandomHistory.Print(t.Item1));
}
