using System.Text.Json;
using CsCheck;
using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Summaries;
using Normalization.Domain.Tests.Support;

namespace Normalization.Domain.Tests.Summaries;

/// <summary>The record summary is the fold sampled per period: its momentum and stage history are the state's, its counts add up.</summary>
public class RecordSummaryTests
{
    static readonly DateOnly Through = new(2025, 6, 30);

    [Theory]
    [InlineData(SummaryBucket.Week)]
    [InlineData(SummaryBucket.Month)]
    public void Given_random_histories_When_summarised_Then_each_period_has_the_momentum_of_the_state_on_its_last_day_and_the_counts_add_up(SummaryBucket bucket) =>
        Gen.Select(RandomHistory.Events, Gen.Int).Sample((events, seed) =>
        {
            var recorded = RandomHistory.Permute(events, seed).ToList();
            // The negotiation's events: reviews of the record (RandomHistory makes some) are record keeping, not counted.
            var counted = events.Where(e => e is not RecordReviewed).ToList();
            // Each counted where the fold reads it: a corrected event on its correction's date (retracted ones where recorded)
            var resolved = EffectiveHistory.Resolve(recorded);
            var dates = counted.Select(e => resolved.Events.FirstOrDefault(x => x.EventId == e.EventId && x is not EventRetracted and not EventCorrected)?.Date ?? e.Date).ToList();

            var summary = RecordSummaries.Build(RandomHistory.Opening, recorded, Through, bucket);

            summary.Periods.Sum(p => p.Events).ShouldBe(counted.Count);
            summary.Events.ShouldBe(counted.Count);
            summary.LastEventOn.ShouldBe(counted.Count == 0 ? null : (DateOnly?)dates.Max());
            summary.Periods[0].Start.ShouldBe(RecordSummaries.StartOf(counted.Count == 0 ? Through : dates.Min(), bucket));
            summary.Periods[^1].End.ShouldBeGreaterThanOrEqualTo(Through);
            summary.Periods.Zip(summary.Periods.Skip(1)).ShouldAllBe(p => p.First.End.AddDays(1) == p.Second.Start);
            foreach (var p in summary.Periods.Where((_, i) => i % 7 == 0).Append(summary.Periods[^1]))
            {
                var until = p.End < Through ? p.End : Through;
                p.Momentum.ShouldBe(NegotiationFold.StateAsOf(RandomHistory.Opening, recorded, until).Momentum.Score, $"momentum on {until}");
            }
            JsonSerializer.Serialize(summary.StageHistory, EventJson.Options)
                .ShouldBe(JsonSerializer.Serialize(NegotiationFold.StateAsOf(RandomHistory.Opening, recorded, Through).StageHistory, EventJson.Options));
        }, iter: 60, print: t => RandomHistory.Print(t.Item1));

    [Theory]
    [InlineData(null)]
    [InlineData(SummaryBucket.Day)]
    [InlineData(SummaryBucket.Month)]
    public void Given_random_histories_When_summarised_from_the_head_and_per_day_numbers_Then_the_summary_is_the_full_folds(SummaryBucket? bucket) =>
        Gen.Select(RandomHistory.Events, Gen.Int).Sample((events, seed) =>
        {
            // Given the numbers the store's index gives: per day the catalog events as recorded, and per day the momentum
            // weights of the effective events summed in domain order; and the head, the fold of every effective event
            var recorded = RandomHistory.Permute(events, seed).ToList();
            var resolved = EffectiveHistory.Resolve(recorded);
            var effective = resolved.Events.ToList();
            DomainOrder.Sort(effective);
            var head = FoldAccumulator.Start(RandomHistory.Opening);
            foreach (var e in effective) head.Apply(e);
            var days = RecordSummaries.Days(recorded, resolved);
            var daily = new List<Normalization.Domain.Momentum.DailyWeight>();
            foreach (var e in effective.Where(e => head.MomentumWeightOf(e) != 0))
                if (daily.Count > 0 && daily[^1].On == e.Date) daily[^1] = daily[^1] with { Weight = daily[^1].Weight + head.MomentumWeightOf(e) };
                else daily.Add(new(e.Date, head.MomentumWeightOf(e)));

            // When summarised from them
            var fromIndex = RecordSummaries.FromIndex(head, days, daily, Through, bucket);

            // Then it is the summary folded from the whole record
            JsonSerializer.Serialize(fromIndex, EventJson.Options).ShouldBe(JsonSerializer.Serialize(RecordSummaries.Build(RandomHistory.Opening, recorded, Through, bucket), EventJson.Options));
        }, iter: 80, print: t => RandomHistory.Print(t.Item1));

    [Fact]
    public void Given_a_retracted_event_When_summarised_Then_it_is_counted_as_retracted_and_not_as_cooperative()
    {
        var talks = new TalksHeld { EventId = Given.Id(1), OccurredOn = DomainDate.Parse("2025-03-20"), Actor = Given.US, Target = Given.TB, Participants = [Given.US, Given.TB] };
        var retraction = new EventRetracted { EventId = Given.Id(2), OccurredOn = DomainDate.Parse("2025-03-21"), Actor = Given.US, TargetEventId = talks.EventId, Reason = "did not happen" };

        var summary = RecordSummaries.Build(RandomHistory.Opening, [talks, retraction], Through, SummaryBucket.Month);

        var march = summary.Periods.Single(p => p.Start == new DateOnly(2025, 3, 1));
        march.ShouldBe(new SummaryPeriod(new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 31), 1, 0, 0, 1, 0));
        summary.Events.ShouldBe(1);
    }

    [Fact]
    public void Given_an_event_corrected_to_another_date_and_tone_When_summarised_Then_it_is_counted_where_and_as_its_correction_puts_it()
    {
        // Given a positive statement reported for 30 March, corrected: it was a negative one, on 1 April (a desk's correction)
        var statement = new StatementIssued { EventId = Given.Id(1), OccurredOn = DomainDate.Parse("2025-03-30"), Actor = Given.TB, Target = Given.US, Tone = Tone.Positive };
        var correction = new EventCorrected
        {
            EventId = Given.Id(2), OccurredOn = DomainDate.Parse("2025-04-02"), Actor = Given.TB, TargetEventId = statement.EventId,
            Correction = statement with { OccurredOn = DomainDate.Parse("2025-04-01"), Tone = Tone.Negative },
        };

        // When summarised by month
        var summary = RecordSummaries.Build(RandomHistory.Opening, [statement, correction], Through, SummaryBucket.Month);

        // Then April holds one conflictual event — where the timeline and the momentum put it — and March none: the record starts in April
        summary.Periods.Where(p => p.Start == new DateOnly(2025, 3, 1)).Sum(p => p.Events).ShouldBe(0);
        summary.Periods[0].Start.ShouldBe(new DateOnly(2025, 4, 1));
        summary.Periods.Single(p => p.Start == new DateOnly(2025, 4, 1)).ShouldBe(new SummaryPeriod(new DateOnly(2025, 4, 1), new DateOnly(2025, 4, 30), 1, 0, 1, 0, -0.4));
        summary.FirstEventOn.ShouldBe(new DateOnly(2025, 4, 1));
        summary.Events.ShouldBe(1);
    }

    [Fact]
    public void Given_reviews_of_the_record_When_summarised_Then_they_are_not_counted_as_events_nor_move_the_first_or_last_event()
    {
        // Given talks, a review of the record before them and one after them (the record keeping a PUT …/coverage appends)
        var early = new RecordReviewed { EventId = Given.Id(1), OccurredOn = DomainDate.Parse("2025-01-10"), Actor = "EDITOR", CoveredUntil = DomainDate.Parse("2025-01-05") };
        var talks = new TalksHeld { EventId = Given.Id(2), OccurredOn = DomainDate.Parse("2025-03-20"), Actor = Given.US, Target = Given.TB, Participants = [Given.US, Given.TB] };
        var late = new RecordReviewed { EventId = Given.Id(3), OccurredOn = DomainDate.Parse("2025-05-15"), Actor = "EDITOR", CoveredUntil = DomainDate.Parse("2025-05-01") };

        // When summarised
        var summary = RecordSummaries.Build(RandomHistory.Opening, [late, talks, early], Through, SummaryBucket.Month);

        // Then only the talks are counted, as the state counts them
        summary.Events.ShouldBe(NegotiationFold.StateAsOf(RandomHistory.Opening, [late, talks, early], Through).EventCount);
        summary.Events.ShouldBe(1);
        summary.FirstEventOn.ShouldBe(talks.Date);
        summary.LastEventOn.ShouldBe(talks.Date);
        summary.Periods[0].Start.ShouldBe(new DateOnly(2025, 3, 1));
        summary.Periods.Single(p => p.Start == new DateOnly(2025, 5, 1)).Events.ShouldBe(0);
    }

    [Theory]
    [InlineData("2025-01-01", "2025-06-30", SummaryBucket.Day)]
    [InlineData("2020-01-01", "2025-06-30", SummaryBucket.Week)]
    [InlineData("1990-01-01", "2025-06-30", SummaryBucket.Month)]
    public void Given_a_span_When_no_bucket_is_asked_Then_the_bucket_keeps_the_chart_readable(string first, string through, SummaryBucket expected)
    {
        var bucket = RecordSummaries.AutoBucket(DateOnly.Parse(first), DateOnly.Parse(through));

        bucket.ShouldBe(expected);
        RecordSummaries.PeriodCount(DateOnly.Parse(first), DateOnly.Parse(through), bucket).ShouldBeLessThanOrEqualTo(600);
    }

    [Fact]
    public void Weeks_start_on_Monday() =>
        RecordSummaries.StartOf(new DateOnly(2025, 3, 20), SummaryBucket.Week).ShouldBe(new DateOnly(2025, 3, 17));
}
