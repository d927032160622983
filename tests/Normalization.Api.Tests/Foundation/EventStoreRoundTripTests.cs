using Marten;
using Normalization.Api.Tests.Infrastructure;

namespace Normalization.Api.Tests.Foundation;

/// <summary>A throwaway event, only here to prove the event store round trip.</summary>
public sealed record FoundationProbeRecorded(string Note, DateOnly On, ProbeKind Kind);

public enum ProbeKind
{
    Smoke,
    Deep,
}

[Collection(ApiCollection.Name)]
public sealed class EventStoreRoundTripTests(AppFixture app)
{
    [Fact]
    public async Task an_event_appended_through_marten_is_read_back_from_the_database()
    {
        // Given a new stream with a string id
        var streamId = $"probe-{Guid.NewGuid():N}";
        var appended = new FoundationProbeRecorded("first contact", new DateOnly(2024, 3, 1), ProbeKind.Deep);

        // When the event is appended and saved
        await using (var session = app.Store.LightweightSession())
        {
            session.Events.StartStream(streamId, appended);
            await session.SaveChangesAsync();
        }

        // Then a fresh session reads the same event back, at version 1 of that stream
        await using var query = app.Store.QuerySession();
        var events = await query.Events.FetchStreamAsync(streamId);
        events.Count.ShouldBe(1);
        events[0].StreamKey.ShouldBe(streamId);
        events[0].Version.ShouldBe(1);
        events[0].Data.ShouldBe(appended);
    }

    [Fact]
    public async Task events_are_stored_as_camel_case_json_with_enums_as_strings()
    {
        // Given an event appended to a string-identified stream
        var streamId = $"probe-{Guid.NewGuid():N}";
        await using (var session = app.Store.LightweightSession())
        {
            session.Events.StartStream(streamId, new FoundationProbeRecorded("json", new DateOnly(2024, 3, 2), ProbeKind.Smoke));
            await session.SaveChangesAsync();
        }

        // When the raw row is read from mt_events
        await using var conn = new Npgsql.NpgsqlConnection(app.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand("select data::text from mt_events where stream_id = @id", conn);
        cmd.Parameters.AddWithValue("id", streamId);
        var json = (string?)await cmd.ExecuteScalarAsync();

        // Then its properties are camelCase and the enum is a string
        json.ShouldNotBeNull();
        json.ShouldContain("\"note\"");
        json.ShouldContain("\"Smoke\"");
    }
}
