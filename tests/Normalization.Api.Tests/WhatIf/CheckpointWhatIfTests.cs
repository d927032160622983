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

    [Theory]
    [InlineData(4)]
    [InlineData(9)]
    public async Task Given_a_long_record_When_random_what_ifs_run_from_checkpoints_Then_each_answers_as_the_fold_of_the_whole_record(int seed)
    {
        // Given 1,600 events recorded out of order (three checkpoints) and some of them retracted
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
        }
    }
}
