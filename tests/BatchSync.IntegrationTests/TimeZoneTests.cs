using System.Text.Json;
using BatchSync.IntegrationTests.Infrastructure;

namespace BatchSync.IntegrationTests;

public class TimeZoneTests
{
    [Fact]
    public async Task LogTimeZone_DecidesLogDateTablesAndFiles()
    {
        using var app = new BatchSyncApp(new() { ["BatchSync:LogTimeZone"] = "Asia/Jerusalem" });
        var device = SyncData.NewId("tz");
        // 2023-09-07T21:50:56Z is 2023-09-08 00:50:56 in Jerusalem.
        var part = SyncData.Part(SyncData.NewId(device), device, 1, 1, [SyncData.Location(SyncData.Start)]);

        var response = await app.ClientWith(BatchSyncApp.DeviceToken).PostPart(part);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var body = await response.Json();

        Assert.Equal(1, body.GetProperty("processing_results").GetProperty("location").GetProperty("2023-09-08").GetInt32());
        Assert.True(File.Exists(app.LogFile("location", "2023-09-08", device)));
        Assert.Equal("2023-09-08", app.Scalar<string>("SELECT CAST(log_date AS TEXT) FROM location_logs WHERE device_id = @p", device));
    }
}
