namespace BatchSync.Application.Abstractions;

/// <summary>
/// Changes to one sync, made whole or not at all. The work runs in one transaction that holds the sync
/// for itself: no other request, on this instance or another, changes that sync until it commits. The
/// returned task completes once the commit is durable; if the work throws, nothing it did is kept and
/// the task faults with the exception.
/// </summary>
/// <remarks>
/// SQLite runs the work on its single writer, grouped with other work into one commit; PostgreSQL runs
/// it on a connection of its own under a transaction-scoped lock on the sync id.
/// </remarks>
public interface ISyncUnitOfWork
{
    Task<T> ExecuteAsync<T>(
        string syncId,
        Func<ISyncTransaction, CancellationToken, ValueTask<T>> work,
        CancellationToken cancellationToken);
}
