using Microsoft.Extensions.DependencyInjection;
using Normalization.Api.Storage;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Negotiations;
using static Normalization.Api.Tests.Storage.StoreSupport;

namespace Normalization.Api.Tests.Storage;

/// <summary>
/// A late event's append closes the checkpoints after it and leaves their successors to Wolverine
/// (<see cref="DeferredCheckpoints"/>, <see cref="CheckpointsDueHandler"/>); reads over the gap fold from the checkpoint
/// before it, and the refold of a record this process holds comes from the <see cref="TailCache"/>.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class DeferredCheckpointsTests(AppFixture app)
{
    NegotiationStore Store => app.Store();

    [Fact]
    public async Task A_late_event_leaves_its_checkpoints_to_Wolverine_which_writes_those_the_pure_fold_writes()
    {
        // Given a record of 1,300 events in date order (checkpoints after 500 and 1,000 events)
        var id = NewId("defer");
        var opening = Opening(id);
        await Store.CreateAsync(opening, Poster);
        var events = Synthetic(1301, seed: 21).OrderBy(e => e, DomainOrder.Instance).ToList();
        var late = events[100];
        var onTime = events.Where(e => e != late).ToList();
        for (var i = 0; i < onTime.Count; i += 200) await Store.AppendOk(id, onTime.Skip(i).Take(200).ToList());
        (await app.Checkpoints(id)).ShouldBe(ExpectedCheckpoints(opening, onTime));

        // When an event dated before both checkpoints is appended
        var version = (await Store.AppendOk(id, [late])).Version;

        // Then the checkpoints it closed are replaced in the background — by Wolverine's CheckpointsDue handler: nothing
        // in this test writes them (app.Checkpoints waits up to 60 s for them) — valid from the late event's version on,
        // and equal the pure fold's. (Wolverine's tracked sessions are not used: the shared host's other tests' webhook
        // deliveries fail on purpose, and a tracked session fails on any exception of the runtime.)
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await Store.CheckpointsCompleteAsync(id) && DateTime.UtcNow < deadline) await Task.Delay(50);
        (await Store.CheckpointsCompleteAsync(id)).ShouldBeTrue("Wolverine wrote the checkpoints the late event left");
        (await app.Checkpoints(id)).ShouldBe(ExpectedCheckpoints(opening, events));
        (await app.Scalar<long>("select count(*) from nz_checkpoints where negotiation_id = @id and valid_to is null and valid_from >= @v",
            ("id", id), ("v", version))).ShouldBe(2, "both checkpoints after the late event were written after it");
        (await Store.CompleteCheckpointsAsync(id)).ShouldBe(0, "a second run finds no gap");
    }

    [Fact]
    public void Given_the_running_host_When_its_CheckpointsDue_handler_is_read_Then_it_has_no_60_second_cut_off_and_retries_database_errors()
    {
        // Given the host's Wolverine runtime; When the handler chain of CheckpointsDue is read
        var chain = app.Host.Services.GetRequiredService<Wolverine.Runtime.Handlers.HandlerGraph>().ChainFor(typeof(CheckpointsDue));

        // Then a 1,000,000-event record's work on a loaded machine is not cancelled after Wolverine's default 60 s (it was, and
        // the message went to the error queue), and a database error is retried rather than leaving the gap
        chain.ShouldNotBeNull();
        chain.ExecutionTimeoutInSeconds.ShouldBe(CheckpointsDueHandler.ExecutionTimeoutSeconds);
        CheckpointsDueHandler.ExecutionTimeoutSeconds.ShouldBeGreaterThanOrEqualTo(600);
        chain.Failures.ShouldNotBeEmpty();
    }

    [Fact]
    public async Task Over_a_gap_in_the_checkpoints_every_state_equals_the_pure_fold_and_completing_fills_the_gap()
    {
        // Given a record of 1,600 events with three checkpoints, of which the last two are closed (the gap a late event
        // leaves until Wolverine writes their successors)
        var id = NewId("gap");
        var opening = Opening(id);
        await Store.CreateAsync(opening, Poster);
        var events = Synthetic(1600, seed: 22).OrderBy(e => e, DomainOrder.Instance).ToList(); // in date order: no append leaves checkpoints to Wolverine
        for (var i = 0; i < events.Count; i += 400) await Store.AppendOk(id, events.Skip(i).Take(400).ToList());
        var expected = ExpectedCheckpoints(opening, events);
        expected.Count.ShouldBe(3);
        var version = await Store.VersionAsync(id);
        // (As CloseCheckpointsAsync does: a row the closing version itself wrote is deleted, the others get valid_to.)
        await app.Execute("""
            delete from nz_checkpoints where negotiation_id = @id and valid_to is null and sort_key > @k and valid_from >= @v;
            update nz_checkpoints set valid_to = @v where negotiation_id = @id and valid_to is null and sort_key > @k
            """, ("v", version!.Value), ("id", id), ("k", expected[0].Key));
        (await Store.CheckpointsCompleteAsync(id)).ShouldBeFalse();

        // When states are read over the gap, Then each equals the pure fold
        var rnd = new Random(5);
        foreach (var d in Enumerable.Range(0, 25).Select(_ => new DateOnly(2000, 1, 1).AddDays(rnd.Next(9100))))
            Json(await Store.StateAsOfAsync(id, d)).ShouldBe(FoldJson(opening, events, d), $"as of {d}");

        // When the gap is completed, Then the two missing checkpoints are written and equal the pure fold's
        var written = await Store.CompleteCheckpointsAsync(id);
        written.ShouldBe(2);
        (await app.Checkpoints(id)).ShouldBe(expected);
    }

    [Fact]
    public async Task Late_events_refolded_from_the_cached_tail_give_the_states_of_the_pure_fold()
    {
        // Given a record of 1,200 events appended in date order, then one late event (its refold reads the tail and caches it)
        var id = NewId("tail");
        var opening = Opening(id);
        await Store.CreateAsync(opening, Poster);
        var events = Synthetic(1240, seed: 23).OrderBy(e => e, DomainOrder.Instance).ToList();
        var late = Enumerable.Range(0, 40).Select(i => events[600 + i * 15]).ToList();
        var onTime = events.Except(late).ToList();
        for (var i = 0; i < onTime.Count; i += 300) await Store.AppendOk(id, onTime.Skip(i).Take(300).ToList());

        // When the late events arrive one at a time, each followed by an event at the end (the tail continues in memory)
        var recorded = new List<NegotiationEvent>(onTime);
        var end = new DateOnly(2025, 1, 1);
        for (var i = 0; i < late.Count; i++)
        {
            await Store.AppendOk(id, [late[i]]);
            var after = new TalksHeld { Participants = ["US", "TB"], OccurredOn = DomainDate.FromDate(end.AddDays(i)), EventId = Guid.NewGuid(), Sources = late[i].Sources, Actor = "US" };
            await Store.AppendOk(id, [after]);
            recorded.Add(late[i]); recorded.Add(after);
            // Then the head and a state in the middle equal the pure fold after each pair
            (await Store.HeadJson(id, end.AddDays(i))).ShouldBe(FoldJson(opening, recorded, end.AddDays(i)), $"head after {i + 1} late events");
            var mid = late[i].Date.AddDays(3);
            Json(await Store.StateAsOfAsync(id, mid)).ShouldBe(FoldJson(opening, recorded, mid), $"as of {mid} after {i + 1} late events");
        }
        (await app.Checkpoints(id)).ShouldBe(ExpectedCheckpoints(opening, recorded));
    }

    [Fact]
    public async Task Retractions_and_corrections_refolded_from_the_cached_tail_give_the_states_of_the_pure_fold()
    {
        // Given a record of 1,200 events appended in date order, then one late event before its first checkpoint (its refold
        // reads the whole tail and caches it)
        var id = NewId("amend");
        var opening = Opening(id);
        await Store.CreateAsync(opening, Poster);
        var events = Synthetic(1200, seed: 24).OrderBy(e => e, DomainOrder.Instance).ToList();
        var late = events[150];
        var recorded = events.Where(e => e != late).ToList();
        for (var i = 0; i < recorded.Count; i += 300) await Store.AppendOk(id, recorded.Skip(i).Take(300).ToList());
        await Store.AppendOk(id, [late]);
        recorded.Add(late);

        // When, one write at a time, mid-history events are retracted, corrected (to another day, moving them), the correction
        // retracted (the first version back), the retraction retracted (the event back), and a batch mixes a retraction, a
        // correction and a new event — each refold watched through its span
        var refolds = new System.Collections.Concurrent.ConcurrentQueue<bool>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = s => s.Name == Normalization.Api.Telemetry.TelemetrySetup.SourceName,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { if (a.OperationName == "refold" && (a.GetTagItem("negotiation.id") as string) == id) refolds.Enqueue(a.GetTagItem("refold.cached") is true); },
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        var n = 0;
        NegotiationEvent Amend(NegotiationEvent e) => e with { EventId = Guid.NewGuid(), OccurredOn = DomainDate.FromDate(new DateOnly(2025, 2, 1).AddDays(n++)), Actor = "US", Target = null };
        NegotiationEvent Retract(Guid target) => Amend(new EventRetracted { TargetEventId = target, Reason = "denied" });
        NegotiationEvent Correct(NegotiationEvent target, int days) =>
            Amend(new EventCorrected { TargetEventId = target.EventId, Correction = target with { OccurredOn = DomainDate.FromDate(target.Date.AddDays(days)), Note = $"moved {days}" } });
        var r1 = Retract(events[300].EventId);
        var c1 = Correct(events[700], -400);
        var c2 = Correct(events[900], 30);
        var writes = new List<List<NegotiationEvent>>
        {
            new() { r1 },
            new() { c1 },
            new() { c2 },
            new() { Retract(c1.EventId) },
            new() { Retract(r1.EventId) },
            new() { Retract(events[1000].EventId), Correct(events[650], 200), Synthetic(1, seed: 99, from: new DateOnly(2008, 1, 1), days: 300)[0] },
        };
        foreach (var (batch, i) in writes.Select((b, i) => (b, i)))
        {
            await Store.AppendOk(id, batch);
            recorded.AddRange(batch);
            // Then the head and states across the record equal the pure fold after each write
            (await Store.HeadJson(id, Later)).ShouldBe(FoldJson(opening, recorded, Later), $"head after write {i + 1}");
            foreach (var d in new[] { new DateOnly(2005, 6, 1), new DateOnly(2010, 3, 1), new DateOnly(2016, 1, 1), new DateOnly(2024, 12, 1) })
                Json(await Store.StateAsOfAsync(id, d)).ShouldBe(FoldJson(opening, recorded, d), $"as of {d} after write {i + 1}");
        }

        // and every refold took its events from the tail in memory, and the checkpoints written after equal the pure fold's
        refolds.Count.ShouldBe(writes.Count);
        refolds.ShouldAllBe(cached => cached);
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (!await Store.CheckpointsCompleteAsync(id) && DateTime.UtcNow < deadline) await Task.Delay(50);
        (await app.Checkpoints(id)).ShouldBe(ExpectedCheckpoints(opening, recorded));
    }
}
