using System.Text.Json;
using Normalization.Api.Storage;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.WhatIf;
using Normalization.Domain.Catalog;
using static Normalization.Api.Tests.Storage.StoreSupport;

namespace Normalization.Api.Tests.WhatIf;

/// <summary>
/// A what-if on the current record starts from the checkpoint before its earliest change; as known at an instant it
/// folds the whole record. On a record with several checkpoints, late events and retractions both must answer the same.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class CheckpointWhatIfTests(AppFixture app)
{
    NegotiationStore Store => app.Store();

    [Fact]
    public async Task Given_a_long_record_When_a_what_if_only_adds_events_after_its_end_Then_it_starts_from_the_head_and_answers_as_the_whole_record()
    {
        // Given 1,200 events (two checkpoints and a tail) whose head this process holds
        var id = NewId("headwhatif");
        await Store.CreateAsync(Opening(id), Poster);
        var recorded = Synthetic(1_200, 21, new DateOnly(2000, 1, 1), 9_000);
        await Store.AppendOk(id, recorded);

        // When a what-if adds news dated after everything recorded (the head is where its branch starts)
        var add = Synthetic(3, 22, new DateOnly(2025, 1, 1), 20).Select(e => e with { EventId = Guid.NewGuid() }).ToList();
        var changes = new WhatIfChanges(add, [], [], "{}");
        var options = new WhatIfRunner.Options(new DateOnly(2025, 2, 1), null, null);
        var fromHead = await WhatIfRunner.RunAsync(Store, id, changes, options, CancellationToken.None);
        var whole = await WhatIfRunner.RunAsync(Store, id, changes, options with { KnownAt = DateTimeOffset.UtcNow.AddMinutes(1) }, CancellationToken.None);

        // Then it answers as the fold of the whole record, and the head it started from is unchanged
        fromHead.ShouldNotBeNull();
        whole.ShouldNotBeNull();
        fromHead.Errors.ShouldBeEmpty();
        Json(fromHead.Projected).ShouldBe(Json(whole.Projected));
        Json(fromHead.Baseline).ShouldBe(Json(whole.Baseline));
        Json(fromHead.Comparison).ShouldBe(Json(whole.Comparison));
        (await Store.HeadJson(id, Later)).ShouldBe(FoldJson(Opening(id), recorded, Later));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(9)]
    public async Task Given_a_long_record_When_random_what_ifs_run_from_checkpoints_Then_each_answers_as_the_fold_of_the_whole_record(int seed)
    {
        // Given 1,600 events recorded out of order (three checkpoints), some of them retracted
        var id = NewId("ckwhatif");
        await Store.CreateAsync(Opening(id), Poster);
        var recorded = Synthetic(1_600, seed, new DateOnly(2000, 1, 1), 9_000);
        foreach (var chunk in recorded.Chunk(400)) await Store.AppendOk(id, chunk);
        var rnd = new Random(seed);
        var retractions = recorded.OrderBy(_ => rnd.Next()).Take(5).Select((e, i) => new EventRetracted
        {
            EventId = Guid.NewGuid(), TargetEventId = e.EventId, Reason = "not so", OccurredOn = DomainDate.FromDate(new DateOnly(2025, 1, 1)),
            Actor = "US", Confidence = Confidence.Confirmed,
        }).ToList();
        await Store.AppendOk(id, retractions);
        // and a review made after every branch point below: how far the record reaches holds at every date, on both paths
        await Store.AppendOk(id, [new RecordReviewed
        {
            EventId = Guid.NewGuid(), OccurredOn = DomainDate.FromDate(new DateOnly(2025, 1, 2)), Actor = "EDITOR", CoveredUntil = DomainDate.FromDate(new DateOnly(2024, 6, 30)),
        }]);
        var retracted = retractions.Select(r => r.TargetEventId).ToHashSet();
        var inForce = recorded.Where(e => !retracted.Contains(e.EventId)).ToList();

        for (var k = 0; k < 6; k++)
        {
            // When a what-if adds events dated anywhere before its branch point and removes or replaces recorded ones
            var asOf = new DateOnly(2000, 1, 1).AddDays(rnd.Next(1_000, 9_500));
            var add = Synthetic(rnd.Next(1, 4), seed * 100 + k, new DateOnly(2000, 1, 1), asOf.DayNumber - new DateOnly(2000, 1, 1).DayNumber)
                .Select(e => e with { EventId = Guid.NewGuid() }).ToList();
            var remove = inForce.OrderBy(_ => rnd.Next()).Take(rnd.Next(0, 3)).Select(e => e.EventId).ToList();
            var replace = inForce.Where(e => !remove.Contains(e.EventId)).OrderBy(_ => rnd.Next()).Take(rnd.Next(0, 2))
                .Select(e => (e.EventId, (NegotiationEvent)(e with { EventId = Guid.NewGuid(), OccurredOn = DomainDate.FromDate(asOf) }))).ToList();
            if (k == 5) remove.Add(retractions[0].TargetEventId); // a retracted event: answered from the whole record
            var changes = new WhatIfChanges(add, remove, replace, "{}");
            var options = new WhatIfRunner.Options(asOf, null, null);

            var fromCheckpoint = await WhatIfRunner.RunAsync(Store, id, changes, options, CancellationToken.None);
            var whole = await WhatIfRunner.RunAsync(Store, id, changes, options with { KnownAt = DateTimeOffset.UtcNow.AddMinutes(1) }, CancellationToken.None);

            // Then the answer is the whole record's
            fromCheckpoint.ShouldNotBeNull();
            whole.ShouldNotBeNull();
            Json(fromCheckpoint.Errors).ShouldBe(Json(whole.Errors), $"what-if {k}");
            Json(fromCheckpoint.Projected).ShouldBe(Json(whole.Projected), $"what-if {k}");
            Json(fromCheckpoint.Baseline).ShouldBe(Json(whole.Baseline), $"what-if {k}");
            Json(fromCheckpoint.Comparison).ShouldBe(Json(whole.Comparison), $"what-if {k}");
            // and lists the same events as removed (one dated after the branch point too) and as hypothetical
            fromCheckpoint.Removed.ShouldBe(whole.Removed, $"what-if {k}");
            Json(fromCheckpoint.Hypothetical).ShouldBe(Json(whole.Hypothetical), $"what-if {k}");
        }
    }
}
