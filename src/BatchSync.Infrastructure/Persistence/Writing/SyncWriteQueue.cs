using System.Collections.Concurrent;
using System.Diagnostics;
using BatchSync.Application.Abstractions;
using BatchSync.Application.Diagnostics;
using BatchSync.Application.Sync;
using BatchSync.Infrastructure.LogFiles;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BatchSync.Infrastructure.Persistence.Writing;

/// <summary>
/// The SQLite unit of work. SQLite has one writer, so the server has one: a thread that owns the write
/// connection, takes work from a queue and commits it in groups. Each item runs under a savepoint, so a
/// failing item undoes only itself; callers hear back once the group's commit is durable. Nothing ever
/// waits on SQLite's write lock, so "database is locked" cannot happen on this path, and one writer
/// holds every sync for itself.
/// </summary>
internal sealed class SyncWriteQueue : ISyncUnitOfWork, IHostedService, IAsyncDisposable
{
    private const int MaxItemsPerCommit = 64;
    private static readonly TimeSpan MaxGroupTime = TimeSpan.FromMilliseconds(4);

    private readonly ConcurrentQueue<WorkItem> _queue = new();

    // Wakes the writer; no spinning, the CPU is worth more to the requests than to a waiting thread.
    private readonly ManualResetEventSlim _wake = new(false, spinCount: 1);
    private volatile bool _stopping;

    private readonly SqliteDatabase _database;
    private readonly LogCalendar _calendar;
    private readonly ILogger<SyncWriteQueue> _logger;
    private Thread? _thread;
    private LogFileWriter? _files;

    private readonly CommittedLogFiles _committed;

    private readonly BatchSyncMetrics _metrics;

    public SyncWriteQueue(
        SqliteDatabase database,
        LogCalendar calendar,
        CommittedLogFiles committed,
        BatchSyncMetrics metrics,
        ILogger<SyncWriteQueue> logger)
    {
        _database = database;
        _calendar = calendar;
        _committed = committed;
        _metrics = metrics;
        _logger = logger;
        metrics.ObserveWriteQueue(() => _queue.Count);
    }

    public Task<T> ExecuteAsync<T>(
        string syncId,
        Func<ISyncTransaction, CancellationToken, ValueTask<T>> work,
        CancellationToken cancellationToken) =>
        Enqueue(store =>
        {
            // The transaction's calls complete at once on the writer, so the work does too.
            var pending = work(new SqliteSyncTransaction(store, syncId), cancellationToken);
            return pending.IsCompleted ? pending.GetAwaiter().GetResult() : pending.AsTask().GetAwaiter().GetResult();
        }, cancellationToken);

    /// <summary>Work on the store's own operations (outbox, audit, tokens, retention), grouped like the rest.</summary>
    public Task<T> Enqueue<T>(Func<SqliteSyncStore, T> work, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (_stopping)
        {
            throw new InvalidOperationException("The sync store is shutting down.");
        }

        var item = new WorkItem<T>(work);
        _queue.Enqueue(item);
        _wake.Set();
        return item.Task;
    }

    /// <summary>Files written: their outbox rows go in the next commit (or, at a stop, are rewritten at start).</summary>
    private void ForgetOutbox(List<long> ids)
    {
        if (!_stopping)
        {
            _ = Enqueue(store =>
            {
                store.DeleteOutbox(ids);
                return true;
            }, CancellationToken.None);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var connection = _database.OpenWriteConnection();
        _files = new LogFileWriter(
            _database.LogFilePaths,
            _calendar,
            _database.ConnectionString,
            ForgetOutbox,
            _logger);
        _thread = new Thread(() => Run(connection)) { Name = "sync-writer", IsBackground = true };
        _thread.Start();
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        _wake.Set();
        if (_thread is not null)
        {
            await Task.Run(() => _thread.Join(), cancellationToken).ConfigureAwait(false);
        }

        if (_files is not null)
        {
            await _files.DisposeAsync().ConfigureAwait(false);
            _files = null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(CancellationToken.None).ConfigureAwait(false);
        _wake.Dispose();
    }

    private void Run(SqliteConnection connection)
    {
        using var _ = connection;
        using var store = new SqliteSyncStore(connection, _calendar);
        var group = new List<WorkItem>(MaxItemsPerCommit);
        while (true)
        {
            if (_queue.IsEmpty)
            {
                if (_stopping)
                {
                    return;
                }

                _wake.Wait();
                _wake.Reset();
                continue;
            }

            group.Clear();
            try
            {
                Commit(store, group);
            }
            catch (Exception e)
            {
                // The connection itself failed (I/O, disk full on a savepoint): undo the group, tell everyone.
                _logger.LogError(e, "Write group of {Count} items failed", group.Count);
                TryRollback(store);
                store.PendingFiles.ForEach(f => f.MarkFailed(e));
                store.PendingFiles.Clear();
                group.ForEach(item => item.Fail(e));
            }
        }
    }

    private void Commit(SqliteSyncStore store, List<WorkItem> group)
    {
        var done = new List<WorkItem>();
        try
        {
            store.Execute("BEGIN IMMEDIATE");
        }
        catch (Exception e)
        {
            // No transaction, no work: what waits is told to retry rather than left hanging.
            while (group.Count < MaxItemsPerCommit && _queue.TryDequeue(out var waiting))
            {
                group.Add(waiting);
            }

            group.ForEach(item => item.Fail(e));
            return;
        }

        // A group closes at its item limit or once it has worked a few milliseconds: one completion
        // (a thousand rows) should not hold back the answers of the parts queued before it.
        var started = Stopwatch.GetTimestamp();
        while (group.Count < MaxItemsPerCommit && Stopwatch.GetElapsedTime(started) < MaxGroupTime && _queue.TryDequeue(out var item))
        {
            group.Add(item);
            var filesBefore = store.PendingFiles.Count;
            store.Execute("SAVEPOINT item");
            try
            {
                item.Run(store);
                store.Execute("RELEASE item");
                done.Add(item);
            }
            catch (Exception e)
            {
                store.PendingFiles.RemoveRange(filesBefore, store.PendingFiles.Count - filesBefore);
                store.Execute("ROLLBACK TO item");
                store.Execute("RELEASE item");
                item.Fail(e);
            }
        }

        try
        {
            if (store.PendingFiles.Count > 0)
            {
                CrashPoints.Reach(CrashPoints.BeforeCommit);
            }

            var committing = Stopwatch.GetTimestamp();
            store.Execute("COMMIT");
            _metrics.CommitDone(Stopwatch.GetElapsedTime(committing));
        }
        catch (Exception e)
        {
            _logger.LogError(e, "Commit of {Count} writes failed; each caller is told to retry", done.Count);
            TryRollback(store);
            store.PendingFiles.ForEach(f => f.MarkFailed(e));
            store.PendingFiles.Clear();
            done.ForEach(item => item.Fail(e));
            return;
        }

        if (store.PendingFiles.Count > 0)
        {
            CrashPoints.Reach(CrashPoints.AfterCommit);
            _committed.Add(store.PendingFiles);
            _files!.Post([.. store.PendingFiles]);
            store.PendingFiles.Clear();
        }

        done.ForEach(item => item.Complete());
    }

    private static void TryRollback(SqliteSyncStore store)
    {
        try
        {
            store.Execute("ROLLBACK");
        }
        catch (SqliteException)
        {
            // SQLite already rolled back on the failed commit.
        }
    }

    private abstract class WorkItem
    {
        public abstract void Run(SqliteSyncStore store);

        public abstract void Complete();

        public abstract void Fail(Exception error);
    }

    private sealed class WorkItem<T>(Func<SqliteSyncStore, T> work) : WorkItem
    {
        private readonly TaskCompletionSource<T> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private T? _value;

        public Task<T> Task => _result.Task;

        public override void Run(SqliteSyncStore store) => _value = work(store);

        public override void Complete() => _result.TrySetResult(_value!);

        public override void Fail(Exception error) => _result.TrySetException(StorageFaults.Translate(error));
    }
}
