using System.Collections.Concurrent;
using System.Diagnostics;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Normalization.Api.Storage;
using Normalization.Api.Telemetry;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Domain.Catalog;
using Npgsql;
using static Normalization.Api.Tests.Storage.StoreSupport;

namespace Normalization.Api.Tests.Storage;

/// <summary>
/// The end append without a lock round trip (docs/architecture.md): with the head in memory at version v, a batch dated after
/// everything is appended with Marten's expected version instead of taking the stream row first; everything else, and
/// every case where the stream moved on, runs under the lock. Two stores with their own caches and turns on one
/// database stand for two API nodes.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class UnlockedAppendTests(AppFixture app)
{
    NegotiationStore NodeA => app.Store();

    NegotiationStore SecondNode() => new(app.Host.Services.GetRequiredService<IDocumentStore>(), app.Host.Services.GetRequiredService<NpgsqlDataSource>(),
        TimeProvider.System, new HeadCache(), app.Host.Services.GetRequiredService<Normalization.Api.Alerts.Notifying.StageChangeAlerts>(),
        new TailCache(), app.Host.Services.GetRequiredService<DeferredCheckpoints>(), app.Host.Services.GetRequiredService<LongWork>(), new WriterGate());

    static NegotiationEvent AtTheEnd(NegotiationEvent like, int day) =>
        like with { EventId = Guid.NewGuid(), OccurredOn = DomainDate.FromDate(new DateOnly(2025, 1, 1).AddDays(day)) };

    /// <summary>The trace events of the <c>append</c> spans of <paramref name="id"/> while <paramref name="act"/> runs (one list per append).</summary>
    static async Task<List<List<string>>> AppendTraces(string id, Func<Task> act)
    {
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == TelemetrySetup.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { if (a.OperationName == "append" && (a.GetTagItem("negotiation.id") as string) == id) spans.Enqueue(a); },
        };
        ActivitySource.AddActivityListener(listener);
        await act();
        return spans.Select(a => a.Events.Select(e => e.Name).ToList()).ToList();
    }

    [Fact]
    public async Task Given_a_head_this_node_holds_When_an_event_is_appended_at_the_end_Then_no_lock_is_taken_and_the_version_is_Martens()
    {
        // Given a negotiation whose head this node holds
        var id = NewId("unlocked");
        var opening = Opening(id);
        await NodeA.CreateAsync(opening, Poster);
        var recorded = Synthetic(30, 2);
        await NodeA.AppendOk(id, recorded);

        // When an event dated after everything is appended
        var last = AtTheEnd(recorded[0], 1);
        AppendOutcome.Appended? appended = null;
        var traces = await AppendTraces(id, async () => appended = await NodeA.AppendOk(id, [last]));

        // Then it went without the lock, and Marten's stream version and the fold are those of every event
        traces.ShouldHaveSingleItem().ShouldContain("unlocked");
        traces[0].ShouldNotContain("locked");
        appended!.Version.ShouldBe(32);
        (await NodeA.VersionAsync(id)).ShouldBe(32);
        (await NodeA.HeadJson(id, Later)).ShouldBe(FoldJson(opening, [.. recorded, last], Later));
    }

    [Fact]
    public async Task Given_a_node_whose_head_is_stale_When_it_appends_at_the_end_Then_Marten_refuses_the_expected_version_and_the_append_runs_under_the_lock()
    {
        // Given node B holding the head at version 21, and node A appending after it
        var id = NewId("stale");
        var opening = Opening(id);
        var nodeB = SecondNode();
        await NodeA.CreateAsync(opening, Poster);
        var recorded = Synthetic(20, 4);
        await nodeB.AppendOk(id, recorded);
        var byA = AtTheEnd(recorded[1], 1);
        (await NodeA.AppendOk(id, [byA])).Version.ShouldBe(22);

        // When node B appends an event at the end
        var byB = AtTheEnd(recorded[2], 2);
        AppendOutcome.Appended? appended = null;
        var traces = await AppendTraces(id, async () => appended = await nodeB.AppendOk(id, [byB]));

        // Then its unlocked try was refused, it ran again under the lock, and its head holds node A's event too
        var trace = traces.ShouldHaveSingleItem();
        trace.IndexOf("unlocked").ShouldBe(0);
        trace.IndexOf("stream moved on: again under the lock").ShouldBeGreaterThan(0);
        trace.IndexOf("locked").ShouldBeGreaterThan(trace.IndexOf("stream moved on: again under the lock"));
        trace[^1].ShouldBe("committed");
        appended!.Version.ShouldBe(23);
        var expected = FoldJson(opening, [.. recorded, byA, byB], Later);
        (await nodeB.HeadJson(id, Later)).ShouldBe(expected);
        (await NodeA.HeadJson(id, Later)).ShouldBe(expected);
    }

    [Fact]
    public async Task Given_a_node_whose_head_is_stale_When_it_appends_with_the_version_it_holds_Then_it_is_a_version_conflict_with_the_current_version()
    {
        // Given node B holding the head at version 11, and node A appending after it
        var id = NewId("conflict");
        var nodeB = SecondNode();
        await NodeA.CreateAsync(Opening(id), Poster);
        var recorded = Synthetic(10, 6);
        await nodeB.AppendOk(id, recorded);
        await NodeA.AppendOk(id, [AtTheEnd(recorded[0], 1)]);

        // When node B appends expecting the version it holds
        var outcome = await nodeB.AppendAsync(id, 11, [AtTheEnd(recorded[1], 2)], Poster);

        // Then nothing is written and the conflict names the current version
        var conflict = outcome.ShouldBeOfType<AppendOutcome.VersionConflict>();
        conflict.CurrentVersion.ShouldBe(12);
        conflict.ExpectedVersion.ShouldBe(11);
        (await NodeA.VersionAsync(id)).ShouldBe(12);
    }

    [Fact]
    public async Task Given_two_nodes_When_both_append_at_the_end_of_one_negotiation_at_once_Then_every_event_is_stored_once_and_both_heads_are_the_fold()
    {
        // Given one negotiation and two nodes, each with its own heads and turns
        var id = NewId("race");
        var opening = Opening(id);
        var nodeB = SecondNode();
        await NodeA.CreateAsync(opening, Poster);
        var like = Synthetic(8, 8);
        await NodeA.AppendOk(id, like);
        await nodeB.LoadViewAsync(id);

        // When 4 writers on each node append 5 events each, one at a time, all dated after everything so far
        var day = 0;
        var batches = Enumerable.Range(0, 8).Select(w => Enumerable.Range(0, 5).Select(_ => AtTheEnd(like[w], Interlocked.Increment(ref day))).ToList()).ToList();
        await Task.WhenAll(batches.Select((events, w) => Task.Run(async () =>
        {
            var node = w % 2 == 0 ? NodeA : nodeB;
            foreach (var e in events) await node.AppendOk(id, [e]);
        })));

        // Then every event is stored once (Marten's version counts them) and both nodes read the fold of all of them
        var all = like.Concat(batches.SelectMany(b => b)).ToList();
        (await NodeA.VersionAsync(id)).ShouldBe(1 + all.Count);
        var expected = FoldJson(opening, all, Later);
        (await NodeA.HeadJson(id, Later)).ShouldBe(expected);
        (await nodeB.HeadJson(id, Later)).ShouldBe(expected);
    }

    [Fact]
    public async Task Given_a_node_holding_many_negotiations_When_their_writers_append_at_once_Then_appends_share_commits_and_each_keeps_its_poster_correlation_and_fold()
    {
        // Given 24 negotiations whose heads a fresh node holds
        var node = SecondNode();
        var ids = Enumerable.Range(0, 24).Select(i => NewId($"group{i}")).ToList();
        var history = new Dictionary<string, List<NegotiationEvent>>();
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            await node.CreateAsync(Opening(id), Poster);
            history[id] = Synthetic(12, 100 + i);
            await node.AppendOk(id, history[id]);
        }
        var groupsBefore = node.GroupStatistics.Groups;

        // When each negotiation's own writer (its own poster and correlation id) appends 6 events one at a time, all at once
        var added = ids.ToDictionary(id => id, id => Enumerable.Range(1, 6).Select(d => AtTheEnd(history[id][d], d)).ToList());
        await Task.WhenAll(ids.Select(id => Task.Run(async () =>
        {
            foreach (var e in added[id])
                (await node.AppendAsync(id, null, [e], $"poster-{id}", $"corr-{id}")).ShouldBeOfType<AppendOutcome.Appended>();
        })));

        // Then some commits held more than one append, fewer commits than appends were made,
        var (groups, largest) = node.GroupStatistics;
        largest.ShouldBeGreaterThan(1);
        (groups - groupsBefore).ShouldBeLessThan(ids.Count * 6);
        foreach (var id in ids)
        {
            // and every negotiation has its events once, each with its own writer's poster and correlation id, and its fold
            var stored = (await node.LoadHistoryAsync(id))!.Events;
            stored.Count.ShouldBe(12 + 6);
            stored.Skip(12).Select(r => r.Event.EventId).ShouldBe(added[id].Select(e => e.EventId));
            stored.Skip(12).ShouldAllBe(r => r.PostedBy == $"poster-{id}");
            await using var session = app.Host.Services.GetRequiredService<IDocumentStore>().QuerySession();
            (await session.Events.FetchStreamAsync(id)).Skip(13).ShouldAllBe(e => e.CorrelationId == $"corr-{id}");
            var expected = FoldJson(Opening(id), [.. history[id], .. added[id]], Later);
            (await node.HeadJson(id, Later)).ShouldBe(expected);
            (await SecondNode().HeadJson(id, Later)).ShouldBe(expected);
        }
    }

    [Fact]
    public async Task Given_appends_written_in_groups_When_traced_Then_each_group_span_links_to_every_append_it_carried()
    {
        // Given 16 negotiations whose heads a fresh node holds, and a listener on our spans
        var node = SecondNode();
        var ids = Enumerable.Range(0, 16).Select(i => NewId($"linked{i}")).ToList();
        var history = new Dictionary<string, List<NegotiationEvent>>();
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            await node.CreateAsync(Opening(id), Poster);
            history[id] = Synthetic(8, 300 + i);
            await node.AppendOk(id, history[id]);
        }
        var spans = new ConcurrentQueue<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == TelemetrySetup.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);

        // When each negotiation's writer appends 4 events one at a time, all at once, each append its own trace
        await Task.WhenAll(ids.Select(id => Task.Run(async () =>
        {
            foreach (var d in Enumerable.Range(1, 4))
            {
                Activity.Current = null;
                (await node.AppendAsync(id, null, [AtTheEnd(history[id][d], d)], Poster)).ShouldBeOfType<AppendOutcome.Appended>();
            }
        })));

        // Then every append span is linked from exactly one group span, and some group carried (and links) more than one
        var appends = spans.Where(a => a.OperationName == "append" && ids.Contains(a.GetTagItem("negotiation.id") as string ?? "")).ToList();
        appends.Count.ShouldBe(ids.Count * 4);
        Func<Activity, Activity, bool> Carried = (group, append) => group.Links.Any(l => l.Context.TraceId == append.TraceId && l.Context.SpanId == append.SpanId);
        var groups = spans.Where(g => g.OperationName == "append-group" && appends.Any(a => Carried(g, a))).ToList();
        foreach (var a in appends) groups.Count(g => Carried(g, a)).ShouldBe(1, $"append span of {a.GetTagItem("negotiation.id")}");
        groups.Any(g => g.Links.Count() > 1).ShouldBeTrue();
        // and a group's span is a child of the append that wrote it, or a root when the thread pool wrote it (no caller's)
        groups.Where(g => g.ParentSpanId != default && !appends.Any(a => a.SpanId == g.ParentSpanId && Carried(g, a))).ShouldBeEmpty();
    }

    [Fact]
    public async Task Given_a_group_with_one_stale_member_When_it_is_written_Then_the_others_are_written_alone_and_every_answer_is_its_own()
    {
        // Given 12 negotiations a node holds, one of which another node moves on behind its back
        var node = SecondNode();
        var ids = Enumerable.Range(0, 12).Select(i => NewId($"stale{i}")).ToList();
        var like = Synthetic(6, 77);
        foreach (var id in ids)
        {
            await node.CreateAsync(Opening(id), Poster);
            await node.AppendOk(id, like.Select(e => e with { EventId = Guid.NewGuid() }).ToList());
        }
        var moved = ids[5];
        await NodeA.AppendOk(moved, [AtTheEnd(like[0], 1)]);

        // When every negotiation gets 3 appends at once, several times over (so the stale one shares groups)
        var all = new ConcurrentBag<(string Id, AppendOutcome Outcome)>();
        await Task.WhenAll(ids.Select(id => Task.Run(async () =>
        {
            for (var d = 2; d < 5; d++) all.Add((id, await node.AppendAsync(id, null, [AtTheEnd(like[d], d)], Poster)));
        })));

        // Then every append was stored, each at its own negotiation's next version
        all.ShouldAllBe(x => x.Outcome is AppendOutcome.Appended);
        foreach (var id in ids)
        {
            var versions = all.Where(x => x.Id == id).Select(x => ((AppendOutcome.Appended)x.Outcome).Version).Order().ToList();
            var start = id == moved ? 8 : 7;
            versions.ShouldBe([start + 1, start + 2, start + 3]);
            (await NodeA.VersionAsync(id)).ShouldBe(start + 3);
        }
    }

    [Fact]
    public async Task Given_many_writers_of_one_negotiation_When_they_finish_Then_the_gate_holds_no_turn()
    {
        // Given a gate and 16 writers of two negotiations taking turns
        var gate = new WriterGate();
        var inside = new ConcurrentDictionary<string, int>();
        var overlap = 0;

        // When they all enter, work and leave (some cancelled while waiting)
        await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            var id = i % 2 == 0 ? "a" : "b";
            using var cts = new CancellationTokenSource(i % 5 == 0 ? TimeSpan.FromMilliseconds(1) : TimeSpan.FromSeconds(30));
            try
            {
                using var turn = await gate.EnterAsync(id, cts.Token);
                if (inside.AddOrUpdate(id, 1, (_, n) => n + 1) > 1) Interlocked.Increment(ref overlap);
                await Task.Delay(5);
                inside.AddOrUpdate(id, 0, (_, n) => n - 1);
            }
            catch (OperationCanceledException) { }
        })));

        // Then no two writers of one negotiation were inside at once, and no entry is left behind
        overlap.ShouldBe(0);
        gate.Count.ShouldBe(0);
    }
}
