using System.Net;
using System.Text.Json;
using BatchSync.IntegrationTests.Infrastructure;

namespace BatchSync.IntegrationTests;

public class SyncSessionTests(BatchSyncApp app) : IClassFixture<BatchSyncApp>
{
    private readonly HttpClient _device = app.ClientWith(BatchSyncApp.DeviceToken);

    [Fact]
    public async Task GetSession_PartlyUploaded_TellsWhatArrivedAndWhatIsMissing()
    {
        var device = SyncData.NewId("resume");
        var syncId = SyncData.NewId(device);
        var parts = SyncData.Parts(syncId, device, SyncData.Records(50), 10);
        await _device.PostPart(parts[0]);
        await _device.PostPart(parts[3]);

        var session = await (await _device.GetAsync($"/api/v1/sync-sessions/{syncId}")).Json();

        Assert.Equal("open", session.GetProperty("sync_status").GetString());
        Assert.Equal([1, 4], session.GetProperty("received_parts").Deserialize<int[]>()!);
        Assert.Equal([2, 3, 5], session.GetProperty("missing_parts").Deserialize<int[]>()!);
        Assert.Equal(20, session.GetProperty("records_received").GetInt32());
        Assert.Equal(device, session.GetProperty("device_id").GetString());

        foreach (var n in (int[])[2, 3, 5])
        {
            await _device.PostPart(parts[n - 1]);
        }

        var done = await (await _device.GetAsync($"/api/v1/sync-sessions/{syncId}")).Json();
        Assert.Equal("completed", done.GetProperty("sync_status").GetString());
        Assert.Empty(done.GetProperty("missing_parts").EnumerateArray());
        Assert.True(done.TryGetProperty("processing_results", out _));
    }

    [Fact]
    public async Task GetSession_Unknown_404InTheEnvelope()
    {
        var response = await _device.GetAsync("/api/v1/sync-sessions/nobody_0_x");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("error", (await response.Json()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task GetSession_OtherDevicesSession_403ForAScopedToken()
    {
        var device = SyncData.NewId("someone");
        var syncId = SyncData.NewId(device);
        await _device.PostPart(SyncData.Part(syncId, device, 1, 2, SyncData.Records(3)));

        var response = await app.ClientWith(BatchSyncApp.ScopedToken).GetAsync($"/api/v1/sync-sessions/{syncId}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.False((await response.Json()).TryGetProperty("sync_status", out _));
    }

    [Fact]
    public async Task ScopedToken_OwnDevice_UploadsAndReads()
    {
        var scoped = app.ClientWith(BatchSyncApp.ScopedToken);
        var syncId = SyncData.NewId(BatchSyncApp.ScopedDevice);

        var upload = await scoped.PostPart(SyncData.Part(syncId, BatchSyncApp.ScopedDevice, 1, 2, SyncData.Records(3)));
        var read = await scoped.GetAsync($"/api/v1/sync-sessions/{syncId}");

        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
    }

    [Fact]
    public async Task ScopedToken_OtherDevice_Upload403AndNothingStored()
    {
        var syncId = SyncData.NewId("stranger");

        var response = await app.ClientWith(BatchSyncApp.ScopedToken).PostPart(SyncData.Part(syncId, "stranger", 1, 1, SyncData.Records(3)));

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _device.GetAsync($"/api/v1/sync-sessions/{syncId}")).StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("not-a-token")]
    public async Task NoOrUnknownToken_401WithChallenge(string? token)
    {
        var client = app.ClientWith(token);

        var upload = await client.PostPart(SyncData.Part("s_1", "d", 1, 1, SyncData.Records(1)));
        var read = await client.GetAsync("/api/v1/sync-sessions/s_1");

        foreach (var response in (HttpResponseMessage[])[upload, read])
        {
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
            var body = await response.Json();
            Assert.Equal("Missing or unknown bearer token", body.GetProperty("message").GetString());
            Assert.DoesNotContain(token ?? "\u0001", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }
}
