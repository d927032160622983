using Marten;
using Microsoft.Extensions.DependencyInjection;
using Normalization.Api.Storage;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Domain.Catalog;
using Npgsql;
using static Normalization.Api.Tests.Storage.StoreSupport;

namespace Normalization.Api.Tests.Storage;

/// <summary>
/// The head is not stored: each process keeps recent heads in memory, tagged with the stream version, and rebuilds one
/// from the last checkpoint when another writer moved the stream on. Two stores with their own caches on one database
/// stand for two API nodes.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class HeadCacheTests(AppFixture app)
{
    NegotiationStore NodeA => app.Store();

    NegotiationStore SecondNode() => new(app.Host.Services.GetRequiredService<IDocumentStore>(), app.Host.Services.GetRequiredService<NpgsqlDataSource>(),
        TimeProvider.System, new HeadCache(), app.Host.Services.GetRequiredService<Normalization.Api.Alerts.Notifying.StageChangeAlerts>(),
            new TailCache(), app.Host.Services.GetRequiredService<DeferredCheckpoints>(), app.Host.Services.GetRequiredService<LongWork>());

    [Theory]
    [InlineData(3)]
    [InlineData(17)]
    public async Task Given_two_nodes_appending_in_turn_with_late_events_When_either_reads_Then_its_head_is_the_fold_of_everything_recorded(int seed)
    {
        // Given one negotiation and two nodes, each with its own head cache
        var id = NewId("nodes");
        var opening = Opening(id);
        var nodeB = SecondNode();
        await NodeA.CreateAsync(opening, Poster);
        var recorded = Synthetic(1_300, seed); // random dates: most batches hold late events, and more than two checkpoints
        var rnd = new Random(seed);
        var done = 0;
        var turn = 0;
        while (done < recorded.Count)
        {
            // When the nodes append batches of random sizes in turn
            var batch = recorded.Skip(done).Take(rnd.Next(1, 160)).ToList();
            var writer = turn++ % 2 == 0 ? NodeA : nodeB;
            await writer.AppendOk(id, batch);
            done += batch.Count;

            // Then both read the head of everything recorded so far, whoever wrote last
            var expected = FoldJson(opening, recorded.Take(done), Later);
            (await NodeA.HeadJson(id, Later)).ShouldBe(expected, $"node A after {done} events");
            (await nodeB.HeadJson(id, Later)).ShouldBe(expected, $"node B after {done} events");
        }
        (await NodeA.LoadViewAsync(id))!.Version.ShouldBe(recorded.Count + 1);
    }

    [Fact]
    public async Task Given_a_cached_head_When_an_append_is_refused_Then_the_head_is_unchanged()
    {
        // Given a negotiation whose head this node holds
        var id = NewId("refused");
        var opening = Opening(id);
        await NodeA.CreateAsync(opening, Poster);
        var recorded = Synthetic(40, 5);
        await NodeA.AppendOk(id, recorded);
        var before = await NodeA.HeadJson(id, Later);

        // When a batch is refused (one valid event dated after everything, one retracting an event that was never recorded)
        var valid = recorded[0] with { EventId = Guid.NewGuid(), OccurredOn = DomainDate.FromDate(new DateOnly(2025, 1, 1)) };
        var invalid = new EventRetracted
        {
            EventId = Guid.NewGuid(), TargetEventId = Guid.NewGuid(), Reason = "no such event", OccurredOn = DomainDate.FromDate(new DateOnly(2025, 1, 2)),
            Actor = "US", Confidence = Confidence.Confirmed,
        };
        (await NodeA.AppendAsync(id, null, [valid, invalid], Poster)).ShouldBeOfType<AppendOutcome.Invalid>();

        // Then the head this node answers with is still the fold of what was recorded, as a fresh node reads it
        (await NodeA.HeadJson(id, Later)).ShouldBe(before);
        (await SecondNode().HeadJson(id, Later)).ShouldBe(before);
        before.ShouldBe(FoldJson(opening, recorded, Later));
    }
}
