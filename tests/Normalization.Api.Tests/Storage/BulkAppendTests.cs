using Marten;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Normalization.Api.Storage;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using static Normalization.Api.Tests.Storage.StoreSupport;

namespace Normalization.Api.Tests.Storage;

/// <summary>The bulk write path (imports, rebuilds) writes the same rows as one-by-one appends, and Marten reads them as its own.</summary>
[Collection(ApiCollection.Name)]
public sealed class BulkAppendTests(AppFixture app)
{
    NegotiationStore Store => app.Store();

    static readonly DateOnly[] Dates = Enumerable.Range(0, 26).Select(i => new DateOnly(2000 + i, 3, 1)).ToArray();

    /// <summary>1,500 synthetic events with retractions, a retraction of a retraction and corrections, in recording order.</summary>
    static List<NegotiationEvent> WithRetractionsAndCorrections(int seed)
    {
        var events = Synthetic(1_500, seed);
        var rnd = new Random(seed);
        var extra = new List<NegotiationEvent>();
        for (var i = 0; i < 30; i++)
        {
            var target = events[rnd.Next(events.Count)];
            extra.Add(new EventRetracted { EventId = Guid.NewGuid(), OccurredOn = DomainDate.FromDate(new DateOnly(2025, 1, 1)), Actor = "US", Target = "TB", TargetEventId = target.EventId, Reason = "error" });
        }
        extra.Add(new EventRetracted { EventId = Guid.NewGuid(), OccurredOn = DomainDate.FromDate(new DateOnly(2025, 2, 1)), Actor = "US", Target = "TB", TargetEventId = extra[0].EventId, Reason = "the retraction was wrong" });
        foreach (var target in events.Where(e => e is TalksHeld).Take(5))
            extra.Add(new EventCorrected
            {
                EventId = Guid.NewGuid(), OccurredOn = DomainDate.FromDate(new DateOnly(2025, 3, 1)), Actor = "US", Target = "TB", TargetEventId = target.EventId,
                Correction = target with { OccurredOn = DomainDate.FromDate(target.Date.AddDays(-400)) },
            });
        return [.. events, .. extra.Distinct()];
    }

    [Fact]
    public async Task Given_a_new_negotiation_When_a_large_record_is_bulk_appended_Then_every_read_model_equals_the_pure_fold_and_one_by_one_appends()
    {
        var recorded = WithRetractionsAndCorrections(11).GroupBy(e => e.EventId).Select(g => g.First()).ToList();
        var bulk = NewId("bulk");
        var live = NewId("live");
        var opening = Opening(bulk);

        var outcome = await Store.BulkAppendAsync(opening, create: true, null, recorded, Poster);
        await Store.CreateAsync(Opening(live), Poster);
        foreach (var chunk in recorded.Chunk(400)) await Store.AppendOk(live, chunk);

        outcome.ShouldBe(new BulkOutcome.Stored(recorded.Count + 1, recorded.Count, 0));
        (await Store.VersionAsync(bulk)).ShouldBe(recorded.Count + 1);
        (await Store.HeadJson(bulk, Later)).ShouldBe(FoldJson(opening, recorded, Later));
        foreach (var d in Dates)
            Json(await Store.StateAsOfAsync(bulk, d)).ShouldBe(FoldJson(opening, recorded, d), $"as of {d}");
        (await app.Checkpoints(bulk)).ShouldBe(ExpectedCheckpoints(opening, recorded));
        (await app.Checkpoints(bulk)).Select(c => c.Accumulator.Replace(bulk, live)).ShouldBe((await app.Checkpoints(live)).Select(c => c.Accumulator));
        var (bulkTimeline, _) = await Store.TimelineAsync(bulk, null, null, null, null, 0, 5_000);
        var (liveTimeline, _) = await Store.TimelineAsync(live, null, null, null, null, 0, 5_000);
        bulkTimeline.Select(t => (t.Event.EventId, t.Status, t.RetractedBy, t.CorrectedBy, t.Version))
            .ShouldBe(liveTimeline.Select(t => (t.Event.EventId, t.Status, t.RetractedBy, t.CorrectedBy, t.Version)));
    }

    [Fact]
    public async Task Given_bulk_appended_events_When_Marten_reads_the_stream_Then_it_finds_every_event_with_its_version_type_and_poster()
    {
        var recorded = Synthetic(1_200, 5);
        var id = NewId("marten");
        await Store.BulkAppendAsync(Opening(id), create: true, null, recorded, "bulk-poster", "corr-1");

        await using var session = app.Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
        var stream = await session.Events.FetchStreamAsync(id);
        var state = await session.Events.FetchStreamStateAsync(id);

        stream.Count.ShouldBe(recorded.Count + 1);
        state!.Version.ShouldBe(recorded.Count + 1);
        stream.Skip(1).Select(e => ((NegotiationEvent)e.Data).EventId).ShouldBe(recorded.Select(e => e.EventId));
        stream.Select(e => e.Version).ShouldBe(Enumerable.Range(1, recorded.Count + 1).Select(v => (long)v));
        stream.Skip(1).ShouldAllBe(e => e.UserName == "bulk-poster" && e.CorrelationId == "corr-1");
        stream.Skip(1).Select(e => e.EventTypeName).ShouldBe(recorded.Select(e => e.Type));

        // And an ordinary append continues the stream after them.
        var next = Synthetic(1, 99, new DateOnly(2025, 6, 1), 1);
        (await Store.AppendOk(id, next)).Version.ShouldBe(recorded.Count + 2);
    }

    [Fact]
    public async Task Given_a_negotiation_with_history_When_a_large_batch_with_late_events_and_a_retraction_of_a_stored_event_is_bulk_appended_Then_it_equals_the_pure_fold()
    {
        var id = NewId("onto");
        var opening = Opening(id);
        var first = Synthetic(600, 21);
        await Store.CreateAsync(opening, Poster);
        await Store.AppendOk(id, first);
        var more = Synthetic(1_300, 22);
        more.Add(new EventRetracted { EventId = Guid.NewGuid(), OccurredOn = DomainDate.FromDate(new DateOnly(2025, 1, 1)), Actor = "TB", Target = "US", TargetEventId = first[3].EventId, Reason = "error" });
        more.Add(first[10]); // already stored: a duplicate

        var outcome = await Store.BulkAppendAsync(opening, create: false, expectedVersion: 601, more, Poster);

        outcome.ShouldBe(new BulkOutcome.Stored(601 + 1_301, 1_301, 1));
        var all = first.Concat(more.Take(1_301)).ToList();
        (await Store.HeadJson(id, Later)).ShouldBe(FoldJson(opening, all, Later));
        foreach (var d in Dates) Json(await Store.StateAsOfAsync(id, d)).ShouldBe(FoldJson(opening, all, d), $"as of {d}");
        (await app.Checkpoints(id)).ShouldBe(ExpectedCheckpoints(opening, all));
    }

    [Fact]
    public async Task Given_a_negotiation_that_moved_since_validation_When_bulk_appended_Then_nothing_is_written()
    {
        var id = NewId("moved");
        await Store.CreateAsync(Opening(id), Poster);
        await Store.AppendOk(id, Synthetic(3, 1));

        var outcome = await Store.BulkAppendAsync(Opening(id), create: false, expectedVersion: 2, Synthetic(1_500, 2), Poster);
        var created = await Store.BulkAppendAsync(Opening(id), create: true, null, Synthetic(5, 3), Poster);

        outcome.ShouldBe(new BulkOutcome.Changed(4));
        created.ShouldBe(new BulkOutcome.Changed(4));
        (await app.Scalar<long>("select count(*) from mt_events where stream_id = @id", ("id", id))).ShouldBe(4);
        (await app.Scalar<long>("select count(*) from nz_events where negotiation_id = @id", ("id", id))).ShouldBe(3);
    }

    [Fact]
    public async Task Given_a_negotiation_that_moved_since_validation_When_bulk_appended_with_a_revalidation_that_accepts_Then_it_judged_the_record_as_it_stands_and_everything_is_stored()
    {
        // Given a negotiation at version 4, and events validated against it at version 2
        var id = NewId("rejudged");
        var opening = Opening(id);
        await Store.CreateAsync(opening, Poster);
        var first = Synthetic(3, 1);
        await Store.AppendOk(id, first);
        var more = Synthetic(600, 2);

        // When they are bulk-appended with a revalidation
        History? judged = null;
        var outcome = await Store.BulkAppendAsync(opening, create: false, expectedVersion: 2, more, Poster, revalidate: now => { judged = now; return true; });

        // Then the revalidation saw the record as it stands, and the events are stored after it, folded as one record
        judged.ShouldNotBeNull().Events.Select(r => r.Event.EventId).ShouldBe(first.Select(e => e.EventId));
        outcome.ShouldBe(new BulkOutcome.Stored(604, 600, 0));
        (await Store.HeadJson(id, Later)).ShouldBe(FoldJson(opening, [.. first, .. more], Later));
    }

    [Fact]
    public async Task Given_a_negotiation_that_moved_since_validation_When_the_revalidation_refuses_Then_refused_with_the_current_version_and_nothing_is_written()
    {
        // Given a negotiation at version 4, and events validated against it at version 2
        var id = NewId("refused");
        await Store.CreateAsync(Opening(id), Poster);
        await Store.AppendOk(id, Synthetic(3, 1));

        // When the revalidation against the record as it stands refuses them
        var outcome = await Store.BulkAppendAsync(Opening(id), create: false, expectedVersion: 2, Synthetic(1_500, 2), Poster, revalidate: _ => false);

        // Then nothing is written
        outcome.ShouldBe(new BulkOutcome.Refused(4));
        (await app.Scalar<long>("select count(*) from nz_events where negotiation_id = @id", ("id", id))).ShouldBe(3);
        (await Store.VersionAsync(id)).ShouldBe(4);
    }

    [Fact]
    public async Task Given_read_models_folded_in_an_older_fold_format_When_the_app_starts_Then_its_read_models_are_rebuilt_to_the_current_one()
    {
        var id = NewId("format");
        var opening = Opening(id);
        var recorded = Synthetic(700, 8);
        await Store.CreateAsync(opening, Poster);
        await Store.AppendOk(id, recorded);
        await using (var session = app.Store.LightweightSession())
        {
            var row = (await session.LoadAsync<BoardEntry>(id))!;
            row.FoldFormat = 1; // as stored by the previous version of the fold
            session.Store(row);
            await session.SaveChangesAsync();
        }
        await app.Execute("update nz_checkpoints set accumulator = convert_to('{}', 'UTF8') where negotiation_id = @id", ("id", id));

        await new ReadModelUpgrade(Store, app.Store, NullLogger<ReadModelUpgrade>.Instance).StartAsync(CancellationToken.None);

        (await Store.LoadViewAsync(id))!.Head.Format.ShouldBe(FoldAccumulator.CurrentFormat);
        (await app.Checkpoints(id)).ShouldBe(ExpectedCheckpoints(opening, recorded));
        Json(await Store.StateAsOfAsync(id, new DateOnly(2010, 1, 1))).ShouldBe(FoldJson(opening, recorded, new DateOnly(2010, 1, 1)));
    }

    [Theory]
    [InlineData("delete from nz_events where negotiation_id = @id")]
    [InlineData("update nz_events set status = 'active' where negotiation_id = @id and status <> 'active'")]
    [InlineData("update nz_events set sort_key = '19000101|00|x' where negotiation_id = @id and version = 700")]
    [InlineData("delete from nz_references where negotiation_id = @id")]
    [InlineData("delete from nz_checkpoints where negotiation_id = @id and event_count = 1000")]
    public async Task Given_damaged_read_models_When_rebuilt_Then_the_index_references_checkpoints_and_states_are_those_maintained_live(string damage)
    {
        var recorded = WithRetractionsAndCorrections(31).GroupBy(e => e.EventId).Select(g => g.First()).ToList();
        var id = NewId("damaged");
        var opening = Opening(id);
        await Store.CreateAsync(opening, Poster);
        foreach (var chunk in recorded.Chunk(500)) await Store.AppendOk(id, chunk);
        Task<string> Everything() => EverythingOf(id);
        var live = await Everything();

        await app.Execute(damage, ("id", id));
        await Store.RebuildAsync(id);

        (await Everything()).ShouldBe(live);
        (await app.Checkpoints(id)).ShouldBe(ExpectedCheckpoints(opening, recorded));
    }

    /// <summary>Every derived view of a negotiation that a rebuild must restore: timeline with statuses, states on many dates, references, checkpoints, version.</summary>
    async Task<string> EverythingOf(string id)
    {
        var (timeline, _) = await Store.TimelineAsync(id, null, null, null, null, 0, 5_000);
        var states = new List<string>();
        foreach (var d in Dates) states.Add(Json(await Store.StateAsOfAsync(id, d)));
        var refs = await app.Scalar<long>("select count(*) from nz_references where negotiation_id = @id", ("id", id));
        return Json(new { timeline = timeline.Select(t => new { t.Event.EventId, t.Status, t.RetractedBy, t.CorrectedBy, t.Version }), states, refs,
            checkpoints = await app.Checkpoints(id), version = await Store.VersionAsync(id) });
    }

    [Fact]
    public async Task Given_read_models_wiped_When_Marten_rebuilds_the_NegotiationFold_projection_Then_they_equal_those_maintained_live()
    {
        var recorded = WithRetractionsAndCorrections(47).GroupBy(e => e.EventId).Select(g => g.First()).ToList();
        var id = NewId("martenrb");
        var opening = Opening(id);
        await Store.CreateAsync(opening, Poster);
        foreach (var chunk in recorded.Chunk(500)) await Store.AppendOk(id, chunk);
        var live = await EverythingOf(id);
        var head = Json((await Store.LoadViewAsync(id))!.Head.StateAt(new DateOnly(2030, 1, 1)));
        await app.Execute("delete from nz_events where negotiation_id = @id; delete from nz_checkpoints where negotiation_id = @id; delete from nz_references where negotiation_id = @id", ("id", id));
        await using (var session = app.Store.LightweightSession())
        {
            session.Delete<BoardEntry>(id);
            await session.SaveChangesAsync();
        }

        // Marten's own rebuild of the registered projection (what `projections rebuild -p NegotiationFold` runs; that command line
        // itself is run by CliTests on a database of its own: this one holds the test host's own event types).
        using (var daemon = await app.Store.BuildProjectionDaemonAsync())
            await daemon.RebuildProjectionAsync(NegotiationFoldProjection.Name, TimeSpan.FromMinutes(5), CancellationToken.None);

        (await EverythingOf(id)).ShouldBe(live);
        Json((await Store.LoadViewAsync(id))!.Head.StateAt(new DateOnly(2030, 1, 1))).ShouldBe(head);
        await using (var session = app.Store.QuerySession())
            (await session.LoadAsync<BoardEntry>(id))!.Version.ShouldBe((await Store.VersionAsync(id))!.Value);
        (await app.Checkpoints(id)).ShouldBe(ExpectedCheckpoints(opening, recorded));
    }
}
