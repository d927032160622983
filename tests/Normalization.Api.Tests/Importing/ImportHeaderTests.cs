using System.Text.Json.Nodes;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;

namespace Normalization.Api.Tests.Importing;

/// <summary>
/// Trial 7: an NDJSON file's first line (id, parties, baseline) is not dropped when the file is imported into an existing
/// negotiation — parties or a baseline other than the target's are refused (422 on <c>lines[1]</c>), nothing stored.
/// </summary>
[Collection(ApiCollection.Name)]
public class ImportHeaderTests(AppFixture app)
{
    static readonly object Cuba = new
    {
        relations = "Severed",
        sanctions = new[] { "US embargo on Cuba", "Helms-Burton" },
    };

    Task<(int Status, JsonNode? Body)> PostFileAsync(string id, string text) => app.PostImportFile(id, "", text, "application/x-ndjson");

    async Task<string> NegotiationAsync(string[] parties, object baseline)
    {
        var id = TestApi.NewId("hdr");
        var status = (await app.PostJson("/api/negotiations", new
        {
            id, title = "Header test", parties = parties.Select(p => new { code = p, name = p + " name" }).ToArray(), baseline,
        })).Status;
        status.ShouldBe(201);
        return id;
    }

    /// <summary>A history file: the declaring line with <paramref name="parties"/> and <paramref name="baseline"/>, then one talks event.</summary>
    static string File(string[] parties, object baseline, string title = "Another title")
    {
        var header = new JsonObject
        {
            ["type"] = "NegotiationOpened", ["id"] = "source-id", ["title"] = title,
            ["parties"] = new JsonArray(parties.Select(p => (JsonNode)new JsonObject { ["code"] = p, ["name"] = p }).ToArray()),
            ["baseline"] = JsonNode.Parse(System.Text.Json.JsonSerializer.Serialize(baseline)),
        };
        var talks = new JsonObject
        {
            ["type"] = "TalksHeld", ["occurredOn"] = "2015-01-22", ["actor"] = parties[0], ["target"] = parties[1], ["confidence"] = "Confirmed",
            ["sources"] = new JsonArray(new JsonObject { ["publisher"] = "Reuters", ["publishedOn"] = "2015-01-23" }),
            ["participants"] = new JsonArray(parties[0], parties[1]), ["location"] = "Havana",
        };
        return header.ToJsonString() + "\n" + talks.ToJsonString() + "\n";
    }

    async Task<int> EventCountAsync(string id) => (await app.GetJson($"/api/negotiations/{id}/timeline")).Body!["items"]!.AsArray().Count;

    [Fact]
    public async Task Given_a_file_declaring_other_parties_When_imported_into_an_existing_negotiation_Then_422_names_the_header_and_nothing_is_stored()
    {
        var id = await NegotiationAsync(["US", "VN"], new { });

        var answer = await PostFileAsync(id, File(["AA", "BB"], new { }));

        answer.Status.ShouldBe(422, answer.Body?.ToJsonString());
        answer.Body!["errors"]!.AsArray().Select(e => ((string)e!["path"]!, (string)e["code"]!)).ShouldBe([("lines[1].parties", "parties_mismatch")]);
        (await EventCountAsync(id)).ShouldBe(0);
    }

    [Fact]
    public async Task Given_a_file_declaring_a_baseline_the_target_lacks_When_imported_Then_422_baseline_mismatch_and_nothing_is_stored()
    {
        var id = await NegotiationAsync(["US", "CU"], new { });

        var answer = await PostFileAsync(id, File(["US", "CU"], Cuba));

        answer.Status.ShouldBe(422, answer.Body?.ToJsonString());
        answer.Body!["errors"]!.AsArray().Select(e => ((string)e!["path"]!, (string)e["code"]!)).ShouldBe([("lines[1].baseline", "baseline_mismatch")]);
        (await EventCountAsync(id)).ShouldBe(0);
    }

    [Fact]
    public async Task Given_a_file_whose_header_matches_but_for_title_and_list_order_When_imported_Then_200_and_its_events_are_stored()
    {
        var id = await NegotiationAsync(["US", "CU"], new { relations = "Severed", sanctions = new[] { "Helms-Burton", "US embargo on Cuba" } });

        var answer = await PostFileAsync(id, File(["US", "CU"], Cuba, title: "Not the target's title"));

        answer.Status.ShouldBe(200, answer.Body?.ToJsonString());
        ((int)answer.Body!["stored"]!).ShouldBe(1);
        (await EventCountAsync(id)).ShouldBe(1);
    }

    [Fact]
    public async Task Given_the_command_line_s_import_into_an_existing_negotiation_When_the_header_s_baseline_differs_Then_the_report_names_line_1_and_nothing_is_stored()
    {
        var id = await NegotiationAsync(["US", "CU"], new { });
        var path = Path.Combine(Path.GetTempPath(), $"{id}.ndjson");
        await System.IO.File.WriteAllTextAsync(path, File(["US", "CU"], Cuba));
        var importer = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Normalization.Api.Importing.Importer>(app.Host.Services);

        var report = await importer.ImportAsync(new Normalization.Api.Importing.ImportRequest { Path = path, Into = id });
        var copy = await importer.ImportAsync(new Normalization.Api.Importing.ImportRequest { Path = path, Into = id + "-copy" });

        report.Succeeded.ShouldBeFalse();
        report.Errors.Select(e => (e.Line, e.Path, e.Code)).ShouldBe([(1, "baseline", "baseline_mismatch")]);
        (await EventCountAsync(id)).ShouldBe(0);
        copy.Created.ShouldBeTrue(); // into a new id the file's first line creates the negotiation, baseline included
        var ledger = (await app.GetJson($"/api/negotiations/{id}-copy")).Body!["ledger"]!;
        ((string)ledger["relations"]!["status"]!).ShouldBe("Severed");
    }
}
