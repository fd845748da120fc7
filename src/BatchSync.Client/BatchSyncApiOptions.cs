namespace BatchSync.Client;

/// <summary>Where a <see cref="BatchSyncApi"/> sends its requests, with which token, and how it retries.</summary>
public sealed class BatchSyncApiOptions
{
    /// <summary>The server's base address, e.g. <c>https://sync.example.com/</c>.</summary>
    public required Uri ServerUrl { get; set; }

    /// <summary>A device token, or an admin token for the admin calls.</summary>
    public required string Token { get; set; }

    /// <summary>Retries of a transient failure (network, timeout, 429, 503, 507), with backoff and jitter; 0 for none.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first retry's delay, doubling after; a <c>Retry-After</c> from the server wins.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one request may take before it counts as failed (and is retried).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
