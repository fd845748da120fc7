namespace BatchSync.Domain.Sync;

public enum SyncStatus
{
    /// <summary>Parts are still arriving.</summary>
    Open,

    /// <summary>Every part arrived and the records were merged into the log tables.</summary>
    Completed,

    /// <summary>
    /// Left incomplete longer than the retention allows: its parts were deleted. A part that arrives
    /// later starts the sync afresh.
    /// </summary>
    Expired,

    /// <summary>Stopped by an administrator: its parts were deleted, and no part is taken for it again.</summary>
    Aborted,
}
