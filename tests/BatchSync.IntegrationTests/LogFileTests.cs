using System.Net;
using System.Text.Json;
using BatchSync.IntegrationTests.Infrastructure;

namespace BatchSync.IntegrationTests;

public class LogFileTests(BatchSyncApp app) : IClassFixture<BatchSyncApp>
{
    private readonly HttpClient _client = app.ClientWith(BatchSyncApp.DeviceToken);

    [Fact]
    public async Task Completion_WritesDatedFilesMatchingTheTables()
    {
        var device = SyncData.NewId("files");
        var records = SyncData.Records(60, stepMs: 3_600_000); // crosses dates
        await Sync(device, records);

        foreach (var type in (string[])["location", "driving"])
        {
            var table = type == "location" ? "location_logs" : "driving_logs";
            var fromTable = Rows($"SELECT CAST(log_date AS TEXT), data FROM {table} WHERE device_id = @p ORDER BY timestamp, id", device);
            var dates = fromTable.Select(r => r.Date).Distinct().ToList();
            Assert.NotEmpty(dates);
            foreach (var date in dates)
            {
                var lines = File.ReadAllLines(app.LogFile(type, date, device));
                Assert.Equal(fromTable.Where(r => r.Date == date).Select(r => r.Data), lines);
            }
        }
    }

    [Fact]
    public async Task LaterSyncWithOlderRecords_FileRewrittenInOrderWithoutDuplicates()
    {
        var device = SyncData.NewId("older");
        var all = SyncData.Records(90, stepMs: 10_000).Where(r => (string)r["type"]! == "location").ToList();
        var newer = all.Where((_, i) => i % 2 == 0).ToList();
        var older = all.Where((_, i) => i % 2 == 1).ToList();

        await Sync(device, newer);
        await Sync(device, older.Concat(newer.Take(5)).ToList()); // interleaved, and partly already stored

        var lines = File.ReadAllLines(app.LogFile("location", SyncData.Date(SyncData.Start), device));
        var timestamps = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("timestamp").GetInt64()).ToList();
        Assert.Equal(all.Count, lines.Length);
        Assert.Equal(all.Select(r => (long)r["timestamp"]!), timestamps);
        Assert.Equal(lines.Length, lines.Distinct().Count());
    }

    [Fact]
    public async Task LaterSyncWithNewerRecords_Appended()
    {
        var device = SyncData.NewId("append");
        var first = SyncData.Records(20);
        var second = SyncData.Records(20, SyncData.Start + 100_000);
        await Sync(device, first);
        var path = app.LogFile("location", SyncData.Date(SyncData.Start), device);
        var before = File.ReadAllText(path);

        await Sync(device, second);

        var after = File.ReadAllText(path);
        Assert.StartsWith(before, after, StringComparison.Ordinal);
        Assert.Equal(36, after.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public async Task FileDeleted_NextCompletionRewritesItWhole()
    {
        var device = SyncData.NewId("lost");
        await Sync(device, SyncData.Records(10));
        var path = app.LogFile("location", SyncData.Date(SyncData.Start), device);
        File.Delete(path);

        await Sync(device, SyncData.Records(10, SyncData.Start + 60_000));

        Assert.Equal(18, File.ReadAllLines(path).Length);
    }

    [Fact]
    public async Task FileLines_AreTheRecordsAsSentWithUnknownFieldsKept()
    {
        var device = SyncData.NewId("extra");
        var record = SyncData.Location(SyncData.Start);
        record["app_version"] = "3.2.1";
        record["sensors"] = new System.Text.Json.Nodes.JsonObject { ["gyro"] = true };
        await Sync(device, [record]);

        var line = Assert.Single(File.ReadAllLines(app.LogFile("location", SyncData.Date(SyncData.Start), device)));
        var parsed = JsonDocument.Parse(line).RootElement;
        Assert.Equal("3.2.1", parsed.GetProperty("app_version").GetString());
        Assert.True(parsed.GetProperty("sensors").GetProperty("gyro").GetBoolean());
        Assert.StartsWith("{\"type\":\"location\",\"timestamp\":", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FileCannotBeWritten_RetryableAnswerResendCompleted_FileRewrittenOnceWritable()
    {
        var device = SyncData.NewId("blocked");
        var path = app.LogFile("location", SyncData.Date(SyncData.Start), device);
        Directory.CreateDirectory(path); // a folder where the file should be: every write to it fails
        var syncId = SyncData.NewId(device);
        var parts = SyncData.Parts(syncId, device, SyncData.Records(10), 5);

        (await _client.PostPart(parts[0])).EnsureSuccessStatusCode();
        var failed = await _client.PostPart(parts[1]);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);
        Assert.True((await failed.Json()).GetProperty("retryable").GetBoolean());
        Assert.NotNull(failed.Headers.RetryAfter);
        Assert.Equal(9L, app.Scalar<long>("SELECT COUNT(*) FROM location_logs WHERE device_id = @p", device));
        Assert.Equal(1L, app.Scalar<long>("SELECT COUNT(*) FROM log_file_outbox WHERE device_id = @p AND log_type = 'location'", device));

        var resent = await (await _client.PostPart(parts[1])).Json();
        Assert.True(resent.GetProperty("sync_complete").GetBoolean());
        Assert.True(resent.GetProperty("duplicate").GetBoolean());

        Directory.Delete(path);
        await Eventually.True(
            () => File.Exists(path) &&
                  app.Scalar<long>("SELECT COUNT(*) FROM log_file_outbox WHERE device_id = @p", device) == 0,
            TimeSpan.FromSeconds(20));
        Assert.Equal(app.Column<string>("SELECT data FROM location_logs WHERE device_id = @p ORDER BY timestamp, id", device), File.ReadAllLines(path));

        await Sync(device, SyncData.Records(10, SyncData.Start + 60_000));
        var lines = File.ReadAllLines(path);
        Assert.Equal(18, lines.Length);
        Assert.Equal(app.Column<string>("SELECT data FROM location_logs WHERE device_id = @p ORDER BY timestamp, id", device), lines);
    }

    private async Task Sync(string device, IReadOnlyList<System.Text.Json.Nodes.JsonObject> records)
    {
        var syncId = SyncData.NewId(device);
        JsonElement last = default;
        foreach (var part in SyncData.Parts(syncId, device, records, 10))
        {
            var response = await _client.PostPart(part);
            response.EnsureSuccessStatusCode();
            last = await response.Json();
        }

        Assert.True(last.GetProperty("sync_complete").GetBoolean());
    }

    private List<(string Date, string Data)> Rows(string sql, string device)
    {
        using var db = app.OpenDatabase();
        using var command = TestStorage.Command(db, sql, ("@p", device));
        using var reader = command.ExecuteReader();
        var rows = new List<(string, string)>();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), reader.GetString(1)));
        }

        return rows;
    }
}
