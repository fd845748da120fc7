using System.Globalization;
using BatchSync.Application.Sync;
using BatchSync.Domain.Sync;
using BatchSync.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;

namespace BatchSync.Infrastructure.LogFiles;

/// <summary>
/// The dated log files made to say what the tables say, with the writer stopped: the files a crash
/// left owed (at every start), or every file (the <c>rebuild-logs</c> command).
/// </summary>
internal static class LogFileCatchUp
{
    /// <summary>Rewrites every file the outbox says is owed, then forgets those rows. Returns how many files.</summary>
    public static int RewriteOwed(SqliteConnection connection, SqliteDatabase database, LogCalendar calendar)
    {
        var owed = new List<(long Id, string Type, string Device, string Date)>();
        using (var select = connection.CreateCommand())
        {
            select.CommandText = "SELECT id, log_type, device_id, log_date FROM log_file_outbox ORDER BY id";
            using var rows = select.ExecuteReader();
            while (rows.Read())
            {
                owed.Add((rows.GetInt64(0), rows.GetString(1), rows.GetString(2), rows.GetString(3)));
            }
        }

        var files = owed.DistinctBy(o => (o.Type, o.Device, o.Date)).ToList();
        foreach (var file in files)
        {
            if (RecordTypes.TryParse(file.Type, out var type))
            {
                LogFileRebuilder.Rebuild(connection, database.LogFilePaths, calendar, type, file.Device, ParseDate(file.Date));
            }
        }

        if (owed.Count > 0)
        {
            using var delete = connection.CreateCommand();
            delete.CommandText = "DELETE FROM log_file_outbox WHERE id <= $last";
            delete.Parameters.AddWithValue("$last", owed[^1].Id);
            delete.ExecuteNonQuery();
        }

        return files.Count;
    }

    /// <summary>
    /// Rewrites every dated file from the tables, deletes log files no row backs (and temporary files
    /// an interrupted rewrite left), and clears the outbox.
    /// </summary>
    public static (int Files, int Removed) RebuildAll(SqliteConnection connection, SqliteDatabase database, LogCalendar calendar)
    {
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in Enum.GetValues<RecordType>())
        {
            var files = new List<(string Device, DateOnly Date)>();
            using (var select = connection.CreateCommand())
            {
                select.CommandText = $"SELECT DISTINCT device_id, log_date FROM {LogTables.Of(type)} ORDER BY device_id, log_date";
                using var rows = select.ExecuteReader();
                while (rows.Read())
                {
                    files.Add((rows.GetString(0), ParseDate(rows.GetString(1))));
                }
            }

            foreach (var (device, date) in files)
            {
                LogFileRebuilder.Rebuild(connection, database.LogFilePaths, calendar, type, device, date);
                written.Add(database.LogFilePaths.Of(type, date, device));
            }
        }

        var removed = 0;
        var root = Path.Combine(database.DataDirectory, "logs");
        if (Directory.Exists(root))
        {
            foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            {
                if (!written.Contains(file) && (file.EndsWith(".jsonl", StringComparison.Ordinal) || file.EndsWith(".jsonl.tmp", StringComparison.Ordinal)))
                {
                    File.Delete(file);
                    removed++;
                }
            }
        }

        using (var clear = connection.CreateCommand())
        {
            clear.CommandText = "DELETE FROM log_file_outbox";
            clear.ExecuteNonQuery();
        }

        return (written.Count, removed);
    }

    private static DateOnly ParseDate(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
}
