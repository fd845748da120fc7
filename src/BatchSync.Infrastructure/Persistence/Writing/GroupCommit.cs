using System.Collections.Concurrent;
using System.Diagnostics;
using BatchSync.Application.Diagnostics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace BatchSync.Infrastructure.Persistence.Writing;

/// <summary>
/// One group commit of the writer thread: what is queued runs in one transaction, each item under a
/// savepoint so that a failing item undoes only itself, and commits once; the committed group goes to
/// the <see cref="WalFlusher"/>, which hands its file changes to the log file writer and answers its
/// items once the log is on disk.
/// </summary>
internal sealed class GroupCommit(
    ConcurrentQueue<WorkItem> queue,
    WalFlusher flusher,
    BatchSyncMetrics metrics,
    ILogger logger)
{
    private const int MaxItemsPerCommit = 64;
    private static readonly TimeSpan MaxGroupTime = TimeSpan.FromMilliseconds(4);

    private readonly List<WorkItem> _group = new(MaxItemsPerCommit);

    /// <summary>Commits the next group of queued work. Whatever fails is told so; the writer goes on.</summary>
    public void CommitNext(WriteContext context)
    {
        _group.Clear();
        try
        {
            Commit(context, _group);
        }
        catch (Exception e)
        {
            // The connection itself failed (I/O, disk full on a savepoint): undo the group, tell everyone.
            logger.LogError(e, "Write group of {Count} items failed", _group.Count);
            TryRollback(context);
            context.Logs.PendingFiles.ForEach(f => f.MarkFailed(e));
            context.Logs.PendingFiles.Clear();
            _group.ForEach(item => item.Fail(e));
        }
    }

    private void Commit(WriteContext context, List<WorkItem> group)
    {
        var statements = context.Statements;
        var pendingFiles = context.Logs.PendingFiles;
        var done = new List<WorkItem>();
        try
        {
            statements.Execute("BEGIN IMMEDIATE");
        }
        catch (Exception e)
        {
            // No transaction, no work: what waits is told to retry rather than left hanging.
            while (group.Count < MaxItemsPerCommit && queue.TryDequeue(out var waiting))
            {
                group.Add(waiting);
            }

            group.ForEach(item => item.Fail(e));
            return;
        }

        context.Checkpoint.Begun();

        // A group closes at its item limit or once it has worked a few milliseconds: one completion
        // (a thousand rows) should not hold back the answers of the parts queued before it.
        var started = Stopwatch.GetTimestamp();
        while (group.Count < MaxItemsPerCommit && Stopwatch.GetElapsedTime(started) < MaxGroupTime && queue.TryDequeue(out var item))
        {
            group.Add(item);
            metrics.WriteQueued(Stopwatch.GetElapsedTime(item.QueuedAt));
            var filesBefore = pendingFiles.Count;
            statements.Execute("SAVEPOINT item");
            try
            {
                item.Run(context);
                statements.Execute("RELEASE item");
                done.Add(item);
            }
            catch (Exception e)
            {
                for (var i = filesBefore; i < pendingFiles.Count; i++)
                {
                    pendingFiles[i].Spilled?.Delete();
                }

                pendingFiles.RemoveRange(filesBefore, pendingFiles.Count - filesBefore);
                statements.Execute("ROLLBACK TO item");
                statements.Execute("RELEASE item");
                item.Fail(e);
            }
        }

        long committing;
        try
        {
            if (pendingFiles.Count > 0)
            {
                CrashPoints.Reach(CrashPoints.BeforeCommit);
            }

            committing = Stopwatch.GetTimestamp();
            context.Checkpoint.Commit(() => statements.Execute("COMMIT"));
        }
        catch (Exception e)
        {
            logger.LogError(e, "Commit of {Count} writes failed; each caller is told to retry", done.Count);
            TryRollback(context);
            pendingFiles.ForEach(f => f.MarkFailed(e));
            pendingFiles.Clear();
            done.ForEach(item => item.Fail(e));
            return;
        }

        // Answered, and the files handed over, once the log is synced; the writer goes on meanwhile.
        flusher.Post(done, [.. pendingFiles], committing);
        pendingFiles.Clear();
    }

    private static void TryRollback(WriteContext context)
    {
        try
        {
            context.Statements.Execute("ROLLBACK");
        }
        catch (SqliteException)
        {
            // SQLite already rolled back on the failed commit.
        }
    }
}
