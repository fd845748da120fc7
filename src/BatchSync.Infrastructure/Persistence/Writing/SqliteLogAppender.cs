using BatchSync.Application.Abstractions;
using BatchSync.Application.Sync;
using BatchSync.Domain.Sync;
using BatchSync.Infrastructure.LogFiles;
using Microsoft.Data.Sqlite;
using static BatchSync.Infrastructure.Persistence.Writing.SqliteStatements;

namespace BatchSync.Infrastructure.Persistence.Writing;

/// <summary>
/// A completion's records into the log tables on the writer's connection, and the dated files that owes:
/// one outbox row per file it changed, and the file change handed to the log file writer once the
/// transaction commits.
/// </summary>
internal sealed class SqliteLogAppender(SqliteConnection connection, SqliteStatements statements, LogCalendar calendar) : IDisposable
{
    private readonly LogRowInserter _rows = new(connection);

    /// <summary>File changes of the open transaction, handed to the log file writer once it commits.</summary>
    public List<LogFileChange> PendingFiles { get; } = [];

    public LogAppendResult Append(SyncSession session, IReadOnlyList<PreparedRecord> records)
    {
        var inserted = 0;
        var files = new List<LogFileChange>();
        var owed = new List<OwedLogFile>();
        var origin = LogRowInserter.Origin.Of(session);
        foreach (var file in records.GroupBy(r => (r.Record.Type, r.LogDate)))
        {
            var (type, date) = file.Key;
            var lastStored = LastStoredTimestamp(type, session.DeviceId, date);
            var lines = new List<byte[]>();
            long? earliestNew = null;
            foreach (var record in file)
            {
                if (_rows.Insert(origin, record))
                {
                    lines.Add(record.Json);
                    earliestNew ??= record.Record.Timestamp;
                }
            }

            if (lines.Count == 0)
            {
                continue;
            }

            inserted += lines.Count;
            // Newer than everything stored for that file: append. Otherwise the file is rewritten in order.
            var append = lastStored is null || earliestNew >= lastStored;
            var upToRowId = LastRowId();
            var outboxId = AddOutbox(type, session.DeviceId, date);
            files.Add(new LogFileChange(type, session.DeviceId, date, append ? lines : null, lastStored is not null, upToRowId, outboxId));
            owed.Add(new OwedLogFile(type, session.DeviceId, date, outboxId));
        }

        CrashPoints.Reach(CrashPoints.CompletionInserted);
        PendingFiles.AddRange(files);
        return new LogAppendResult(inserted, records.Count - inserted, owed);
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

    private long LastRowId() => (long)statements.Command("SELECT last_insert_rowid()").ExecuteScalar()!;

    private long AddOutbox(RecordType type, string deviceId, DateOnly date)
    {
        var insert = statements.Command(
            "INSERT INTO log_file_outbox (log_type, device_id, log_date) VALUES ($type, $device, $date) RETURNING id",
            "$type", "$device", "$date");
        Bind(insert, type.WireName(), deviceId, LogCalendar.Format(date));
        return (long)insert.ExecuteScalar()!;
    }
}
