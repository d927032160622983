using Marten;
using Normalization.Domain.Catalog;
using Npgsql;
using NpgsqlTypes;
using Weasel.Postgresql.Tables;

namespace Normalization.Api.Storage;

/// <summary>
/// The one place that writes into Marten's event tables without Marten's append pipeline: a bulk import onto a
/// negotiation's stream inside <b>our</b> transaction (index, fold, checkpoints and read models commit with the events,
/// or nothing does). Marten's own bulk loader (<c>IDocumentStore.BulkInsertEventsAsync</c> /
/// <c>BulkInsertEventStreamAsync</c>) opens its own connection and commits on its own, and creates streams rather than
/// appending to them, so it cannot give that guarantee (docs/architecture.md, "Bulk path").
/// <para>
/// No table name of Marten's is written here: the events table, the streams table (the one its foreign key points at),
/// the sequence and the column list are taken from the schema objects of Marten's own event-store feature, the tenant is Marten's default tenant, the type
/// names are the catalog's mapped names. <see cref="Unwritten"/> lists the columns left to their defaults;
/// <c>MartenEventCopyTests</c> fails when Marten adds, renames or drops a column, so an upgrade cannot silently change
/// what this writes.
/// </para>
/// </summary>
public sealed class MartenEventCopy
{
    /// <summary>Events serialized per step of the pipeline (one COPY carries them all).</summary>
    public const int Chunk = 20_000;

    /// <summary>The columns of Marten's event table this adapter writes, in the order it writes them.</summary>
    public static readonly IReadOnlyList<string> Written =
        ["seq_id", "id", "stream_id", "version", "data", "type", "tenant_id", "timestamp", "mt_dotnet_type", "correlation_id", "user_name", "is_archived"];

    /// <summary>Columns of Marten's event table deliberately left to their default (null): no causation or headers on imports, no binary body (JSON serializer).</summary>
    public static readonly IReadOnlyList<string> Unwritten = ["causation_id", "headers", "bdata"];

    readonly string _events;
    readonly string _streams;
    readonly string _sequence;
    readonly List<string> _analyzed;
    readonly ISerializer _serializer;

    public MartenEventCopy(IDocumentStore store)
    {
        // Marten's own event-store feature says which objects are its events table, its streams table and its sequence:
        // the events table is the one keyed by sequence, holding each event's stream; the streams table is the one its
        // foreign key points at. No table name of Marten's is written here.
        var feature = ((StoreOptions)store.Options).Storage.FindFeature(typeof(JasperFx.Events.IEvent)).Objects.ToList();
        var tables = feature.OfType<Table>().ToList();
        var events = tables.Single(t => t.HasColumn("seq_id") && t.HasColumn("stream_id") && t.ForeignKeys.Count > 0);
        var streamsName = events.ForeignKeys.Select(k => k.LinkedTable).OfType<Weasel.Core.DbObjectName>().Single();
        var streams = tables.Single(t => t.Identifier.QualifiedName == streamsName.QualifiedName);
        var columns = events.Columns.Select(c => c.Name).ToList();
        var unknown = columns.Except(Written).Except(Unwritten).ToList();
        var missing = Written.Except(columns).ToList();
        if (unknown.Count > 0 || missing.Count > 0)
            throw new InvalidOperationException($"Marten's event table changed (new: {string.Join(", ", unknown)}; gone: {string.Join(", ", missing)}): update MartenEventCopy.");
        _events = events.Identifier.QualifiedName;
        _streams = streams.Identifier.QualifiedName;
        _sequence = feature.OfType<Weasel.Postgresql.Sequence>().Single().Identifier.QualifiedName;
        _serializer = store.Options.Serializer();
        ColumnsOfMarten = columns;
        // The planner reads keys, not bodies: statistics of the event bodies (jsonb, bytea) cost most of an ANALYZE.
        _analyzed = events.Columns.Where(c => c.Type is not ("jsonb" or "bytea")).Select(c => c.Name).ToList();
    }

    /// <summary>Marten's event table, schema-qualified, as Marten's schema objects name it (for <see cref="PlannerStatistics"/>).</summary>
    public string EventsTable => _events;

    /// <summary>The columns of Marten's event table as Marten declares them (for the drift test).</summary>
    public IReadOnlyList<string> ColumnsOfMarten { get; }

    /// <summary>
    /// Appends <paramref name="events"/> to stream <paramref name="id"/> after <paramref name="version"/> in the connection's
    /// current transaction (the caller holds the stream's lock), then sets the stream's version and timestamp.
    /// Sequence numbers come from Marten's sequence, so the daemon's high-water detection sees no gap.
    /// </summary>
    public async Task AppendAsync(NpgsqlConnection conn, string id, int version, IReadOnlyList<NegotiationEvent> events, string postedBy,
        string? correlationId, IProgress<int>? progress, TimeSpan timeout, CancellationToken ct)
    {
        DateTime now;
        await using (var cmd = new NpgsqlCommand("select now()", conn)) now = (DateTime)(await cmd.ExecuteScalarAsync(ct))!;
        // The sequence numbers of the whole load in one round trip, like Marten's bulk loader.
        var seqs = new long[events.Count];
        await using (var cmd = new NpgsqlCommand($"select nextval('{_sequence}') from generate_series(1, @n)", conn))
        {
            cmd.Parameters.AddWithValue("n", events.Count);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            for (var i = 0; await r.ReadAsync(ct); i++) seqs[i] = r.GetInt64(0);
        }
        // A pipeline: the next chunk is serialized on another thread while this one streams to the server. The JSON goes
        // as UTF-8 bytes, as Marten's own bulk loader writes it (no string, no second encoding by Npgsql).
        var chunks = (events.Count + Chunk - 1) / Chunk;
        var serializing = SerializeAsync(events, 0, ct);
        await using (var copy = await conn.BeginBinaryImportAsync($"copy {_events} ({string.Join(", ", Written)}) from stdin (format binary)", ct))
        {
            copy.Timeout = timeout;
            for (var k = 0; k < chunks; k++)
            {
                var start = k * Chunk;
                var rows = await serializing;
                if (k + 1 < chunks) serializing = SerializeAsync(events, start + rows.Length, ct);
                for (var i = 0; i < rows.Length; i++)
                {
                    var (type, dotnetType, json) = rows[i];
                    await copy.StartRowAsync(ct);
                    await copy.WriteAsync(seqs[start + i], NpgsqlDbType.Bigint, ct);
                    await copy.WriteAsync(Guid.CreateVersion7(), NpgsqlDbType.Uuid, ct);
                    await copy.WriteAsync(id, NpgsqlDbType.Varchar, ct);
                    await copy.WriteAsync((long)(version + start + i + 1), NpgsqlDbType.Bigint, ct);
                    await copy.WriteAsync(json, NpgsqlDbType.Jsonb, ct);
                    await copy.WriteAsync(type, NpgsqlDbType.Varchar, ct);
                    await copy.WriteAsync(JasperFx.StorageConstants.DefaultTenantId, NpgsqlDbType.Varchar, ct);
                    await copy.WriteAsync(now, NpgsqlDbType.TimestampTz, ct);
                    await copy.WriteAsync(dotnetType, NpgsqlDbType.Varchar, ct);
                    if (correlationId is null) await copy.WriteNullAsync(ct); else await copy.WriteAsync(correlationId, NpgsqlDbType.Varchar, ct);
                    await copy.WriteAsync(postedBy, NpgsqlDbType.Varchar, ct);
                    await copy.WriteAsync(false, NpgsqlDbType.Boolean, ct);
                }
                progress?.Report(start + rows.Length);
            }
            await copy.CompleteAsync(ct);
        }
        await using var update = new NpgsqlCommand($"update {_streams} set version = @v, timestamp = now() where id = @id", conn);
        update.Parameters.AddWithValue("v", (long)(version + events.Count));
        update.Parameters.AddWithValue("id", id);
        await update.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// The rows of the chunk of <paramref name="events"/> from <paramref name="start"/>: type name, .NET type name, body
    /// (serialized on all cores, a buffer per thread). One thread was tried (to leave the other core to the server's backend):
    /// the events phase of a 200,000-event load took 3.8–4.0 s instead of 2.9–3.7 s in alternated runs (docs/benchmarks.md,
    /// section 9): the chunk being serialized is on the COPY's critical path.
    /// </summary>
    Task<(string Type, string DotnetType, byte[] Json)[]> SerializeAsync(IReadOnlyList<NegotiationEvent> events, int start, CancellationToken ct) => Task.Run(() =>
    {
        var rows = new (string Type, string DotnetType, byte[] Json)[Math.Min(Chunk, events.Count - start)];
        Parallel.For(0, rows.Length, new ParallelOptions { CancellationToken = ct },
            () => new System.Buffers.ArrayBufferWriter<byte>(4096),
            (i, _, buffer) =>
            {
                var e = events[start + i];
                rows[i] = (e.Type, DotnetTypeName(e.GetType()), Body(e, buffer));
                return buffer;
            },
            _ => { });
        return rows;
    }, ct);

    /// <summary>
    /// An event's <c>data</c> as Marten writes it when the event is appended through a session: Marten's own serializer, UTF-8,
    /// the event as its own type (no type discriminator: Marten keeps the type in its <c>type</c> and <c>mt_dotnet_type</c>
    /// columns), so imported and appended events are stored alike and read by one upcasting path.
    /// </summary>
    public byte[] Body(NegotiationEvent e) => Body(e, new System.Buffers.ArrayBufferWriter<byte>(1024));

    byte[] Body(NegotiationEvent e, System.Buffers.ArrayBufferWriter<byte> buffer)
    {
        buffer.ResetWrittenCount();
        _serializer.WriteTo(buffer, e);
        return buffer.WrittenSpan.ToArray();
    }

    static readonly System.Collections.Concurrent.ConcurrentDictionary<Type, string> DotnetTypeNames = new();

    /// <summary>Marten's <c>mt_dotnet_type</c> of an event type ("full name, assembly"), computed once per type.</summary>
    static string DotnetTypeName(Type t) => DotnetTypeNames.GetOrAdd(t, x => $"{x.FullName}, {x.Assembly.GetName().Name}");

    /// <summary>Refreshes the planner's statistics of Marten's event table after a large load: its columns but the bodies (autovacuum refreshes all later).</summary>
    public async Task AnalyzeAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        // Through our function, which runs as the tables' owner (the app's role in production owns none: Schema.AnalyzeFunction).
        await using var analyze = new NpgsqlCommand($"select {Schema.Analyze}(@table::regclass, @columns)", conn) { CommandTimeout = 600 };
        analyze.Parameters.AddWithValue("table", _events);
        analyze.Parameters.AddWithValue("columns", _analyzed.ToArray());
        await analyze.ExecuteNonQueryAsync(ct);
    }
}
