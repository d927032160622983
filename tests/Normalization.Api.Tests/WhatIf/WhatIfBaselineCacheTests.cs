using System.Text.Json;
using System.Text.Json.Nodes;
using Normalization.Api.Http;
using Normalization.Api.Storage;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Negotiations;
using static Normalization.Api.Tests.Storage.StoreSupport;

namespace Normalization.Api.Tests.WhatIf;

/// <summary>
/// A what-if whose branch point is on or after the end of the record uses the head's state on the projection date as its
/// baseline (changes after the record, or mid-history), kept with the head in the <see cref="HeadCache"/> (built once for a
/// series of what-ifs). The kept state belongs to one stream version: after an append at the end or a late event
/// mid-history the next what-if must answer from the new record.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class WhatIfBaselineCacheTests(AppFixture app)
{
    NegotiationStore Store => app.Store();
    static readonly DateOnly AsOf = new(2025, 6, 1);

    /// <summary>Two hypothetical events dated after the record and before <see cref="AsOf"/>, as the API's flat JSON.</summary>
    static readonly string WhatIfBody = $$"""
        {"asOf":"{{AsOf:yyyy-MM-dd}}","add":[
          {"type":"TalksHeld","occurredOn":"2025-05-02","actor":"US","target":"TB","confidence":"Confirmed","participants":["US","TB"],"level":"Senior","location":"Doha"},
          {"type":"StatementIssued","occurredOn":"2025-05-03","actor":"TB","target":"US","confidence":"Confirmed","speaker":"spokesman","tone":"Positive"}]}
        """;

    /// <summary>One hypothetical event dated mid-history: the branch starts at the checkpoint before it; the baseline is the record's own state.</summary>
    static readonly string MidHistoryBody = $$"""
        {"asOf":"{{AsOf:yyyy-MM-dd}}","add":[
          {"type":"TalksHeld","occurredOn":"2012-03-04","actor":"US","target":"TB","confidence":"Confirmed","participants":["US","TB"],"level":"Senior","location":"Doha"}]}
        """;

    async Task<JsonNode> WhatIfAsync(string id, string? rawBody = null)
    {
        var (status, body) = await app.PostJson($"/api/negotiations/{id}/what-if", new object(), rawBody: rawBody ?? WhatIfBody);
        status.ShouldBe(200, body?.ToJsonString());
        return body!;
    }

    /// <summary>The state a fold of the whole record gives on <see cref="AsOf"/>, in the answers' JSON form.</summary>
    static JsonNode Folded(NegotiationOpened opening, IEnumerable<NegotiationEvent> recorded) =>
        JsonNode.Parse(JsonSerializer.Serialize(NegotiationFold.StateAsOf(opening, recorded, AsOf), ApiJson.Options))!;

    static void ShouldEqual(JsonNode? actual, JsonNode expected, string what) =>
        JsonNode.DeepEquals(actual, expected).ShouldBeTrue($"{what}\nanswered: {actual?.ToJsonString()}\nfold:     {expected.ToJsonString()}");

    async Task PostEventAsync(string id, NegotiationEvent e)
    {
        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events", new object(), rawBody: $$"""{"events":[{{EventJson.Serialize(e)}}]}""");
        status.ShouldBe(201, body?.ToJsonString());
    }

    [Fact]
    public async Task Given_a_what_if_answered_from_the_cached_head_When_an_event_is_appended_or_arrives_late_Then_the_next_what_if_answers_from_the_new_record()
    {
        // Given a record of 1,200 events (two checkpoints and a tail) and a what-if on it, asked twice (the second answered
        // with the baseline kept from the first)
        var id = NewId("wibase");
        var opening = Opening(id);
        await Store.CreateAsync(opening, Poster);
        var recorded = Synthetic(1_200, 31, new DateOnly(2000, 1, 1), 9_000);
        await Store.AppendOk(id, recorded);
        var first = await WhatIfAsync(id);
        var again = await WhatIfAsync(id);
        ShouldEqual(first["baseline"], Folded(opening, recorded), "first baseline");
        ShouldEqual(again["baseline"], first["baseline"]!, "second baseline");

        // When an event is appended at the end of the record (dated before the branch point)
        var end = new TalksHeld { EventId = Guid.NewGuid(), OccurredOn = DomainDate.FromDate(new DateOnly(2025, 1, 15)), Actor = "US", Target = "TB",
            Confidence = Confidence.Confirmed, Participants = ["US", "TB"], Level = TalksLevel.Senior };
        await PostEventAsync(id, end);
        var afterAppend = await WhatIfAsync(id);

        // Then the baseline is the new record's, not the one kept for the previous version
        recorded.Add(end);
        ShouldEqual(afterAppend["baseline"], Folded(opening, recorded), "baseline after the append");
        afterAppend["baseline"]!["eventCount"]!.GetValue<int>().ShouldBe(first["baseline"]!["eventCount"]!.GetValue<int>() + 1);

        // When an event arrives late, dated mid-history (a refold from the checkpoint before it)
        var midBefore = await WhatIfAsync(id, MidHistoryBody);
        ShouldEqual(midBefore["baseline"], Folded(opening, recorded), "baseline of a change mid-history");

        var late = new MilitaryStrike { EventId = Guid.NewGuid(), OccurredOn = DomainDate.FromDate(new DateOnly(2010, 6, 1)), Actor = "TB", Target = "US",
            Confidence = Confidence.Confirmed, Casualties = 3 };
        await PostEventAsync(id, late);
        var afterLate = await WhatIfAsync(id);

        // Then the baseline is again the new record's
        recorded.Add(late);
        ShouldEqual(afterLate["baseline"], Folded(opening, recorded), "baseline after the late event");
        afterLate["baseline"]!["eventCount"]!.GetValue<int>().ShouldBe(afterAppend["baseline"]!["eventCount"]!.GetValue<int>() + 1);
        // and the projection (the head's copy plus the hypothetical events) follows it
        afterLate["projected"]!["eventCount"]!.GetValue<int>().ShouldBe(afterLate["baseline"]!["eventCount"]!.GetValue<int>() + 2);
        // as does the baseline of a change mid-history (the record's own state, not a second fold from the checkpoint)
        var midAfter = await WhatIfAsync(id, MidHistoryBody);
        ShouldEqual(midAfter["baseline"], Folded(opening, recorded), "baseline of a change mid-history after the late event");
        midAfter["projected"]!["eventCount"]!.GetValue<int>().ShouldBe(midAfter["baseline"]!["eventCount"]!.GetValue<int>() + 1);
    }
}
