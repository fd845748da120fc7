namespace BatchSync.Client;

/// <summary>How an app's <see cref="BatchSyncClient"/> talks to its server; the defaults are the seed's.</summary>
public sealed class BatchSyncClientOptions
{
    /// <summary>The server's base address, e.g. <c>https://sync.example.com/</c>.</summary>
    public required Uri ServerUrl { get; set; }

    /// <summary>The device token the server issued (<c>tokens create</c>).</summary>
    public required string Token { get; set; }

    /// <summary>This device's id: 1-128 characters of <c>A-Z a-z 0-9 _ . : @ -</c>.</summary>
    public required string DeviceId { get; set; }

    public required string UserName { get; set; }

    /// <summary>Records a part carries (the server's <c>MaxBatchSize</c>).</summary>
    public int MaxBatchSize { get; set; } = 100;

    /// <summary>Parts a sync may have (the server's <c>MaxBatchParts</c>); more records make several syncs.</summary>
    public int MaxBatchParts { get; set; } = 50;

    /// <summary>Parts of one sync uploaded at once.</summary>
    public int MaxParallelUploads { get; set; } = 2;

    /// <summary>Retries of a transient failure (network, timeout, 429, 503, 507), with backoff and jitter; 0 for none.</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The first retry's delay, doubling after; a <c>Retry-After</c> from the server wins.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long one request may take before it counts as failed (and is retried).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Send bodies gzip-compressed (a typical part is 88% smaller).</summary>
    public bool CompressRequests { get; set; } = true;

    /// <summary>Synced records are kept this long, then deleted by <see cref="BatchSyncClient.Cleanup"/>.</summary>
    public TimeSpan SyncedRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Past this many records in the store, synced ones are deleted oldest first, whatever their age.</summary>
    public int EmergencyCleanupThreshold { get; set; } = 10_000;
}
