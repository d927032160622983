using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using static Normalization.Api.Tests.Support.ApiScenarios;

namespace Normalization.Api.Tests.Parties;

/// <summary>GET /api/parties/{code}.</summary>
[Collection(ApiCollection.Name)]
public sealed class PartyProfileTests(AppFixture app)
{
    [Fact]
    public async Task Given_a_party_in_two_negotiations_When_reading_its_profile_Then_both_with_counterpart_and_stage()
    {
        var code = NewPartyCode();
        var a = await app.GivenNegotiation("prof", code, "US");
        var b = await app.GivenNegotiation("prof", code, "TB");
        await app.GivenEvents(b, Talks(Day(3), code, "TB"));

        var (status, body) = await app.GetJson($"/api/parties/{code.ToLowerInvariant()}");

        status.ShouldBe(200);
        body!["code"]!.GetValue<string>().ShouldBe(code);
        var rows = body["negotiations"]!.AsArray();
        rows.Select(r => r!["id"]!.GetValue<string>()).ShouldBe(new[] { a, b }.Order(StringComparer.Ordinal));
        rows.Single(r => r!["id"]!.GetValue<string>() == b)!["stage"]!.GetValue<string>().ShouldBe("Exploratory");
        rows.Single(r => r!["id"]!.GetValue<string>() == a)!["counterpart"]!["code"]!.GetValue<string>().ShouldBe("US");
    }

    [Fact]
    public async Task Given_an_unknown_party_When_reading_its_profile_Then_404_party_not_found()
    {
        var (status, body) = await app.GetJson($"/api/parties/{NewPartyCode()}");

        status.ShouldBe(404);
        body.ShouldBeProblem("party_not_found");
    }
}
