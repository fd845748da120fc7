using System.Net;
using BatchSync.IntegrationTests.Infrastructure;

namespace BatchSync.IntegrationTests;

public class LimitTests
{
    private static async Task AssertTooMany(HttpResponseMessage response, string message)
    {
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter?.Delta);
        var body = await response.Json();
        Assert.True(body.GetProperty("retryable").GetBoolean());
        Assert.Contains(message, body.GetProperty("message").GetString());
    }

    [Fact]
    public async Task MaxSyncSessions_NewSyncRefused429_PartsOfOpenSyncsStillGoThrough()
    {
        using var app = new BatchSyncApp(new() { ["BatchSync:Limits:MaxSyncSessions"] = "2" });
        var client = app.ClientWith(BatchSyncApp.DeviceToken);
        var syncs = Enumerable.Range(0, 3)
            .Select(_ => SyncData.NewId("cap"))
            .Select(device => SyncData.Parts(SyncData.NewId(device), device, SyncData.Records(4), 2))
            .ToList();
        (await client.PostPart(syncs[0][0])).EnsureSuccessStatusCode();
        (await client.PostPart(syncs[1][0])).EnsureSuccessStatusCode();

        await AssertTooMany(await client.PostPart(syncs[2][0]), "as many syncs open");
        var completed = await client.PostPart(syncs[0][1]);
        var admitted = await client.PostPart(syncs[2][0]);

        Assert.True((await completed.Json()).GetProperty("sync_complete").GetBoolean());
        Assert.Equal(HttpStatusCode.OK, admitted.StatusCode);
    }

    [Fact]
    public async Task MaxOpenSyncsPerDevice_ThatDeviceWaits_OthersDoNot()
    {
        using var app = new BatchSyncApp(new() { ["BatchSync:Limits:MaxOpenSyncsPerDevice"] = "1" });
        var client = app.ClientWith(BatchSyncApp.DeviceToken);
        var noisy = SyncData.NewId("noisy");
        var quiet = SyncData.NewId("quiet");
        (await client.PostPart(SyncData.Part(SyncData.NewId(noisy), noisy, 1, 2, SyncData.Records(2)))).EnsureSuccessStatusCode();

        await AssertTooMany(await client.PostPart(SyncData.Part(SyncData.NewId(noisy), noisy, 1, 2, SyncData.Records(2))), $"Device {noisy} already has 1 syncs open");
        Assert.Equal(HttpStatusCode.OK, (await client.PostPart(SyncData.Part(SyncData.NewId(quiet), quiet, 1, 2, SyncData.Records(2)))).StatusCode);
    }

    [Fact]
    public async Task RequestRate_PerToken_OneTokenRefused429_AnotherTokenUnaffected()
    {
        using var app = new BatchSyncApp(new()
        {
            ["BatchSync:Limits:RequestsPerSecondPerToken"] = "1",
            ["BatchSync:Limits:RequestBurstPerToken"] = "3",
        });
        var busy = app.ClientWith(BatchSyncApp.DeviceToken);
        var other = app.ClientWith(BatchSyncApp.ScopedToken);

        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 6; i++)
        {
            answers.Add(await busy.GetAsync("/api/v1/sync-sessions/none"));
        }

        Assert.Contains(answers, a => a.StatusCode == HttpStatusCode.NotFound);
        await AssertTooMany(answers[^1], "Too many requests for this token");
        Assert.Equal(HttpStatusCode.NotFound, (await other.GetAsync("/api/v1/sync-sessions/none")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.ClientWith(null).GetAsync("/health/ready")).StatusCode);
    }
}
