using BatchSync.Application.Sync;
using BatchSync.Domain.Sync;
using Microsoft.Data.Sqlite;

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
}
