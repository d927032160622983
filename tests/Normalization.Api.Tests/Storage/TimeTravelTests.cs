using Marten;
using Normalization.Api.Storage;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Stages;
using static Normalization.Api.Tests.Storage.StoreSupport;

namespace Normalization.Api.Tests.Storage;

[Collection(ApiCollection.Name)]
public sealed class TimeTravelTests(AppFixture app)
{
    NegotiationStore Store => app.Store();
    static readonly DateOnly April15 = new(2025, 4, 15);

    [Fact]
    public async Task Known_at_an_instant_before_a_retraction_the_event_still_counts_and_after_it_is_gone()
    {
        var id = NewId("bit");
        var (opening, seed) = Seed(id);
        await Store.CreateAsync(opening, Poster);
        await Store.AppendOk(id, seed);
        var talks = seed.OfType<TalksHeld>().Single(t => t.OccurredOn.ToString() == "2025-03-20");
        var retraction = new EventRetracted { EventId = Guid.NewGuid(), OccurredOn = new DomainDate(2025, 4, 10), Actor = "US", TargetEventId = talks.EventId, Reason = "never happened" };
        await Store.AppendOk(id, [retraction]);
        var recorded = (await Store.LoadHistoryAsync(id))!.Events.Single(r => r.Event.EventId == retraction.EventId).RecordedAt;
        var before = recorded.AddTicks(-10); // one microsecond earlier (PostgreSQL keeps microseconds)

        var then = await Store.StateAsOfAsync(id, April15, knownAt: before);
        var now = await Store.StateAsOfAsync(id, April15, knownAt: recorded);
        var live = await Store.StateAsOfAsync(id, April15);

        then!.Stage.ShouldBe(Stage.ConfidenceBuilding);
        then.Why.EventIds.ShouldContain(talks.EventId);
        Json(then).ShouldBe(FoldJson(opening, seed, April15));
        (await Store.LoadHistoryAsync(id, before))!.Events.Select(r => r.Event.EventId).ShouldBe(seed.Select(e => e.EventId));
        now!.Stage.ShouldNotBe(Stage.ConfidenceBuilding);
        Json(now).ShouldBe(FoldJson(opening, [.. seed, retraction], April15));
        Json(live).ShouldBe(Json(now));
        (await Store.StateAsOfAsync(id, April15, knownAt: (await Store.LoadHistoryAsync(id))!.OpenedAt.AddTicks(-10))).ShouldBeNull();
    }

    [Fact]
    public async Task Known_at_an_instant_before_a_correction_the_original_counts_and_after_it_the_corrected_one()
    {
        var id = NewId("cor");
        var (opening, seed) = Seed(id);
        await Store.CreateAsync(opening, Poster);
        await Store.AppendOk(id, seed);
        var talks = seed.OfType<TalksHeld>().Single(t => t.OccurredOn.ToString() == "2025-03-20");
        var correction = new EventCorrected
        {
            EventId = Guid.NewGuid(), OccurredOn = new DomainDate(2025, 4, 10), Actor = "US", TargetEventId = talks.EventId,
            Correction = talks with { OccurredOn = new DomainDate(2024, 1, 10) },
        };
        await Store.AppendOk(id, [correction]);
        var recorded = (await Store.LoadHistoryAsync(id))!.Events.Single(r => r.Event.EventId == correction.EventId).RecordedAt;

        var then = await Store.StateAsOfAsync(id, April15, knownAt: recorded.AddTicks(-10));
        var now = await Store.StateAsOfAsync(id, April15, knownAt: recorded);

        then!.Stage.ShouldBe(Stage.ConfidenceBuilding);
        Json(then).ShouldBe(FoldJson(opening, seed, April15));
        now!.Stage.ShouldNotBe(Stage.ConfidenceBuilding);
        Json(now).ShouldBe(FoldJson(opening, [.. seed, correction], April15));
        Json(await Store.StateAsOfAsync(id, April15)).ShouldBe(Json(now));
        Json(await Store.StateAsOfAsync(id, new DateOnly(2024, 2, 1))).ShouldBe(FoldJson(opening, [.. seed, correction], new DateOnly(2024, 2, 1)));
    }

    [Fact]
    public async Task Known_at_before_a_correction_that_keeps_the_date_gives_the_original_though_the_tail_in_memory_holds_the_replacement_at_its_key()
    {
        // Given a release corrected later without moving it (same day, same sort key: the key names the target), after
        // which this process holds the current record's tail in memory (the correction's refold read it) — the tail
        // holds the replacement at the original's key, under the original's id
        var id = NewId("samekey");
        var (opening, seed) = Seed(id);
        await Store.CreateAsync(opening, Poster);
        await Store.AppendOk(id, seed);
        var release = seed.OfType<PrisonerReleased>().First();
        var correction = new EventCorrected
        {
            EventId = Guid.NewGuid(), OccurredOn = new DomainDate(2025, 4, 10), Actor = "US", TargetEventId = release.EventId,
            Correction = release with { Person = "Someone else entirely" },
        };
        await Store.AppendOk(id, [correction]);
        var recorded = (await Store.LoadHistoryAsync(id))!.Events.Single(r => r.Event.EventId == correction.EventId).RecordedAt;

        // When asking as of a date after both, as known just before the correction and at it
        var then = await Store.StateAsOfAsync(id, April15, knownAt: recorded.AddTicks(-10));
        var now = await Store.StateAsOfAsync(id, April15, knownAt: recorded);

        // Then before it the original person counts (not the replacement the tail holds), after it the corrected one
        Json(then).ShouldBe(FoldJson(opening, seed, April15));
        Json(then).ShouldContain(release.Person);
        Json(now).ShouldBe(FoldJson(opening, [.. seed, correction], April15));
        Json(now).ShouldContain("Someone else entirely");
    }

    [Fact]
    public async Task Bug_a_correction_of_an_event_with_a_note_could_not_be_read_back_from_jsonb()
    {
        // jsonb stores keys by length then bytes, so a nested event's "note" came before its "type" discriminator,
        // and System.Text.Json refused the payload: every read of the stream (our reads and Marten's) failed.
        var id = NewId("note");
        var (opening, seed) = Seed(id);
        await Store.CreateAsync(opening, Poster);
        await Store.AppendOk(id, seed.Take(3).ToList());
        var correction = new EventCorrected
        {
            EventId = Guid.NewGuid(), OccurredOn = new DomainDate(2025, 4, 10), Actor = "US", TargetEventId = seed[0].EventId,
            Correction = seed[0] with { Note = "corrected: the talks were a day earlier", OccurredOn = new DomainDate(2020, 2, 28) },
        };
        await Store.AppendOk(id, [correction]);

        var read = (await Store.LoadHistoryAsync(id))!.Events[^1].Event.ShouldBeOfType<EventCorrected>();
        read.Correction!.Note.ShouldBe("corrected: the talks were a day earlier");
        await using var q = app.Store.QuerySession();
        (await q.Events.FetchStreamAsync(id))[^1].Data.ShouldBeOfType<EventCorrected>().Correction.ShouldBeOfType<TalksHeld>();
        Json(await Store.StateAsOfAsync(id, April15, knownAt: DateTimeOffset.UtcNow.AddMinutes(1))).ShouldBe(FoldJson(opening, [.. seed.Take(3), correction], April15));
    }

    [Fact]
    public async Task Rebuild_gives_back_the_read_models_maintained_live()
    {
        var id = NewId("reb");
        var opening = Opening(id);
        await Store.CreateAsync(opening, Poster);
        var events = Synthetic(1100, seed: 21);
        var sorted = events.Take(1000).OrderBy(e => e, DomainOrder.Instance).ToList();
        for (var i = 0; i < sorted.Count; i += 250) await Store.AppendOk(id, sorted.Skip(i).Take(250).ToList());
        foreach (var chunk in events.Skip(1000).Chunk(20)) await Store.AppendOk(id, chunk);
        var retraction = new EventRetracted { EventId = Guid.NewGuid(), OccurredOn = new DomainDate(2024, 12, 31), Actor = "US", TargetEventId = sorted[300].EventId, Reason = "r" };
        var correction = new EventCorrected
        {
            EventId = Guid.NewGuid(), OccurredOn = new DomainDate(2024, 12, 31), Actor = "TB", TargetEventId = sorted[700].EventId,
            Correction = sorted[700] with { OccurredOn = DomainDate.FromDate(sorted[200].Date), Actor = "TB", Target = "US" },
        };
        await Store.AppendOk(id, [retraction, correction]);
        List<NegotiationEvent> all = [.. events, retraction, correction];
        var dates = Enumerable.Range(0, 25).Select(i => new DateOnly(2000, 3, 1).AddDays(i * 365)).ToList();

        var view = await Store.LoadViewAsync(id);
        var board = await LoadBoard(id);
        var checkpoints = await app.Checkpoints(id);
        var states = new List<string>();
        foreach (var d in dates) states.Add(Json(await Store.StateAsOfAsync(id, d)));
        var timeline = Json((await Store.TimelineAsync(id, null, null, null, null, 0, 5000)).Items.Select(t => new { t.Event.EventId, t.Status, t.RetractedBy, t.CorrectedBy }));

        await Store.RebuildAsync(id);

        var rebuilt = await Store.LoadViewAsync(id);
        Json(rebuilt!.Head).ShouldBe(Json(view!.Head));
        rebuilt.Version.ShouldBe(view.Version);
        Json(await LoadBoard(id)).ShouldBe(Json(board));
        (await app.Checkpoints(id)).ShouldBe(checkpoints);
        checkpoints.ShouldBe(ExpectedCheckpoints(opening, all));
        for (var i = 0; i < dates.Count; i++)
        {
            var s = Json(await Store.StateAsOfAsync(id, dates[i]));
            s.ShouldBe(states[i], $"as of {dates[i]}");
            s.ShouldBe(FoldJson(opening, all, dates[i]), $"as of {dates[i]}");
        }
        Json((await Store.TimelineAsync(id, null, null, null, null, 0, 5000)).Items.Select(t => new { t.Event.EventId, t.Status, t.RetractedBy, t.CorrectedBy })).ShouldBe(timeline);
        (await Store.VersionAsync(id)).ShouldBe(view.Version);
    }

    async Task<BoardEntry?> LoadBoard(string id)
    {
        await using var q = app.Store.QuerySession();
        return await q.LoadAsync<BoardEntry>(id);
    }
}
