using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Normalization.Api.Http;
using Normalization.Api.Readers;

namespace Normalization.Api.Security;

/// <summary>
/// Defences that hold for every request: per-key write rate limit (429 + Retry-After), security headers on
/// every response (CSP without inline script, nosniff, frame-ancestors none) and CORS closed unless configured.
/// </summary>
public static class Hardening
{
    public static void AddHardening(this WebApplicationBuilder builder)
    {
        // Settings are read from the host's final configuration (so a test host or a later source can override them).
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IConfiguration>((o, configuration) =>
        {
            var permits = configuration.GetValue("Normalization:RateLimit:WritesPerSecond", 100);
            var burst = configuration.GetValue("Normalization:RateLimit:Burst", 200);
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            var writes = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                var isWrite = !(HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method));
                if (!isWrite) return RateLimitPartition.GetNoLimiter("reads");
                // Partition by the key presented (hashed), so one client cannot starve another.
                var key = http.Request.Headers[ApiKeys.Header].ToString();
                var partition = key.Length == 0 ? "anonymous" : ApiKeys.Hash(key);
                return RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = burst, TokensPerPeriod = permits, ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0, AutoReplenishment = true,
                });
            });
            // A read-only deployment adds its public limits (Readers/PublicLimits.cs); a read-write one gets a no-op.
            o.GlobalLimiter = PartitionedRateLimiter.CreateChained(writes, PublicLimits.Create(ReaderSettings.From(configuration), configuration));
            o.OnRejected = async (ctx, ct) =>
            {
                ctx.HttpContext.Response.Headers.RetryAfter = "1";
                if (PublicLimits.Applies(ctx.HttpContext))
                {
                    await Problems.Of(StatusCodes.Status429TooManyRequests, "rate_limited", "Too many requests.",
                        "This public tracker limits what-if projections and long reads per client; retry after the Retry-After delay.").ExecuteAsync(ctx.HttpContext);
                    return;
                }
                await Problems.Of(StatusCodes.Status429TooManyRequests, "rate_limited", "Too many writes.",
                    $"At most {permits} writes per second per API key (burst {burst}); retry after the Retry-After delay.").ExecuteAsync(ctx.HttpContext);
            };
        });
        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddCors();
        builder.Services.AddOptions<Microsoft.AspNetCore.Cors.Infrastructure.CorsOptions>().Configure<IConfiguration>((o, configuration) =>
        {
            var origins = configuration.GetSection("Normalization:Cors:Origins").Get<string[]>() ?? [];
            o.AddDefaultPolicy(p =>
            {
                if (origins.Length > 0) p.WithOrigins(origins).AllowAnyHeader().AllowAnyMethod();
            });
        });
    }

    public static void UseHardening(this WebApplication app)
    {
        app.Use(async (http, next) =>
        {
            var h = http.Response.Headers;
            h.XContentTypeOptions = "nosniff";
            // The interactive API reference (/scalar) ships an inline bootstrap script; only it gets 'unsafe-inline'.
            h.ContentSecurityPolicy = http.Request.Path.StartsWithSegments("/scalar")
                ? "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'"
                : "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'";
            h["Referrer-Policy"] = "no-referrer";
            h.XFrameOptions = "DENY";
            await next();
        });
        app.UseCors();
        app.UseRateLimiter();
    }
}
