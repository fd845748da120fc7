#if POSTGRESQL
using System.Globalization;
using System.Text.Json.Nodes;
using BatchSync.IntegrationTests.Infrastructure;

namespace BatchSync.IntegrationTests;

/// <summary>
/// Completions whose rows go in by binary COPY (every chunk, here): records longer than the copy's buffer,
/// text beyond ASCII and with escapes, both record types, into a device with nothing stored in the range
/// (straight into the tables) and with some of it stored (through staging). Each is stored once, byte for
/// byte as its line in the dated file.
/// </summary>
public sealed class PostgresCopyTests : IDisposable
{
    private readonly BatchSyncApp _app = new(new()
    {
        ["BatchSync:Storage:CopyFromRecords"] = "1",
        ["BatchSync:Limits:MaxBatchSize"] = "100",
        ["BatchSync:Limits:MaxRecordBytes"] = (256 * 1024).ToString(CultureInfo.InvariantCulture),
        ["BatchSync:Limits:MaxRequestBodyBytes"] = (16 * 1024 * 1024).ToString(CultureInfo.InvariantCulture),
    });

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task LongAndNonAsciiRecords_ByCopy_IntoAnEmptyRangeAndThroughStaging_StoredOnceAsTheirLines()
    {
        var client = _app.ClientWith(BatchSyncApp.DeviceToken);
        var device = SyncData.NewId("copy");
        var records = SyncData.Records(120, stepMs: 60_000);
        for (var i = 0; i < records.Count; i += 7)
        {
            // Past the copy's 64 KiB buffer, so it grows for the row; and text that is not ASCII, with escapes.
            records[i]["note"] = new string('x', 70_000 + i) + "é漢字\"\\\n\u0001";
        }

        records[3]["place"] = "Tel Aviv–Yafo 🚗";

        // A few of them stored before, so the second completion's chunk goes through staging.
        var earlier = records.Skip(40).Take(5).ToList();
        await client.PostPart(SyncData.Part(SyncData.NewId(device), device, 1, 1, earlier)).Ok();

        var syncId = SyncData.NewId(device);
        var parts = SyncData.Parts(syncId, device, records, perPart: 40);
        foreach (var part in parts.Skip(1))
        {
            await client.PostPart(part).Ok();
        }

        var completed = await (await client.PostPart(parts[0]).Ok()).Json();

        Assert.True(completed.GetProperty("sync_complete").GetBoolean());
        Assert.Equal(records.Count - earlier.Count, completed.GetProperty("new_records").GetInt32());
        Assert.Equal(earlier.Count, completed.GetProperty("already_stored").GetInt32());
        StoredLogs.AssertExactlyOnce(_app.DataDirectory, device, records);
        StoredLogs.AssertFilesMatchTables(_app.DataDirectory);
        var notes = _app.Column<string>("SELECT data FROM location_logs WHERE device_id = @p AND data LIKE '%note%'", device)
            .Concat(_app.Column<string>("SELECT data FROM driving_logs WHERE device_id = @p AND data LIKE '%note%'", device))
            .Select(data => JsonNode.Parse(data)!["note"]!.GetValue<string>())
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(records.Where(r => r["note"] is not null).Select(r => r["note"]!.GetValue<string>()).Order(StringComparer.Ordinal), notes);
        Assert.Equal("Tel Aviv–Yafo 🚗", JsonNode.Parse(_app.Column<string>(
            "SELECT data FROM location_logs WHERE device_id = @p AND data LIKE '%place%'", device).Single())!["place"]!.GetValue<string>());
    }
}
#endif
