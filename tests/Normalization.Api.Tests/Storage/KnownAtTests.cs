using CsCheck;
using Normalization.Api.Storage;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using static Normalization.Api.Tests.Storage.StoreSupport;

namespace Normalization.Api.Tests.Storage;

/// <summary>
/// "As of D, as known at T" from bitemporal checkpoints (issue 17, part 1) equals the fold of the whole record as Marten
/// held it at T, for random histories whose late events, retractions, corrections and reviews arrive in random order.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class KnownAtTests(AppFixture app)
{
    NegotiationStore Store => app.Store();

    [Fact]
    public async Task Given_records_changed_by_late_events_retractions_and_corrections_When_asked_as_of_D_as_known_at_T_Then_the_answer_is_the_fold_of_the_record_as_it_was_at_T()
    {
        await Gen.Int[1, 1_000_000].SampleAsync(CheckAsync, iter: 3, threads: 1);
    }

    async Task CheckAsync(int seed)
    {
        var beforeCreation = new DateTimeOffset(await app.Scalar<DateTime>("select clock_timestamp()"), TimeSpan.Zero);
        var id = await RecordAsync(seed);
        var rnd = new Random(seed + 1);
        var history = (await Store.LoadHistoryAsync(id))!;
        var stamps = history.Events.Select(r => r.RecordedAt).Distinct().Order().ToList();

        for (var k = 0; k < 40; k++)
        {
            // When asked as of a random date, as known at a batch's own timestamp, between two batches, or before the record
            var i = rnd.Next(stamps.Count);
            var knownAt = (k % 4) switch
            {
                0 => stamps[i],
                1 when i + 1 < stamps.Count => stamps[i] + (stamps[i + 1] - stamps[i]) / 2,
                2 => stamps[i].AddTicks(-10),
                _ when k == 3 => beforeCreation,
                _ => stamps[i].AddTicks(10),
            };
            var asOf = new DateOnly(1999, 6, 1).AddDays(rnd.Next(10_000));
            var asItWas = await Store.LoadHistoryAsync(id, knownAt);
            var expected = asItWas is null ? Json<object?>(null) : Json(NegotiationFold.StateAsOf(asItWas.Opening, asItWas.Events.Select(r => r.Event), asOf));

            var actual = await Store.StateAsOfAsync(id, asOf, knownAt);

            // Then the checkpoints answer as the whole record as it then stood
            Json(actual).ShouldBe(expected, $"seed {seed}: as of {asOf}, known at {knownAt:O}");
        }
    }

    /// <summary>
    /// Given a record of 1,300 events: 1,100 on time in batches (two checkpoints), then late events dated all over the
    /// history mixed with retractions (of events, of corrections, of retractions), corrections that move events and reviews.
    /// </summary>
    async Task<string> RecordAsync(int seed)
    {
        var rnd = new Random(seed);
        var id = NewId("knownat");
        var opening = Opening(id);
        await Store.CreateAsync(opening, Poster);
        var events = Synthetic(1_300, seed);
        var onTime = events.Take(1_100).OrderBy(e => e, DomainOrder.Instance).ToList();
        var late = events.Skip(1_100).ToList();
        var catalog = new List<NegotiationEvent>();
        var aimable = new List<NegotiationEvent>();   // retractions and corrections not yet aimed at
        var targeted = new HashSet<Guid>();
        foreach (var chunk in onTime.Chunk(rnd.Next(150, 400)))
        {
            await Store.AppendOk(id, chunk);
            catalog.AddRange(chunk);
        }
        while (late.Count > 0)
        {
            var batch = late.Take(rnd.Next(1, 40)).ToList();
            late.RemoveRange(0, batch.Count);
            var extra = new List<NegotiationEvent>();
            for (var i = rnd.Next(3); i > 0; i--)
                if (Untargeted(catalog, targeted, rnd) is { } t)
                    extra.Add(new EventRetracted { EventId = Guid.NewGuid(), OccurredOn = DomainDate.FromDate(new DateOnly(2025, 1, 1)), Actor = "US", Target = "TB", TargetEventId = t.EventId, Reason = "not so" });
            for (var i = rnd.Next(3); i > 0; i--)
                if (Untargeted(catalog, targeted, rnd) is { } t)
                    extra.Add(new EventCorrected
                    {
                        EventId = Guid.NewGuid(), OccurredOn = DomainDate.FromDate(t.Date), Actor = "US", Target = "TB", TargetEventId = t.EventId,
                        Correction = t with { OccurredOn = DomainDate.FromDate(new DateOnly(2000, 1, 1).AddDays(rnd.Next(9_000))) },
                    });
            if (rnd.Next(3) == 0 && Untargeted(aimable, targeted, rnd) is { } a)
                extra.Add(new EventRetracted { EventId = Guid.NewGuid(), OccurredOn = DomainDate.FromDate(new DateOnly(2025, 2, 1)), Actor = "US", Target = "TB", TargetEventId = a.EventId, Reason = "the change was wrong" });
            if (rnd.Next(4) == 0)
            {
                // A review vouches at most for its own day (after_review): the coverage is on or before it.
                var reviewedOn = new DateOnly(2000, 1, 1).AddDays(rnd.Next(9_000));
                extra.Add(new RecordReviewed
                {
                    EventId = Guid.NewGuid(), OccurredOn = DomainDate.FromDate(reviewedOn), Actor = "EDITOR",
                    CoveredUntil = DomainDate.FromDate(reviewedOn.AddDays(-rnd.Next(500))),
                });
            }
            await Store.AppendOk(id, [.. batch, .. extra]);
            catalog.AddRange(batch);
            aimable.AddRange(extra.Where(e => e is EventRetracted or EventCorrected));
        }
        // (the late changes closed checkpoint versions: the earlier instants read those)
        (await app.Scalar<long>("select count(*) from nz_checkpoints where negotiation_id = @id and valid_to is not null", ("id", id))).ShouldBeGreaterThan(0);
        return id;
    }

    [Fact]
    public async Task Given_a_record_changed_by_late_retractions_and_corrections_When_its_timeline_is_read_as_known_at_T_Then_it_lists_the_events_recorded_by_T_with_the_statuses_they_had_then()
    {
        // Given the random record of seed 7
        var id = await RecordAsync(7);
        var history = (await Store.LoadHistoryAsync(id))!;
        var stamps = history.Events.Select(r => r.RecordedAt).Distinct().Order().ToList();
        var rnd = new Random(7);
        foreach (var knownAt in new[] { stamps[0], stamps[stamps.Count / 2], stamps[^2], stamps[^1].AddTicks(-10) }.Concat(Enumerable.Range(0, 4).Select(_ => stamps[rnd.Next(stamps.Count)])))
        {
            // When the timeline is read as known at T
            var page = await Store.TimelineKnownAtAsync(id, knownAt, null, null, null, null, 0, 5_000);

            // Then it is the record Marten held at T, in domain order, each event with its status then
            var asItWas = (await Store.LoadHistoryAsync(id, knownAt))!;
            var resolved = EffectiveHistory.Resolve(asItWas.Events.Select(r => r.Event));
            var expected = asItWas.Events.OrderBy(r => Key(r.Event), StringComparer.Ordinal).ThenBy(r => r.Version).Select(r =>
            {
                resolved.Statuses.TryGetValue(r.Event.EventId, out var st);
                var aimer = r.Event is EventRetracted or EventCorrected;
                return $"{r.Event.EventId} {DomainIndex.StatusOf(r.Event, resolved).Db()} {st?.RetractedBy} {(aimer ? null : st?.CorrectedBy)}";
            });
            page.ShouldNotBeNull();
            page.Value.Total.ShouldBe(asItWas.Events.Count);
            page.Value.Items.Select(i => $"{i.Event.EventId} {i.Status.Db()} {i.RetractedBy} {i.CorrectedBy}").ShouldBe(expected, $"known at {knownAt:O}");
        }

        // and as known now it is the live timeline; before the record, there is none
        var now = await Store.TimelineKnownAtAsync(id, DateTimeOffset.UtcNow.AddMinutes(1), null, null, null, null, 0, 5_000);
        var live = await Store.TimelineAsync(id, null, null, null, null, 0, 5_000);
        now!.Value.Items.Select(i => $"{i.Event.EventId} {i.Status} {i.RetractedBy} {i.CorrectedBy}").ShouldBe(live.Items.Select(i => $"{i.Event.EventId} {i.Status} {i.RetractedBy} {i.CorrectedBy}"));
        (await Store.TimelineKnownAtAsync(id, history.OpenedAt.AddTicks(-10), null, null, null, null, 0, 10)).ShouldBeNull();
    }

    /// <summary>The domain order of a recorded event as the timeline sorts it: a correction where the corrected event now sits.</summary>
    static string Key(NegotiationEvent e) => e is EventCorrected { Correction: { } c } x ? DomainOrder.SortKey(c with { EventId = x.TargetEventId }) : DomainOrder.SortKey(e);

    static NegotiationEvent? Untargeted(List<NegotiationEvent> candidates, HashSet<Guid> targeted, Random rnd)
    {
        for (var tries = 0; tries < 10 && candidates.Count > 0; tries++)
        {
            var e = candidates[rnd.Next(candidates.Count)];
            if (targeted.Add(e.EventId)) return e;
        }
        return null;
    }
}
