using BatchSync.Domain.Sync;
using BatchSync.Infrastructure.Persistence;

namespace BatchSync.Infrastructure.LogFiles;

/// <summary>
/// One dated log file that a committed completion changed, and the signal of its write. With
/// <see cref="AppendLines"/>, the new records all come after what the file holds and are appended;
/// without, the file is rewritten from the log table, rows up to <see cref="UpToRowId"/>.
/// <see cref="OutboxId"/> is the row that remembers the file is owed, deleted once it is written.
/// A large completion's new lines are in <see cref="Spilled"/> instead of <see cref="AppendLines"/>:
/// appended from there when <see cref="Append"/>, and the spill file deleted once the change is handled.
/// </summary>
internal sealed class LogFileChange(
    RecordType type,
    string deviceId,
    DateOnly date,
    List<byte[]>? appendLines,
    bool fileHadRecords,
    long upToRowId,
    long outboxId,
    SpilledLines? spilled = null,
    bool append = false)
{
    private readonly TaskCompletionSource _written = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RecordType Type { get; } = type;

    public string DeviceId { get; } = deviceId;

    public DateOnly Date { get; } = date;

    public List<byte[]>? AppendLines { get; } = appendLines;

    public SpilledLines? Spilled { get; } = spilled;

    /// <summary>The new lines all come after the file's and are at hand, in memory or spilled.</summary>
    public bool Append { get; } = appendLines is not null || (append && spilled is not null);

    /// <summary>The table held records of this file before: if the file is gone, appending is not enough.</summary>
    public bool FileHadRecords { get; } = fileHadRecords;

    public long UpToRowId { get; } = upToRowId;

    public long OutboxId { get; } = outboxId;

    public Task Written => _written.Task;

    public void MarkWritten() => _written.TrySetResult();

    public void MarkFailed(Exception error)
    {
        Spilled?.Delete();
        _written.TrySetException(StorageFaults.Translate(error));
    }
}
