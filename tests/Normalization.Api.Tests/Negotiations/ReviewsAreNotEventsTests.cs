using System.Text;
using Normalization.Api.Tests.Exporting;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Negotiations;

/// <summary>
/// A review of the record (<c>PUT …/coverage</c>, a posted <c>RecordReviewed</c>) keeps the record: the fold gives it no
/// stage, ledger, momentum or count (docs/stage-model.md, "How far the record reaches"). Every view that counts or lists
/// the negotiation's events agrees with the state on that — the summary, current and as known at an instant, and the
/// CAMEO/PLOVER rows.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class ReviewsAreNotEventsTests(AppFixture app)
{
    /// <summary>Talks 30 and 20 days ago, then two reviews: one posted as an event 10 days ago, one declared today.</summary>
    async Task<string> GivenTalksAndTwoReviews()
    {
        var id = await app.GivenNegotiation("revw");
        await app.GivenEvents(id, Talks(Day(30)), Talks(Day(20)),
            new() { ["type"] = "RecordReviewed", ["occurredOn"] = Day(10), ["actor"] = "EDITOR", ["coveredUntil"] = Day(15) });
        var (status, _) = await app.PutJson($"/api/negotiations/{id}/coverage", new { coveredUntil = Day(1) });
        status.ShouldBe(200);
        return id;
    }

    [Theory]
    [InlineData("")]
    [InlineData("&knownAt=9998-12-31T00:00:00Z")]
    public async Task Given_reviews_of_the_record_When_summarised_Then_they_are_not_counted_as_events_nor_move_the_last_event(string knownAt)
    {
        // Given two talks and two reviews after them
        var id = await GivenTalksAndTwoReviews();

        // When summarised by day (from the index, or folded as known at an instant)
        var (status, body) = await app.GetJson($"/api/negotiations/{id}/summary?bucket=Day{knownAt}");

        // Then only the talks are counted, as the state counts them, and the last event is the last talks
        status.ShouldBe(200);
        var (_, state) = await app.GetJson($"/api/negotiations/{id}");
        body!["events"]!.GetValue<int>().ShouldBe(state!["eventCount"]!.GetValue<int>());
        body["events"]!.GetValue<int>().ShouldBe(2);
        body["firstEventOn"]!.GetValue<string>().ShouldBe(Day(30));
        body["lastEventOn"]!.GetValue<string>().ShouldBe(Day(20));
        var periods = body["periods"]!.AsArray();
        periods.Sum(p => p!["events"]!.GetValue<int>()).ShouldBe(2);
        periods.Single(p => p!["start"]!.GetValue<string>() == Day(10))!["events"]!.GetValue<int>().ShouldBe(0);
        periods.Single(p => p!["start"]!.GetValue<string>() == Day(0))!["events"]!.GetValue<int>().ShouldBe(0);
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("csv&knownAt=9998-12-31T00:00:00Z")]
    public async Task Given_reviews_of_the_record_When_exported_as_CAMEO_rows_Then_no_row_is_a_review(string query)
    {
        // Given two talks and two reviews
        var id = await GivenTalksAndTwoReviews();

        // When exported as CAMEO/PLOVER rows
        var (status, bytes, _) = await app.GetBytes($"/api/negotiations/{id}/cameo?format={query}");

        // Then one row per talks, none for a review (no actor pair, no CAMEO code)
        status.ShouldBe(200);
        var rows = Encoding.UTF8.GetString(bytes).TrimEnd('\r', '\n').Split("\r\n").Skip(1).ToList();
        rows.Count.ShouldBe(2);
        rows.ShouldAllBe(r => r.Contains(",TalksHeld,"));
    }
}
