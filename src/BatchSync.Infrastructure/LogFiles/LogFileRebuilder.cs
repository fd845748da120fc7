using BatchSync.Application.Sync;
using BatchSync.Domain.Sync;
using BatchSync.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace BatchSync.Infrastructure.LogFiles;

/// <summary>
/// Rewrites one dated log file from its log table, in the table's order, into a temporary file that
/// then replaces it whole, so a reader never meets a half-written file. The file writer and its retry
/// rewrite on a read connection of their own; start-up catch-up and <c>rebuild-logs</c> on theirs.
/// </summary>
internal sealed class LogFileRebuilder(LogFilePaths paths, LogCalendar calendar, string connectionString)
{
    /// <summary>A rewrite on a pooled read connection of its own, opened for it and returned after.</summary>
    public void Rebuild(RecordType type, string deviceId, DateOnly date, long upToRowId)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        Rebuild(connection, paths, calendar, type, deviceId, date, upToRowId);
    }

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
        // Straight from SQLite's UTF-8 to the file: through ADO.NET each line was decoded into a string
        // and encoded back: a quarter of the time of rewriting a million rows.
        var db = connection.Handle!;
        // On the handle, SQLite waits out a busy database itself, as ADO.NET's commands retry for 30 s.
        SqliteResult.Check(db, raw.sqlite3_busy_timeout(db, 30_000));
        SqliteResult.Check(db, raw.sqlite3_prepare_v2(
            db,
            $"SELECT data FROM {LogTables.Of(type)} WHERE device_id = ?1 AND timestamp >= ?2 AND timestamp < ?3 AND id <= ?4 ORDER BY timestamp, id",
            out var select));
        using (select)
        {
            SqliteResult.Check(db, raw.sqlite3_bind_text(select, 1, deviceId));
            SqliteResult.Check(db, raw.sqlite3_bind_int64(select, 2, start));
            SqliteResult.Check(db, raw.sqlite3_bind_int64(select, 3, end));
            SqliteResult.Check(db, raw.sqlite3_bind_int64(select, 4, upToRowId));
            using var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024);
            var written = 0;
            int rc;
            while ((rc = raw.sqlite3_step(select)) == raw.SQLITE_ROW)
            {
                file.Write(raw.sqlite3_column_blob(select, 0));
                file.WriteByte((byte)'\n');
                if (++written == 2 && CrashPoints.Armed)
                {
                    CrashPoints.Reach(CrashPoints.FileRewriteHalfway, file.Flush);
                }
            }

            if (rc != raw.SQLITE_DONE)
            {
                SqliteResult.Check(db, rc);
            }

            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
