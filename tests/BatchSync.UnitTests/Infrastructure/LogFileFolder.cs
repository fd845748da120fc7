using BatchSync.Application.Sync;
using BatchSync.Domain.Sync;
using BatchSync.Infrastructure.LogFiles;
using Microsoft.Data.Sqlite;

namespace BatchSync.UnitTests.Infrastructure;

/// <summary>
/// A data folder for the dated log file tests: a SQLite file holding two location rows of one device's
/// day, and a log folder that can be blocked (a plain file where the folder should be).
/// </summary>
internal sealed class LogFileFolder : IDisposable
{
    public const string DeviceId = "device-1";
    public static readonly DateOnly Day = new(2026, 3, 1);
    public static readonly string[] Lines = ["{\"n\":1}", "{\"n\":2}"];

    private readonly string _root = Directory.CreateTempSubdirectory("batchsync-logfiles-").FullName;

    public LogFileFolder()
    {
        ConnectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(_root, "batchsync.db") }.ToString();
        Paths = new LogFilePaths(_root);
        using var connection = new SqliteConnection(ConnectionString);
        connection.Open();
        using var create = connection.CreateCommand();
        create.CommandText =
            "CREATE TABLE location_logs (id INTEGER PRIMARY KEY, device_id TEXT NOT NULL, timestamp INTEGER NOT NULL, data TEXT NOT NULL);" +
            "INSERT INTO location_logs (device_id, timestamp, data) VALUES ($device, $at, $first), ($device, $at + 1000, $second);";
        create.Parameters.AddWithValue("$device", DeviceId);
        create.Parameters.AddWithValue("$at", Calendar.Day(Day).Start + 3_600_000);
        create.Parameters.AddWithValue("$first", Lines[0]);
        create.Parameters.AddWithValue("$second", Lines[1]);
        create.ExecuteNonQuery();
    }

    public string ConnectionString { get; }

    public LogFilePaths Paths { get; }

    public LogCalendar Calendar { get; } = new(TimeZoneInfo.Utc);

    public string FilePath => Paths.Of(RecordType.Location, Day, DeviceId);

    private string LogFolder => Path.Combine(_root, "logs");

    /// <summary>The day's file, owed a rewrite from the table (both rows).</summary>
    public static LogFileChange Rewrite(long outboxId) =>
        new(RecordType.Location, DeviceId, Day, appendLines: null, fileHadRecords: true, upToRowId: 2, outboxId);

    public void BlockLogs() => File.WriteAllBytes(LogFolder, []);

    public void UnblockLogs() => File.Delete(LogFolder);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_root, recursive: true);
    }
}
