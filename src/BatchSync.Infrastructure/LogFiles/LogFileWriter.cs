using System.Threading.Channels;
using BatchSync.Application.Sync;
using BatchSync.Domain.Sync;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace BatchSync.Infrastructure.LogFiles;

/// <summary>
/// Brings the dated log files up to date with the log tables, one committed completion after another
/// in commit order. New records later than a file's last line are appended; anything else rewrites the
/// file from the table into a temporary file that replaces it whole, so a reader never meets a
/// half-written file and the order is the table's.
/// </summary>
internal sealed class LogFileWriter : IAsyncDisposable
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    private readonly Channel<List<LogFileTask>> _queue = Channel.CreateUnbounded<List<LogFileTask>>(
        new UnboundedChannelOptions { SingleReader = true });

    private readonly LogFilePaths _paths;
    private readonly LogCalendar _calendar;
    private readonly string _connectionString;
    private readonly Action<List<long>> _forgetOutbox;
    private readonly ILogger _logger;
    private readonly Task _loop;

    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LastRetry = TimeSpan.FromSeconds(30);

    // Files whose last write failed, perhaps half-way: rewritten whole at their next change, or by the
    // retry, whichever comes first.
    private readonly Dictionary<string, Owed> _damaged = [];

    // Per table, the last row whose file work was handled. A retry rewrites a file up to there, so the
    // work still queued behind it neither misses a line nor repeats one.
    private readonly Dictionary<RecordType, long> _handledUpTo = [];
    private TimeSpan _retryDelay = FirstRetry;

    public LogFileWriter(
        LogFilePaths paths,
        LogCalendar calendar,
        string connectionString,
        Action<List<long>> forgetOutbox,
        ILogger logger)
    {
        _paths = paths;
        _calendar = calendar;
        _connectionString = connectionString;
        _forgetOutbox = forgetOutbox;
        _logger = logger;
        // Its own thread: file I/O and fsync block, and the request threads are few.
        _loop = Task.Factory.StartNew(Run, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    public void Post(List<LogFileTask> tasks) => _queue.Writer.TryWrite(tasks);

    /// <summary>Rewrites one file from the table (all rows, or those up to a row id).</summary>
    public static void Rebuild(
        SqliteConnection connection,
        LogFilePaths paths,
        LogCalendar calendar,
        RecordType type,
        string deviceId,
        DateOnly date,
        long upToRowId = long.MaxValue)
    {
        var path = paths.Of(type, date, deviceId);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = path + ".tmp";
        var (start, end) = calendar.Day(date);
        using (var select = connection.CreateCommand())
        {
            select.CommandText =
                $"SELECT data FROM {LogTables.Of(type)} WHERE device_id = $device AND timestamp >= $start AND timestamp < $end " +
                "AND id <= $upTo ORDER BY timestamp, id";
            select.Parameters.AddWithValue("$device", deviceId);
            select.Parameters.AddWithValue("$start", start);
            select.Parameters.AddWithValue("$end", end);
            select.Parameters.AddWithValue("$upTo", upToRowId);
            using var rows = select.ExecuteReader();
            using var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024);
            using (var text = new StreamWriter(file, leaveOpen: true))
            {
                text.NewLine = "\n";
                var written = 0;
                while (rows.Read())
                {
                    text.WriteLine(rows.GetString(0));
                    if (++written == 2 && CrashPoints.Armed)
                    {
                        CrashPoints.Reach(CrashPoints.FileRewriteHalfway, text.Flush);
                    }
                }
            }

            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
    }

    private void Run()
    {
        var appended = new Dictionary<string, Append>();
        Task<bool>? ready = null;
        while (true)
        {
            ready ??= _queue.Reader.WaitToReadAsync().AsTask();
            if (_damaged.Count > 0 && !ready.Wait(_retryDelay))
            {
                RetryDamaged();
                continue;
            }

            var more = ready.GetAwaiter().GetResult();
            ready = null;
            if (!more)
            {
                return;
            }

            var batch = new List<LogFileTask>();
            var settled = new List<long>();
            try
            {
                while (_queue.Reader.TryRead(out var tasks))
                {
                    foreach (var task in tasks)
                    {
                        batch.Add(task);
                        Write(task, appended, settled);
                    }
                }

                // One flush to disk per appended file and batch; only then are its outbox rows forgotten.
                foreach (var (path, append) in appended)
                {
                    Close(path, append, settled);
                }

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

    /// <summary>A rewrite on a pooled read connection of its own, opened for it and returned after.</summary>
    private void Rebuild(RecordType type, string deviceId, DateOnly date, long upToRowId)
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        Rebuild(connection, _paths, _calendar, type, deviceId, date, upToRowId);
    }

    /// <summary>Rewrites the files whose writes failed, up to the rows already handled; backs off while it fails.</summary>
    private void RetryDamaged()
    {
        var settled = new List<long>();
        foreach (var (path, owed) in _damaged.ToList())
        {
            try
            {
                Rebuild(owed.Type, owed.DeviceId, owed.Date, _handledUpTo[owed.Type]);
                _damaged.Remove(path);
                settled.AddRange(owed.OutboxIds);
                _logger.LogInformation("Dated log file {Path} rewritten after an earlier failure", path);
            }
            catch (Exception e)
            {
                _logger.LogWarning("Dated log file {Path} still cannot be written ({Reason}); retrying in {Delay}", path, e.Message, _retryDelay);
            }
        }

        _retryDelay = _damaged.Count == 0 ? FirstRetry : TimeSpan.FromTicks(Math.Min(_retryDelay.Ticks * 2, LastRetry.Ticks));
        if (settled.Count > 0)
        {
            _forgetOutbox(settled);
        }
    }

    private void Close(string path, Append append, List<long> settled)
    {
        try
        {
            append.File.Flush(flushToDisk: true);
            append.File.Dispose();
        }
        catch (IOException e)
        {
            try
            {
                append.File.Dispose();
            }
            catch (IOException)
            {
                // Reported below; the file is rewritten whole.
            }

            Damaged(path, append.Tasks, e);
            return;
        }

        foreach (var task in append.Tasks)
        {
            settled.Add(task.OutboxId);
            task.MarkWritten();
        }
    }

    /// <summary>A file appended to in this batch, and the work it settles once on disk.</summary>
    private sealed record Append(FileStream File, List<LogFileTask> Tasks);

    /// <summary>A file whose write failed, perhaps half-way, and the outbox rows it settles once rewritten.</summary>
    private sealed record Owed(RecordType Type, string DeviceId, DateOnly Date, List<long> OutboxIds);

    /// <summary>
    /// Appends (settled at the batch's flush) or rewrites the file (settled now, with what this batch
    /// appended to it before and what earlier failures left owed); settled outbox rows go into <paramref name="settled"/>.
    /// </summary>
    private void Write(LogFileTask task, Dictionary<string, Append> appended, List<long> settled)
    {
        var path = _paths.Of(task.Type, task.Date, task.DeviceId);
        _handledUpTo[task.Type] = Math.Max(_handledUpTo.GetValueOrDefault(task.Type), task.UpToRowId);
        try
        {
            if (task.AppendLines is { } lines && !_damaged.ContainsKey(path) && (!task.FileHadRecords || File.Exists(path)))
            {
                if (!appended.TryGetValue(path, out var append))
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    append = new Append(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 16 * 1024), []);
                    appended[path] = append;
                }

                append.Tasks.Add(task);
                foreach (var line in lines)
                {
                    if (CrashPoints.Armed)
                    {
                        var file = append.File;
                        CrashPoints.Reach(CrashPoints.FileAppendHalfLine, () =>
                        {
                            file.Write(line, 0, line.Length / 2);
                            file.Flush();
                        });
                    }

                    append.File.Write(line);
                    append.File.Write(NewLine);
                }

                return;
            }

            // The rewrite covers what this batch appended before: that work is settled with it.
            if (appended.Remove(path, out var open))
            {
                open.File.Dispose();
            }

            Rebuild(task.Type, task.DeviceId, task.Date, task.UpToRowId);
            settled.Add(task.OutboxId);
            task.MarkWritten();
            foreach (var earlier in open?.Tasks ?? [])
            {
                settled.Add(earlier.OutboxId);
                earlier.MarkWritten();
            }

            if (_damaged.Remove(path, out var owed))
            {
                settled.AddRange(owed.OutboxIds);
            }
        }
        catch (Exception e)
        {
            // Whatever went wrong, the loop goes on: a stopped file writer would leave completions waiting.
            List<LogFileTask> failed = [task];
            if (appended.Remove(path, out var broken))
            {
                failed.AddRange(broken.Tasks);
                try
                {
                    broken.File.Dispose();
                }
                catch (IOException)
                {
                    // Reported below.
                }
            }

            Damaged(path, failed, e);
        }
    }

    /// <summary>
    /// The file is rewritten whole at its next change or by the retry; its outbox rows stay, so a restart
    /// rewrites it too. The completions that waited on it hear of the failure.
    /// </summary>
    private void Damaged(string path, List<LogFileTask> tasks, Exception error)
    {
        if (!_damaged.TryGetValue(path, out var owed))
        {
            var first = tasks[0];
            owed = new Owed(first.Type, first.DeviceId, first.Date, []);
            _damaged[path] = owed;
        }

        foreach (var task in tasks)
        {
            owed.OutboxIds.Add(task.OutboxId);
            task.MarkFailed(error);
        }

        _logger.LogError(
            error,
            "Dated log file {Type}/{Date}/{DeviceId} not written; it stays owed and is rebuilt from the tables",
            owed.Type.WireName(),
            owed.Date,
            owed.DeviceId);
    }
}
