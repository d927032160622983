using System.Diagnostics;
using Alba;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Normalization.Api.Tests.Infrastructure;
using OpenTelemetry.Trace;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Telemetry;

/// <summary>Issue 16 (5): a write is one trace from ASP.NET Core through our spans and Marten to Npgsql; nothing without configuration.</summary>
[Collection(ApiCollection.Name)]
public sealed class TracingTests(AppFixture app)
{
    [Fact]
    public async Task Given_telemetry_on_When_events_are_posted_Then_one_trace_spans_HTTP_our_append_and_Marten_s_SQL_through_Npgsql()
    {
        var exported = new List<Activity>();
        // Program decides at registration, from the configuration it has then (environment variables included).
        Environment.SetEnvironmentVariable("Normalization__Telemetry__Enabled", "true");
        IAlbaHost host;
        try
        {
            host = await AlbaHost.For<Program>(b => b.ConfigureServices(s => s.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(exported))));
        }
        finally { Environment.SetEnvironmentVariable("Normalization__Telemetry__Enabled", null); }
        await using var _ = host;
        var id = Normalization.Api.Tests.Support.TestApi.NewId("otel");
        (await host.Scenario(s => { s.Post.Json(Negotiation(id)).ToUrl("/api/negotiations"); s.WithRequestHeader("X-Api-Key", AppFixture.ApiKey); s.StatusCodeShouldBe(201); })).ShouldNotBeNull();

        await host.Scenario(s =>
        {
            s.Post.Json(new { events = new[] { Talks(Day(3)) } }).ToUrl($"/api/negotiations/{id}/events");
            s.WithRequestHeader("X-Api-Key", AppFixture.ApiKey);
            s.StatusCodeShouldBe(201);
        });
        // ASP.NET Core stops its request span after the response is sent, which can be after Alba's scenario returns: wait
        // for it (bounded) before reading the trace.
        bool ServerSpanExported()
        {
            try { return exported.ToArray().Any(a => a.Source.Name == "Microsoft.AspNetCore" && a.DisplayName.Contains("/events")); }
            catch (ArgumentException) { return false; } // the exporter added a span while the list was copied: look again
        }
        for (var waited = 0; waited < 5_000 && !ServerSpanExported(); waited += 50)
        {
            host.Services.GetRequiredService<TracerProvider>().ForceFlush();
            await Task.Delay(50);
        }
        host.Services.GetRequiredService<TracerProvider>().ForceFlush();

        var server = exported.Last(a => a.Source.Name == "Microsoft.AspNetCore" && a.DisplayName.Contains("/events"));
        var trace = exported.Where(a => a.TraceId == server.TraceId).ToList();
        trace.ShouldContain(a => a.Source.Name == "Normalization" && a.DisplayName == "append");
        var append = trace.Single(a => a.Source.Name == "Normalization" && a.DisplayName == "append");
        // Marten's append (its quick-append function) runs as an Npgsql span inside our append span — directly, or inside
        // the "append-group" span of the group commit the append led.
        static string Sql(Activity a) => (a.GetTagItem("db.query.text") ?? a.GetTagItem("db.statement"))?.ToString() ?? "";
        bool Inside(Activity a)
        {
            for (var parent = a.ParentSpanId; parent != default; parent = trace.FirstOrDefault(t => t.SpanId == parent)?.ParentSpanId ?? default)
                if (parent == append.SpanId) return true;
            return false;
        }
        var npgsql = trace.Where(a => a.Source.Name == "Npgsql").ToList();
        npgsql.Any(a => Inside(a) && Sql(a).Contains("mt_quick_append_events"))
            .ShouldBeTrue(string.Join("\n", npgsql.Select(a => Sql(a)[..Math.Min(80, Sql(a).Length)])));
        // The write's correlation id in Marten is the trace id.
        await using var session = app.Store.QuerySession();
        var stored = (await session.Events.FetchStreamAsync(id)).Last();
        stored.CorrelationId.ShouldBe(server.TraceId.ToHexString());
    }

    [Fact]
    public void Given_no_OTLP_endpoint_and_telemetry_off_When_the_app_runs_Then_no_tracer_is_registered() =>
        app.Host.Services.GetService<TracerProvider>().ShouldBeNull();
}
