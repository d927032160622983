using System.Diagnostics;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Normalization.Api.Storage;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Reliability;

/// <summary>
/// A write to a negotiation that another writer holds (an import or rebuild of it, in this process or another: Marten's stream
/// row lock) waits for it up to the request pool's <c>lock_timeout</c>, then answers 503 <c>negotiation_busy</c> with
/// Retry-After and stores nothing. Found after the request time-out was bounded (4 s): such a write answered 503
/// <c>database_unavailable</c>, "the database did not answer in time", from a database that was answering.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class BusyNegotiationTests(AppFixture app)
{
    /// <summary>Holds the negotiation's stream row as another writer's open transaction does, for <paramref name="hold"/>.</summary>
    async Task<Task> HoldStreamAsync(string id, TimeSpan hold)
    {
        var holder = app.Host.Services.GetRequiredService<IDocumentStore>().LightweightSession();
        await holder.Events.AppendExclusive(id);
        return Task.Run(async () => { await Task.Delay(hold); await holder.DisposeAsync(); });
    }

    [Theory]
    [InlineData("an event at the end")]
    [InlineData("a late event")]
    public async Task Given_another_writer_holds_the_negotiation_longer_than_the_lock_wait_When_an_event_is_posted_Then_503_negotiation_busy_and_nothing_is_stored(string which)
    {
        // Given a negotiation another writer holds for 8 s
        var id = await app.GivenNegotiation("busy");
        await app.GivenEvents(id, Talks(Day(10)));
        var posted = Talks(which == "a late event" ? Day(20) : Day(5));
        var released = await HoldStreamAsync(id, TimeSpan.FromSeconds(8));

        // When an event is posted
        var clock = Stopwatch.StartNew();
        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events", new { events = new[] { posted } });
        var waited = clock.Elapsed;

        // Then 503 negotiation_busy, said by the server before the request's own time-out, and nothing stored
        status.ShouldBe(503, body?.ToJsonString());
        body!["code"]!.GetValue<string>().ShouldBe("negotiation_busy");
        body["detail"]!.GetValue<string>().ShouldContain("Another write to this negotiation");
        waited.ShouldBeLessThan(TimeSpan.FromSeconds(MartenSetup.RequestCommandTimeoutSeconds));
        await released;
        var (_, state) = await app.GetJson($"/api/negotiations/{id}");
        state!["version"]!.GetValue<int>().ShouldBe(2);

        // and the same post, retried once the other writer is done, is stored
        (await app.PostJson($"/api/negotiations/{id}/events", new { events = new[] { posted } })).Status.ShouldBe(201);
    }

    [Fact]
    public async Task Given_another_writer_holds_the_negotiation_briefly_When_an_event_is_posted_Then_it_waits_and_is_stored()
    {
        // Given a negotiation another writer holds for 1 s
        var id = await app.GivenNegotiation("busy");
        await app.GivenEvents(id, Talks(Day(10)));
        var released = await HoldStreamAsync(id, TimeSpan.FromSeconds(1));

        // When an event is posted
        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events", new { events = new[] { Talks(Day(5)) } });

        // Then it waited for the lock and was stored
        status.ShouldBe(201, body?.ToJsonString());
        await released;
    }
}
