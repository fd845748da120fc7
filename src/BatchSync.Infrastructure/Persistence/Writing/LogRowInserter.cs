using System.Text;
using BatchSync.Application.Sync;
using BatchSync.Domain.Sync;
using BatchSync.Infrastructure.LogFiles;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace BatchSync.Infrastructure.Persistence.Writing;

/// <summary>
/// The hottest statement of the server: one row per record into a log table. It talks to SQLite
/// directly, binding by position with UTF-8 that is already at hand (the record's canonical JSON is
/// bound as it is), because binding through ADO.NET parameters cost several times the insert itself.
/// A record already stored for the device (same timestamp and content) is skipped by the unique key.
/// </summary>
internal sealed class LogRowInserter : IDisposable
{
    private const string Conflict = " ON CONFLICT (device_id, timestamp, content_hash) DO NOTHING";

    private readonly sqlite3 _db;
    private readonly sqlite3_stmt[] _inserts;
    private readonly Dictionary<DateOnly, byte[]> _dates = [];

    public LogRowInserter(SqliteConnection connection)
    {
        _db = connection.Handle!;
        _inserts = [.. Enum.GetValues<RecordType>().Select(type => Prepare(InsertSql(type)))];
    }

    /// <summary>UTF-8 of the values every row of one sync shares.</summary>
    public sealed record Origin(byte[] DeviceId, byte[] UserName, byte[] SyncId)
    {
        public static Origin Of(SyncSession session) =>
            new(Encoding.UTF8.GetBytes(session.DeviceId), Encoding.UTF8.GetBytes(session.UserName), Encoding.UTF8.GetBytes(session.SyncId));
    }

    /// <summary>Inserts the row; false when the device's log already held the record.</summary>
    public bool Insert(Origin origin, PreparedRecord prepared)
    {
        var stmt = _inserts[(int)prepared.Record.Type];
        Check(raw.sqlite3_bind_text(stmt, 1, origin.DeviceId));
        Check(raw.sqlite3_bind_text(stmt, 2, origin.UserName));
        Check(raw.sqlite3_bind_text(stmt, 3, origin.SyncId));
        Check(raw.sqlite3_bind_text(stmt, 4, DateText(prepared.LogDate)));
        Check(raw.sqlite3_bind_int64(stmt, 5, prepared.Record.Timestamp));
        Check(raw.sqlite3_bind_int64(stmt, 6, prepared.ContentHash));
        Check(raw.sqlite3_bind_text(stmt, 7, prepared.Json));
        var fields = RecordSchema.Of(prepared.Record.Type);
        for (var i = 0; i < fields.Length; i++)
        {
            var value = prepared.Record[fields[i]];
            Check(!value.HasValue ? raw.sqlite3_bind_null(stmt, 8 + i)
                : fields[i].Kind == FieldKind.Number ? raw.sqlite3_bind_double(stmt, 8 + i, value.Number)
                : raw.sqlite3_bind_text(stmt, 8 + i, value.Text));
        }

        var rc = raw.sqlite3_step(stmt);
        raw.sqlite3_reset(stmt);
        if (rc != raw.SQLITE_DONE)
        {
            Check(rc);
        }

        return raw.sqlite3_changes(_db) == 1;
    }

    /// <summary>The row id of the last row inserted on the connection.</summary>
    public long LastRowId => raw.sqlite3_last_insert_rowid(_db);

    public void Dispose()
    {
        foreach (var insert in _inserts)
        {
            insert.Dispose();
        }
    }

    /// <summary>The columns every log table shares, then the type's fields in <see cref="RecordSchema"/> order.</summary>
    private static string InsertSql(RecordType type)
    {
        var fields = RecordSchema.Of(type);
        var columns = string.Concat(fields.Select(f => ", " + f.Column));
        var values = string.Concat(fields.Select((_, i) => $", ?{8 + i}"));
        return $"INSERT INTO {LogTables.Of(type)} (device_id, user_name, sync_id, log_date, timestamp, content_hash, data{columns}) " +
            $"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7{values}){Conflict}";
    }

    private sqlite3_stmt Prepare(string sql)
    {
        Check(raw.sqlite3_prepare_v2(_db, sql, out var stmt));
        return stmt;
    }

    private byte[] DateText(DateOnly date)
    {
        if (!_dates.TryGetValue(date, out var text))
        {
            if (_dates.Count > 4096)
            {
                _dates.Clear();
            }

            text = Encoding.UTF8.GetBytes(LogCalendar.Format(date));
            _dates[date] = text;
        }

        return text;
    }

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(_db));
        }
    }
}
