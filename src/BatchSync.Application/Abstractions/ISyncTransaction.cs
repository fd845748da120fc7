using BatchSync.Application.Sync;
using BatchSync.Domain.Sync;

namespace BatchSync.Application.Abstractions;

/// <summary>One sync's store inside its <see cref="ISyncUnitOfWork"/> transaction.</summary>
public interface ISyncTransaction
{
    /// <summary>The sync as stored, with its parts, or null when it is new.</summary>
    ValueTask<SyncSession?> LoadSessionAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The sync as stored, with only the part numbered <paramref name="partNumber"/> among its parts (if it
    /// holds one) and the count of all of them, or null when it is new: what a part's receipt needs, the
    /// same for the thousandth part of a sync as for its first.
    /// </summary>
    ValueTask<SyncSession?> LoadSessionForPartAsync(int partNumber, CancellationToken cancellationToken);

    /// <summary>
    /// Saves the session as its rules left it: created or changed, the parts it received since it was
    /// loaded (<paramref name="staged"/> holds the records of a part that waits for the others), the parts
    /// it forgot when it closed, and no staged records left once it completed.
    /// </summary>
    ValueTask SaveSessionAsync(SyncSession session, StagedPart? staged, CancellationToken cancellationToken);

    /// <summary>Open syncs on the server, or of one device, as committed before this transaction (and by it).</summary>
    ValueTask<int> CountOpenSessionsAsync(string? deviceId, CancellationToken cancellationToken);

    /// <summary>What the sync's staged parts hold, without their records.</summary>
    ValueTask<IReadOnlyList<StagedPartHead>> LoadStagedPartHeadsAsync(CancellationToken cancellationToken);

    /// <summary>
    /// The staged records of the given parts, as <see cref="IStagedPartCodec"/> encoded them, in the order asked.
    /// Called by the merge that <see cref="AppendToLogsAsync"/> consumes, once the session is loaded: it
    /// may run while the records it gave before are being added, so a store reads them beside its other work.
    /// </summary>
    ValueTask<IReadOnlyList<byte[]>> LoadStagedPartsAsync(IReadOnlyList<int> partNumbers, CancellationToken cancellationToken);

    /// <summary>
    /// Adds records, coming in log order, to the log tables as they come, never holding them all; a record
    /// already stored for the device is skipped. Returns what was new and which dated files now owe those
    /// records.
    /// </summary>
    ValueTask<LogAppendResult> AppendToLogsAsync(SyncSession session, IAsyncEnumerable<PreparedRecord> records, CancellationToken cancellationToken);
}

/// <summary>
/// A part's records, encoded by <see cref="IStagedPartCodec"/>, kept until its sync completes, with the
/// first of their timestamps (null for a part without records).
/// </summary>
public sealed record StagedPart(int PartNumber, byte[] Records, long? FirstTimestamp);

/// <summary>A staged part's number, record count and first timestamp (null when it was staged before that was kept).</summary>
public sealed record StagedPartHead(int PartNumber, int RecordCount, long? FirstTimestamp);

/// <param name="Inserted">Records newly stored.</param>
/// <param name="AlreadyStored">Records skipped because the device's log already held them.</param>
/// <param name="Files">The dated log files that must be brought up to date with the tables (<see cref="IDatedLogFiles"/>).</param>
public sealed record LogAppendResult(int Inserted, int AlreadyStored, IReadOnlyList<OwedLogFile> Files);

/// <summary>A dated log file that a committed completion changed, remembered in the outbox row <paramref name="OutboxId"/>.</summary>
public sealed record OwedLogFile(RecordType Type, string DeviceId, DateOnly Date, long OutboxId);
