using System.Text.Json.Nodes;
using Marten;
using Normalization.Api.Storage;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Domain.Catalog;
using Normalization.Domain.Ledger;
using static Normalization.Api.Tests.Storage.StoreSupport;

namespace Normalization.Api.Tests.Storage;

/// <summary>
/// Schema evolution: v1 of the office request was stored as "OfficeRequestMade" with "kind"; it is now
/// "OfficeRequested" with "officeKind". Rows written in the old form stay as they are and read as the new event.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class UpcastingTests(AppFixture app)
{
    NegotiationStore Store => app.Store();

    const string V1Json = """{"eventId":"6f1c1f6e-3a52-4d1b-9a43-0b7c1e2f0a11","occurredOn":"2025-03-20","actor":"TB","target":"US","confidence":"Confirmed","sources":[],"kind":"RepresentativeOffice","location":"Washington","constraints":["no flag"]}""";

    [Fact]
    public void The_v1_payload_reads_as_the_current_event()
    {
        var e = EventJson.Deserialize("OfficeRequestMade", V1Json).ShouldBeOfType<OfficeRequested>();

        e.OfficeKind.ShouldBe(OfficeKind.RepresentativeOffice);
        e.Location.ShouldBe("Washington");
        e.Constraints.ShouldBe(["no flag"]);
        e.EventId.ShouldBe(Guid.Parse("6f1c1f6e-3a52-4d1b-9a43-0b7c1e2f0a11"));
        // the current name is untouched
        EventJson.Serialize(EventJson.Deserialize("OfficeRequested", V1Json.Replace("\"kind\"", "\"officeKind\""))).ShouldBe(EventJson.Serialize(e));
    }

    [Fact]
    public async Task A_stored_v1_row_is_read_back_as_the_current_event_by_our_reads_and_by_Marten()
    {
        var id = NewId("upc");
        var (opening, seed) = Seed(id);
        await Store.CreateAsync(opening, Poster);
        var current = seed.OfType<OfficeRequested>().Single();
        await Store.AppendOk(id, seed);
        var version = (await Store.LoadHistoryAsync(id))!.Events.Single(r => r.Event.EventId == current.EventId).Version;

        // The row as a v1 writer stored it: old type name, old field, and no CLR type that still exists.
        var v1 = JsonNode.Parse(EventJson.Serialize(current))!.AsObject();
        v1.Remove("type");
        v1.Remove("officeKind", out var kind);
        v1["kind"] = kind;
        (await app.Execute("update mt_events set type = 'OfficeRequestMade', mt_dotnet_type = null, data = @data::jsonb where stream_id = @id and version = @v",
            ("data", v1.ToJsonString()), ("id", id), ("v", version))).ShouldBe(1);
        (await app.Scalar<string>("select data::text from mt_events where stream_id = @id and version = @v", ("id", id), ("v", version))).ShouldContain("\"kind\"");

        var history = await Store.LoadHistoryAsync(id);
        var read = history!.Events.Single(r => r.Version == version).Event.ShouldBeOfType<OfficeRequested>();
        EventJson.Serialize(read).ShouldBe(EventJson.Serialize(current));

        var asOf = new DateOnly(2025, 4, 1);
        var bitemporal = await Store.StateAsOfAsync(id, asOf, knownAt: DateTimeOffset.UtcNow.AddMinutes(1));
        Json(bitemporal).ShouldBe(FoldJson(opening, seed, asOf));
        bitemporal!.Ledger.Requests.ShouldContain(r => r.Kind == RequestKind.Office && r.Detail.Contains("RepresentativeOffice"));

        await Store.RebuildAsync(id);
        Json(await Store.StateAsOfAsync(id, asOf)).ShouldBe(FoldJson(opening, seed, asOf));
        (await Store.HeadJson(id, Later)).ShouldBe(FoldJson(opening, seed, Later));

        await using var q = app.Store.QuerySession();
        var marten = await q.Events.FetchStreamAsync(id);
        EventJson.Serialize(marten.Single(e => e.Version == version).Data.ShouldBeOfType<OfficeRequested>()).ShouldBe(EventJson.Serialize(current));
    }
}
