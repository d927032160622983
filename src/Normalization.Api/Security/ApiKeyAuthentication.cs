using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Normalization.Api.Http;

namespace Normalization.Api.Security;

/// <summary>
/// API keys as an ASP.NET Core authentication scheme (<see cref="SchemeName"/>): a request with a valid <c>X-Api-Key</c> is
/// authenticated as the key's name (recorded as who posted each event); a missing header is "no result", a wrong key a
/// failure. Writes require the <see cref="WriterPolicy"/> authorization policy, applied to every non-GET Wolverine
/// endpoint by an endpoint policy (<see cref="RequireKeyForWrites"/>); reads stay open. The challenge answers 401
/// ProblemDetails with <c>api_key_missing</c> or <c>api_key_invalid</c>, as before.
/// </summary>
public sealed class ApiKeyAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, ApiKeys keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "ApiKey";

    /// <summary>The policy every write endpoint requires: an authenticated API key.</summary>
    public const string WriterPolicy = "writer";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var presented = Request.Headers[ApiKeys.Header].ToString();
        if (string.IsNullOrEmpty(presented)) return Task.FromResult(AuthenticateResult.NoResult());
        if (keys.Authenticate(presented) is not { } name) return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, name)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var missing = string.IsNullOrEmpty(Request.Headers[ApiKeys.Header]);
        // The one read that needs a key: the webhook subscriptions (a URL can be a credential, docs/alerts.md).
        var read = HttpMethods.IsGet(Request.Method) || HttpMethods.IsHead(Request.Method);
        return Problems.Of(StatusCodes.Status401Unauthorized, missing ? "api_key_missing" : "api_key_invalid",
            read ? "An API key is required to read webhook subscriptions." : "An API key is required to write.",
            $"Send a valid key in the {ApiKeys.Header} header. " + (read ? "Other reads are open." : "Reads are open.")).ExecuteAsync(Context);
    }

    /// <summary>Registers the scheme and the writer policy.</summary>
    public static IServiceCollection AddApiKeyAuthentication(IServiceCollection services)
    {
        services.AddAuthentication(SchemeName).AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(SchemeName, _ => { });
        // A request read-only mode lets through as an open computation (what-if) needs no key; anything else needs one.
        services.AddAuthorizationBuilder().AddPolicy(WriterPolicy, p => p.AddAuthenticationSchemes(SchemeName).RequireAssertion(ctx =>
            ctx.User.Identity?.IsAuthenticated == true || ctx.Resource is HttpContext http && Readers.ReadOnlyMode.IsOpenComputation(http)));
        return services;
    }

    /// <summary>Wolverine endpoint policy: every endpoint that is not a read (GET/HEAD) requires <see cref="WriterPolicy"/>.</summary>
    public static void RequireKeyForWrites(Wolverine.Http.HttpChain chain)
    {
        if (chain.HttpMethods.Any(m => !HttpMethods.IsGet(m) && !HttpMethods.IsHead(m)))
        {
            chain.Metadata.RequireAuthorization(WriterPolicy);
            // The answers of the key check and of the per-key write rate limit (Security/Hardening.cs), for the OpenAPI document.
            chain.Metadata.WithMetadata(Http.ProducesProblemAttribute.Of(StatusCodes.Status401Unauthorized), Http.ProducesProblemAttribute.Of(StatusCodes.Status429TooManyRequests));
        }
    }
}
