using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using BatchSync.Client;
using BatchSync.IntegrationTests.Infrastructure;
using BatchSync.Testing;

namespace BatchSync.IntegrationTests;

/// <summary>
/// One server process for <see cref="ClientSdkApiTests"/>, over TCP: a device token for every device, a
/// device token for one device only, and an admin token.
/// </summary>
public sealed class ClientSdkServer : IDisposable
{
    public const string DeviceToken = "sdk-api-device-token";
    public const string ScopedToken = "sdk-api-scoped-token";
    public const string AdminToken = "sdk-api-admin-token";
    public const string ScopedDevice = "sdk-api-scoped-device";

    private readonly ServerProcess _server;

    public ClientSdkServer()
    {
        Directory.CreateDirectory(Folder);
        _server = ServerProcess.Start(
            Path.Combine(AppContext.BaseDirectory, "BatchSync.Api.dll"),
            Path.Combine(Folder, "data"),
            new Dictionary<string, string> { ["sdk-api-device"] = DeviceToken },
            new Dictionary<string, string>
            {
                ["BatchSync:Auth:Tokens:1:Name"] = "sdk-api-admin",
                ["BatchSync:Auth:Tokens:1:Role"] = "admin",
                ["BatchSync:Auth:Tokens:1:Devices:0"] = "*",
                ["BatchSync:Auth:Tokens:1:Sha256"] = Hash(AdminToken),
                ["BatchSync:Auth:Tokens:2:Name"] = "sdk-api-scoped",
                ["BatchSync:Auth:Tokens:2:Role"] = "device",
                ["BatchSync:Auth:Tokens:2:Devices:0"] = ScopedDevice,
                ["BatchSync:Auth:Tokens:2:Sha256"] = Hash(ScopedToken),
            },
            _ => { });
        using var probe = new HttpClient();
        _server.WaitReadyAsync(probe).GetAwaiter().GetResult();
    }

    public string Folder { get; } = Path.Combine(Path.GetTempPath(), "batchsync-tests", "sdk-api-" + Guid.NewGuid().ToString("N"));

    public Uri BaseUrl => _server.BaseUrl;

    public void Dispose()
    {
        _server.Dispose();
        Directory.Delete(Folder, recursive: true);
    }

    private static string Hash(string token) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}

/// <summary>The SDK's typed calls (<see cref="BatchSyncApi"/>, <see cref="BatchSyncClient.GetSyncSessionAsync"/>) against the server process.</summary>
public sealed class ClientSdkApiTests(ClientSdkServer server) : IClassFixture<ClientSdkServer>
{
    private BatchSyncApi Api(string token, int maxRetries = 0, HttpMessageHandler? transport = null, Uri? url = null) => new(
        new BatchSyncApiOptions { ServerUrl = url ?? server.BaseUrl, Token = token, MaxRetries = maxRetries, RetryDelay = TimeSpan.FromMilliseconds(20) },
        transport);

    /// <summary>Records of a new device, delivered by the SDK's client; the sync's id.</summary>
    private async Task<(string Device, List<JsonObject> Records, string SyncId)> SyncAsync(int count)
    {
        var device = SyncData.NewId("sdk-api");
        using var store = new OfflineStore(Path.Combine(server.Folder, Guid.NewGuid().ToString("N") + ".db"));
        var records = SyncData.Records(count);
        records.ForEach(store.Add);
        using var client = new BatchSyncClient(store, new BatchSyncClientOptions
        {
            ServerUrl = server.BaseUrl,
            Token = ClientSdkServer.DeviceToken,
            DeviceId = device,
            UserName = "john_doe",
            RetryDelay = TimeSpan.FromMilliseconds(20),
        });
        var result = await client.SyncAsync();
        return (device, records, Assert.Single(result.CompletedSyncIds));
    }

    private async Task PostAsync(string token, string part)
    {
        using var http = new HttpClient { BaseAddress = server.BaseUrl };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        using var response = await http.PostPart(part).Ok();
    }

    [Fact]
    public async Task GetSyncSession_TwoOfThreePartsSent_TheirCountsAndChecksums_AndTheMissingOne()
    {
        var device = SyncData.NewId("sdk-api-open");
        var syncId = SyncData.NewId(device);
        var parts = SyncData.Parts(syncId, device, SyncData.Records(9), 3);
        await PostAsync(ClientSdkServer.DeviceToken, parts[0]);
        await PostAsync(ClientSdkServer.DeviceToken, parts[2]);
        using var api = Api(ClientSdkServer.DeviceToken);

        var session = await api.GetSyncSessionAsync(syncId);

        Assert.Equal((syncId, device, "john_doe", "open", 3, 6), (session.SyncId, session.DeviceId, session.UserName, session.SyncStatus, session.TotalParts, session.RecordsReceived));
        Assert.Equal([1, 3], session.ReceivedParts);
        Assert.Equal([2], session.MissingParts);
        Assert.Equal([1, 3], session.Parts.Select(p => p.PartNumber));
        Assert.All(session.Parts, p => Assert.Equal(3, p.RecordCount));
        Assert.All(session.Parts, p => Assert.Matches("^sha256:[0-9a-f]{64}$", p.Checksum));
        Assert.All(session.Parts, p => Assert.InRange(p.ReceivedAt, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1)));
        Assert.Null(session.CompletedAt);
        Assert.Null(session.ProcessingResults);
        Assert.False(string.IsNullOrEmpty(session.RequestId));
    }

    [Fact]
    public async Task GetSyncSession_OfASyncTheClientDelivered_CompletedWithWhatItStored()
    {
        var (device, _, syncId) = await SyncAsync(250);
        using var store = new OfflineStore(Path.Combine(server.Folder, Guid.NewGuid().ToString("N") + ".db"));
        using var client = new BatchSyncClient(store, new BatchSyncClientOptions
        {
            ServerUrl = server.BaseUrl,
            Token = ClientSdkServer.DeviceToken,
            DeviceId = device,
            UserName = "john_doe",
        });

        var session = await client.GetSyncSessionAsync(syncId);

        Assert.Equal(("completed", 3, 250), (session.SyncStatus, session.TotalParts, session.RecordsReceived));
        Assert.Empty(session.MissingParts);
        Assert.NotNull(session.CompletedAt);
        Assert.NotNull(session.ProcessingResults);
        Assert.Equal(225, session.ProcessingResults["location"][SyncData.Date(SyncData.Start)]);
        Assert.Equal(25, session.ProcessingResults["driving"][SyncData.Date(SyncData.Start)]);
    }

    [Fact]
    public async Task GetSyncSession_Unknown404_OtherDevices403_AsBatchSyncExceptionsWithTheServersMessage()
    {
        var device = SyncData.NewId("sdk-api-other");
        var syncId = SyncData.NewId(device);
        await PostAsync(ClientSdkServer.DeviceToken, SyncData.Part(syncId, device, 1, 2, SyncData.Records(2)));
        using var api = Api(ClientSdkServer.DeviceToken);
        using var scoped = Api(ClientSdkServer.ScopedToken);

        var unknown = await Assert.ThrowsAsync<BatchSyncException>(() => api.GetSyncSessionAsync("no-such-sync"));
        var forbidden = await Assert.ThrowsAsync<BatchSyncException>(() => scoped.GetSyncSessionAsync(syncId));

        Assert.Equal((404, false), (unknown.Status, unknown.Retryable));
        Assert.Contains("no-such-sync", unknown.ServerMessage);
        Assert.Equal((403, false), (forbidden.Status, forbidden.Retryable));
        Assert.False(string.IsNullOrEmpty(forbidden.ServerMessage));
    }

    [Fact]
    public async Task GetDeviceRecords_Paged_InTimestampOrder_ReadFollowsTheCursorToTheEnd()
    {
        var (device, records, syncId) = await SyncAsync(250);
        var locations = records.Where(r => (string?)r["type"] == "location").Select(r => (long?)r["timestamp"]).ToList();
        var driving = records.Where(r => (string?)r["type"] == "driving").Select(r => (long?)r["timestamp"]).ToList();
        using var api = Api(ClientSdkServer.AdminToken);

        var first = await api.GetDeviceRecordsAsync(new DeviceRecordsRequest(device) { Limit = 100 });
        var allLocations = await ToListAsync(api.ReadDeviceRecordsAsync(new DeviceRecordsRequest(device, "location") { Limit = 100 }));
        var allDriving = await ToListAsync(api.ReadDeviceRecordsAsync(new DeviceRecordsRequest(device, "driving") { Limit = 10 }));

        Assert.Equal(("location", 100), (first.Type, first.Items.Count));
        Assert.NotNull(first.NextCursor);
        Assert.Equal(locations.Take(100), first.Items.Select(i => (long?)i.Timestamp));
        Assert.Equal(locations, allLocations.Select(i => (long?)i.Timestamp));
        Assert.Equal(driving, allDriving.Select(i => (long?)i.Timestamp));
        var one = first.Items[0];
        Assert.Equal((syncId, "john_doe", DateOnly.Parse(SyncData.Date(SyncData.Start), System.Globalization.CultureInfo.InvariantCulture)), (one.SyncId, one.UserName, one.LogDate));
        Assert.Equal((double?)records[0]["latitude"], (double?)one.Record["latitude"]);
        Assert.Equal("gps", (string?)one.Record["provider"]);
    }

    [Fact]
    public async Task GetDeviceRecords_FromTo_OnlyThatRange_ToExcluded()
    {
        var (device, _, _) = await SyncAsync(150);
        using var api = Api(ClientSdkServer.AdminToken);
        var range = new DeviceRecordsRequest(device) { From = SyncData.Start + 100_000, To = SyncData.Start + 110_000 };

        var locations = await api.GetDeviceRecordsAsync(range);
        var driving = await api.GetDeviceRecordsAsync(range with { Type = "driving" });

        Assert.Equal(Enumerable.Range(100, 9).Select(i => SyncData.Start + (i * 1000)), locations.Items.Select(i => i.Timestamp));
        Assert.Null(locations.NextCursor);
        Assert.Equal([SyncData.Start + 109_000], driving.Items.Select(i => i.Timestamp));
    }

    [Fact]
    public async Task GetDeviceRecords_DeviceToken403_UnknownType400WithTheField()
    {
        using var device = Api(ClientSdkServer.DeviceToken);
        using var admin = Api(ClientSdkServer.AdminToken);

        var forbidden = await Assert.ThrowsAsync<BatchSyncException>(() => device.GetDeviceRecordsAsync(new DeviceRecordsRequest("any-device")));
        var invalid = await Assert.ThrowsAsync<BatchSyncException>(() => admin.GetDeviceRecordsAsync(new DeviceRecordsRequest("any-device", "parking")));

        Assert.Equal((403, false), (forbidden.Status, forbidden.Retryable));
        Assert.Equal((400, "Validation failed", false), (invalid.Status, invalid.ServerMessage, invalid.Retryable));
        Assert.NotNull(invalid.Errors);
        Assert.Contains("type", invalid.Errors.Keys);
    }

    [Fact]
    public async Task CheckLiveness_ARunningServer_Healthy()
    {
        using var api = Api(ClientSdkServer.DeviceToken);

        var health = await api.CheckLivenessAsync();

        Assert.Equal("healthy", health.Status);
    }

    [Fact]
    public async Task UnreachableServer_NoRetriesAsksOnce_RetriesAskAgain_ThenHttpRequestException()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var closed = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/");
        listener.Stop();
        var once = new CountingHandler(new SocketsHttpHandler());
        var thrice = new CountingHandler(new SocketsHttpHandler());
        using var noRetries = Api(ClientSdkServer.DeviceToken, maxRetries: 0, once, closed);
        using var twoRetries = Api(ClientSdkServer.DeviceToken, maxRetries: 2, thrice, closed);

        await Assert.ThrowsAsync<HttpRequestException>(() => noRetries.GetSyncSessionAsync("any"));
        await Assert.ThrowsAsync<HttpRequestException>(() => twoRetries.GetSyncSessionAsync("any"));

        Assert.Equal(1, once.Requests);
        Assert.Equal(3, thrice.Requests);
    }

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

    /// <summary>Counts the requests that reach the network.</summary>
    private sealed class CountingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private int _requests;

        public int Requests => _requests;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _requests);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
