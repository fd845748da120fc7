using BatchSync.Application.Sync;
using BatchSync.Domain.Sync;

namespace BatchSync.Application.Abstractions;

/// <summary>
/// The sync store as the writer sees it, inside its transaction. Only usable from work given to
/// <see cref="ISyncWriteQueue"/>.
/// </summary>
public interface ISyncStore
{
    SyncSession? FindSession(string syncId);

    void AddSession(SyncSession session);

    void UpdateSession(SyncSession session);

    /// <summary>
    /// Stores a received part: its bookkeeping and, unless the part completes the sync at once (null),
    /// its records encoded by <see cref="IStagedPartCodec"/>, staged until the sync completes.
    /// </summary>
    void AddPart(string syncId, BatchPart part, byte[]? stagedRecords);

    /// <summary>The staged records of a sync's parts, as <see cref="IStagedPartCodec"/> encoded them.</summary>
    IReadOnlyList<byte[]> LoadStagedParts(string syncId);

    /// <summary>
    /// Adds records, already in log order, to the log tables; a record already stored for the device is
    /// skipped. Schedules the dated log files to follow once the transaction is durable.
    /// </summary>
    LogAppendResult AppendToLogs(SyncSession session, IReadOnlyList<PreparedRecord> records);

    void DropStagedRecords(string syncId);

    /// <summary>Deletes every part of a sync, bookkeeping and staged records.</summary>
    void DeleteParts(string syncId);

    /// <summary>Open syncs on the server, or of one device.</summary>
    int CountOpenSessions(string? deviceId = null);

    /// <summary>
    /// Expires up to <paramref name="limit"/> open sessions last touched before <paramref name="untouchedSince"/>:
    /// their parts, staged records included, are deleted. Returns which.
    /// </summary>
    IReadOnlyList<ExpiredSync> ExpireOpenSessions(DateTime untouchedSince, DateTime now, int limit);

    /// <summary>
    /// Deletes up to <paramref name="limit"/> completed or expired sessions, with their part bookkeeping, last
    /// touched before <paramref name="finishedBefore"/>; the log tables keep every record. Returns how many.
    /// </summary>
    int PurgeFinishedSessions(DateTime finishedBefore, int limit);

    /// <summary>Deletes up to <paramref name="limit"/> audit events older than <paramref name="before"/>. Returns how many.</summary>
    int PurgeAudit(DateTime before, int limit);
}

public sealed record ExpiredSync(string SyncId, string DeviceId, string UserName);

/// <param name="Inserted">Records newly stored.</param>
/// <param name="AlreadyStored">Records skipped because the device's log already held them.</param>
/// <param name="FilesWritten">Completes when the dated log files hold the new records.</param>
public sealed record LogAppendResult(int Inserted, int AlreadyStored, Task FilesWritten);
