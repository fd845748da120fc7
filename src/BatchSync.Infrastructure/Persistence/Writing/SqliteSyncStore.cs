using BatchSync.Application.Abstractions;
using BatchSync.Application.Sync;
using BatchSync.Domain.Audit;
using BatchSync.Domain.Sync;
using BatchSync.Infrastructure.LogFiles;
using BatchSync.Infrastructure.Persistence.Configurations;
using Microsoft.Data.Sqlite;

namespace BatchSync.Infrastructure.Persistence.Writing;

/// <summary>
/// The writer's side of the SQLite store: SQL on the writer's own connection, each statement prepared
/// once and reused. All the SQLite SQL of the write path is here; <see cref="SqliteSyncTransaction"/>
/// presents it to a unit of work.
/// </summary>
internal sealed class SqliteSyncStore : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly LogCalendar _calendar;
    private readonly Dictionary<string, SqliteCommand> _commands = [];
    private readonly List<LogFileTask> _pendingFiles = [];
    private readonly LogRowInserter _rows;

    public SqliteSyncStore(SqliteConnection connection, LogCalendar calendar)
    {
        _connection = connection;
        _calendar = calendar;
        _rows = new LogRowInserter(connection);
    }

    /// <summary>File work of the open transaction, handed to the log file writer once it commits.</summary>
    public List<LogFileTask> PendingFiles => _pendingFiles;

    public void Execute(string sql) => Command(sql).ExecuteNonQuery();

    public SyncSession? FindSession(string syncId)
    {
        var find = Command(
            "SELECT device_id, user_name, total_parts, status, created_at, updated_at, completed_at, completion " +
            "FROM sync_sessions WHERE sync_id = $id", "$id");
        find.Parameters[0].Value = syncId;
        string deviceId, userName, status;
        int totalParts;
        long createdAt, updatedAt;
        long? completedAt;
        string? completion;
        using (var row = find.ExecuteReader())
        {
            if (!row.Read())
            {
                return null;
            }

            (deviceId, userName, totalParts, status) = (row.GetString(0), row.GetString(1), row.GetInt32(2), row.GetString(3));
            (createdAt, updatedAt) = (row.GetInt64(4), row.GetInt64(5));
            completedAt = row.IsDBNull(6) ? null : row.GetInt64(6);
            completion = row.IsDBNull(7) ? null : row.GetString(7);
        }

        var parts = Command(
            "SELECT part_number, record_count, checksum, content_hash, received_at FROM batch_parts WHERE sync_id = $id", "$id");
        parts.Parameters[0].Value = syncId;
        var held = new List<BatchPart>();
        using (var row = parts.ExecuteReader())
        {
            while (row.Read())
            {
                held.Add(new BatchPart(row.GetInt32(0), row.GetInt32(1), row.GetString(2), row.GetString(3), Time(row.GetInt64(4))));
            }
        }

        return SyncSession.Restore(
            syncId,
            deviceId,
            userName,
            totalParts,
            Enum.Parse<SyncStatus>(status),
            Time(createdAt),
            Time(updatedAt),
            completedAt is null ? null : Time(completedAt.Value),
            CompletionJson.Deserialize(completion),
            held);
    }

    public void AddSession(SyncSession session)
    {
        var insert = Command(
            "INSERT INTO sync_sessions (sync_id, device_id, user_name, total_parts, status, created_at, updated_at, completed_at, completion) " +
            "VALUES ($id, $device, $user, $total, $status, $created, $updated, $completed, $completion)",
            "$id", "$device", "$user", "$total", "$status", "$created", "$updated", "$completed", "$completion");
        Bind(insert, session.SyncId, session.DeviceId, session.UserName, session.TotalParts, session.Status.ToString(),
            Millis(session.CreatedAt), Millis(session.UpdatedAt), session.CompletedAt is { } done ? Millis(done) : null,
            CompletionJson.Serialize(session.Completion));
        insert.ExecuteNonQuery();
    }

    public void UpdateSession(SyncSession session)
    {
        var update = Command(
            "UPDATE sync_sessions SET user_name = $user, total_parts = $total, status = $status, created_at = $created, " +
            "updated_at = $updated, completed_at = $completed, completion = $completion WHERE sync_id = $id",
            "$user", "$total", "$status", "$created", "$updated", "$completed", "$completion", "$id");
        Bind(update, session.UserName, session.TotalParts, session.Status.ToString(), Millis(session.CreatedAt),
            Millis(session.UpdatedAt), session.CompletedAt is { } done ? Millis(done) : null,
            CompletionJson.Serialize(session.Completion), session.SyncId);
        update.ExecuteNonQuery();
    }

    public int CountOpenSessions(string? deviceId)
    {
        if (deviceId is null)
        {
            var all = Command("SELECT COUNT(*) FROM sync_sessions WHERE status = $open", "$open");
            all.Parameters[0].Value = nameof(SyncStatus.Open);
            return Convert.ToInt32(all.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }

        var device = Command("SELECT COUNT(*) FROM sync_sessions WHERE device_id = $device AND status = $open", "$device", "$open");
        Bind(device, deviceId, nameof(SyncStatus.Open));
        return Convert.ToInt32(device.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public int PurgeFinishedSessions(DateTime finishedBefore, int limit)
    {
        var select = Command(
            "SELECT sync_id FROM sync_sessions WHERE status IN ($completed, $expired) AND updated_at < $cutoff " +
            "ORDER BY updated_at LIMIT $limit",
            "$completed", "$expired", "$cutoff", "$limit");
        Bind(select, nameof(SyncStatus.Completed), nameof(SyncStatus.Expired), Millis(finishedBefore), limit);
        var purged = new List<string>();
        using (var row = select.ExecuteReader())
        {
            while (row.Read())
            {
                purged.Add(row.GetString(0));
            }
        }

        var dropSession = Command("DELETE FROM sync_sessions WHERE sync_id = $id", "$id");
        foreach (var syncId in purged)
        {
            DeleteParts(syncId);
            dropSession.Parameters[0].Value = syncId;
            dropSession.ExecuteNonQuery();
        }

        return purged.Count;
    }

    public void AddPart(string syncId, BatchPart part, byte[]? stagedRecords)
    {
        var insert = Command(
            "INSERT INTO batch_parts (sync_id, part_number, record_count, checksum, content_hash, received_at, payload) " +
            "VALUES ($id, $number, $count, $checksum, $hash, $received, $payload)",
            "$id", "$number", "$count", "$checksum", "$hash", "$received", "$payload");
        Bind(insert, syncId, part.PartNumber, part.RecordCount, part.Checksum, part.ContentHash, Millis(part.ReceivedAt),
            stagedRecords);
        insert.ExecuteNonQuery();
    }

    public IReadOnlyList<byte[]> LoadStagedParts(string syncId)
    {
        var select = Command(
            "SELECT payload FROM batch_parts WHERE sync_id = $id AND payload IS NOT NULL ORDER BY part_number", "$id");
        select.Parameters[0].Value = syncId;
        var payloads = new List<byte[]>();
        using var row = select.ExecuteReader();
        while (row.Read())
        {
            payloads.Add((byte[])row.GetValue(0));
        }

        return payloads;
    }

    public void DropStagedRecords(string syncId)
    {
        var drop = Command("UPDATE batch_parts SET payload = NULL WHERE sync_id = $id", "$id");
        drop.Parameters[0].Value = syncId;
        drop.ExecuteNonQuery();
    }

    public void DeleteParts(string syncId)
    {
        var delete = Command("DELETE FROM batch_parts WHERE sync_id = $id", "$id");
        delete.Parameters[0].Value = syncId;
        delete.ExecuteNonQuery();
    }

    public LogAppendResult AppendToLogs(SyncSession session, IReadOnlyList<PreparedRecord> records)
    {
        var inserted = 0;
        var files = new List<LogFileTask>();
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
            files.Add(new LogFileTask(type, session.DeviceId, date, append ? lines : null, lastStored is not null, upToRowId, outboxId));
            owed.Add(new OwedLogFile(type, session.DeviceId, date, outboxId));
        }

        CrashPoints.Reach(CrashPoints.CompletionInserted);
        _pendingFiles.AddRange(files);
        return new LogAppendResult(inserted, records.Count - inserted, owed);
    }

    public int InsertAudit(IReadOnlyList<AuditEvent> events)
    {
        var insert = Command(
            "INSERT INTO audit_events (at, outcome, status, request_id, token_name, remote_address, method, path, " +
            "device_id, user_name, sync_id, part_number, reason) VALUES ($at, $outcome, $status, $request, $token, " +
            "$remote, $method, $path, $device, $user, $sync, $part, $reason)",
            "$at", "$outcome", "$status", "$request", "$token", "$remote", "$method", "$path", "$device", "$user", "$sync", "$part", "$reason");
        foreach (var e in events)
        {
            Bind(insert, Millis(e.At), e.Outcome, e.Status, e.RequestId, e.TokenName, e.RemoteAddress, e.Method, e.Path,
                e.DeviceId, e.UserName, e.SyncId, e.PartNumber, e.Reason);
            insert.ExecuteNonQuery();
        }

        return events.Count;
    }

    public int PurgeAudit(DateTime before, int limit)
    {
        var purge = Command(
            "DELETE FROM audit_events WHERE id IN (SELECT id FROM audit_events WHERE at < $before ORDER BY at LIMIT $limit)",
            "$before", "$limit");
        Bind(purge, Millis(before), limit);
        return purge.ExecuteNonQuery();
    }

    public bool TouchToken(long id, DateTime at)
    {
        var touch = Command("UPDATE api_tokens SET last_used_at = $at WHERE id = $id", "$at", "$id");
        Bind(touch, Millis(at), id);
        return touch.ExecuteNonQuery() == 1;
    }

    /// <summary>Deletes outbox rows of files written since.</summary>
    public void DeleteOutbox(IEnumerable<long> ids)
    {
        var delete = Command("DELETE FROM log_file_outbox WHERE id = $id", "$id");
        foreach (var id in ids)
        {
            delete.Parameters[0].Value = id;
            delete.ExecuteNonQuery();
        }
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
        _rows.Dispose();
    }

    private long? LastStoredTimestamp(RecordType type, string deviceId, DateOnly date)
    {
        var (start, end) = _calendar.Day(date);
        var select = Command(
            $"SELECT timestamp FROM {LogTables.Of(type)} " +
            "WHERE device_id = $device AND timestamp >= $start AND timestamp < $end ORDER BY timestamp DESC LIMIT 1",
            "$device", "$start", "$end");
        Bind(select, deviceId, start, end);
        return select.ExecuteScalar() is long last ? last : null;
    }

    private long LastRowId() => (long)Command("SELECT last_insert_rowid()").ExecuteScalar()!;

    private long AddOutbox(RecordType type, string deviceId, DateOnly date)
    {
        var insert = Command(
            "INSERT INTO log_file_outbox (log_type, device_id, log_date) VALUES ($type, $device, $date) RETURNING id",
            "$type", "$device", "$date");
        Bind(insert, type.WireName(), deviceId, DateText(date));
        return (long)insert.ExecuteScalar()!;
    }

    private SqliteCommand Command(string sql, params string[] parameters)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = _connection.CreateCommand();
            command.CommandText = sql;
            foreach (var name in parameters)
            {
                command.Parameters.Add(new SqliteParameter(name, null));
            }

            command.Prepare();
            _commands[sql] = command;
        }

        return command;
    }

    private static void Bind(SqliteCommand command, params object?[] values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] ?? DBNull.Value;
        }
    }

    private static string DateText(DateOnly date) => LogCalendar.Format(date);

    private static long Millis(DateTime time) => UnixMillisecondsConverter.ToUnixMilliseconds(time);

    private static DateTime Time(long millis) => UnixMillisecondsConverter.FromUnixMilliseconds(millis);
}
