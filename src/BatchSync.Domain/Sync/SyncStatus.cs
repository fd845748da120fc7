namespace BatchSync.Domain.Sync;

public enum SyncStatus
{
    /// <summary>Parts are still arriving.</summary>
    Open,

    /// <summary>Every part arrived and the records were merged into the log tables.</summary>
    Completed,
}
