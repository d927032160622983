using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Normalization.Api.WhatIf;
using Normalization.Domain.Catalog;
using Normalization.Domain.Negotiations;
using Npgsql;
using Weasel.Core;
using Wolverine.Marten;

namespace Normalization.Api.Storage;

/// <summary>The one place where Marten (the event store) and our own storage tables are configured.</summary>
public static class MartenSetup
{
    /// <summary>
    /// Longest wait for a database connection (a new one, or a free one when the pool is at its cap): past it a request answers
    /// 503 database_unavailable (docs/reliability.md). Npgsql also spends it twice on a cancel request when a command times out
    /// against a server that stops answering (measured: <see cref="RequestWaitBoundSeconds"/>), so it is kept short.
    /// </summary>
    public const int ConnectTimeoutSeconds = 3;

    /// <summary>
    /// Longest wait for one answer from the database on the request pool of a process that serves HTTP (an app node): past it
    /// the request answers 503 database_unavailable. Requests run queries of milliseconds (docs/benchmarks.md); a request
    /// waiting for a lock held by a long import or rebuild also gives up after it, and is told to retry.
    /// </summary>
    public const int RequestCommandTimeoutSeconds = 4;

    /// <summary>
    /// Longest wait for a lock on the request pool of an app node (PostgreSQL's <c>lock_timeout</c>, set at connection start):
    /// below <see cref="RequestCommandTimeoutSeconds"/>, so a write that waits behind another writer of the same negotiation
    /// (an import or rebuild of many seconds, in this process or another) hears it from the server (<c>55P03</c>) and answers
    /// 503 <c>negotiation_busy</c> — a live server that says why — instead of timing out as if the database did not answer.
    /// </summary>
    public const int RequestLockTimeoutMilliseconds = 3_000;

    /// <summary>
    /// The longest a request waits on a database that stops answering without refusing (PostgreSQL's processes stopped, a frozen
    /// host, a network partition) before its 503: <see cref="RequestCommandTimeoutSeconds"/>, then Npgsql's cancel request to the
    /// silent server, which costs twice <see cref="ConnectTimeoutSeconds"/> (measured with <c>FrozenDatabaseTests</c>). A stopped
    /// server refuses at once: 503 in well under a second.
    /// </summary>
    public const int RequestWaitBoundSeconds = RequestCommandTimeoutSeconds + 2 * ConnectTimeoutSeconds;

    /// <summary>
    /// Most connections this process opens, for everything: Marten, Wolverine's message storage (through Marten), our own
    /// tables and the health check share the request pool (<see cref="CreateDataSource"/>), work that may run for minutes the
    /// long-work pool (<see cref="LongWork"/>, <see cref="LongWorkPoolSize"/> of these). PostgreSQL's default max_connections is 100,
    /// 3 of them reserved for superusers: two app nodes at 40 each take 80 and leave room for psql, the command line
    /// (its own process, a handful of connections), migrations and monitoring. Npgsql's default (100 per pool) let a
    /// single busy node take every connection the server has. Past the cap a request waits for a free connection up to
    /// <see cref="ConnectTimeoutSeconds"/>, then answers 503.
    /// </summary>
    public const int MaxPoolSize = 40;

    /// <summary>The long-work pool's share of <see cref="MaxPoolSize"/>: bulk imports, rebuilds, deferred checkpoints.</summary>
    public const int LongWorkPoolSize = 8;

    /// <summary>
    /// The process's request pool: <see cref="ConnectTimeoutSeconds"/> and <see cref="MaxPoolSize"/> less the long-work share capped;
    /// with <paramref name="boundCommands"/> (a process that serves HTTP) each command waits at most
    /// <see cref="RequestCommandTimeoutSeconds"/> for the server. The command line's processes keep Npgsql's command time-out
    /// (30 s): Marten's <c>projections rebuild</c> runs on this pool.
    /// </summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString, bool boundCommands = true) =>
        Build(connectionString, MaxPoolSize - LongWorkPoolSize, boundCommands ? RequestCommandTimeoutSeconds : null);

    /// <summary>
    /// The long-work pool (<see cref="LongWork"/>) on the same server: Npgsql's command time-out as configured (30 s by default),
    /// never the request bound — a 1,000,000-event import, a rebuild or a late event's checkpoints run single statements of
    /// many seconds (their COPYs set their own 30-minute time-out).
    /// </summary>
    public static LongWork CreateLongWork(string connectionString) => new(Build(connectionString, LongWorkPoolSize, null));

    static NpgsqlDataSource Build(string connectionString, int maxPoolSize, int? commandTimeoutSeconds)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (builder.ConnectionStringBuilder.Timeout > ConnectTimeoutSeconds) builder.ConnectionStringBuilder.Timeout = ConnectTimeoutSeconds;
        // 0 is "no limit" to Npgsql: capped too.
        if (commandTimeoutSeconds is { } bound && (builder.ConnectionStringBuilder.CommandTimeout == 0 || builder.ConnectionStringBuilder.CommandTimeout > bound))
            builder.ConnectionStringBuilder.CommandTimeout = bound;
        // A bounded pool also bounds lock waits, on the server's side (RequestLockTimeoutMilliseconds). A startup option, so the
        // pool's reset (DISCARD ALL → RESET ALL) brings it back rather than dropping it; an operator's own Options are kept.
        if (commandTimeoutSeconds is not null)
            builder.ConnectionStringBuilder.Options = $"{builder.ConnectionStringBuilder.Options} -c lock_timeout={RequestLockTimeoutMilliseconds}".Trim();
        builder.ConnectionStringBuilder.MaxPoolSize = maxPoolSize;
        // No auto-prepare (MaxAutoPrepare stays 0): a prepared statement gets PostgreSQL's generic plan, sized for the largest
        // negotiation (a parallel scan), which made small negotiations' time-travel queries 10× slower in the benchmark
        // (docs/benchmarks.md). One statement is prepared explicitly on every physical connection so that the pool's reset
        // keeps the session's cached plans (Marten's append and upsert functions) and resets everything else (PooledPlans).
        builder.KeepPlansAcrossResets();
        return builder.Build();
    }

    /// <summary>
    /// Registers the two pools on <paramref name="connectionString"/> (replacing any registered before: the tests point a
    /// host at a proxy this way). <paramref name="boundCommands"/>: see <see cref="CreateDataSource"/>.
    /// </summary>
    public static IServiceCollection AddDatabase(this IServiceCollection services, string connectionString, bool boundCommands = true)
    {
        services.AddSingleton(_ => CreateDataSource(connectionString, boundCommands));
        services.AddSingleton(_ => CreateLongWork(connectionString));
        return services;
    }

    /// <summary>
    /// Marten (events, documents, our Weasel tables) on the process's request pool, integrated with Wolverine.
    /// <paramref name="boundCommands"/>: the process serves HTTP (<see cref="CreateDataSource"/>).
    /// <paramref name="applySchemaAtStart"/> (Development and the tests, <see cref="SchemaAtStart.AppliedByTheApp"/>): Marten
    /// compares and migrates the whole schema at start and creates what a first use needs; otherwise (Production) it does
    /// neither — the schema is applied at deploy with <c>db-apply</c> and <c>CritterStackDefaults</c>' Production profile
    /// (<c>ResourceAutoCreate = None</c>, Program.cs) leaves Marten's AutoCreate at None.
    /// </summary>
    public static IServiceCollection AddNormalizationStorage(this IServiceCollection services, string connectionString, bool applySchemaAtStart,
        bool boundCommands = true)
    {
        // One request pool for the whole process (see MaxPoolSize): Marten takes it from the container (UseNpgsqlDataSource below),
        // Wolverine's Marten integration uses Marten's, NegotiationStore and the health check take it by injection; the
        // long-work pool beside it is NegotiationStore's for imports, rebuilds and deferred checkpoints.
        services.AddDatabase(connectionString, boundCommands);
        var marten = services.AddMarten(opts =>
            {
                // Marten's connection spans (opts.OpenTelemetry.TrackConnections) stay off: Marten 9.58's tracing wrapper cannot
                // start AppendExclusive's transaction on a session opened on our transaction (ExternalTransaction does not
                // implement ITransactionStarter). Marten's SQL still shows in the trace as Npgsql spans (docs/architecture.md, "Telemetry").
                // Streams are identified by the negotiation's slug ("us-taliban").
                opts.Events.StreamIdentity = StreamIdentity.AsString;
                // Quick mode: one round trip per batch. An end append from a held head gives Marten its expected version
                // (NegotiationStore.EndAppend.cs); every other append first takes Marten's own stream row lock (AppendExclusive,
                // NegotiationStore.LockStreamAsync). Either way the stream version is checked before Marten writes.
                opts.Events.AppendMode = EventAppendMode.Quick;
                opts.Events.MetadataConfig.CorrelationIdEnabled = true;
                opts.Events.MetadataConfig.CausationIdEnabled = true;
                opts.Events.MetadataConfig.HeadersEnabled = true;
                // Who posted it: the API key's name (session.LastModifiedBy).
                opts.Events.MetadataConfig.UserNameEnabled = true;

                // Events are stored in the public JSON contract (camelCase, enums as strings, "type" for nested events).
                opts.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase, EventJson.Configure);
                // Development: create and migrate whatever is missing (All also rebuilds what cannot be altered in place).
                // Production: unset, so the Production profile's AutoCreate.None applies (SchemaAtStart).
                if (applySchemaAtStart) opts.AutoCreateSchemaObjects = AutoCreate.All;

                // Stable, documented event type names: the catalog's names (docs/event-catalog.md).
                opts.Events.MapEventType<NegotiationOpened>(nameof(NegotiationOpened));
                foreach (var t in EventCatalog.All) opts.Events.MapEventType(t.ClrType, t.Name);
                Upcasting.Register(opts);

                opts.Schema.For<BoardEntry>().Identity(x => x.Id);
                opts.Schema.For<PartyProfile>().Identity(x => x.Id);
                // Saved what-if scenarios, one per negotiation and name ("{negotiationId}/{name}"); listed by negotiation.
                opts.Schema.For<SavedScenario>().Identity(x => x.Id).Index(x => x.NegotiationId);
                // A party's negotiations: projected from each stream's NegotiationOpened in the appending transaction.
                opts.Projections.Add<PartyProfileProjection>(ProjectionLifecycle.Inline);

                // Our own tables, in Marten's schema (last, so they follow DatabaseSchemaName): Marten creates and migrates
                // them with its own objects — at start-up, in the data commands, db-apply / db-patch / db-assert (Schema).
                opts.Storage.ExtendedSchemaObjects.AddRange(Schema.Tables(opts.DatabaseSchemaName));
                opts.Storage.ExtendedSchemaObjects.AddRange(Schema.Functions(opts.DatabaseSchemaName));
            })
            .UseNpgsqlDataSource()
            // The domain-order fold as a Marten projection: Marten's rebuild tooling runs it; live appends maintain the
            // same read models inline (NegotiationFoldProjection says why).
            .AddProjectionWithServices<NegotiationFoldProjection>(ProjectionLifecycle.Async, ServiceLifetime.Singleton, NegotiationFoldProjection.Name)
            // First run: the shipped seed history, as Marten initial data (Importing/SeedData).
            .InitializeWith<Normalization.Api.Importing.SeedData>()
            .IntegrateWithWolverine()
            .UseLightweightSessions();
        // Development only: compare and migrate every object at start (in Production, db-apply at deploy does).
        if (applySchemaAtStart) marten.ApplyAllDatabaseChangesOnStartup();

        // The logger Marten writes its command log to: routine conflicts (a stored eventId, a taken id) at Debug, no parameter
        // values in any line (MartenLogging says why).
        services.AddSingleton<ILogger<IDocumentStore>>(sp => new MartenLogging(sp.GetRequiredService<ILoggerFactory>().CreateLogger<IDocumentStore>(), sp.GetRequiredService<IDocumentStore>));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<HeadCache>();
        services.AddSingleton<TailCache>();
        services.AddSingleton<DeferredCheckpoints>();
        services.AddSingleton<WriterGate>();
        services.AddSingleton<NegotiationStore>();
        return services;
    }
}
