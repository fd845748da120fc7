namespace BatchSync.Domain.Sync;

/// <summary>A part as a client sent it, reduced to what the session's rules look at.</summary>
/// <param name="Checksum">SHA-256 of the records' bytes as sent.</param>
/// <param name="ContentHash">SHA-256 of the records' canonical form.</param>
public sealed record PartSubmission(
    string DeviceId,
    string UserName,
    int PartNumber,
    int TotalParts,
    int RecordCount,
    string Checksum,
    string ContentHash);

/// <summary>What receiving a part did to the session.</summary>
public enum PartReceipt
{
    /// <summary>The part is new and the sync still misses others.</summary>
    Stored,

    /// <summary>The part was already held with the same records: nothing changes.</summary>
    Duplicate,

    /// <summary>The part is new and was the last one missing: the caller merges the sync, then calls <see cref="SyncSession.Complete"/>.</summary>
    ReadyToComplete,

    /// <summary>The sync had already completed and this part is one of it, unchanged: answer with the original completion.</summary>
    AlreadyCompleted,
}
