using System.Text.Json.Nodes;
using BatchSync.IntegrationTests.Infrastructure;

namespace BatchSync.IntegrationTests;

/// <summary>
/// A sync larger than what a completion carries in memory: its parts are merged as they are read,
/// its rows go in by chunks, its new lines go to disk as they come (on SQLite) or its files are
/// rewritten from the tables, and it is stored exactly once, in order, like a small one.
/// </summary>
public sealed class BigSyncTests : IDisposable
{
    private const int PerPart = 1000;
    private const int Parts = 30;

    private readonly BatchSyncApp _app = new(new()
    {
        ["BatchSync:Limits:MaxBatchSize"] = PerPart.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["BatchSync:Limits:MaxBatchParts"] = "100",
        ["BatchSync:Limits:MaxRequestBodyBytes"] = (16 * 1024 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task PartsOverlappingInTime_SomeSentBefore_SomeTwice_StoredOnceInOrderFilesMatchTables()
    {
        var client = _app.ClientWith(BatchSyncApp.DeviceToken);
        var device = SyncData.NewId("big");
        var records = SyncData.Records(Parts * PerPart, stepMs: 5000);

        // A few of them stored earlier by a sync of their own, in the middle of the big one's days.
        var earlier = records.Skip(15_000).Take(100).ToList();
        await client.PostPart(SyncData.Part(SyncData.NewId(device), device, 1, 1, earlier)).Ok();

        // Every part spans the whole sync (record i in part i % Parts), and part 1 repeats part 2's first record.
        var byPart = Enumerable.Range(0, Parts).Select(p => records.Where((_, i) => i % Parts == p).ToList()).ToList();
        byPart[0][^1] = (JsonObject)byPart[1][0].DeepClone();
        var syncId = SyncData.NewId(device);
        var bodies = byPart.Select((part, i) => SyncData.Part(syncId, device, i + 1, Parts, part)).ToList();
        foreach (var body in bodies.Skip(1).Reverse())
        {
            await client.PostPart(body).Ok();
        }

        var completed = await (await client.PostPart(bodies[0]).Ok()).Json();

        Assert.True(completed.GetProperty("sync_complete").GetBoolean());
        var sent = byPart.SelectMany(p => p).ToList();
        StoredLogs.AssertExactlyOnce(_app.DataDirectory, device, sent);
        StoredLogs.AssertFilesMatchTables(_app.DataDirectory);
        var counted = completed.GetProperty("processing_results").EnumerateObject()
            .Sum(type => type.Value.EnumerateObject().Sum(day => day.Value.GetInt32()));
        Assert.Equal(sent.Count, counted);
        var distinct = sent.Select(r => r.ToJsonString()).Distinct().Count();
        Assert.Equal(distinct - earlier.Count, completed.GetProperty("new_records").GetInt32());
        Assert.Equal(sent.Count - distinct + earlier.Count, completed.GetProperty("already_stored").GetInt32());
    }

    [Fact]
    public async Task LargeCompletion_AfterTheRecordsOfItsFirstDay_AppendedThere_ItsNewDaysWritten_FilesMatchTables()
    {
        var client = _app.ClientWith(BatchSyncApp.DeviceToken);
        var device = SyncData.NewId("append");
        var records = SyncData.Records(26 * PerPart, stepMs: 5000);

        // The first hundred stored by a sync of their own: the big sync's first day has files it comes after.
        var first = records.Take(100).ToList();
        await client.PostPart(SyncData.Part(SyncData.NewId(device), device, 1, 1, first)).Ok();
        var rest = records.Skip(100).ToList();
        var parts = SyncData.Parts(SyncData.NewId(device), device, rest, PerPart);
        foreach (var part in parts.Skip(1))
        {
            await client.PostPart(part).Ok();
        }

        var completed = await (await client.PostPart(parts[0]).Ok()).Json();

        Assert.True(completed.GetProperty("sync_complete").GetBoolean());
        Assert.Equal(rest.Count, completed.GetProperty("new_records").GetInt32());
        StoredLogs.AssertExactlyOnce(_app.DataDirectory, device, records);
        StoredLogs.AssertFilesMatchTables(_app.DataDirectory);
        var spill = Path.Combine(_app.DataDirectory, "spill");
        await Eventually.True(
            () => !Directory.Exists(spill) || !Directory.EnumerateFileSystemEntries(spill).Any(),
            TimeSpan.FromSeconds(10),
            "the completion's spilled lines were left behind");
    }

    [Fact]
    public async Task LargeCompletion_NoSpillFolderToBeHad_CompletesAndItsFilesAreRewrittenFromTheTables()
    {
        var client = _app.ClientWith(BatchSyncApp.DeviceToken);
        var device = SyncData.NewId("nospill");
        var records = SyncData.Records(21 * PerPart, stepMs: 5000);
        var parts = SyncData.Parts(SyncData.NewId(device), device, records, PerPart);
        foreach (var part in parts.Skip(1))
        {
            await client.PostPart(part).Ok();
        }

        // A plain file where the spill folder would go (PostgreSQL spills nothing and completes the same).
        File.WriteAllBytes(Path.Combine(_app.DataDirectory, "spill"), []);
        var completed = await (await client.PostPart(parts[0]).Ok()).Json();

        Assert.True(completed.GetProperty("sync_complete").GetBoolean());
        Assert.Equal(records.Count, completed.GetProperty("new_records").GetInt32());
        StoredLogs.AssertExactlyOnce(_app.DataDirectory, device, records);
        StoredLogs.AssertFilesMatchTables(_app.DataDirectory);
    }

    [Fact]
    public async Task DamagedStagedPart_ItsCompletionFails_NothingStored_TheSyncStaysOpen()
    {
        var client = _app.ClientWith(BatchSyncApp.DeviceToken);
        var device = SyncData.NewId("damaged");
        var syncId = SyncData.NewId(device);
        var parts = SyncData.Parts(syncId, device, SyncData.Records(3 * PerPart, stepMs: 5000), PerPart);
        foreach (var part in parts.Skip(1))
        {
            await client.PostPart(part).Ok();
        }

        // One staged part damaged where it lies.
        using (var db = WritableDatabase())
        {
            using var damage = TestStorage.Command(
                db, "UPDATE batch_parts SET payload = @p WHERE sync_id = @s AND part_number = 3", ("@p", new byte[] { 0xFF, 1, 2, 3, 4, 5 }), ("@s", syncId));
            Assert.Equal(1, damage.ExecuteNonQuery());
        }

        var response = await client.PostPart(parts[0]);

        Assert.Equal(System.Net.HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("error", (await response.Json()).GetProperty("status").GetString());
        Assert.Empty(StoredLogs.RecordsOf(_app.DataDirectory, device));
        Assert.Equal("Open", _app.Scalar<string>("SELECT status FROM sync_sessions WHERE sync_id = @p", syncId));
        Assert.Equal(2L, _app.Scalar<long>("SELECT COUNT(*) FROM batch_parts WHERE sync_id = @p AND payload IS NOT NULL", syncId));
    }

    /// <summary>The server's database opened for writing beside it (the tests' own connection to a SQLite file is read-only).</summary>
    private System.Data.Common.DbConnection WritableDatabase()
    {
        if (TestStorage.IsPostgreSql)
        {
            return _app.OpenDatabase();
        }

        var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={Path.Combine(_app.DataDirectory, "batchsync.db")};Pooling=False");
        db.Open();
        return db;
    }
}
