using Alba;
using Normalization.Api.Tests.Infrastructure;

namespace Normalization.Api.Tests.Foundation;

[Collection(ApiCollection.Name)]
public sealed class HealthEndpointTests(AppFixture app)
{
    private sealed record HealthBody(string Status, HealthCheckBody[] Checks);

    private sealed record HealthCheckBody(string Name, string Status);

    [Fact]
    public async Task health_is_200_and_healthy_when_the_database_answers()
    {
        // Given the API running on its own test database

        // When a client asks for /health
        var result = await app.Host.Scenario(s =>
        {
            s.Get.Url("/health");
            s.StatusCodeShouldBeOk();
        });

        // Then the service and its database check report Healthy
        var body = await result.ReadAsJsonAsync<HealthBody>();
        body.ShouldNotBeNull();
        body.Status.ShouldBe("Healthy");
        body.Checks.ShouldContain(c => c.Name == "database" && c.Status == "Healthy");
    }
}
