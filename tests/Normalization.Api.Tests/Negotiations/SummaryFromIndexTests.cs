using CsCheck;
using Normalization.Api.Storage;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using Normalization.Domain.Catalog;
using Normalization.Domain.Negotiations;
using Normalization.Domain.Summaries;
using static Normalization.Api.Tests.Storage.StoreSupport;

namespace Normalization.Api.Tests.Negotiations;

/// <summary>
/// The summary of the current record is built from the head and our index (issue 19: a long record opens fast), not by
/// folding the record; these tests hold it to the summary the full fold gives (<see cref="RecordSummaries.Build"/>) for
/// generated records with late events, retractions and corrections, written by imports (weights written with the rows)
/// and by appends (weights filled by the first summary).
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class SummaryFromIndexTests(AppFixture app)
{
    NegotiationStore Store => app.Store();

    /// <summary>A record plan: how many events, the seed of their dates and types, how many retractions and corrections, how many imported before the appends, batch size.</summary>
    sealed record Plan(int Count, int Seed, int Retractions, int Corrections, int Imported, int Batch);

    static readonly Gen<Plan> GenPlan = Gen.Select(Gen.Int[1, 700], Gen.Int, Gen.Int[0, 12], Gen.Int[0, 6], Gen.Int[0, 100], Gen.Int[1, 250],
        (count, seed, retractions, corrections, importedPercent, batch) => new Plan(count, seed, retractions, corrections, count * importedPercent / 100, batch));

    /// <summary>Synthetic events over 25 years (random dates: every batch after the first holds late events), then retractions and corrections of random earlier events, and two reviews of the record.</summary>
    static List<NegotiationEvent> Record(Plan plan)
    {
        var events = Synthetic(plan.Count, plan.Seed);
        var rnd = new Random(plan.Seed);
        // Distinct targets: an event is retracted or corrected at most once.
        var targets = Shuffled(events, plan.Seed).Take(plan.Retractions + plan.Corrections).ToList();
        foreach (var target in targets.Take(plan.Retractions))
        {
            events.Add(new EventRetracted { EventId = Guid.NewGuid(), OccurredOn = DomainDate.FromDate(target.Date.AddDays(rnd.Next(0, 400))), Actor = "US", Target = "TB", TargetEventId = target.EventId, Reason = "error" });
        }
        foreach (var target in targets.Skip(plan.Retractions))
        {
            events.Add(new EventCorrected
            {
                EventId = Guid.NewGuid(), OccurredOn = DomainDate.FromDate(target.Date.AddDays(rnd.Next(0, 400))), Actor = "US", Target = "TB", TargetEventId = target.EventId,
                Correction = target with { OccurredOn = DomainDate.FromDate(target.Date.AddDays(rnd.Next(-300, 300))), Actor = target.Target!, Target = target.Actor },
            });
        }
        // Reviews of the record (record keeping, counted by neither summary) at random dates among the events.
        foreach (var at in Shuffled(events, plan.Seed + 1).Take(2).ToList())
            events.Add(new RecordReviewed { EventId = Guid.NewGuid(), OccurredOn = DomainDate.FromDate(at.Date.AddDays(rnd.Next(0, 400))), Actor = "EDITOR", CoveredUntil = DomainDate.FromDate(at.Date) });
        return events;
    }

    [Fact]
    public Task Given_generated_records_with_late_events_retractions_and_corrections_When_summarised_from_the_head_and_index_Then_the_summary_is_the_full_folds() =>
        GenPlan.SampleAsync(async plan =>
        {
            // Given a record, partly imported (weights written with the index rows) and partly appended in batches (weights not yet known)
            var id = NewId("sumix");
            var opening = Opening(id);
            var recorded = Record(plan);
            (await Store.BulkAppendAsync(opening, create: true, null, recorded.Take(plan.Imported).ToList(), Poster)).ShouldBeOfType<BulkOutcome.Stored>();
            foreach (var batch in recorded.Skip(plan.Imported).Chunk(plan.Batch)) await Store.AppendOneByOne(id, batch);
            var stored = (await Store.LoadHistoryAsync(id))!.Events.Select(r => r.Event).ToList();

            // When it is summarised from the head and the index, for each bucket
            var source = await Store.SummarySourceAsync(id);

            // Then each summary equals the one folded from the whole record
            source.ShouldNotBeNull();
            var through = stored.Max(e => e.Date) is var last && last > Store.Today ? last : Store.Today;
            foreach (SummaryBucket? bucket in new SummaryBucket?[] { null, SummaryBucket.Week, SummaryBucket.Month })
                Json(RecordSummaries.FromIndex(source.Head, source.Days, source.Daily, through, bucket))
                    .ShouldBe(Json(RecordSummaries.Build(opening, stored, through, bucket)), $"bucket {bucket}");
            source.FirstRecorded.ShouldBe(RecordSummaries.SpanDates(stored).Min());
            source.LastRecorded.ShouldBe(RecordSummaries.SpanDates(stored).Max());
        }, iter: 12, threads: 1, print: p => p.ToString());

    [Fact]
    public async Task Given_index_rows_without_weights_When_summarised_Then_they_are_weighed_once_and_the_answer_is_the_full_folds()
    {
        // Given an imported record whose index rows lost their weights (as in a database from before the columns)
        var id = NewId("sumold");
        var opening = Opening(id);
        var recorded = Record(new Plan(900, 5, 10, 4, 900, 900));
        (await Store.BulkAppendAsync(opening, create: true, null, recorded, Poster)).ShouldBeOfType<BulkOutcome.Stored>();
        var expected = await app.GetJson($"/api/negotiations/{id}/summary?bucket=Week");
        await app.Execute("update nz_events set goldstein = null, momentum = null where negotiation_id = @id", ("id", id));
        await Store.AppendOk(id, Synthetic(1, 99, new DateOnly(2024, 12, 30), 1));

        // When the page asks for the summary
        var direct = await Store.SummarySourceAsync(id);
        direct.ShouldNotBeNull();
        var (status, body) = await app.GetJson($"/api/negotiations/{id}/summary?bucket=Week");

        // Then every row is weighed and the answer is the full fold's of the record (the later event included)
        status.ShouldBe(200);
        (await app.Scalar<long>("select count(*) from nz_events where negotiation_id = @id and momentum is null", ("id", id))).ShouldBe(0);
        var stored = (await Store.LoadHistoryAsync(id))!.Events.Select(r => r.Event).ToList();
        var full = RecordSummaries.Build(opening, stored, Store.Today, SummaryBucket.Week);
        body!["events"]!.GetValue<int>().ShouldBe(full.Events);
        body["periods"]!.AsArray().Select(p => p!["momentum"]!.GetValue<double>()).ShouldBe(full.Periods.Select(p => p.Momentum));
        body["periods"]!.AsArray().Select(p => p!["cooperative"]!.GetValue<int>()).ShouldBe(full.Periods.Select(p => p.Cooperative));
        body["stageHistory"]!.AsArray().Count.ShouldBe(full.StageHistory.Count);
        expected.Body!["events"]!.GetValue<int>().ShouldBe(full.Events - 1);
    }
}
