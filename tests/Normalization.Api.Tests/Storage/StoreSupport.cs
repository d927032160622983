using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Normalization.Api.Storage;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Domain.Catalog;
using Normalization.Domain.Folding;
using Normalization.Domain.Histories;
using Normalization.Domain.Negotiations;
using Npgsql;

namespace Normalization.Api.Tests.Storage;

/// <summary>Helpers for the storage tests: the store, the seed history, synthetic histories, comparisons with the pure fold.</summary>
public static class StoreSupport
{
    public const string Poster = "store-tests";
    /// <summary>A date after every seed and synthetic event, used to compare read models.</summary>
    public static readonly DateOnly Later = new(2026, 1, 1);

    public static NegotiationStore Store(this AppFixture app) => app.Host.Services.GetRequiredService<NegotiationStore>();

    public static string NewId(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..30];

    public static (NegotiationOpened Opening, List<NegotiationEvent> Events) Seed(string id)
    {
        using var reader = File.OpenText(Path.Combine(AppContext.BaseDirectory, "Seed", "us-taliban.ndjson"));
        var (opening, events, errors) = NdjsonHistory.ReadAll(reader, new DateOnly(2030, 1, 1));
        errors.ShouldBeEmpty();
        return (opening! with { Id = id }, events);
    }

    public static NegotiationOpened Opening(string id, string a = "US", string b = "TB") => new()
    {
        Id = id, Title = "Synthetic " + id,
        Parties = [new Party { Code = a, Name = a }, new Party { Code = b, Name = b }],
        Mediators = [new Party { Code = "QA", Name = "Qatar" }],
    };

    /// <summary>A deterministic history of <paramref name="count"/> day-precision events between 2000 and 2024 without references.</summary>
    public static List<NegotiationEvent> Synthetic(int count, int seed, DateOnly? from = null, int days = 9000)
    {
        var rnd = new Random(seed);
        var start = from ?? new DateOnly(2000, 1, 1);
        var result = new List<NegotiationEvent>(count);
        for (var i = 0; i < count; i++)
        {
            var byUs = rnd.Next(2) == 0;
            var kind = rnd.Next(9);
            var k = rnd.Next(4);
            NegotiationEvent e = kind switch
            {
                0 or 1 => new TalksHeld { Participants = ["US", "TB"], Facilitator = "QA" },
                2 => new PrisonerReleased { Person = $"person {k}" },
                3 => new StatementIssued { Tone = (Tone)(k % 3) },
                4 => new MilitaryStrike { Casualties = k },
                5 => new SanctionsImposed { Scope = $"scope {k}" },
                6 => new SanctionsEased { Scope = $"scope {k}" },
                7 => new AidProvided { AmountUsd = 100 * (k + 1) },
                _ => new ThreatIssued(),
            };
            var bytes = new byte[16];
            rnd.NextBytes(bytes);
            result.Add(e with
            {
                EventId = new Guid(bytes),
                OccurredOn = DomainDate.FromDate(start.AddDays(rnd.Next(days))),
                Actor = byUs ? "US" : "TB",
                Target = byUs ? "TB" : "US",
                Confidence = Confidence.Reported,
            });
        }
        return result;
    }

    /// <summary>JSON with object keys sorted (jsonb does not keep the order of a dictionary's keys).</summary>
    public static string Canonical(string json) => Sort(System.Text.Json.Nodes.JsonNode.Parse(json))?.ToJsonString() ?? "null";

    static System.Text.Json.Nodes.JsonNode? Sort(System.Text.Json.Nodes.JsonNode? node) => node switch
    {
        System.Text.Json.Nodes.JsonObject o => new System.Text.Json.Nodes.JsonObject(o.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Sort(p.Value?.DeepClone())))),
        System.Text.Json.Nodes.JsonArray a => new System.Text.Json.Nodes.JsonArray(a.Select(x => Sort(x?.DeepClone())).ToArray()),
        _ => node?.DeepClone(),
    };

    public static string Json<T>(T value) => JsonSerializer.Serialize(value, EventJson.Options);

    /// <summary>The state on <paramref name="on"/> as the stored head gives it, as JSON.</summary>
    public static async Task<string> HeadJson(this NegotiationStore store, string id, DateOnly on)
    {
        var view = await store.LoadViewAsync(id);
        view.ShouldNotBeNull();
        return Json(view.Head.StateAt(on));
    }

    public static string FoldJson(NegotiationOpened opening, IEnumerable<NegotiationEvent> recorded, DateOnly on) =>
        Json(NegotiationFold.StateAsOf(opening, recorded, on));

    public static async Task<AppendOutcome.Appended> AppendOk(this NegotiationStore store, string id, IReadOnlyList<NegotiationEvent> batch, int? expected = null)
    {
        var outcome = await store.AppendAsync(id, expected, batch, Poster);
        if (outcome is AppendOutcome.Invalid invalid)
            throw new ShouldAssertException("Invalid: " + string.Join("; ", invalid.Errors.Select(e => $"{e.Path} {e.Code} {e.Message}")));
        return outcome.ShouldBeOfType<AppendOutcome.Appended>();
    }

    /// <summary>Appends one event at a time in the given order; an event whose reference is not stored yet waits its turn at the back.</summary>
    public static async Task AppendOneByOne(this NegotiationStore store, string id, IEnumerable<NegotiationEvent> order)
    {
        var queue = new Queue<NegotiationEvent>(order);
        var stuck = 0;
        while (queue.Count > 0)
        {
            var e = queue.Dequeue();
            var outcome = await store.AppendAsync(id, null, [e], Poster);
            if (outcome is AppendOutcome.Invalid invalid && invalid.Errors.All(x => x.Code == "unknown_reference") && stuck++ < 1000)
            {
                queue.Enqueue(e);
                continue;
            }
            if (outcome is AppendOutcome.Invalid bad) throw new ShouldAssertException("Invalid: " + string.Join("; ", bad.Errors.Select(x => $"{x.Path} {x.Code} {x.Message}")));
            outcome.ShouldBeOfType<AppendOutcome.Appended>();
        }
    }

    public static List<T> Shuffled<T>(IEnumerable<T> items, int seed)
    {
        var copy = items.ToArray();
        new Random(seed).Shuffle(copy);
        return copy.ToList();
    }

    public static async Task<T> Scalar<T>(this AppFixture app, string sql, params (string Name, object Value)[] args)
    {
        await using var conn = new NpgsqlConnection(app.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var (n, v) in args) cmd.Parameters.AddWithValue(n, v);
        return (T)(await cmd.ExecuteScalarAsync())!;
    }

    public static async Task<int> Execute(this AppFixture app, string sql, params (string Name, object Value)[] args)
    {
        await using var conn = new NpgsqlConnection(app.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var (n, v) in args) cmd.Parameters.AddWithValue(n, v);
        return await cmd.ExecuteNonQueryAsync();
    }

    /// <summary>
    /// The current checkpoint rows of a negotiation (valid_to null): sort key, event count and accumulator JSON (normalized
    /// through the fold's own type) — once Wolverine has written those a late event left to it (<see cref="DeferredCheckpoints"/>;
    /// waits up to 60 s for <see cref="NegotiationStore.CheckpointsCompleteAsync"/>, then reads them as they are).
    /// </summary>
    public static async Task<List<(string Key, int Count, string Accumulator)>> Checkpoints(this AppFixture app, string id)
    {
        var store = app.Host.Services.GetRequiredService<NegotiationStore>();
        var until = DateTime.UtcNow.AddSeconds(60);
        while (!await store.CheckpointsCompleteAsync(id) && DateTime.UtcNow < until) await Task.Delay(50);
        await using var conn = new NpgsqlConnection(app.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("select sort_key, event_count, accumulator from nz_checkpoints where negotiation_id = @id and valid_to is null order by sort_key", conn);
        cmd.Parameters.AddWithValue("id", id);
        await using var r = await cmd.ExecuteReaderAsync();
        var list = new List<(string, int, string)>();
        while (await r.ReadAsync())
            list.Add((r.GetString(0), r.GetInt32(1), Canonical(Json(CheckpointPacking.Unpack(r.GetFieldValue<byte[]>(2))))));
        return list;
    }

    /// <summary>The checkpoints the pure fold would write: the accumulator after every <see cref="NegotiationStore.CheckpointEvery"/>-th folded event.</summary>
    public static List<(string Key, int Count, string Accumulator)> ExpectedCheckpoints(NegotiationOpened opening, IEnumerable<NegotiationEvent> recorded)
    {
        var acc = FoldAccumulator.Start(opening);
        var list = new List<(string, int, string)>();
        foreach (var e in NegotiationFold.Effective(recorded))
        {
            var before = acc.EventCount;
            acc.Apply(e);
            if (acc.EventCount != before && acc.EventCount % NegotiationStore.CheckpointEvery == 0)
                list.Add((acc.LastSortKey!, acc.EventCount, Canonical(Json(acc))));
        }
        return list;
    }
}
