using System.Threading.RateLimiting;

namespace Normalization.Api.Readers;

/// <summary>
/// The limits of a read-only (public) deployment, with ASP.NET Core's rate limiter, on the requests that cost the server most:
/// the open computations (what-if), saved-scenario runs, the stage history, any read "as known at" (<c>knownAt</c>) and the
/// timeline. Per client IP a token bucket (<c>Normalization:RateLimit:PublicPerMinute</c>, default 60, burst
/// <c>PublicBurst</c>, default 30), and for all clients together at most <c>PublicConcurrency</c> (default 8) running at once,
/// <c>PublicQueue</c> (default 32) waiting. Past either: 429 <c>rate_limited</c> with Retry-After. A read-write deployment
/// has none of these (its readers are its own staff; writes keep their per-key limit). Behind a reverse proxy, configure
/// forwarded headers so the client IP is the reader's, not the proxy's.
/// </summary>
public static class PublicLimits
{
    /// <summary>Route patterns (besides <see cref="ReadOnlyMode.Computations"/>) whose reads are limited.</summary>
    public static readonly IReadOnlySet<string> ExpensiveReads = new HashSet<string>(StringComparer.Ordinal)
    {
        "/api/negotiations/{id}/scenarios/{name}", "/api/negotiations/{id}/stages", "/api/negotiations/{id}/timeline",
    };

    /// <summary>True when the request falls under the public limits of a read-only deployment.</summary>
    public static bool Applies(HttpContext http)
    {
        if (ReadOnlyMode.IsComputation(http)) return true;
        if (http.GetEndpoint() is not RouteEndpoint { RoutePattern.RawText: { } raw }) return false;
        return ExpensiveReads.Contains("/" + raw.TrimStart('/')) || http.Request.Query.ContainsKey("knownAt");
    }

    /// <summary>The limiter (a no-op unless <paramref name="settings"/> say read-only), to chain with the write limiter.</summary>
    public static PartitionedRateLimiter<HttpContext> Create(ReaderSettings settings, IConfiguration configuration)
    {
        if (!settings.IsReadOnly) return PartitionedRateLimiter.Create<HttpContext, string>(_ => RateLimitPartition.GetNoLimiter("off"));
        var perMinute = configuration.GetValue("Normalization:RateLimit:PublicPerMinute", 60);
        var burst = configuration.GetValue("Normalization:RateLimit:PublicBurst", 30);
        var concurrency = configuration.GetValue("Normalization:RateLimit:PublicConcurrency", 8);
        var queue = configuration.GetValue("Normalization:RateLimit:PublicQueue", 32);
        var perIp = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            !Applies(http) ? RateLimitPartition.GetNoLimiter("cheap")
                : RateLimitPartition.GetTokenBucketLimiter(http.Connection.RemoteIpAddress?.ToString() ?? "unknown", _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = burst, TokensPerPeriod = 1, ReplenishmentPeriod = TimeSpan.FromMinutes(1) / Math.Max(1, perMinute), QueueLimit = 0, AutoReplenishment = true,
                }));
        var together = PartitionedRateLimiter.Create<HttpContext, string>(http =>
            !Applies(http) ? RateLimitPartition.GetNoLimiter("cheap")
                : RateLimitPartition.GetConcurrencyLimiter("public", _ => new ConcurrencyLimiterOptions
                {
                    PermitLimit = concurrency, QueueLimit = queue, QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                }));
        return PartitionedRateLimiter.CreateChained(perIp, together);
    }
}
