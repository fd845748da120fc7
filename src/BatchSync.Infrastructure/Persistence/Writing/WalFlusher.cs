using System.Collections.Concurrent;
using System.Diagnostics;
using BatchSync.Application.Diagnostics;
using BatchSync.Infrastructure.LogFiles;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace BatchSync.Infrastructure.Persistence.Writing;

/// <summary>
/// Makes the writer's committed groups durable beside it: the writer commits without syncing
/// (<c>synchronous=NORMAL</c>: atomic and in order, not yet on disk) and goes on with the next group,
/// while this thread syncs the write-ahead log and only then hands the groups' file changes to the log
/// file writer and answers their callers. One sync covers every group committed before it started. What
/// a caller hears "stored" has been synced, as with <c>synchronous=FULL</c>; a power cut can only take
/// groups nobody was answered for, which their clients send again.
/// While no group comes for a while and the log has been written since its last sync, it syncs the log
/// anyway: a large completion writes the log for seconds before it commits, with the disk otherwise
/// idle, and its commit's sync is then left with the last fraction of a second instead of all of it.
/// </summary>
internal sealed class WalFlusher : IDisposable
{
    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(100);

    private readonly BlockingCollection<Group> _groups = new();
    private readonly string _walPath;
    private readonly CommittedLogFiles _committed;
    private readonly LogFileWriter _files;
    private readonly BatchSyncMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Thread _thread;
    private SafeFileHandle? _wal;
    private DateTime _syncedWrite;
    private Exception? _aheadFailure;

    public WalFlusher(string databasePath, CommittedLogFiles committed, LogFileWriter files, BatchSyncMetrics metrics, ILogger logger)
    {
        _walPath = databasePath + "-wal";
        _committed = committed;
        _files = files;
        _metrics = metrics;
        _logger = logger;
        _thread = new Thread(Run) { Name = "wal-flusher", IsBackground = true };
        _thread.Start();
    }

    /// <summary>
    /// A committed group: answered, and its file changes handed over, once the log is synced.
    /// <paramref name="committing"/> is when its commit began (a <see cref="Stopwatch"/> timestamp): the
    /// commit's duration is measured to durable.
    /// </summary>
    public void Post(List<WorkItem> done, List<LogFileChange> files, long committing) => _groups.Add(new Group(done, files, committing));

    /// <summary>Answers what was posted, then stops.</summary>
    public void Dispose()
    {
        _groups.CompleteAdding();
        _thread.Join();
        _groups.Dispose();
        _wal?.Dispose();
    }

    private void Run()
    {
        var batch = new List<Group>();
        while (true)
        {
            if (!_groups.TryTake(out var first, Idle))
            {
                if (_groups.IsCompleted)
                {
                    return;
                }

                SyncAhead();
                continue;
            }

            batch.Add(first);
            while (_groups.TryTake(out var next))
            {
                batch.Add(next);
            }

            var failure = Sync();
            foreach (var group in batch)
            {
                Answer(group, failure);
            }

            batch.Clear();
        }
    }

    private Exception? Sync()
    {
        try
        {
            FlushLog();

            // A failed sync ahead may have lost pages that this one covers: their commits fail with it.
            if (_aheadFailure is { } ahead)
            {
                _aheadFailure = null;
                throw new IOException("Syncing the write-ahead log ahead of the commit failed.", ahead);
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.LogError(e, "Syncing the write-ahead log failed; the writes it covers are told to retry");
            return e;
        }
    }

    private void FlushLog()
    {
        // Read before the sync: what is written while it runs counts as not synced.
        var written = File.GetLastWriteTimeUtc(_walPath);
        _wal ??= File.OpenHandle(_walPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        RandomAccess.FlushToDisk(_wal);
        _syncedWrite = written;
    }

    /// <summary>The log synced between commits when written since its last sync; a failure fails the next commit's sync.</summary>
    private void SyncAhead()
    {
        try
        {
            if (File.Exists(_walPath) && File.GetLastWriteTimeUtc(_walPath) != _syncedWrite)
            {
                FlushLog();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.LogWarning(e, "Syncing the write-ahead log ahead of a commit failed; that commit is told to retry");
            _aheadFailure ??= e;
        }
    }

    private void Answer(Group group, Exception? failure)
    {
        if (failure is not null)
        {
            // Committed but not known to be on disk: the files stay owed (their outbox rows are in the
            // tables), and each caller retries into what is stored.
            group.Files.ForEach(f => f.MarkFailed(failure));
            group.Done.ForEach(item => item.Fail(failure));
            return;
        }

        _metrics.CommitDone(Stopwatch.GetElapsedTime(group.Committing));
        if (group.Files.Count > 0)
        {
            CrashPoints.Reach(CrashPoints.AfterCommit);
            _committed.Add(group.Files);
            _files.Post(group.Files);
        }

        group.Done.ForEach(item => item.Complete());
    }

    private sealed record Group(List<WorkItem> Done, List<LogFileChange> Files, long Committing);
}
