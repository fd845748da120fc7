using BatchSync.Application.Abstractions;
using BatchSync.Application.Sync;
using BatchSync.Domain.Sync;
using BatchSync.Infrastructure.LogFiles;
using Microsoft.Data.Sqlite;
using static BatchSync.Infrastructure.Persistence.Writing.SqliteStatements;

namespace BatchSync.Infrastructure.Persistence.Writing;

/// <summary>
/// A completion's records into the log tables on the writer's connection, as they come, and the dated
/// files that owes: one outbox row per file it changed, and the file change handed to the log file
/// writer once the transaction commits. The new lines ride along in memory for appending up to
/// <see cref="MaxAppendLines"/> per completion; past that they go to a <see cref="LineSpill"/> on disk
/// as they come, so a completion of any size holds no more than that.
/// </summary>
internal sealed class SqliteLogAppender(SqliteConnection connection, SqliteStatements statements, LogCalendar calendar, string spillFolder) : IDisposable
{
    public const int MaxAppendLines = 20_000;

    private readonly LogRowInserter _rows = new(connection);

    /// <summary>File changes of the open transaction, handed to the log file writer once it commits.</summary>
    public List<LogFileChange> PendingFiles { get; } = [];

    public LogAppendResult Append(SyncSession session, IAsyncEnumerable<PreparedRecord> records, CancellationToken cancellationToken)
    {
        var origin = LogRowInserter.Origin.Of(session);
        var files = new Dictionary<(RecordType, DateOnly), FileAppend>();
        var lastRowIds = new long[Enum.GetValues<RecordType>().Length];
        int total = 0, inserted = 0, lines = 0;
        LineSpill? spill = null;
        var overflowed = false;
        try
        {
            foreach (var record in Synchronously(records, cancellationToken))
            {
                total++;
                var type = record.Type;
                if (!files.TryGetValue((type, record.LogDate), out var file))
                {
                    file = new FileAppend(LastStoredTimestamp(type, session.DeviceId, record.LogDate));
                    files[(type, record.LogDate)] = file;
                    if (overflowed)
                    {
                        file.Spill(spill);
                    }
                }

                if (!_rows.Insert(origin, record))
                {
                    continue;
                }

                inserted++;
                lastRowIds[(int)type] = _rows.LastRowId;
                file.Added++;
                file.EarliestNew ??= record.Timestamp;
                if (!overflowed && ++lines > MaxAppendLines)
                {
                    // Too many to carry: this completion's lines go to disk from here on.
                    overflowed = true;
                    spill = LineSpill.TryStart(spillFolder);
                    foreach (var each in files.Values)
                    {
                        each.Spill(spill);
                    }
                }

                file.Add(record.Json);
            }

            spill?.Complete();
        }
        catch
        {
            spill?.Complete();
            foreach (var file in files.Values)
            {
                file.Spilled?.Delete();
            }

            throw;
        }

        var owed = new List<OwedLogFile>();
        foreach (var ((type, date), file) in files)
        {
            if (file.Added == 0)
            {
                file.Spilled?.Delete();
                continue;
            }

            // Newer than everything stored for that file: append. Otherwise the file is rewritten in order.
            var append = file.LastStored is null || file.EarliestNew >= file.LastStored;
            var outboxId = AddOutbox(type, session.DeviceId, date);
            PendingFiles.Add(new LogFileChange(
                type, session.DeviceId, date, append ? file.Lines : null, file.LastStored is not null, lastRowIds[(int)type], outboxId, file.Spilled, append));
            owed.Add(new OwedLogFile(type, session.DeviceId, date, outboxId));
        }

        CrashPoints.Reach(CrashPoints.CompletionInserted);
        return new LogAppendResult(inserted, total - inserted, owed);
    }

    /// <summary>Deletes outbox rows of files written since.</summary>
    public void DeleteOutbox(IEnumerable<long> ids)
    {
        var delete = statements.Command("DELETE FROM log_file_outbox WHERE id = $id", "$id");
        foreach (var id in ids)
        {
            delete.Parameters[0].Value = id;
            delete.ExecuteNonQuery();
        }
    }

    public void Dispose() => _rows.Dispose();

    private long? LastStoredTimestamp(RecordType type, string deviceId, DateOnly date)
    {
        var (start, end) = calendar.Day(date);
        var select = statements.Command(
            $"SELECT timestamp FROM {LogTables.Of(type)} " +
            "WHERE device_id = $device AND timestamp >= $start AND timestamp < $end ORDER BY timestamp DESC LIMIT 1",
            "$device", "$start", "$end");
        Bind(select, deviceId, start, end);
        return select.ExecuteScalar() is long last ? last : null;
    }

    private long AddOutbox(RecordType type, string deviceId, DateOnly date)
    {
        var insert = statements.Command(
            "INSERT INTO log_file_outbox (log_type, device_id, log_date) VALUES ($type, $device, $date) RETURNING id",
            "$type", "$device", "$date");
        Bind(insert, type.WireName(), deviceId, LogCalendar.Format(date));
        return (long)insert.ExecuteScalar()!;
    }

    /// <summary>
    /// The records on the writer's thread: what they are read from completes at once here (the staged parts
    /// are read on this same connection), so waiting costs nothing.
    /// </summary>
    private static IEnumerable<T> Synchronously<T>(IAsyncEnumerable<T> source, CancellationToken cancellationToken)
    {
        var items = source.GetAsyncEnumerator(cancellationToken);
        try
        {
            while (Wait(items.MoveNextAsync()))
            {
                yield return items.Current;
            }
        }
        finally
        {
            var disposing = items.DisposeAsync();
            if (!disposing.IsCompletedSuccessfully)
            {
                disposing.AsTask().GetAwaiter().GetResult();
            }
        }
    }

    private static bool Wait(ValueTask<bool> moving) => moving.IsCompletedSuccessfully ? moving.Result : moving.AsTask().GetAwaiter().GetResult();

    /// <summary>
    /// One dated file's share of the completion, its new lines in memory or spilled; neither when the
    /// spill could not be had, and the file is rewritten from the table.
    /// </summary>
    private sealed class FileAppend(long? lastStored)
    {
        public long? LastStored { get; } = lastStored;

        public List<byte[]>? Lines { get; private set; } = [];

        public SpilledLines? Spilled { get; private set; }

        public int Added { get; set; }

        public long? EarliestNew { get; set; }

        public void Add(byte[] line)
        {
            if (Spilled is { } spilled)
            {
                spilled.Add(line);
            }
            else
            {
                Lines?.Add(line);
            }
        }

        /// <summary>The lines so far, and those to come, to the spill: no longer in memory either way.</summary>
        public void Spill(LineSpill? spill)
        {
            Spilled = spill?.TryOpen();
            if (Spilled is { } spilled)
            {
                foreach (var line in Lines!)
                {
                    spilled.Add(line);
                }
            }

            Lines = null;
        }
    }
}
