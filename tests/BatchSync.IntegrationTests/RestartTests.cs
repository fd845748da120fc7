using BatchSync.IntegrationTests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace BatchSync.IntegrationTests;

/// <summary>What a server finds when it starts on a data folder another process left behind.</summary>
public class RestartTests
{
    [Fact]
    public async Task Start_FileStillOwedInTheOutbox_RewrittenFromTheTables()
    {
        var device = SyncData.NewId("restart");
        var records = SyncData.Records(20);
        string path;
        string folder;
        using (var first = new BatchSyncApp { KeepDataDirectory = true })
        {
            var client = first.ClientWith(BatchSyncApp.DeviceToken);
            foreach (var part in SyncData.Parts(SyncData.NewId(device), device, records, 10))
            {
                (await client.PostPart(part)).EnsureSuccessStatusCode();
            }

            path = first.LogFile("location", SyncData.Date(SyncData.Start), device);
            folder = first.DataDirectory;
        }

        // As if the process died half-way through an append: a torn line, the outbox row not yet deleted.
        var expected = File.ReadAllText(path);
        File.AppendAllText(path, "{\"type\":\"location\",\"timesta");
        using (var db = new SqliteConnection($"Data Source={Path.Combine(folder, "batchsync.db")};Pooling=False"))
        {
            db.Open();
            using var owe = db.CreateCommand();
            owe.CommandText = "INSERT INTO log_file_outbox (log_type, device_id, log_date) VALUES ('location', $d, $date)";
            owe.Parameters.AddWithValue("$d", device);
            owe.Parameters.AddWithValue("$date", SyncData.Date(SyncData.Start));
            owe.ExecuteNonQuery();
        }

        using var second = new BatchSyncApp([], dataDirectory: folder);
        var health = await second.ClientWith(null).GetAsync("/health/ready");

        health.EnsureSuccessStatusCode();
        Assert.Equal(expected, File.ReadAllText(path));
        using var check = second.OpenDatabase();
        using var count = check.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM log_file_outbox";
        Assert.Equal(0L, count.ExecuteScalar());
    }

    [Fact]
    public async Task Start_SyncHalfUploaded_LastPartAfterTheRestartCompletesItFromStagedParts()
    {
        var device = SyncData.NewId("survivor");
        var syncId = SyncData.NewId(device);
        var records = SyncData.Records(30);
        var parts = SyncData.Parts(syncId, device, records, 10);
        string folder;
        using (var first = new BatchSyncApp { KeepDataDirectory = true })
        {
            var client = first.ClientWith(BatchSyncApp.DeviceToken);
            (await client.PostPart(parts[2])).EnsureSuccessStatusCode();
            (await client.PostPart(parts[0])).EnsureSuccessStatusCode();
            folder = first.DataDirectory;
        }

        using var second = new BatchSyncApp([], dataDirectory: folder);
        var last = await (await second.ClientWith(BatchSyncApp.DeviceToken).PostPart(parts[1])).Json();

        Assert.True(last.GetProperty("sync_complete").GetBoolean());
        var stored = second.Column<long>("SELECT timestamp FROM location_logs WHERE device_id = @p ORDER BY id", device);
        Assert.Equal(records.Where(r => (string)r["type"]! == "location").Select(r => (long)r["timestamp"]!), stored);
    }
}
