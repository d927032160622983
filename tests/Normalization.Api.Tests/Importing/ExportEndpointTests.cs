using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Normalization.Api.Importing;
using Normalization.Api.Storage;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using Normalization.Api.Timeline;
using Normalization.Domain.Catalog;
using static Normalization.Api.Tests.Support.ApiScenarios;
using DomainWhatIf = Normalization.Domain.WhatIf.WhatIf;

namespace Normalization.Api.Tests.Importing;

/// <summary>GET /api/negotiations/{id}/export: the CLI's export over HTTP (what WhatIf.FromServerAsync loads).</summary>
[Collection(ApiCollection.Name)]
public class ExportEndpointTests(AppFixture app)
{
    static string SeedFile => Path.Combine(AppContext.BaseDirectory, "Seed", "us-taliban.ndjson");
    NegotiationStore Store => app.Host.Services.GetRequiredService<NegotiationStore>();

    async Task<string> GivenTheSeedImported()
    {
        var id = TestApi.NewId("exp");
        var report = await app.Host.Services.GetRequiredService<Importer>().ImportAsync(new ImportRequest { Path = SeedFile, Into = id });
        report.Errors.ShouldBeEmpty();
        return id;
    }

    [Fact]
    public async Task Given_the_seed_When_exporting_over_HTTP_Then_the_NDJSON_is_the_CLI_export_and_folds_to_the_stored_state()
    {
        var id = await GivenTheSeedImported();
        using var written = new MemoryStream();
        await app.Host.Services.GetRequiredService<Exporter>().ExportAsync(id, ExportFormat.Ndjson, null, written);
        var cli = System.Text.Encoding.UTF8.GetString(written.ToArray());

        var result = await app.Host.Scenario(s => { s.Get.Url($"/api/negotiations/{id}/export"); s.IgnoreStatusCode(); });
        var body = await result.ReadAsTextAsync();

        result.Context.Response.StatusCode.ShouldBe(200, body);
        result.Context.Response.ContentType.ShouldBe("application/x-ndjson; charset=utf-8");
        result.Context.Response.Headers.ContentDisposition.ToString().ShouldContain($"filename={id}.ndjson");
        body.ShouldBe(cli.ToString());
        body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length.ShouldBe(TestApi.SeedEvents().Count + 1);
        var fromExport = DomainWhatIf.FromNdjson(new StringReader(body)).AsOf(new DateOnly(2025, 4, 15)).Project().State;
        var stored = (await Store.StateAsOfAsync(id, new DateOnly(2025, 4, 15)))!;
        JsonSerializer.Serialize(fromExport with { NegotiationId = "" }, EventJson.Options).ShouldBe(JsonSerializer.Serialize(stored with { NegotiationId = "" }, EventJson.Options));
    }

    [Theory]
    [InlineData("csv", "eventId,type,occurredOn")]
    [InlineData("stages", "on,from,to,rule,eventIds")]
    public async Task Given_the_seed_When_exporting_as_CSV_Then_the_layout_is_the_CLI_one(string format, string header)
    {
        var id = await GivenTheSeedImported();

        var (status, body, contentType) = await app.GetText($"/api/negotiations/{id}/export?format={format}", "*/*");

        status.ShouldBe(200);
        contentType.ShouldBe("text/csv; charset=utf-8");
        body.ShouldStartWith(header);
        if (format == "csv") body.Split("\r\n")[0].ShouldBe(string.Join(",", Normalization.Api.Exporting.TimelineCsv.Columns));
    }

    [Fact]
    public async Task Given_an_event_recorded_later_When_exporting_knownAt_before_it_Then_it_is_absent_and_present_without_knownAt()
    {
        var id = await app.GivenNegotiation("expk");
        var early = Guid.NewGuid();
        var late = Guid.NewGuid();
        await app.GivenEvents(id, Talks(Day(30), eventId: early));
        await Task.Delay(50);
        var noted = DateTimeOffset.UtcNow;
        await Task.Delay(50);
        await app.GivenEvents(id, Release(Day(40), "TB", "US", late));

        var (_, then, _) = await app.GetText($"/api/negotiations/{id}/export?knownAt={Uri.EscapeDataString(noted.ToString("O"))}", "*/*");
        var (_, now, _) = await app.GetText($"/api/negotiations/{id}/export", "*/*");

        then.ShouldContain(early.ToString());
        then.ShouldNotContain(late.ToString());
        now.ShouldContain(late.ToString());
    }

    [Theory]
    [InlineData("format=xlsx", "format")]
    [InlineData("format=csv&format=ndjson", "format")]
    [InlineData("knownAt=soon", "knownAt")]
    [InlineData("asOf=2025-01-01", "asOf")]
    public async Task Given_a_bad_query_When_exporting_Then_400_naming_the_parameter(string query, string path)
    {
        var id = await app.GivenNegotiation("expq");

        var (status, body) = await app.GetJson($"/api/negotiations/{id}/export?{query}");

        status.ShouldBe(400);
        body.ShouldHaveError(path);
    }

    [Fact]
    public async Task Given_no_such_negotiation_or_knownAt_before_it_When_exporting_Then_404_with_the_reason()
    {
        var id = await app.GivenNegotiation("exp404");

        var (missing, missingBody) = await app.GetJson("/api/negotiations/no-such-negotiation/export");
        var (early, earlyBody) = await app.GetJson($"/api/negotiations/{id}/export?knownAt=2000-01-01T00:00:00Z");

        missing.ShouldBe(404);
        missingBody.ShouldBeProblem("negotiation_not_found");
        early.ShouldBe(404);
        earlyBody.ShouldBeProblem("not_known_then");
    }

    [Fact]
    public async Task Given_no_such_negotiation_When_the_package_helper_loads_it_Then_it_throws_with_the_status_and_the_problem()
    {
        using var http = app.Host.Server.CreateClient();

        var error = await Should.ThrowAsync<HttpRequestException>(() => DomainWhatIf.FromServerAsync(http, "no-such-negotiation"));

        error.StatusCode.ShouldBe(System.Net.HttpStatusCode.NotFound);
        error.Message.ShouldContain("negotiation_not_found");
        error.Message.ShouldContain("api/negotiations/no-such-negotiation/export");
    }
}
