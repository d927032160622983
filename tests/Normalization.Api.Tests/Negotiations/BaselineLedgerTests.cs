using System.Text.Json;
using System.Text.Json.Nodes;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;

namespace Normalization.Api.Tests.Negotiations;

/// <summary>Trial 7: a baseline sanction names no imposer, so its ledger entry's <c>by</c> is null (api.md: a property without a value is null), not "".</summary>
[Collection(ApiCollection.Name)]
public class BaselineLedgerTests(AppFixture app)
{
    [Fact]
    public async Task Given_a_baseline_sanction_When_the_state_is_read_Then_its_ledger_entry_has_by_null_and_the_scope()
    {
        var id = TestApi.NewId("sanction");
        (await app.PostJson("/api/negotiations", new
        {
            id, title = "US – Cuba", parties = new[] { new { code = "US", name = "United States" }, new { code = "CU", name = "Cuba" } },
            baseline = new { relations = "Severed", sanctions = new[] { "US embargo on Cuba" } },
        })).Status.ShouldBe(201);

        var state = await app.GetJson($"/api/negotiations/{id}");

        state.Status.ShouldBe(200);
        var entry = state.Body!["ledger"]!["sanctions"]!.AsArray().ShouldHaveSingleItem()!.AsObject();
        entry.ContainsKey("by").ShouldBeTrue("every property is always there");
        entry["by"].ShouldBeNull();
        ((string)entry["scope"]!).ShouldBe("US embargo on Cuba");
        entry["since"].ShouldBeNull();
    }
}
