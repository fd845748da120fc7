using BatchSync.Domain.Sync;
using BatchSync.Infrastructure.Persistence;

namespace BatchSync.Infrastructure.LogFiles;

/// <summary>
/// One dated log file that a committed completion changed, and the signal of its write. With
/// <see cref="AppendLines"/>, the new records all come after what the file holds and are appended;
/// without, the file is rewritten from the log table, rows up to <see cref="UpToRowId"/>.
/// <see cref="OutboxId"/> is the row that remembers the file is owed, deleted once it is written.
/// </summary>
internal sealed class LogFileChange(
    RecordType type,
    string deviceId,
    DateOnly date,
    List<byte[]>? appendLines,
    bool fileHadRecords,
    long upToRowId,
    long outboxId)
{
    private readonly TaskCompletionSource _written = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RecordType Type { get; } = type;

    public string DeviceId { get; } = deviceId;

    public DateOnly Date { get; } = date;

    public List<byte[]>? AppendLines { get; } = appendLines;

    /// <summary>The table held records of this file before: if the file is gone, appending is not enough.</summary>
    public bool FileHadRecords { get; } = fileHadRecords;

    public long UpToRowId { get; } = upToRowId;

    public long OutboxId { get; } = outboxId;

    public Task Written => _written.Task;

    public void MarkWritten() => _written.TrySetResult();

    public void MarkFailed(Exception error) => _written.TrySetException(StorageFaults.Translate(error));
}
