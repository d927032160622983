using JasperFx;
using JasperFx.Events;
using Marten;
using Weasel.Core;
using Wolverine.Marten;

namespace Normalization.Api.Storage;

/// <summary>The one place where Marten (the event store) is configured.</summary>
public static class MartenSetup
{
    public static IServiceCollection AddNormalizationStorage(this IServiceCollection services, string connectionString)
    {
        services.AddMarten(opts =>
            {
                opts.Connection(connectionString);

                // Streams are identified by readable strings (e.g. "process-<slug>"), not Guids.
                opts.Events.StreamIdentity = StreamIdentity.AsString;
                // Rich mode: stream versions are known on append (expected-version checks, inline snapshot Version).
                opts.Events.AppendMode = EventAppendMode.Rich;
                opts.Events.MetadataConfig.CorrelationIdEnabled = true;
                opts.Events.MetadataConfig.CausationIdEnabled = true;
                opts.Events.MetadataConfig.HeadersEnabled = true;

                opts.UseSystemTextJsonForSerialization(EnumStorage.AsString, Casing.CamelCase);
                opts.AutoCreateSchemaObjects = AutoCreate.All;

                // Projections are registered here later.
            })
            .ApplyAllDatabaseChangesOnStartup()
            .IntegrateWithWolverine()
            .UseLightweightSessions();

        return services;
    }
}
