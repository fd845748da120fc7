using System.Net;
using System.Text.Json;
using BatchSync.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BatchSync.IntegrationTests;

/// <summary>Session retention on a clock the test moves: stale syncs expire, old finished ones are forgotten.</summary>
public sealed class RetentionTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly BatchSyncApp _app;
    private readonly HttpClient _client;

    public RetentionTests()
    {
        _app = new BatchSyncApp(
            new() { ["BatchSync:Limits:TempRetentionHours"] = "24", ["BatchSync:Limits:CompletedRetentionDays"] = "30" },
            services => services.AddSingleton<TimeProvider>(_time));
        _client = _app.ClientWith(BatchSyncApp.DeviceToken);
    }

    public void Dispose() => _app.Dispose();

    private async Task<JsonElement> Session(string syncId) =>
        await (await _client.GetAsync($"/api/v1/sync-sessions/{syncId}")).Json();

    private async Task<string?> StatusOf(string syncId)
    {
        var response = await _client.GetAsync($"/api/v1/sync-sessions/{syncId}");
        return response.StatusCode == HttpStatusCode.NotFound ? null : (await response.Json()).GetProperty("sync_status").GetString();
    }

    [Fact]
    public async Task UntouchedSync_ExpiresWithItsParts_ALaterPartStartsItAfreshAndItCompletes()
    {
        var device = SyncData.NewId("stale");
        var stale = SyncData.NewId(device);
        var staleParts = SyncData.Parts(stale, device, SyncData.Records(30), 10);
        var busy = SyncData.NewId(device);
        var busyParts = SyncData.Parts(busy, device, SyncData.Records(30, SyncData.Start + 3_600_000), 10);
        await _client.PostPart(staleParts[0]).Ok();
        await _client.PostPart(staleParts[2]).Ok();
        await _client.PostPart(busyParts[0]).Ok();

        _time.Advance(TimeSpan.FromHours(23));
        await _client.PostPart(busyParts[1]).Ok();
        _time.Advance(TimeSpan.FromHours(2));

        await Eventually.True(async () => await StatusOf(stale) == "expired", TimeSpan.FromSeconds(10), "the sweep runs on the moved clock");
        var expired = await Session(stale);
        Assert.Equal([1, 2, 3], expired.GetProperty("missing_parts").EnumerateArray().Select(p => p.GetInt32()));
        Assert.Equal(0, expired.GetProperty("parts").GetArrayLength());
        Assert.Equal(0L, _app.Scalar<long>("SELECT COUNT(*) FROM batch_parts WHERE sync_id = @p", stale));
        Assert.Equal("open", await StatusOf(busy));
        await Eventually.True(
            () => _app.Scalar<long>("SELECT COUNT(*) FROM audit_events WHERE outcome = 'expired' AND sync_id = @p", stale) == 1,
            TimeSpan.FromSeconds(10),
            "the expiry is audited");

        var restarted = await (await _client.PostPart(staleParts[1])).Json();
        Assert.Equal("Batch part received", restarted.GetProperty("message").GetString());
        var reopened = await Session(stale);
        Assert.Equal("open", reopened.GetProperty("sync_status").GetString());
        Assert.Equal([1, 3], reopened.GetProperty("missing_parts").EnumerateArray().Select(p => p.GetInt32()));

        await _client.PostPart(staleParts[0]).Ok();
        var done = await (await _client.PostPart(staleParts[2])).Json();
        Assert.True(done.GetProperty("sync_complete").GetBoolean());
        Assert.Equal(27L, _app.Scalar<long>("SELECT COUNT(*) FROM location_logs WHERE sync_id = @p", stale));
    }

    [Fact]
    public async Task CompletedSync_AnsweredForTheRetention_ThenForgottenWithItsRecordsKept()
    {
        var device = SyncData.NewId("done");
        var syncId = SyncData.NewId(device);
        var parts = SyncData.Parts(syncId, device, SyncData.Records(20), 10);
        foreach (var part in parts)
        {
            await _client.PostPart(part).Ok();
        }

        _time.Advance(TimeSpan.FromDays(29));
        var resent = await (await _client.PostPart(parts[0])).Json();
        Assert.True(resent.GetProperty("sync_complete").GetBoolean());
        Assert.True(resent.GetProperty("duplicate").GetBoolean());

        _time.Advance(TimeSpan.FromDays(2));
        await Eventually.True(async () => await StatusOf(syncId) is null, TimeSpan.FromSeconds(10), "the sweep forgets the session");
        Assert.Equal(0L, _app.Scalar<long>("SELECT COUNT(*) FROM batch_parts WHERE sync_id = @p", syncId));
        Assert.Equal(18L, _app.Scalar<long>("SELECT COUNT(*) FROM location_logs WHERE device_id = @p", device));

        // Sent again after that, the sync is a new session whose records are all known: none is stored twice.
        foreach (var part in parts)
        {
            await _client.PostPart(part).Ok();
        }

        Assert.Equal("completed", await StatusOf(syncId));
        Assert.Equal(18L, _app.Scalar<long>("SELECT COUNT(*) FROM location_logs WHERE device_id = @p", device));
    }
}
