using Marten;
using Normalization.Domain.Catalog;
using Normalization.Api.Storage;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Domain.Folding;
using Normalization.Domain.Stages;
using static Normalization.Api.Tests.Storage.StoreSupport;

namespace Normalization.Api.Tests.Storage;

[Collection(ApiCollection.Name)]
public sealed class ReadModelTests(AppFixture app)
{
    NegotiationStore Store => app.Store();

    [Fact]
    public async Task The_board_row_holds_the_stage_at_the_last_event_and_the_expiries_to_come()
    {
        var id = NewId("board");
        var (opening, seed) = Seed(id);
        await Store.CreateAsync(opening, Poster);
        await using (var q = app.Store.QuerySession())
        {
            var fresh = await q.LoadAsync<BoardEntry>(id);
            fresh!.Stage.ShouldBe(Stage.Estrangement);
            fresh.Version.ShouldBe(1);
            fresh.LastEventOn.ShouldBeNull();
        }

        await Store.AppendOk(id, seed);

        await using var session = app.Store.QuerySession();
        var board = await session.LoadAsync<BoardEntry>(id);
        var last = new DateOnly(2025, 4, 3);
        var atLast = NegotiationFold.StateAsOf(opening, seed, last);
        board.ShouldNotBeNull();
        board.Title.ShouldBe(opening.Title);
        board.Parties.Select(p => p.Code).ShouldBe(["US", "TB"]);
        board.Version.ShouldBe(seed.Count + 1);
        board.LastEventOn.ShouldBe("2025-04-03");
        board.Stage.ShouldBe(Stage.ConfidenceBuilding);
        board.Stage.ShouldBe(atLast.Stage);
        board.StageSince.ShouldBe(atLast.StageSince);
        board.Momentum!.Score.ShouldBe(atLast.Momentum.Score);
        board.Momentum.Contributions.ShouldBeEmpty();
        // without new events the stage decays as the windows expire: the board knows when
        board.Upcoming.ShouldNotBeEmpty();
        foreach (var d in new[] { last, new DateOnly(2025, 6, 1), new DateOnly(2026, 3, 21), new DateOnly(2026, 6, 1) })
        {
            var expected = NegotiationFold.StateAsOf(opening, seed, d);
            board.StageOn(d).ShouldBe((expected.Stage, expected.StageSince), $"on {d}");
        }
        (await session.Query<BoardEntry>().Where(b => b.Id == id && b.Stage == Stage.ConfidenceBuilding).CountAsync()).ShouldBe(1);
    }

    [Fact]
    public async Task The_party_profile_lists_every_negotiation_of_the_party()
    {
        var code = PartyCode();
        var ids = new[] { NewId("pp1"), NewId("pp2") };
        foreach (var id in ids) await Store.CreateAsync(Opening(id, code, "TB"), Poster);
        var other = NewId("pp3");
        await Store.CreateAsync(Opening(other, "TB", "US"), Poster);

        await using var q = app.Store.QuerySession();
        var profile = await q.LoadAsync<PartyProfile>(code);
        profile.ShouldNotBeNull();
        profile.Name.ShouldBe(code);
        profile.NegotiationIds.Order().ShouldBe(ids.Order());
        (await q.LoadAsync<PartyProfile>("TB"))!.NegotiationIds.ShouldContain(other);
        (await q.LoadAsync<PartyProfile>("TB"))!.NegotiationIds.ShouldContain(ids[0]);

        // appending does not add it twice
        // The synthetic events are between US and TB: US becomes this negotiation's party, in every field naming it.
        static string Of(string c, string code) => c == "US" ? code : c;
        await Store.AppendOk(ids[0], Synthetic(3, 1).Select(e => (e with { Actor = Of(e.Actor, code), Target = e.Target is { } target ? Of(target, code) : null }) switch
        {
            TalksHeld t => t with { Participants = t.Participants.Select(c => Of(c, code)).ToList() },
            var x => x,
        }).ToList());
        await using var q2 = app.Store.QuerySession();
        (await q2.LoadAsync<PartyProfile>(code))!.NegotiationIds.Count.ShouldBe(2);
    }

    [Fact]
    public async Task Bug_party_profile_lost_an_update_when_two_negotiations_of_a_party_were_created_at_once()
    {
        // Each transaction loaded the profile, added its negotiation and stored it: the last commit won.
        var code = PartyCode();
        var ids = Enumerable.Range(0, 8).Select(i => NewId($"pr{i}")).ToList();

        await Task.WhenAll(ids.Select(id => Store.CreateAsync(Opening(id, code, "TB"), Poster)));

        await using var q = app.Store.QuerySession();
        (await q.LoadAsync<PartyProfile>(code))!.NegotiationIds.Order().ShouldBe(ids.Order());
    }

    static string PartyCode() => "P" + string.Concat(Guid.NewGuid().ToString("N").Where(char.IsLetter).Take(5)).ToUpperInvariant();
}
