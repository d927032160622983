using System.Text.Json.Nodes;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using Normalization.Domain.Catalog;

namespace Normalization.Api.Tests.Storage;

/// <summary>
/// An upcaster registered once applies everywhere, the domain-order index included. A v1 build stored the office request
/// as "OfficeRequestMade" — in Marten's event row and in its index row (the index keeps the type name it was written with;
/// only a rebuild rewrites it). Before, the API read that index name as the event's type: a correction of the event as the
/// current OfficeRequested was refused (422 type_mismatch, "must be a OfficeRequestMade", a name no post may use) and the
/// timeline filtered by type=OfficeRequested left it out, while every read through Marten showed it as OfficeRequested.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class RenamedTypeIndexTests(AppFixture app)
{
    static JsonObject OfficeRequest(Guid eventId) => new()
    {
        ["eventId"] = eventId.ToString(), ["type"] = "OfficeRequested", ["occurredOn"] = "2025-03-20", ["actor"] = "TB", ["target"] = "US",
        ["confidence"] = "Confirmed", ["officeKind"] = "RepresentativeOffice", ["location"] = "Washington",
    };

    /// <summary>Given a negotiation whose office request was stored and indexed by the v1 build, under its old name and shape.</summary>
    async Task<(string Id, Guid Office)> GivenAnOfficeRequestStoredByV1()
    {
        var id = await app.GivenNegotiation("renamed");
        var office = Guid.NewGuid();
        await app.GivenEvents(id, OfficeRequest(office), ApiScenarios.Talks("2025-03-25"));
        var v1 = OfficeRequest(office);
        v1.Remove("type");
        v1.Remove("officeKind", out var kind);
        v1["kind"] = kind;
        (await app.Execute("update mt_events set type = 'OfficeRequestMade', mt_dotnet_type = null, data = @data::jsonb where stream_id = @id and version = 2",
            ("data", v1.ToJsonString()), ("id", id))).ShouldBe(1);
        (await app.Execute("update nz_events set type = 'OfficeRequestMade' where negotiation_id = @id and event_id = @e", ("id", id), ("e", office))).ShouldBe(1);
        EventUpcasters.IsOldName("OfficeRequestMade").ShouldBeTrue();
        return (id, office);
    }

    [Fact]
    public async Task Given_an_event_indexed_under_its_old_name_When_it_is_corrected_as_its_current_type_Then_the_correction_is_stored()
    {
        var (id, office) = await GivenAnOfficeRequestStoredByV1();
        var corrected = OfficeRequest(office);
        corrected.Remove("eventId");
        corrected["location"] = "New York";

        var (status, body) = await app.PostJson($"/api/negotiations/{id}/events", new
        {
            events = new[] { new JsonObject { ["type"] = "EventCorrected", ["occurredOn"] = "2025-04-01", ["actor"] = "US", ["confidence"] = "Confirmed",
                ["targetEventId"] = office.ToString(), ["correction"] = corrected } },
        });

        status.ShouldBe(201, body?.ToJsonString());
        var timeline = (await app.GetJson($"/api/negotiations/{id}/timeline")).Body!["items"]!.AsArray();
        timeline.Single(i => (string?)i!["eventId"] == office.ToString())!["status"]!.GetValue<string>().ShouldBe("corrected");
    }

    [Fact]
    public async Task Given_an_event_indexed_under_its_old_name_When_the_timeline_is_filtered_by_its_current_type_Then_it_is_listed()
    {
        var (id, office) = await GivenAnOfficeRequestStoredByV1();

        var (status, body) = await app.GetJson($"/api/negotiations/{id}/timeline?type=OfficeRequested");

        status.ShouldBe(200, body?.ToJsonString());
        body!["total"]!.GetValue<int>().ShouldBe(1);
        var item = body["items"]!.AsArray().Single()!;
        ((string?)item["eventId"]).ShouldBe(office.ToString());
        ((string?)item["type"]).ShouldBe("OfficeRequested");
    }
}
