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
    /// <summary>Longest wait for a database connection: past it a request answers 503 database_unavailable (docs/reliability.md).</summary>
    public const int ConnectTimeoutSeconds = 5;

    /// <summary>
    /// Most connections this process opens, for everything: Marten, Wolverine's message storage (through Marten), our own
    /// tables and the health check all share one <see cref="NpgsqlDataSource"/>. PostgreSQL's default max_connections is 100,
    /// 3 of them reserved for superusers: two app nodes at 40 each take 80 and leave room for psql, the command line
    /// (its own process, a handful of connections), migrations and monitoring. Npgsql's default (100 per pool) let a
    /// single busy node take every connection the server has. Past the cap a request waits for a free connection up to
    /// <see cref="ConnectTimeoutSeconds"/>, then answers 503.
    /// </summary>
    public const int MaxPoolSize = 40;

    /// <summary>The process's one data source: <see cref="ConnectTimeoutSeconds"/> and <see cref="MaxPoolSize"/> capped.</summary>
    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        if (builder.ConnectionStringBuilder.Timeout > ConnectTimeoutSeconds) builder.ConnectionStringBuilder.Timeout = ConnectTimeoutSeconds;
        builder.ConnectionStringBuilder.MaxPoolSize = MaxPoolSize;
        // No auto-prepare (MaxAutoPrepare stays 0): a prepared statement gets PostgreSQL's generic plan, sized for the largest
        // negotiation (a parallel scan), which made small negotiations' time-travel queries 10× slower in the benchmark
        // (docs/benchmarks.md). One statement is prepared explicitly on every physical connection so that the pool's reset
        // keeps the session's cached plans (Marten's append and upsert functions) and resets everything else (PooledPlans).
        builder.KeepPlansAcrossResets();
        return builder.Build();
    }

    /// <summary>
    /// Marten (events, documents, our Weasel tables) on the process's one data source, integrated with Wolverine.
    /// <paramref name="applySchemaAtStart"/> (Development and the tests, <see cref="SchemaAtStart.AppliedByTheApp"/>): Marten
    /// compares and migrates the whole schema at start and creates what a first use needs; otherwise (Production) it does
    /// neither — the schema is applied at deploy with <c>db-apply</c> and <c>CritterStackDefaults</c>' Production profile
    /// (<c>ResourceAutoCreate = None</c>, Program.cs) leaves Marten's AutoCreate at None.
    /// </summary>
    public static IServiceCollection AddNormalizationStorage(this IServiceCollection services, string connectionString, bool applySchemaAtStart)
    {
        // One pool for the whole process (see MaxPoolSize): Marten takes it from the container (UseNpgsqlDataSource below),
        // Wolverine's Marten integration uses Marten's, NegotiationStore and the health check take it by injection.
        services.AddSingleton(_ => CreateDataSource(connectionString));
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
