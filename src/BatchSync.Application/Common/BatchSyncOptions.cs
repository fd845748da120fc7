namespace BatchSync.Application.Common;

/// <summary>The <c>BatchSync</c> configuration section, less what only Infrastructure reads.</summary>
public sealed class BatchSyncOptions
{
    public const string SectionName = "BatchSync";

    /// <summary>Where the SQLite file and the dated <c>logs/</c> live.</summary>
    public string DataDirectory { get; set; } = "./data";

    /// <summary>IANA time zone that decides a record's log date.</summary>
    public string LogTimeZone { get; set; } = "UTC";

    public LimitsOptions Limits { get; set; } = new();

    public IntegrityOptions Integrity { get; set; } = new();

    public MaintenanceOptions Maintenance { get; set; } = new();

    public AuditOptions Audit { get; set; } = new();
}

public sealed class AuditOptions
{
    /// <summary>How long audit events are kept.</summary>
    public int RetentionDays { get; set; } = 90;
}

public sealed class MaintenanceOptions
{
    /// <summary>How often stale sessions are expired, old ones forgotten and owed log files retried.</summary>
    public int SweepIntervalSeconds { get; set; } = 300;
}

public sealed class IntegrityOptions
{
    /// <summary>Refuse a part that carries neither a <c>checksum</c> field nor a <c>Content-Digest</c> header.</summary>
    public bool RequireChecksum { get; set; }
}

public sealed class LimitsOptions
{
    /// <summary>Records a part may carry.</summary>
    public int MaxBatchSize { get; set; } = 100;

    /// <summary>Parts a sync may have.</summary>
    public int MaxBatchParts { get; set; } = 50;

    /// <summary>An incomplete sync untouched this long is expired.</summary>
    public int TempRetentionHours { get; set; } = 24;

    /// <summary>
    /// How long a completed sync's bookkeeping is kept, so a part sent again is answered with the original
    /// completion. Expired syncs are forgotten after the same time.
    /// </summary>
    public int CompletedRetentionDays { get; set; } = 30;

    /// <summary>Below this much free space in the data folder, no part is accepted (507).</summary>
    public long MinFreeDiskMb { get; set; } = 100;

    /// <summary>The <c>Retry-After</c> of a 507, in seconds.</summary>
    public int StorageRetryAfterSeconds { get; set; } = 60;

    /// <summary>Syncs open at once, on the whole server; a new one past this is 429.</summary>
    public int MaxSyncSessions { get; set; } = 100;

    /// <summary>Syncs one device may have open at once, so one device cannot take every session.</summary>
    public int MaxOpenSyncsPerDevice { get; set; } = 10;

    /// <summary>The <c>Retry-After</c> of a 429 for the open-session limits, in seconds.</summary>
    public int SessionLimitRetryAfterSeconds { get; set; } = 30;

    /// <summary>Requests a second one token may make, on average (a token bucket refilled each second).</summary>
    public int RequestsPerSecondPerToken { get; set; } = 1000;

    /// <summary>Requests one token may make at once above its average before it is refused.</summary>
    public int RequestBurstPerToken { get; set; } = 2000;

    /// <summary>Largest request body, in bytes, read before it is refused.</summary>
    public long MaxRequestBodyBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Largest single record, in bytes of its JSON, unknown fields included.</summary>
    public int MaxRecordBytes { get; set; } = 16 * 1024;

    /// <summary>How far past the server's clock a timestamp may lie.</summary>
    public int MaxClockSkewHours { get; set; } = 24;

    /// <summary>Earliest acceptable timestamp.</summary>
    public DateTime MinTimestamp { get; set; } = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);
}
