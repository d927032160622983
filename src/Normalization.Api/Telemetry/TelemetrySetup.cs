using System.Diagnostics;
using Npgsql;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Normalization.Api.Telemetry;

/// <summary>
/// OpenTelemetry traces and metrics from ASP.NET Core, Npgsql, Marten and Wolverine (each emits them natively) and our
/// own spans (<see cref="Source"/>: append, refold, time travel, import phases). Exported over OTLP when
/// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (the standard OTEL_* variables configure the exporter); with neither that nor
/// <c>Normalization:Telemetry:Enabled=true</c> nothing is registered, so nothing is collected. docs/architecture.md,
/// "Telemetry".
/// </summary>
public static class TelemetrySetup
{
    /// <summary>The name of our ActivitySource and Meter.</summary>
    public const string SourceName = "Normalization";

    /// <summary>Our spans: <c>append</c>, <c>refold</c>, <c>state-as-of</c>, <c>import.validate</c>, <c>import.store</c>.</summary>
    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>The ActivitySources and Meters of the Critter Stack and of Npgsql that are collected.</summary>
    public static readonly string[] CritterStackSources = ["Marten", "Wolverine"];

    /// <summary>Registers OpenTelemetry when an OTLP endpoint is configured or telemetry is switched on.</summary>
    public static WebApplicationBuilder AddTelemetry(this WebApplicationBuilder builder)
    {
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]);
        if (!otlp && !builder.Configuration.GetValue<bool>("Normalization:Telemetry:Enabled")) return builder;
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(builder.Configuration["OTEL_SERVICE_NAME"] ?? "normalization"))
            .WithTracing(t =>
            {
                t.AddAspNetCoreInstrumentation(o => o.Filter = http => !http.Request.Path.StartsWithSegments("/health"))
                    .AddNpgsql()
                    .AddSource(SourceName)
                    .AddSource(CritterStackSources);
                if (otlp) t.AddOtlpExporter();
            })
            .WithMetrics(m =>
            {
                m.AddAspNetCoreInstrumentation()
                    .AddMeter("Npgsql", SourceName)
                    .AddMeter(CritterStackSources)
                    .AddMeter("Wolverine*", "Marten*");
                if (otlp) m.AddOtlpExporter();
            });
        return builder;
    }
}
