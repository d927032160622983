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
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IConfiguration, ApiKeys>((o, configuration, keys) =>
        {
            var permits = configuration.GetValue("Normalization:RateLimit:WritesPerSecond", 100);
            var burst = configuration.GetValue("Normalization:RateLimit:Burst", 200);
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            var writes = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                // A CORS preflight (OPTIONS) is not a write either.
                if (ReadOnlyMode.IsRead(http.Request.Method)) return RateLimitPartition.GetNoLimiter("reads");
                var partition = WritePartition(http, keys);
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
                ctx.HttpContext.Response.Headers.RetryAfter = RetryAfterSeconds(ctx.Lease).ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (PublicLimits.Applies(ctx.HttpContext))
                {
                    await Problems.Of(StatusCodes.Status429TooManyRequests, "rate_limited", "Too many requests.",
                        "This public tracker limits what-if projections and long reads per client; retry after the Retry-After delay.").ExecuteAsync(ctx.HttpContext);
                    return;
                }
                await Problems.Of(StatusCodes.Status429TooManyRequests, "rate_limited", "Too many writes.",
                    $"At most {permits} writes per second per API key, or per client address without a valid key (burst {burst}); retry after the Retry-After delay.").ExecuteAsync(ctx.HttpContext);
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

    /// <summary>
    /// The write bucket of a request: its API key's name when the key is valid, so one writer cannot starve another; else its
    /// client address. Not the presented key itself: every made-up key would get a fresh bucket, and guessing keys would
    /// never be limited.
    /// </summary>
    public static string WritePartition(HttpContext http, ApiKeys keys) =>
        keys.Authenticate(http.Request.Headers[ApiKeys.Header].ToString()) is { } name
            ? "key:" + name
            : "client:" + (http.Connection.RemoteIpAddress?.ToString() ?? "unknown");

    /// <summary>
    /// The Retry-After of a refusal, in whole seconds: when the limiter that refused says when a permit is back (a token
    /// bucket does: 60 s for one request a minute), that wait rounded up; else (a full concurrency queue) 1.
    /// </summary>
    public static int RetryAfterSeconds(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) && wait > TimeSpan.Zero ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;

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
