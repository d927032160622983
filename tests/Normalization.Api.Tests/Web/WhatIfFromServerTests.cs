using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Normalization.Domain.Catalog;
using Normalization.Domain.Stages;

namespace Normalization.Api.Tests.Web;

// Inside Normalization.Api.*, "WhatIf" alone names the namespace Normalization.Api.WhatIf; the alias names the entry class.
using WhatIf = Normalization.Domain.WhatIf.WhatIf;

/// <summary>
/// The package's <c>WhatIf.FromServerAsync</c> against the built API running as a process on a real loopback port, on
/// PostgreSQL, with the US–Taliban seed posted (the web fixture's server).
/// </summary>
[Collection(WebCollection.Name)]
public class WhatIfFromServerTests(WebAppFixture web)
{
    [Fact]
    public async Task Given_a_running_server_When_the_helper_loads_us_taliban_Then_the_history_is_the_servers_and_what_ifs_run_on_it()
    {
        // <snippet:what-if-from-server>
        using var http = new HttpClient { BaseAddress = new Uri(web.BaseUrl) };   // e.g. http://localhost:5080/
        var history = await WhatIf.FromServerAsync(http, "us-taliban");

        var result = history.AsOf(new DateOnly(2025, 4, 3))
            .Add(new OfficeOpened { OfficeKind = OfficeKind.LiaisonOffice, OccurredOn = DomainDate.Parse("2025-05-01"), Actor = "TB", Target = "US" })
            .Project();

        result.State.Stage.ShouldBe(Stage.Representation);
        result.Diff.StageBefore.ShouldBe(Stage.ConfidenceBuilding);
        // </snippet>

        var timeline = await web.Http.GetFromJsonAsync<JsonObject>($"/api/negotiations/{WebAppFixture.NegotiationId}/timeline?pageSize=1");
        history.Recorded.Count.ShouldBe(timeline!["total"]!.GetValue<int>());
        history.Opening.Id.ShouldBe(WebAppFixture.NegotiationId);
        foreach (var asOf in new[] { "2020-03-01", "2021-09-01", "2025-04-15" })
        {
            var server = await web.Http.GetFromJsonAsync<JsonObject>($"/api/negotiations/{WebAppFixture.NegotiationId}/state?asOf={asOf}");
            var local = history.Project(DateOnly.Parse(asOf)).State;
            local.Stage.ToString().ShouldBe(server!["stage"]!.GetValue<string>(), asOf);
            local.StageSince?.ToString("yyyy-MM-dd").ShouldBe(server["stageSince"]?.GetValue<string>(), asOf);
        }

        // The same story on the seed file gives the same answer, to the last field.
        var fromFile = WhatIf.FromNdjson(Path.Combine(AppContext.BaseDirectory, "Seed", "us-taliban.ndjson")).AsOf(new DateOnly(2025, 4, 3))
            .Add(result.Hypothetical[0].Event).Project();
        Json(result.State with { NegotiationId = "" }).ShouldBe(Json(fromFile.State with { NegotiationId = "" }));
    }

    [Fact]
    public async Task Given_knownAt_When_the_helper_loads_Then_now_gives_the_whole_record_and_before_the_negotiation_existed_a_404_with_the_reason()
    {
        var now = await WhatIf.FromServerAsync(new Uri(web.BaseUrl), WebAppFixture.NegotiationId, knownAt: DateTimeOffset.UtcNow.AddSeconds(1));
        var all = await WhatIf.FromServerAsync(new Uri(web.BaseUrl), WebAppFixture.NegotiationId);

        now.Recorded.Select(e => e.EventId).ShouldBe(all.Recorded.Select(e => e.EventId));
        var error = await Should.ThrowAsync<HttpRequestException>(() =>
            WhatIf.FromServerAsync(new Uri(web.BaseUrl), WebAppFixture.NegotiationId, knownAt: new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero)));
        error.StatusCode.ShouldBe(HttpStatusCode.NotFound);
        error.Message.ShouldContain("not_known_then");
    }

    static string Json<T>(T value) => JsonSerializer.Serialize(value, EventJson.Options);
}
