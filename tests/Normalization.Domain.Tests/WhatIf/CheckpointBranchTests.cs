using System.Text.Json;
using CsCheck;
using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Tests.Support;
using Normalization.Domain.Validation;
using Comparison = Normalization.Domain.WhatIf.Comparison;
using DomainWhatIf = Normalization.Domain.WhatIf.WhatIf;
using Branch = Normalization.Domain.WhatIf.Branch;

namespace Normalization.Domain.Tests.WhatIf;

/// <summary>
/// A what-if over a stored history starts from the fold checkpoint before everything its changes touch
/// (<see cref="Branch.FromCheckpoint"/>); its answer must be the one a fold of the whole record gives.
/// </summary>
public class CheckpointBranchTests
{
    static readonly DateOnly Today = new(2025, 6, 30);
    static string Json(object? value) => JsonSerializer.Serialize(value, EventJson.Options);

    [Fact]
    public void A_what_if_from_any_checkpoint_before_its_changes_equals_the_what_if_over_the_whole_record() =>
        Gen.Select(RandomHistory.Events, RandomHistory.Events, Gen.Int[0, 1_000], Gen.Int[RandomHistory.From.DayNumber, Today.DayNumber]).Sample(
            (events, extra, seed, asOfDay) =>
            {
                // Given a record, hypothetical events (fresh ids, some dated before the branch point), removals of catalog
                // events still in force that introduce no demand or commitment (the store answers others from the whole record)
                var rnd = new Random(seed);
                var asOf = DateOnly.FromDayNumber(asOfDay);
                var effective = NegotiationFold.Effective(events).ToList();
                // (a change of a review is answered from the whole record by the store: a review holds at every date)
                var add = extra.Where(e => e is not RecordReviewed).Take(rnd.Next(0, 4)).Select((e, i) => e with
                {
                    EventId = Guid.NewGuid(), OccurredOn = DomainDate.FromDate(DateOnly.FromDayNumber(rnd.Next(RandomHistory.From.DayNumber, asOfDay + 1))),
                }).ToArray();
                var removable = effective.Where(e => e is not DemandMade and not AgreementSigned and not RecordReviewed && events.Any(r => r.EventId == e.EventId && r is not EventCorrected)).ToList();
                var remove = removable.OrderBy(_ => rnd.Next()).Take(rnd.Next(0, 3)).Select(e => e.EventId).ToArray();

                Branch Changes(Branch b) => Changed(b.Today(Today).AsOf(asOf), add, remove);
                var whole = Changes(DomainWhatIf.From(RandomHistory.Opening, events)).Project();

                // When the same what-if starts from a checkpoint at any position before the earliest one the changes touch
                var touched = add.Select(DomainOrder.SortKey)
                    .Concat(effective.Where(e => remove.Contains(e.EventId)).Select(DomainOrder.SortKey))
                    .Append(DomainOrder.EndOfDayKey(asOf)).Min(StringComparer.Ordinal)!;
                var before = effective.TakeWhile(e => string.CompareOrdinal(DomainOrder.SortKey(e), touched) < 0).Count();
                var split = rnd.Next(0, before + 1);
                var checkpoint = FoldAccumulator.Start(RandomHistory.Opening);
                foreach (var e in effective.Take(split)) checkpoint.Apply(e);
                // The events after the checkpoint up to the branch point, as the store reads them; the record's coverage (its
                // head's: a review dated after the branch point still counts) is given beside them, as the store gives it
                var after = effective.Skip(split).Where(e => string.CompareOrdinal(DomainOrder.SortKey(e), DomainOrder.EndOfDayKey(asOf)) <= 0).ToList();
                var head = NegotiationFold.FoldAll(RandomHistory.Opening, events);
                // (half of the time with the record's own state given, as the store gives its head's: the fold of the whole
                // record on a date, one state shared by every what-if that asks for that date, which none of them may change)
                var kept = new Dictionary<DateOnly, NegotiationState>();
                Func<DateOnly, NegotiationState>? keptState = rnd.Next(2) == 0
                    ? at => kept.TryGetValue(at, out var s) ? s : kept[at] = NegotiationFold.StateAsOf(RandomHistory.Opening, events, at)
                    : null;
                var branch = Changes(Branch.FromCheckpoint(RandomHistory.Opening, checkpoint, after,
                    () => ValidationContext.For(RandomHistory.Opening, events, Today), events.Select(e => e.EventId).ToHashSet(),
                    effective.Select(e => (DateOnly?)e.Date).Max(), keptState, (head.CoverageKey, head.CoveredUntil)));
                branch.Project();
                var fromCheckpoint = branch.Project();

                // Then the answer is the same: errors, projected state, baseline and comparison
                Json(fromCheckpoint.Errors).ShouldBe(Json(whole.Errors));
                Json(fromCheckpoint.Projected).ShouldBe(Json(whole.Projected));
                Json(fromCheckpoint.Baseline).ShouldBe(Json(whole.Baseline));
                Json(fromCheckpoint.Comparison).ShouldBe(Json(whole.Comparison));
                fromCheckpoint.ProjectedAt.ShouldBe(whole.ProjectedAt);
                // and the same events listed as removed and hypothetical (a removal dated after the branch point included)
                fromCheckpoint.Removed.ShouldBe(whole.Removed);
                Json(fromCheckpoint.Hypothetical).ShouldBe(Json(whole.Hypothetical));
            }, iter: 300, print: t => RandomHistory.Print(t.Item1));

    [Fact]
    public void A_comparison_of_states_that_share_entries_equals_the_comparison_of_the_same_states_folded_apart() =>
        Gen.Select(RandomHistory.Events, RandomHistory.Events, Gen.Int[0, 1_000]).Sample((events, extra, seed) =>
        {
            // Given a record's head and hypothetical catalog events dated after it, folded into a copy of the head (the
            // branch shares the head's ledger entries: the comparison skips kinds whose entries are the same objects)
            var rnd = new Random(seed);
            var head = NegotiationFold.FoldAll(RandomHistory.Opening, events);
            var day = RandomHistory.To;
            var hypothetical = extra.Where(e => e is not EventRetracted and not EventCorrected).Take(rnd.Next(1, 8))
                .Select(e => e with { EventId = Guid.NewGuid(), OccurredOn = DomainDate.FromDate(day = day.AddDays(rnd.Next(1, 3))) })
                .OrderBy(DomainOrder.SortKey, StringComparer.Ordinal).ToList();
            var at = day.AddDays(rnd.Next(0, 200));
            var branch = head.Clone();
            foreach (var e in hypothetical) branch.Apply(e);
            var ids = hypothetical.Select(e => e.EventId).ToHashSet();

            // When they are compared, and the same states folded apart (no entry shared) are compared
            var shared = Comparison.Between(head.StateAt(at), branch.StateAt(at), ids);
            var apart = Comparison.Between(NegotiationFold.StateAsOf(RandomHistory.Opening, events, at),
                NegotiationFold.StateAsOf(RandomHistory.Opening, [.. events, .. hypothetical], at), ids);

            // Then both comparisons are the same
            Json(shared).ShouldBe(Json(apart));
        }, iter: 300, print: t => RandomHistory.Print(t.Item1));

    static Branch Changed(Branch b, NegotiationEvent[] add, Guid[] remove)
    {
        foreach (var id in remove) b = b.Remove(id);
        return b.Add(add);
    }
}
