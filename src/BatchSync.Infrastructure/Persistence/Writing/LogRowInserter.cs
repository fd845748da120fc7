using System.Text;
using BatchSync.Application.Sync;
using BatchSync.Domain.Sync;
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
    private readonly sqlite3_stmt _location;
    private readonly sqlite3_stmt _driving;
    private readonly Dictionary<DateOnly, byte[]> _dates = [];

    public LogRowInserter(SqliteConnection connection)
    {
        _db = connection.Handle!;
        _location = Prepare(
            "INSERT INTO location_logs (device_id, user_name, sync_id, log_date, timestamp, content_hash, data, speed, bearing, " +
            "latitude, longitude, accuracy, altitude, battery_level, network_type, provider) " +
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)" + Conflict);
        _driving = Prepare(
            "INSERT INTO driving_logs (device_id, user_name, sync_id, log_date, timestamp, content_hash, data, speed, bearing, " +
            "event_type, latitude, longitude, accuracy) " +
            "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)" + Conflict);
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
        var stmt = prepared.Record.Type == RecordType.Location ? _location : _driving;
        Check(raw.sqlite3_bind_text(stmt, 1, origin.DeviceId));
        Check(raw.sqlite3_bind_text(stmt, 2, origin.UserName));
        Check(raw.sqlite3_bind_text(stmt, 3, origin.SyncId));
        Check(raw.sqlite3_bind_text(stmt, 4, DateText(prepared.LogDate)));
        Check(raw.sqlite3_bind_int64(stmt, 5, prepared.Record.Timestamp));
        Check(raw.sqlite3_bind_int64(stmt, 6, prepared.ContentHash));
        Check(raw.sqlite3_bind_text(stmt, 7, prepared.Json));
        switch (prepared.Record)
        {
            case LocationRecord l:
                Bind(stmt, 8, l.Speed);
                Bind(stmt, 9, l.Bearing);
                Check(raw.sqlite3_bind_double(stmt, 10, l.Latitude));
                Check(raw.sqlite3_bind_double(stmt, 11, l.Longitude));
                Bind(stmt, 12, l.Accuracy);
                Bind(stmt, 13, l.Altitude);
                Bind(stmt, 14, l.BatteryLevel);
                Bind(stmt, 15, l.NetworkType);
                Bind(stmt, 16, l.Provider);
                break;
            case DrivingRecord d:
                Bind(stmt, 8, d.Speed);
                Bind(stmt, 9, d.Bearing);
                Check(raw.sqlite3_bind_text(stmt, 10, d.EventType));
                Bind(stmt, 11, d.Latitude);
                Bind(stmt, 12, d.Longitude);
                Bind(stmt, 13, d.Accuracy);
                break;
            default:
                throw new InvalidOperationException($"Unknown record kind {prepared.Record.GetType().Name}.");
        }

        var rc = raw.sqlite3_step(stmt);
        raw.sqlite3_reset(stmt);
        if (rc != raw.SQLITE_DONE)
        {
            Check(rc);
        }

        return raw.sqlite3_changes(_db) == 1;
    }

    public void Dispose()
    {
        _location.Dispose();
        _driving.Dispose();
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

    private void Bind(sqlite3_stmt stmt, int index, double? value) =>
        Check(value is { } v ? raw.sqlite3_bind_double(stmt, index, v) : raw.sqlite3_bind_null(stmt, index));

    private void Bind(sqlite3_stmt stmt, int index, string? value) =>
        Check(value is not null ? raw.sqlite3_bind_text(stmt, index, value) : raw.sqlite3_bind_null(stmt, index));

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            throw new SqliteException(raw.sqlite3_errmsg(_db).utf8_to_string(), rc, raw.sqlite3_extended_errcode(_db));
        }
    }
}
