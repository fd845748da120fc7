using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using BatchSync.IntegrationTests.Infrastructure;

namespace BatchSync.IntegrationTests;

/// <summary>
/// Full disks, for real: each test mounts a small tmpfs and fills it. Whatever the disk refuses ends in
/// a retryable 507 (or 503), nothing is half stored, and once space is back the same retries deliver
/// every record exactly once, with the dated files in step with the tables.
/// </summary>
[Trait(Needs.Trait, Needs.Root)]
public sealed class StorageFaultTests : IDisposable
{
    private const long Megabyte = 1024 * 1024;
    private readonly TempFolder _root = new("disk");

    public void Dispose() => _root.Dispose();

    [Fact]
    public async Task LessThanMinFreeSpace_507WithRetryAfterAndNothingStored_SameRetrySucceedsOnceFreed()
    {
        using var disk = new SmallFileSystem(Path.Combine(_root, "data"), 64);
        using var app = new BatchSyncApp(new() { ["BatchSync:Limits:MinFreeDiskMb"] = "16" }, dataDirectory: disk.Path) { KeepDataDirectory = true };
        var client = app.ClientWith(BatchSyncApp.DeviceToken);
        var device = SyncData.NewId("minfree");
        var records = SyncData.Records(40);
        var parts = SyncData.Parts(SyncData.NewId(device), device, records, 20);
        (await client.PostPart(parts[0])).EnsureSuccessStatusCode();

        disk.Fill(leaveFree: 8 * Megabyte);
        var refused = await client.PostPart(parts[1]);
        var ready = await client.GetAsync("/health/ready");

        Assert.Equal(HttpStatusCode.InsufficientStorage, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter?.Delta);
        var body = await refused.Json();
        Assert.True(body.GetProperty("retryable").GetBoolean());
        Assert.Contains("short of storage", body.GetProperty("message").GetString());
        Assert.Empty(StoredLogs.RecordsOf(app.DataDirectory, device));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("unhealthy", (await ready.Json()).GetProperty("checks").GetProperty("free-space").GetString());

        disk.Free();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        var retried = await (await client.PostPart(parts[1])).Json();

        Assert.True(retried.GetProperty("sync_complete").GetBoolean());
        StoredLogs.AssertExactlyOnce(app.DataDirectory, device, records);
        StoredLogs.AssertFilesMatchTables(app.DataDirectory);
    }

    [Fact]
    public async Task DiskFillsDuringWrites_OnlyRetryableRefusals_RetriesAfterwardsStoreEverythingOnce()
    {
        using var disk = new SmallFileSystem(Path.Combine(_root, "data"), 48);
        using var app = new BatchSyncApp(new() { ["BatchSync:Limits:MinFreeDiskMb"] = "0" }, dataDirectory: disk.Path) { KeepDataDirectory = true };
        var client = app.ClientWith(BatchSyncApp.DeviceToken);
        (await client.GetAsync("/health/ready")).EnsureSuccessStatusCode();

        var devices = Enumerable.Range(0, 6).Select(_ => SyncData.NewId("full")).ToList();
        var sent = devices.ToDictionary(d => d, d => SyncData.Records(500, stepMs: 997));
        var pending = devices
            .SelectMany(d => SyncData.Parts(SyncData.NewId(d), d, sent[d], 100))
            .ToList();

        disk.Fill(leaveFree: 96 * 1024);
        var refusals = 0;
        var remaining = new List<string>();
        foreach (var part in pending)
        {
            var response = await client.PostPart(part);
            if (response.StatusCode == HttpStatusCode.OK)
            {
                continue;
            }

            var body = await response.Json();
            Assert.True(
                response.StatusCode is HttpStatusCode.InsufficientStorage or HttpStatusCode.ServiceUnavailable,
                $"{(int)response.StatusCode}: {body}");
            Assert.True(body.GetProperty("retryable").GetBoolean());
            Assert.NotNull(response.Headers.RetryAfter);
            refusals++;
            remaining.Add(part);
        }

        Assert.True(refusals > 0, "the disk never filled: the test proves nothing");

        disk.Free();
        foreach (var part in remaining)
        {
            var response = await client.PostPart(part);
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }

        await Eventually.True(() => StoredLogs.OwedFiles(app.DataDirectory) == 0, TimeSpan.FromSeconds(60), "owed files are rewritten once space is back");
        foreach (var device in devices)
        {
            StoredLogs.AssertExactlyOnce(app.DataDirectory, device, sent[device]);
        }

        StoredLogs.AssertFilesMatchTables(app.DataDirectory);
    }

    [Fact]
    public async Task LogFolderFull_Completion507_ResendAnsweredCompleted_FilesCaughtUpOnceFreed()
    {
        var data = Path.Combine(_root, "data");
        using var logs = new SmallFileSystem(Path.Combine(data, "logs"), 1);
        using var app = new BatchSyncApp([], dataDirectory: data) { KeepDataDirectory = true };
        var client = app.ClientWith(BatchSyncApp.DeviceToken);
        var device = SyncData.NewId("logsfull");
        var records = SyncData.Records(200);
        var parts = SyncData.Parts(SyncData.NewId(device), device, records, 100);
        logs.Fill(leaveFree: 0);

        (await client.PostPart(parts[0])).EnsureSuccessStatusCode();
        var completing = await client.PostPart(parts[1]);

        Assert.Equal(HttpStatusCode.InsufficientStorage, completing.StatusCode);
        StoredLogs.AssertExactlyOnce(app.DataDirectory, device, records);
        var resent = await (await client.PostPart(parts[1])).Json();
        Assert.True(resent.GetProperty("sync_complete").GetBoolean());
        Assert.True(resent.GetProperty("duplicate").GetBoolean());

        logs.Free();
        await Eventually.True(() => StoredLogs.OwedFiles(app.DataDirectory) == 0, TimeSpan.FromSeconds(30), "owed files are rewritten once space is back");
        StoredLogs.AssertExactlyOnce(app.DataDirectory, device, records);
        StoredLogs.AssertFilesMatchTables(app.DataDirectory);
    }
}
