using Normalization.Api.Storage;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Negotiations;
using Npgsql;
using static Normalization.Api.Tests.Storage.StoreSupport;

namespace Normalization.Api.Tests.Storage;

/// <summary>
/// What a bulk load writes beyond the rows themselves (docs/benchmarks.md section 9, "Bulk"): one entry per write in the
/// "as known at" index (<c>last_of_write</c>), and planner statistics refreshed only when they would describe less than
/// half of a table.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class BulkLoadIndexTests(AppFixture app)
{
    NegotiationStore Store => app.Store();

    async Task<DateTimeOffset> Now() => new(await app.Scalar<DateTime>("select clock_timestamp()"), TimeSpan.Zero);

    [Fact]
    public async Task Given_two_bulk_loads_and_an_append_When_asked_as_known_at_instants_between_them_Then_each_answer_is_the_record_as_it_then_stood_before_and_after_a_rebuild()
    {
        // Given a new negotiation bulk-loaded with 1,500 events, 1,200 more bulk-appended onto it (both above the COPY
        // threshold), then one end append
        var id = NewId("lastofwrite");
        var opening = Opening(id);
        var events = Synthetic(2_701, 31);
        var (first, second, last) = (events.Take(1_500).ToList(), events.Skip(1_500).Take(1_200).ToList(), events[^1]);
        (await Store.BulkAppendAsync(opening, create: true, null, first, Poster)).ShouldBeOfType<BulkOutcome.Stored>();
        var afterFirst = await Now();
        (await Store.BulkAppendAsync(opening, create: false, 1_501, second, Poster)).ShouldBe(new BulkOutcome.Stored(2_701, 1_200, 0));
        var afterSecond = await Now();
        await Store.AppendOk(id, [last]);
        var afterAppend = await Now();

        // Then each write left one row flagged as its last: the highest version of the write
        async Task<List<int>> Flagged()
        {
            await using var conn = new NpgsqlConnection(app.ConnectionString);
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("select version from nz_events where negotiation_id = @id and last_of_write order by version", conn);
            cmd.Parameters.AddWithValue("id", id);
            var versions = new List<int>();
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync()) versions.Add(r.GetInt32(0));
            return versions;
        }
        (await Flagged()).ShouldBe([1_501, 2_701, 2_702]);

        // When asked as known at an instant after each write, Then the answer is the fold of the events recorded by then
        async Task AnswersAsRecorded(string when)
        {
            foreach (var (knownAt, recorded) in new[] { (afterFirst, first), (afterSecond, first.Concat(second).ToList()), (afterAppend, events) })
                foreach (var asOf in new[] { new DateOnly(2005, 1, 1), new DateOnly(2015, 6, 1), Later })
                    Json(await Store.StateAsOfAsync(id, asOf, knownAt)).ShouldBe(Json(NegotiationFold.StateAsOf(opening, recorded, asOf)), $"{when}: as of {asOf}, known at {knownAt:O}");
        }
        await AnswersAsRecorded("as loaded");

        // And after a rebuild that rewrites the index from Marten's timestamps (one row made stale first), the same rows
        // are flagged and the answers are the same
        await app.Execute("update nz_events set actor = 'XX' where negotiation_id = @id and version = 10", ("id", id));
        await Store.RebuildAsync(id);
        (await app.Scalar<string>("select actor from nz_events where negotiation_id = @id and version = 10", ("id", id))).ShouldNotBe("XX");
        (await Flagged()).ShouldBe([1_501, 2_701, 2_702]);
        await AnswersAsRecorded("rebuilt");
    }

    [Fact]
    public void Given_rows_copied_in_version_order_When_flagged_Then_only_a_row_whose_successor_has_another_timestamp_or_the_last_is_last_of_its_write()
    {
        var t1 = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var t2 = t1.AddSeconds(1);
        Enumerable.Range(0, 3).Select(i => DomainIndex.LastOfWrite(i, 3, null)).ShouldBe([false, false, true]);
        Enumerable.Range(0, 4).Select(i => DomainIndex.LastOfWrite(i, 4, [t1, t1, t2, t2])).ShouldBe([false, true, false, true]);
        Enumerable.Range(0, 3).Select(i => DomainIndex.LastOfWrite(i, 3, [t2, t1, t1])).ShouldBe([true, false, true]);
    }

    [Fact]
    public async Task Given_tables_with_and_without_statistics_When_a_load_asks_which_are_stale_Then_only_those_counting_fewer_rows_than_it_added()
    {
        // Given a table never analyzed and one analyzed with 1,000 rows
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var (never, analyzed) = ($"stats_never_{suffix}", $"stats_known_{suffix}");
        await app.Execute($"create table {never} (n int); create table {analyzed} (n int); insert into {analyzed} select generate_series(1, 1000); analyze {analyzed}");
        try
        {
            await using var conn = new NpgsqlConnection(app.ConnectionString);
            await conn.OpenAsync();

            // When a load of 500 rows asks, Then only the never-analyzed table is stale; a load of 1,001 rows: both; an unknown table is left out
            (await PlannerStatistics.StaleAsync(conn, [(never, 500), (analyzed, 500), ($"no_such_{suffix}", 500)], CancellationToken.None)).ShouldBe([never]);
            (await PlannerStatistics.StaleAsync(conn, [(never, 1_001), (analyzed, 1_001)], CancellationToken.None)).Order().ShouldBe(new[] { analyzed, never }.Order());
        }
        finally { await app.Execute($"drop table {never}; drop table {analyzed}"); }
    }
}
