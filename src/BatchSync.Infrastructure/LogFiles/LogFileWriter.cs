using System.Threading.Channels;
using BatchSync.Application.Sync;
using Microsoft.Extensions.Logging;

namespace BatchSync.Infrastructure.LogFiles;

/// <summary>
/// Brings the dated log files up to date with the log tables, one committed completion after another
/// in commit order, on a thread of its own. New records later than a file's last line are appended and
/// flushed to disk once per batch (a large completion's from its spill, which becomes the file when it
/// is a new one); anything else has <see cref="LogFileRebuilder"/> rewrite the file from the table. A
/// failed file is left to <see cref="LogFileRetry"/>.
/// </summary>
internal sealed class LogFileWriter : IAsyncDisposable
{
    // Flushes to disk at once: under load a batch holds the files of many completions.
    private static readonly int FlushesAtOnce = Math.Max(4, Environment.ProcessorCount);

    private readonly Channel<List<LogFileChange>> _queue = Channel.CreateUnbounded<List<LogFileChange>>(
        new UnboundedChannelOptions { SingleReader = true });

    private readonly LogFilePaths _paths;
    private readonly LogFileRebuilder _rebuilder;
    private readonly LogFileRetry _retry;
    private readonly Action<List<long>> _forgetOutbox;
    private readonly ILogger _logger;
    private readonly Task _loop;

    public LogFileWriter(
        LogFilePaths paths,
        LogCalendar calendar,
        string connectionString,
        Action<List<long>> forgetOutbox,
        TimeProvider time,
        ILogger logger)
    {
        _paths = paths;
        _rebuilder = new LogFileRebuilder(paths, calendar, connectionString);
        _retry = new LogFileRetry(_rebuilder, forgetOutbox, time, logger);
        _forgetOutbox = forgetOutbox;
        _logger = logger;
        // Its own thread: file I/O and fsync block, and the request threads are few.
        _loop = Task.Factory.StartNew(Run, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public void Post(List<LogFileChange> changes) => _queue.Writer.TryWrite(changes);

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private void Run()
    {
        var appended = new Dictionary<string, LogFileAppend>();
        Task<bool>? ready = null;
        while (true)
        {
            ready ??= _queue.Reader.WaitToReadAsync().AsTask();
            if (_retry.Pending && !_retry.WaitForWork(ready))
            {
                _retry.Run();
                continue;
            }

            var more = ready.GetAwaiter().GetResult();
            ready = null;
            if (!more)
            {
                return;
            }

            var batch = new List<LogFileChange>();
            var settled = new List<long>();
            try
            {
                while (_queue.Reader.TryRead(out var changes))
                {
                    foreach (var change in changes)
                    {
                        batch.Add(change);
                        Write(change, appended, settled);
                    }
                }

                // One flush to disk per appended file and batch; only then are its outbox rows forgotten.
                Close(appended, settled);

                CrashPoints.Reach(CrashPoints.FilesFlushed);
            }
            catch (Exception e)
            {
                // The loop goes on whatever happens: a stopped file writer would leave completions waiting.
                // What is not settled stays owed in the outbox and is rebuilt from the tables.
                _logger.LogError(e, "Dated log files of {Count} completions not all written; they are rebuilt from the tables", batch.Count);
                batch.ForEach(t => t.MarkFailed(e));
            }
            finally
            {
                appended.Clear();
                if (settled.Count > 0)
                {
                    _forgetOutbox(settled);
                }
            }
        }
    }

    /// <summary>
    /// The batch's files flushed to disk side by side (a flush mostly waits for the disk, which takes
    /// several at once), then each one's work settled, or the file left to the retry.
    /// </summary>
    private void Close(Dictionary<string, LogFileAppend> appended, List<long> settled)
    {
        var files = appended.ToArray();
        var failures = new Exception?[files.Length];
        Parallel.For(0, files.Length, new ParallelOptions { MaxDegreeOfParallelism = FlushesAtOnce }, i => failures[i] = Flush(files[i].Value.File));
        for (var i = 0; i < files.Length; i++)
        {
            var (path, append) = files[i];
            if (failures[i] is { } failure)
            {
                _retry.Damaged(path, append.Changes, failure);
                continue;
            }

            foreach (var change in append.Changes)
            {
                settled.Add(change.OutboxId);
                change.MarkWritten();
            }
        }
    }

    /// <summary>Whatever stops a file's flush leaves that file to the retry, and the batch's other files settle.</summary>
    private static Exception? Flush(FileStream file)
    {
        try
        {
            file.Flush(flushToDisk: true);
            file.Dispose();
            return null;
        }
        catch (Exception e)
        {
            try
            {
                file.Dispose();
            }
            catch (Exception)
            {
                // Reported by the caller; the file is rewritten whole.
            }

            return e;
        }
    }

    /// <summary>
    /// Appends (settled at the batch's flush) or rewrites the file (settled now, with what this batch
    /// appended to it before and what earlier failures left owed); settled outbox rows go into <paramref name="settled"/>.
    /// </summary>
    private void Write(LogFileChange change, Dictionary<string, LogFileAppend> appended, List<long> settled)
    {
        var path = _paths.Of(change.Type, change.Date, change.DeviceId);
        _retry.Handled(change);
        try
        {
            if (change.Append && !_retry.IsDamaged(path) && (!change.FileHadRecords || File.Exists(path)))
            {
                if (change.Spilled is { } whole && !appended.ContainsKey(path) && !File.Exists(path))
                {
                    // A new file whose every line is in the spill, synced: it takes the file's place.
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    File.Move(whole.Finished(), path);
                    settled.Add(change.OutboxId);
                    change.MarkWritten();
                    return;
                }

                if (!appended.TryGetValue(path, out var append))
                {
                    append = LogFileAppend.Open(path);
                    appended[path] = append;
                }

                append.Add(change);
                return;
            }

            // The rewrite covers what this batch appended before: that work is settled with it.
            if (appended.Remove(path, out var open))
            {
                open.File.Dispose();
            }

            _rebuilder.Rebuild(change.Type, change.DeviceId, change.Date, change.UpToRowId);
            settled.Add(change.OutboxId);
            change.MarkWritten();
            foreach (var earlier in open?.Changes ?? [])
            {
                settled.Add(earlier.OutboxId);
                earlier.MarkWritten();
            }

            _retry.Rewritten(path, settled);
        }
        catch (Exception e)
        {
            // Whatever went wrong, the loop goes on: a stopped file writer would leave completions waiting.
            List<LogFileChange> failed = [change];
            if (appended.Remove(path, out var broken))
            {
                failed.AddRange(broken.Changes);
                try
                {
                    broken.File.Dispose();
                }
                catch (IOException)
                {
                    // Reported below.
                }
            }

            _retry.Damaged(path, failed, e);
        }
        finally
        {
            change.Spilled?.Delete();
        }
    }
}
