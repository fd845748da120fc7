using System.Runtime.InteropServices;
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
internal sealed partial class LogRowInserter : IDisposable
{
    private const string Conflict = " ON CONFLICT (device_id, timestamp, content_hash) DO NOTHING";

    private readonly sqlite3 _db;
    private readonly IntPtr _dbHandle;
    private readonly sqlite3_stmt[] _inserts;
    private readonly IntPtr[] _insertHandles;
    private readonly Dictionary<DateOnly, byte[]> _dates = [];

    // An empty value is bound from here: a fixed empty array is a null pointer, which SQLite reads as NULL.
    private static readonly unsafe byte* EmptyText = (byte*)NativeMemory.AllocZeroed(1);

    public LogRowInserter(SqliteConnection connection)
    {
        _db = connection.Handle!;
        _dbHandle = _db.DangerousGetHandle();
        _inserts = [.. Enum.GetValues<RecordType>().Select(type => Prepare(InsertSql(type)))];
        _insertHandles = [.. _inserts.Select(insert => insert.DangerousGetHandle())];
    }

    /// <summary>UTF-8 of the values every row of one sync shares.</summary>
    public sealed record Origin(byte[] DeviceId, byte[] UserName, byte[] SyncId)
    {
        public static Origin Of(SyncSession session) =>
            new(Encoding.UTF8.GetBytes(session.DeviceId), Encoding.UTF8.GetBytes(session.UserName), Encoding.UTF8.GetBytes(session.SyncId));
    }

    /// <summary>
    /// Inserts the row; false when the device's log already held the record. The calls go to SQLite on the
    /// raw handles, which this inserter and its connection keep alive: through SQLitePCL each one took and
    /// released a safe handle, a tenth of a big completion's time.
    /// </summary>
    public unsafe bool Insert(Origin origin, PreparedRecord prepared)
    {
        var stmt = _insertHandles[(int)prepared.Type];
        var date = DateText(prepared.LogDate);
        int rc;
        fixed (byte* device = origin.DeviceId, user = origin.UserName, sync = origin.SyncId, day = date, json = prepared.Json)
        {
            // The longest values are bound where they lie (pinned until the step is done), not copied.
            Check(BindInPlace(stmt, 1, device, origin.DeviceId.Length));
            Check(BindInPlace(stmt, 2, user, origin.UserName.Length));
            Check(BindInPlace(stmt, 3, sync, origin.SyncId.Length));
            Check(BindInPlace(stmt, 4, day, date.Length));
            Check(NativeMethods.BindInt64(stmt, 5, prepared.Timestamp));
            Check(NativeMethods.BindInt64(stmt, 6, prepared.ContentHash));
            Check(BindInPlace(stmt, 7, json, prepared.Json.Length));
            rc = NativeMethods.Step(stmt);
            _ = NativeMethods.Reset(stmt);
        }

        if (rc != raw.SQLITE_DONE)
        {
            Check(rc);
        }

        return NativeMethods.Changes(_dbHandle) == 1;
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

    /// <summary>Where the record came from, its date, its identity and its canonical JSON.</summary>
    private static string InsertSql(RecordType type) =>
        $"INSERT INTO {LogTables.Of(type)} (device_id, user_name, sync_id, log_date, timestamp, content_hash, data) " +
        $"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7){Conflict}";

    /// <summary>
    /// Binds UTF-8 without SQLite copying it (SQLITE_STATIC): the bytes must stay where they are until the
    /// statement has stepped. Every insert binds all its values again, so none is read after its step.
    /// </summary>
    private static unsafe int BindInPlace(IntPtr stmt, int index, byte* text, int length) =>
        NativeMethods.BindText(stmt, index, length == 0 ? EmptyText : text, length, IntPtr.Zero);

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

    private void Check(int rc) => SqliteResult.Check(_db, rc);

    private static unsafe partial class NativeMethods
    {
        // The SQLite library the ADO.NET provider loads, called on raw handles.
        private const string Library = "e_sqlite3";

        /// <summary><c>sqlite3_bind_text</c> with a destructor of our choosing.</summary>
        [LibraryImport(Library, EntryPoint = "sqlite3_bind_text")]
        internal static partial int BindText(IntPtr statement, int index, byte* text, int length, IntPtr destructor);

        [LibraryImport(Library, EntryPoint = "sqlite3_bind_int64")]
        internal static partial int BindInt64(IntPtr statement, int index, long value);

        [LibraryImport(Library, EntryPoint = "sqlite3_step")]
        internal static partial int Step(IntPtr statement);

        [LibraryImport(Library, EntryPoint = "sqlite3_reset")]
        internal static partial int Reset(IntPtr statement);

        [LibraryImport(Library, EntryPoint = "sqlite3_changes")]
        internal static partial int Changes(IntPtr db);
    }
}
