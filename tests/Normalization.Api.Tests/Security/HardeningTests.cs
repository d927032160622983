using Normalization.Api.Tests.Infrastructure;
using Normalization.Api.Tests.Support;

namespace Normalization.Api.Tests.Security;

[Collection(ApiCollection.Name)]
public sealed class HardeningTests(AppFixture app)
{
    [Fact]
    public async Task Given_any_request_When_answered_Then_security_headers_are_set_and_no_inline_script_is_allowed()
    {
        var result = await app.Host.Scenario(s => { s.Get.Url("/api/event-types"); });

        var headers = result.Context.Response.Headers;
        headers.XContentTypeOptions.ToString().ShouldBe("nosniff");
        var csp = headers.ContentSecurityPolicy.ToString();
        csp.ShouldContain("frame-ancestors 'none'");
        csp.ShouldContain("script-src 'self'");
        csp.ShouldNotContain("unsafe-inline");
    }

    [Fact]
    public async Task Given_a_write_without_a_key_When_posted_Then_401_problem_details_and_no_cors_header()
    {
        var result = await app.Host.Scenario(s =>
        {
            s.Post.Json(new { id = "no-key-here", title = "x" }).ToUrl("/api/negotiations");
            s.WithRequestHeader("Origin", "https://evil.example");
            s.StatusCodeShouldBe(401);
        });

        result.Context.Response.Headers.ContainsKey("Access-Control-Allow-Origin").ShouldBeFalse();
        (await result.ReadAsTextAsync()).ShouldContain("api_key_missing");
    }
}
