using System.Globalization;
using System.Threading.RateLimiting;
using BatchSync.Api.ErrorHandling;
using BatchSync.Application.Abstractions;
using BatchSync.Application.Common;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace BatchSync.Api.Auth;

/// <summary>
/// A token bucket per token name (never the token itself): one busy client slows only itself. On one
/// process (SQLite) the buckets live in memory; with several instances (PostgreSQL) they are shared
/// through the database (<see cref="SharedTokenBucketLimiter"/>). Requests without a valid token are not
/// counted here; they end in 401 without touching the store.
/// </summary>
internal static class TokenRateLimiting
{
    public static IServiceCollection AddTokenRateLimiting(this IServiceCollection services)
    {
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<BatchSyncOptions>, IServiceProvider>((limiter, batchSync, services) =>
        {
            var limits = batchSync.Value.Limits;
            var shared = services.GetService<ISharedRateBuckets>();
            var time = services.GetRequiredService<TimeProvider>();
            var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(TokenRateLimiting));
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http =>
                http.User.Identity is not { IsAuthenticated: true, Name: { } token }
                    ? RateLimitPartition.GetNoLimiter(string.Empty)
                    : shared is not null
                    ? RateLimitPartition.Get(token, name => new SharedTokenBucketLimiter(name, shared, limits, time, logger))
                    : RateLimitPartition.GetTokenBucketLimiter(token, _ => new TokenBucketRateLimiterOptions
                    {
                        TokenLimit = limits.RequestBurstPerToken,
                        TokensPerPeriod = limits.RequestsPerSecondPerToken,
                        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                        QueueLimit = 0,
                        AutoReplenishment = true,
                    }));
            limiter.OnRejected = (context, _) =>
            {
                var seconds = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
                    ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))
                    : 1;
                context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                return new ValueTask(ApiErrors.WriteAsync(
                    context.HttpContext,
                    StatusCodes.Status429TooManyRequests,
                    "Too many requests for this token; send again after Retry-After"));
            };
        });
        return services;
    }
}
