using System.Collections.Concurrent;
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
/// connection and takes work from a queue, committing it in groups (<see cref="GroupCommit"/>); callers
/// hear back once the group's commit is durable. Nothing ever waits on SQLite's write lock, so "database
/// is locked" cannot happen on this path, and one writer holds every sync for itself.
/// </summary>
internal sealed class SyncWriteQueue : ISyncUnitOfWork, IHostedService, IAsyncDisposable
{
    private static readonly TimeSpan ForgetFirstDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ForgetLastDelay = TimeSpan.FromSeconds(30);

    private readonly ConcurrentQueue<WorkItem> _queue = new();

    // Wakes the writer; no spinning, the CPU is worth more to the requests than to a waiting thread.
    private readonly ManualResetEventSlim _wake = new(false, spinCount: 1);
    private volatile bool _stopping;

    private readonly SqliteDatabase _database;
    private readonly LogCalendar _calendar;
    private readonly CommittedLogFiles _committed;
    private readonly BatchSyncMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger<SyncWriteQueue> _logger;
    private Thread? _thread;
    private LogFileWriter? _files;

    public SyncWriteQueue(
        SqliteDatabase database,
        LogCalendar calendar,
        CommittedLogFiles committed,
        BatchSyncMetrics metrics,
        TimeProvider time,
        ILogger<SyncWriteQueue> logger)
    {
        _database = database;
        _calendar = calendar;
        _committed = committed;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        metrics.ObserveWriteQueue(() => _queue.Count);
    }

    public Task<T> ExecuteAsync<T>(
        string syncId,
        Func<ISyncTransaction, CancellationToken, ValueTask<T>> work,
        CancellationToken cancellationToken) =>
        Enqueue(context =>
        {
            // The transaction's calls complete at once on the writer, so the work does too.
            var pending = work(new SqliteSyncTransaction(context.Sessions, context.Logs, syncId), cancellationToken);
            return pending.IsCompleted ? pending.GetAwaiter().GetResult() : pending.AsTask().GetAwaiter().GetResult();
        }, cancellationToken);

    /// <summary>Work on the writer's connection that is no one sync's (outbox, audit, tokens, retention), grouped like the rest.</summary>
    public Task<T> Enqueue<T>(Func<WriteContext, T> work, CancellationToken cancellationToken)
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

    public Task StartAsync(CancellationToken cancellationToken)
    {
        var connection = _database.OpenWriteConnection();
        LineSpill.RemoveLeftovers(_database.LogFilePaths.SpillFolder);
        var files = new LogFileWriter(
            _database.LogFilePaths,
            _calendar,
            _database.ConnectionString,
            ForgetOutbox,
            _time,
            _logger);
        _files = files;
        _thread = new Thread(() => Run(connection, files)) { Name = "sync-writer", IsBackground = true };
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

    /// <summary>
    /// Files written: their outbox rows go in the next commit (or, at a stop, are rewritten at start). A
    /// commit that fails (a full disk) is tried again later, 1 s doubling to 30 s: the rows would otherwise
    /// stay owed until a restart, though their files are written.
    /// </summary>
    private void ForgetOutbox(List<long> ids) => ForgetOutbox(ids, ForgetFirstDelay);

    private void ForgetOutbox(List<long> ids, TimeSpan delayIfFailed)
    {
        if (_stopping)
        {
            return;
        }

        Task<bool> forgetting;
        try
        {
            forgetting = Enqueue(context =>
            {
                context.Logs.DeleteOutbox(ids);
                return true;
            }, CancellationToken.None);
        }
        catch (InvalidOperationException)
        {
            return; // Stopping: rewritten at start.
        }

        _ = forgetting.ContinueWith(
            async failed =>
            {
                _logger.LogWarning(
                    failed.Exception?.GetBaseException(),
                    "Outbox rows of {Count} written log files not deleted; trying again in {Delay}",
                    ids.Count,
                    delayIfFailed);
                await Task.Delay(delayIfFailed, _time).ConfigureAwait(false);
                ForgetOutbox(ids, TimeSpan.FromTicks(Math.Min(delayIfFailed.Ticks * 2, ForgetLastDelay.Ticks)));
            },
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted,
            TaskScheduler.Default);
    }

    /// <summary>The writer thread: a group commit whenever work is queued, until the queue is stopped and empty.</summary>
    private void Run(SqliteConnection connection, LogFileWriter files)
    {
        using var _ = connection;
        using var context = new WriteContext(connection, _calendar, _database.LogFilePaths.SpillFolder);

        // Disposed first: what was committed is answered before the connection closes.
        using var flusher = new WalFlusher(_database.DatabasePath, _committed, files, _metrics, _logger);
        var groups = new GroupCommit(_queue, flusher, _metrics, _logger);
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

            groups.CommitNext(context);
        }
    }
}
