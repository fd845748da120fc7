using System.Threading.RateLimiting;
using BatchSync.Application.Abstractions;
using BatchSync.Application.Common;

namespace BatchSync.Api.Auth;

/// <summary>
/// One token's rate limit across the cluster: requests are spent from a lease, taken from the shared
/// bucket (<see cref="ISharedRateBuckets"/>) in one round trip when the last one is spent or a second
/// old. A lease is a tenth of the per-second rate, so a busy token costs about ten round trips a second
/// for the whole cluster. Should the database not answer, the request passes: the store answers it.
/// </summary>
internal sealed class SharedTokenBucketLimiter(
    string name,
    ISharedRateBuckets buckets,
    LimitsOptions limits,
    TimeProvider time,
    ILogger logger) : RateLimiter
{
    private static readonly TimeSpan LeaseLifetime = TimeSpan.FromSeconds(1);
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _refill = new(1, 1);
    private readonly int _leaseSize = Math.Max(1, limits.RequestsPerSecondPerToken / 10);
    private int _left;
    private long _leasedAt;
    private long _idleSince = time.GetTimestamp();

    public override TimeSpan? IdleDuration => time.GetElapsedTime(Interlocked.Read(ref _idleSince));

    public override RateLimiterStatistics? GetStatistics() => new() { CurrentAvailablePermits = _left };

    protected override RateLimitLease AttemptAcquireCore(int permitCount) =>
        TrySpend(permitCount) ? Lease.Granted : Lease.Refused;

    protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
    {
        if (TrySpend(permitCount))
        {
            return Lease.Granted;
        }

        await _refill.WaitAsync(cancellationToken);
        try
        {
            if (TrySpend(permitCount))
            {
                return Lease.Granted;
            }

            int taken;
            try
            {
                taken = await buckets.TakeAsync(name, Math.Max(_leaseSize, permitCount), limits.RequestsPerSecondPerToken, limits.RequestBurstPerToken, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning("Shared rate limit of {TokenName} not read ({Reason}); the request passes", name, e.Message);
                return Lease.Granted;
            }

            lock (_gate)
            {
                _left = taken;
                _leasedAt = time.GetTimestamp();
            }

            return TrySpend(permitCount) ? Lease.Granted : Lease.Refused;
        }
        finally
        {
            _refill.Release();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _refill.Dispose();
        }

        base.Dispose(disposing);
    }

    private bool TrySpend(int permits)
    {
        Interlocked.Exchange(ref _idleSince, time.GetTimestamp());
        lock (_gate)
        {
            if (_left >= permits && time.GetElapsedTime(_leasedAt) < LeaseLifetime)
            {
                _left -= permits;
                return true;
            }

            return false;
        }
    }

    private sealed class Lease(bool acquired) : RateLimitLease
    {
        public static readonly Lease Granted = new(true);
        public static readonly Lease Refused = new(false);

        public override bool IsAcquired { get; } = acquired;

        public override IEnumerable<string> MetadataNames => IsAcquired ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = !IsAcquired && metadataName == MetadataName.RetryAfter.Name ? LeaseLifetime : null;
            return metadata is not null;
        }
    }
}
