namespace BatchSync.Application.Abstractions;

/// <summary>
/// The one writer of the sync store. Work runs on the writer, one item at a time, inside a transaction
/// shared with the items around it (group commit); the task completes once that transaction is
/// durable. If the work throws, only its own changes are undone and the task faults with the exception.
/// </summary>
public interface ISyncWriteQueue
{
    Task<T> ExecuteAsync<T>(Func<ISyncStore, T> work, CancellationToken cancellationToken);
}
