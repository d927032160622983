using Normalization.Api.Storage;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using static Normalization.Api.Tests.Storage.StoreSupport;

namespace Normalization.Api.Tests.Storage;

[Collection(ApiCollection.Name)]
public sealed class LateEventTests(AppFixture app)
{
    NegotiationStore Store => app.Store();

    static readonly DateOnly[] SeedDates =
        new[] { "2019-12-31", "2020-02-29", "2020-06-01", "2021-08-30", "2022-08-01", "2024-06-30", "2024-12-31", "2025-01-21",
         "2025-03-20", "2025-03-21", "2025-03-31", "2025-04-03", "2025-04-15", "2025-09-01", "2026-06-01" }.Select(DateOnly.Parse).ToArray();

    async Task<(string Head, string History, List<string> AsOf)> ReadModel(string id)
    {
        var view = await Store.LoadViewAsync(id);
        var asOf = new List<string>();
        foreach (var d in SeedDates) asOf.Add(Json(await Store.StateAsOfAsync(id, d)));
        return (Json(view!.Head.StateAt(Later)), Json(view.Head.StateAt(Later).StageHistory), asOf);
    }

    [Fact]
    public async Task Seed_facts_arriving_one_by_one_in_random_orders_give_the_read_model_of_chronological_order_and_of_the_pure_fold()
    {
        var (_, seed) = Seed("x");
        var chronological = NewId("chrono");
        await Store.CreateAsync(Seed(chronological).Opening, Poster);
        await Store.AppendOneByOne(chronological, seed.OrderBy(e => e, DomainOrder.Instance));
        var expected = await ReadModel(chronological);

        var pure = Seed("x").Opening;
        expected.Head.ShouldBe(FoldJson(pure with { Id = chronological }, seed, Later));
        for (var i = 0; i < SeedDates.Length; i++) expected.AsOf[i].ShouldBe(FoldJson(pure with { Id = chronological }, seed, SeedDates[i]), $"as of {SeedDates[i]}");

        foreach (var shuffle in new[] { 1, 7, 42, 1234, 99999 })
        {
            var id = NewId($"late{shuffle}");
            var (opening, _) = Seed(id);
            await Store.CreateAsync(opening, Poster);

            await Store.AppendOneByOne(id, Shuffled(seed, shuffle));

            var actual = await ReadModel(id);
            actual.Head.ShouldBe(FoldJson(opening, seed, Later), $"order seed {shuffle}");
            actual.Head.Replace(id, chronological).ShouldBe(expected.Head, $"order seed {shuffle}");
            actual.History.ShouldBe(expected.History, $"order seed {shuffle}");
            actual.AsOf.Select(s => s.Replace(id, chronological)).ShouldBe(expected.AsOf, $"order seed {shuffle}");
        }
    }

    [Fact]
    public async Task Late_events_among_more_than_a_thousand_rewrite_the_checkpoints_and_every_state_as_of_equals_the_pure_fold()
    {
        var id = NewId("ckpt");
        var opening = Opening(id);
        await Store.CreateAsync(opening, Poster);
        var events = Synthetic(1300, seed: 5);
        var onTime = events.Take(1100).OrderBy(e => e, DomainOrder.Instance).ToList();
        var late = Shuffled(events.Skip(1100), 3);

        for (var i = 0; i < onTime.Count; i += 100) await Store.AppendOk(id, onTime.Skip(i).Take(100).ToList());
        (await app.Checkpoints(id)).ShouldBe(ExpectedCheckpoints(opening, onTime));
        (await app.Checkpoints(id)).Count.ShouldBe(2);

        // 200 late events, dated all over the history (most before the checkpoints), in small batches
        for (var i = 0; i < late.Count; i += 7) await Store.AppendOk(id, late.Skip(i).Take(7).ToList());

        var checkpoints = await app.Checkpoints(id);
        checkpoints.Select(c => c.Count).ShouldBe([500, 1000]);
        checkpoints.ShouldBe(ExpectedCheckpoints(opening, events));
        (await Store.HeadJson(id, Later)).ShouldBe(FoldJson(opening, events, Later));
        var rnd = new Random(11);
        var dates = Enumerable.Range(0, 60).Select(_ => new DateOnly(2000, 1, 1).AddDays(rnd.Next(9100))).Append(new DateOnly(1999, 1, 1));
        foreach (var d in dates)
            Json(await Store.StateAsOfAsync(id, d)).ShouldBe(FoldJson(opening, events, d), $"as of {d}");
    }

    [Fact]
    public async Task Bug_a_correction_moving_an_event_before_a_checkpoint_was_not_refolded()
    {
        // The refold started from the checkpoint before the corrected event's old position only; a correction moving
        // the event earlier than that checkpoint (or a superseding correction moving it earlier) was never folded.
        var id = NewId("move");
        var opening = Opening(id);
        await Store.CreateAsync(opening, Poster);
        var events = Synthetic(1200, seed: 8).OrderBy(e => e, DomainOrder.Instance).ToList();
        for (var i = 0; i < events.Count; i += 200) await Store.AppendOk(id, events.Skip(i).Take(200).ToList());
        var target = events[1150];
        var earlier = events[100].Date;
        var correction = new EventCorrected
        {
            EventId = Guid.NewGuid(), OccurredOn = DomainDate.FromDate(target.Date), Actor = "US", TargetEventId = target.EventId,
            Correction = target with { OccurredOn = DomainDate.FromDate(earlier) },
        };

        await Store.AppendOk(id, [correction]);

        List<NegotiationEvent> all = [.. events, correction];
        (await Store.HeadJson(id, Later)).ShouldBe(FoldJson(opening, all, Later));
        (await app.Checkpoints(id)).ShouldBe(ExpectedCheckpoints(opening, all));
        Json(await Store.StateAsOfAsync(id, earlier)).ShouldBe(FoldJson(opening, all, earlier));

        // a second correction moves it earlier still: the first correction is superseded
        var second = correction with
        {
            EventId = Guid.NewGuid(), OccurredOn = DomainDate.FromDate(target.Date.AddDays(1)),
            Correction = target with { OccurredOn = DomainDate.FromDate(events[10].Date) },
        };
        await Store.AppendOk(id, [second]);
        all.Add(second);
        (await Store.HeadJson(id, Later)).ShouldBe(FoldJson(opening, all, Later));
        (await app.Checkpoints(id)).ShouldBe(ExpectedCheckpoints(opening, all));
        Json(await Store.StateAsOfAsync(id, events[10].Date)).ShouldBe(FoldJson(opening, all, events[10].Date));
    }
}
