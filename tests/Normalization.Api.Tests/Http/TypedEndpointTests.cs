using System.Reflection;
using Microsoft.AspNetCore.Http;
using Normalization.Api.Http.Requests;
using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;
using Wolverine.Http;

namespace Normalization.Api.Tests.Http;

/// <summary>The endpoints in Wolverine's idiom: typed request records read by the strict readers, compound steps in a fixed order.</summary>
[Collection(ApiCollection.Name)]
public sealed class TypedEndpointTests(AppFixture app)
{
    static MethodInfo[] EndpointMethods => typeof(RequestBinding).Assembly.GetTypes()
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
        .Where(m => m.GetCustomAttributes<WolverineHttpMethodAttribute>().Any())
        .ToArray();

    [Fact]
    public void Given_every_endpoint_When_its_signature_is_read_Then_none_takes_the_raw_request_and_each_takes_its_request_record_first()
    {
        var methods = EndpointMethods;
        methods.Length.ShouldBeGreaterThanOrEqualTo(14);
        foreach (var m in methods)
        {
            var types = m.GetParameters().Select(p => p.ParameterType).ToList();
            types.ShouldNotContain(typeof(HttpContext), m.DeclaringType!.Name + "." + m.Name);
            types.ShouldNotContain(typeof(HttpRequest), m.DeclaringType!.Name + "." + m.Name);
            var first = types[0];
            (first.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() is var d && (d == typeof(IJsonRequest<>) || d == typeof(IQueryRequest<>))))
                .ShouldBeTrue($"{m.DeclaringType!.Name}.{m.Name} takes {first.Name} first, not a request record");
        }
    }

    [Fact]
    public async Task Given_an_unknown_negotiation_When_the_query_or_the_body_is_bad_Then_the_request_record_is_read_first_and_the_answer_is_400()
    {
        var missing = "no-such-" + Guid.NewGuid().ToString("N")[..8];

        var (queryStatus, queryBody) = await app.GetJson($"/api/negotiations/{missing}/state?asOf=yesterday");
        var (bodyStatus, body, _) = await app.PostRaw($"/api/negotiations/{missing}/what-if", """{"asOf":"nope","colour":1}""");
        var (knownStatus, known) = await app.GetJson($"/api/negotiations/{missing}/state");

        queryStatus.ShouldBe(400);
        queryBody.ShouldHaveError("asOf", "invalid_date");
        bodyStatus.ShouldBe(400);
        body.ShouldHaveError("asOf", "invalid_date");
        body.ShouldHaveError("colour", "unknown_field");
        knownStatus.ShouldBe(404);
        known.ShouldBeProblem("negotiation_not_found");
    }

    [Fact]
    public async Task Given_a_negotiation_When_its_state_is_read_with_a_version_parameter_Then_it_is_unknown_and_the_version_comes_from_the_load_step()
    {
        var id = await app.GivenNegotiation("typed");
        await app.GivenEvents(id, ApiScenarios.Talks(ApiScenarios.Day(3)));

        var (status, body) = await app.GetJson($"/api/negotiations/{id}/state?version=7");
        var (okStatus, ok) = await app.GetJson($"/api/negotiations/{id}/state");

        status.ShouldBe(400);
        body.ShouldHaveError("version", "unknown_parameter");
        okStatus.ShouldBe(200);
        ok!["version"]!.GetValue<int>().ShouldBe(2);
    }
}
