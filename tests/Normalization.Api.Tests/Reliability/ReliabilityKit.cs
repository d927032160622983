using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Normalization.Api.Security;
using Normalization.Api.Storage;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Npgsql;

namespace Normalization.Api.Tests.Reliability;

/// <summary>Real concurrent HTTP against the in-process host, and the checks every reliability test ends with.</summary>
public static class ReliabilityKit
{
    public static HttpClient Client(this AppFixture app)
    {
        var c = app.Host.Server.CreateClient();
        c.Timeout = TimeSpan.FromSeconds(60);
        return c;
    }

    public static async Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> Send(HttpClient client, HttpMethod method, string url, string? key,
        string? json, CancellationToken ct = default)
    {
        using var request = new HttpRequestMessage(method, url);
        if (key is not null) request.Headers.Add(ApiKeys.Header, key);
        if (json is not null) request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        var response = await client.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        JsonNode? body = null;
        try { if (text.Length > 0) body = JsonNode.Parse(text); } catch (JsonException) { body = JsonValue.Create(text); }
        return ((int)response.StatusCode, body, response);
    }

    /// <summary>eventId → how many times it is in Marten's event table (mt_events) for the stream.</summary>
    public static async Task<Dictionary<Guid, int>> StoredEventIds(string connectionString, string id)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            "select (data->>'eventId')::uuid, count(*)::int from mt_events where stream_id = @id and type <> 'NegotiationOpened' group by 1", conn);
        cmd.Parameters.AddWithValue("id", id);
        var result = new Dictionary<Guid, int>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) result[r.GetGuid(0)] = r.GetInt32(1);
        return result;
    }

    public static async Task<(long MtEvents, long IndexRows, int Version)> Counts(string connectionString, string id)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            select (select count(*) from mt_events where stream_id = @id),
                   (select count(*) from nz_events where negotiation_id = @id),
                   (select version from mt_streams where id = @id)
            """, conn);
        cmd.Parameters.AddWithValue("id", id);
        await using var r = await cmd.ExecuteReaderAsync();
        await r.ReadAsync();
        return (r.GetInt64(0), r.GetInt64(1), r.IsDBNull(2) ? 0 : (int)r.GetInt64(2));
    }

    /// <summary>The stored read models (the fold's head, and checkpoints for earlier days) equal a fresh fold over the raw stream, on several days.</summary>
    public static async Task ReadModelShouldEqualFreshFold(this AppFixture app, string id, IEnumerable<DateOnly> days)
    {
        var store = app.Host.Services.GetRequiredService<NegotiationStore>();
        var view = await store.LoadViewAsync(id);
        var history = await store.LoadHistoryAsync(id);
        view.ShouldNotBeNull();
        history.ShouldNotBeNull();
        view.Version.ShouldBe(history.Events.Count + 1);
        foreach (var d in days)
        {
            var expected = JsonSerializer.Serialize(NegotiationFold.StateAsOf(history.Opening, history.Events.Select(e => e.Event), d), EventJson.Options);
            // The head answers from its last event on; earlier days come from the checkpoints (the time-travel path).
            var state = view.Head.PendingDate is { } last && d < last ? await store.StateAsOfAsync(id, d) : view.Head.StateAt(d);
            var actual = JsonSerializer.Serialize(state, EventJson.Options);
            actual.ShouldBe(expected, $"state on {d}");
        }
    }
}
