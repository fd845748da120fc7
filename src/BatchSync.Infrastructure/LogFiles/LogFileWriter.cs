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
    private readonly SqliteConnection _reader;
    private readonly Action<List<long>> _forgetOutbox;
    private readonly ILogger _logger;
    private readonly Task _loop;

    // Files whose last write failed, perhaps half-way: the next change rewrites them whole.
    private readonly HashSet<string> _damaged = [];

    public LogFileWriter(
        LogFilePaths paths,
        LogCalendar calendar,
        string connectionString,
        Action<List<long>> forgetOutbox,
        ILogger logger)
    {
        _paths = paths;
        _calendar = calendar;
        _reader = new SqliteConnection(connectionString);
        _reader.Open();
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
                while (rows.Read())
                {
                    text.WriteLine(rows.GetString(0));
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
        await _reader.DisposeAsync().ConfigureAwait(false);
    }

    private void Run()
    {
        var appended = new Dictionary<string, Append>();
        var done = new List<LogFileTask>();
        while (_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            var written = new List<long>();
            try
            {
                while (_queue.Reader.TryRead(out var tasks))
                {
                    foreach (var task in tasks)
                    {
                        done.Add(task);
                        Write(task, appended, written);
                    }
                }

                // One flush to disk per appended file and batch; only then are its outbox rows forgotten.
                foreach (var (path, append) in appended)
                {
                    if (Close(path, append))
                    {
                        written.AddRange(append.OutboxIds);
                    }
                }

                if (written.Count > 0)
                {
                    _forgetOutbox(written);
                }
            }
            catch (Exception e)
            {
                // The loop goes on whatever happens: a stopped file writer would leave completions waiting.
                _logger.LogError(e, "Dated log files of {Count} completions not all written; they are rebuilt from the tables", done.Count);
            }
            finally
            {
                appended.Clear();

                // The tables are the truth: a file that failed stays owed in the outbox and is rebuilt.
                done.ForEach(t => t.MarkWritten());
                done.Clear();
            }
        }
    }

    private bool Close(string path, Append append)
    {
        try
        {
            append.File.Flush(flushToDisk: true);
            append.File.Dispose();
            return true;
        }
        catch (IOException e)
        {
            _damaged.Add(path);
            _logger.LogError(e, "Dated log file {Path} not flushed; it is rebuilt from the tables", path);
            try
            {
                append.File.Dispose();
            }
            catch (IOException)
            {
                // Already reported; the file is rewritten at its next change or at start-up.
            }

            return false;
        }
    }

    /// <summary>A file appended to in this batch, and the outbox rows it settles once on disk.</summary>
    private sealed record Append(FileStream File, List<long> OutboxIds);

    /// <summary>
    /// Appends (the outbox row is settled at the batch's flush) or rewrites the file (settled now, with
    /// the rows of what this batch appended to it before); settled rows go into <paramref name="settled"/>.
    /// </summary>
    private void Write(LogFileTask task, Dictionary<string, Append> appended, List<long> settled)
    {
        var path = _paths.Of(task.Type, task.Date, task.DeviceId);
        try
        {
            if (task.AppendLines is { } lines && !_damaged.Contains(path) && (!task.FileHadRecords || File.Exists(path)))
            {
                if (!appended.TryGetValue(path, out var append))
                {
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    append = new Append(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 16 * 1024), []);
                    appended[path] = append;
                }

                foreach (var line in lines)
                {
                    append.File.Write(line);
                    append.File.Write(NewLine);
                }

                append.OutboxIds.Add(task.OutboxId);
                return;
            }
            else
            {
                // The rewrite covers what this batch appended before: those outbox rows are settled with it.
                if (appended.Remove(path, out var open))
                {
                    open.File.Dispose();
                }

                Rebuild(_reader, _paths, _calendar, task.Type, task.DeviceId, task.Date, task.UpToRowId);
                _damaged.Remove(path);
                settled.Add(task.OutboxId);
                if (open is not null)
                {
                    settled.AddRange(open.OutboxIds);
                }
            }
        }
        catch (Exception e)
        {
            // Whatever went wrong, the loop goes on: a stopped file writer would leave completions waiting.
            // The file is rewritten at its next change; its outbox rows stay, so a restart rewrites it too.
            _damaged.Add(path);
            if (appended.Remove(path, out var broken))
            {
                try
                {
                    broken.File.Dispose();
                }
                catch (IOException)
                {
                    // Reported below.
                }
            }

            _logger.LogError(
                e,
                "Dated log file {Type}/{Date}/{DeviceId} not written; it stays owed and is rebuilt from the tables",
                task.Type.WireName(),
                task.Date,
                task.DeviceId);
        }
    }
}
