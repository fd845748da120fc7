using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using BatchSync.Client;
using BatchSync.IntegrationTests.Infrastructure;
using BatchSync.Testing;

namespace BatchSync.IntegrationTests;

/// <summary>The SDK against the real server, with faults injected between them by a delegating handler.</summary>
public sealed class ClientSdkTests : IDisposable
{
    private readonly BatchSyncApp _app = new();
    private readonly string _storePath = Path.Combine(
        Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "batchsync-tests")).FullName, "client-" + Guid.NewGuid().ToString("N") + ".db");

    public void Dispose()
    {
        _app.Dispose();
        foreach (var file in new[] { _storePath, _storePath + "-wal", _storePath + "-shm" })
        {
            File.Delete(file);
        }
    }

    /// <summary>Sees every request; <see cref="Fault"/> may answer instead of the server, or after it.</summary>
    private sealed class FaultHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        public Func<HttpRequestMessage, int, Func<Task<HttpResponseMessage>>, Task<HttpResponseMessage>>? Fault { get; set; }

        public List<(string Method, int? Part)> Seen { get; } = [];

        /// <summary>The <c>checksum</c> of every part sent, each checked against its records' bytes here too.</summary>
        public List<string> Checksums { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            int? part = null;
            if (request.Content is not null)
            {
                var bytes = await request.Content.ReadAsByteArrayAsync(cancellationToken);
                var json = request.Content.Headers.ContentEncoding.Contains("gzip") ? Gunzip(bytes) : bytes;
                var body = JsonNode.Parse(json)!;
                part = body["part_number"]!.GetValue<int>();
                var text = System.Text.Encoding.UTF8.GetString(json);
                var records = text[text.IndexOf("\"records\":", StringComparison.Ordinal)..][10..^1];
                var expected = "sha256:" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(records)));
                lock (Checksums)
                {
                    Checksums.Add(body["checksum"]?.GetValue<string>() == expected ? expected : "wrong: " + body["checksum"]);
                }
            }

            int seen;
            lock (Seen)
            {
                Seen.Add((request.Method.Method, part));
                seen = Seen.Count;
            }

            var forward = () => base.SendAsync(request, cancellationToken);
            return Fault is null ? await forward() : await Fault(request, seen, forward);
        }

        private static byte[] Gunzip(byte[] bytes)
        {
            using var input = new System.IO.Compression.GZipStream(new MemoryStream(bytes), System.IO.Compression.CompressionMode.Decompress);
            using var output = new MemoryStream();
            input.CopyTo(output);
            return output.ToArray();
        }
    }

    private static BatchSyncClientOptions Options(string device, Uri? server = null, string token = BatchSyncApp.DeviceToken) => new()
    {
        ServerUrl = server ?? new Uri("http://localhost/"),
        Token = token,
        DeviceId = device,
        UserName = "john_doe",
        RetryDelay = TimeSpan.FromMilliseconds(20),
        MaxParallelUploads = 3,
    };

    private static List<JsonObject> Record(OfflineStore store, int count, long start = SyncData.Start)
    {
        var records = SyncData.Records(count, start);
        records.ForEach(store.Add);
        return records;
    }

    [Fact]
    public async Task Sync_ManyRecords_PartsAndSeveralSyncs_EachRecordOnce_ProgressAndEvent()
    {
        var device = SyncData.NewId("sdk");
        using var store = new OfflineStore(_storePath);
        var sent = Record(store, 250);
        var options = Options(device);
        options.MaxBatchParts = 2;
        using var client = new BatchSyncClient(store, options, _app.Server.CreateHandler());
        var reports = new List<SyncProgress>();
        SyncResult? raised = null;
        client.SyncCompleted += (_, e) => raised = e.Result;

        var result = await client.SyncAsync(new SyncProgressRecorder(reports));

        Assert.Equal(2, result.CompletedSyncIds.Count);
        Assert.All(result.CompletedSyncIds, id => Assert.Matches($"^{device}_\\d{{13}}_[0-9a-f]{{12}}$", id));
        Assert.Same(result, raised);
        Assert.Equal((0L, 250L), (store.PendingCount, store.SyncedCount));
        Assert.Contains(new SyncProgress(3, 3, 250, 250), reports);
        StoredLogs.AssertExactlyOnce(_app.DataDirectory, device, sent);
    }

    [Fact]
    public async Task ResponseLostAfterTheServerStoredThePart_Retried_StoredOnce()
    {
        var device = SyncData.NewId("lost");
        using var store = new OfflineStore(_storePath);
        var sent = Record(store, 300);
        var faults = new FaultHandler(_app.Server.CreateHandler())
        {
            Fault = async (request, n, forward) =>
            {
                var response = await forward();
                if (request.Method == HttpMethod.Post && n is 2 or 4)
                {
                    throw new HttpRequestException("connection reset after the server answered");
                }

                return response;
            },
        };
        using var client = new BatchSyncClient(store, Options(device), faults);

        await client.SyncAsync();

        Assert.Equal(0L, store.PendingCount);
        Assert.True(faults.Seen.Count(s => s.Method == "POST") >= 5);
        Assert.All(faults.Checksums, c => Assert.StartsWith("sha256:", c));
        StoredLogs.AssertExactlyOnce(_app.DataDirectory, device, sent);
    }

    [Fact]
    public async Task CrashBetweenParts_ANewClientOnTheSameStoreResumesTheSameSync_SendingOnlyWhatIsMissing()
    {
        var device = SyncData.NewId("crash");
        List<JsonObject> sent;
        var first = new FaultHandler(_app.Server.CreateHandler())
        {
            Fault = (request, n, forward) => request.Method == HttpMethod.Post && n > 2
                ? throw new InvalidOperationException("the app was killed")
                : forward(),
        };
        using (var store = new OfflineStore(_storePath))
        {
            sent = Record(store, 500);
            var options = Options(device);
            options.MaxParallelUploads = 1;
            using var doomed = new BatchSyncClient(store, options, first);
            await Assert.ThrowsAnyAsync<Exception>(() => doomed.SyncAsync());
            Assert.Equal(500L, store.PendingCount);
        }

        var syncId = _app.Column<string>("SELECT sync_id FROM sync_sessions WHERE device_id = @p", device).Single();
        var second = new FaultHandler(_app.Server.CreateHandler());
        using (var store = new OfflineStore(_storePath))
        {
            using var client = new BatchSyncClient(store, Options(device), second);
            var result = await client.SyncAsync();

            Assert.Equal([syncId], result.CompletedSyncIds);
            Assert.Equal(0L, store.PendingCount);
        }

        Assert.DoesNotContain(second.Seen, s => s.Part == 1);
        Assert.Equal(4, second.Seen.Count(s => s.Method == "POST"));
        StoredLogs.AssertExactlyOnce(_app.DataDirectory, device, sent);
    }

    [Fact]
    public async Task Server429And507WithRetryAfter_Honoured_ThenDelivered()
    {
        var device = SyncData.NewId("busy");
        using var store = new OfflineStore(_storePath);
        var sent = Record(store, 100);
        var faults = new FaultHandler(_app.Server.CreateHandler())
        {
            Fault = (request, n, forward) =>
            {
                if (request.Method == HttpMethod.Post && n is 2 or 3)
                {
                    var refusal = new HttpResponseMessage(n == 2 ? HttpStatusCode.TooManyRequests : HttpStatusCode.InsufficientStorage)
                    {
                        Content = new StringContent("""{"status":"error","message":"later","retryable":true,"request_id":"x"}"""),
                    };
                    refusal.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(1));
                    return Task.FromResult(refusal);
                }

                return forward();
            },
        };
        using var client = new BatchSyncClient(store, Options(device), faults);
        var clock = Stopwatch.StartNew();

        await client.SyncAsync();

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.8), $"Retry-After honoured twice: {clock.Elapsed}");
        StoredLogs.AssertExactlyOnce(_app.DataDirectory, device, sent);
    }

    [Fact]
    public async Task InvalidRecord_400NotRetried_ReportedWithTheServersMessageAndFields_RecordsStayPending()
    {
        var device = SyncData.NewId("bad");
        using var store = new OfflineStore(_storePath);
        store.AddLocation(SyncData.Start, latitude: 95, longitude: 34.78);
        var faults = new FaultHandler(_app.Server.CreateHandler());
        using var client = new BatchSyncClient(store, Options(device), faults);
        Exception? raised = null;
        client.SyncFailed += (_, e) => raised = e.Error;

        var error = await Assert.ThrowsAsync<BatchSyncException>(() => client.SyncAsync());

        Assert.Equal((400, "Validation failed", false), (error.Status, error.ServerMessage, error.Retryable));
        Assert.Contains("records[0].latitude", error.Errors!.Keys);
        Assert.Same(error, raised);
        Assert.Single(faults.Seen, s => s.Method == "POST");
        Assert.Equal(1L, store.PendingCount);
    }

    [Fact]
    public async Task Cleanup_SyncedPastRetentionAndOverTheThreshold_OldestFirst_NeverUnsynced()
    {
        var device = SyncData.NewId("clean");
        var time = new Microsoft.Extensions.Time.Testing.FakeTimeProvider(DateTimeOffset.UtcNow);
        using var store = new OfflineStore(_storePath);
        Record(store, 30);
        var options = Options(device);
        options.EmergencyCleanupThreshold = 25;
        using var client = new BatchSyncClient(store, options, _app.Server.CreateHandler(), time);
        await client.SyncAsync();
        Record(store, 10, SyncData.Start + 3_600_000);

        Assert.Equal(15, client.Cleanup());
        Assert.Equal((10L, 15L), (store.PendingCount, store.SyncedCount));

        time.Advance(TimeSpan.FromDays(8));
        Assert.Equal(15, client.Cleanup());
        Assert.Equal((10L, 0L), (store.PendingCount, store.SyncedCount));
    }

    [Fact]
    public async Task OverKestrel_ServerProcess_ResponsesLost_EveryRecordOnce()
    {
        var data = Path.Combine(Path.GetTempPath(), "batchsync-tests", "sdk-kestrel-" + Guid.NewGuid().ToString("N"));
        try
        {
            using var server = ServerProcess.Start(
                Path.Combine(AppContext.BaseDirectory, "BatchSync.Api.dll"), data, new Dictionary<string, string> { ["sdk"] = "sdk-token" }, output: _ => { });
            using (var probe = new HttpClient())
            {
                await server.WaitReadyAsync(probe);
            }

            var device = SyncData.NewId("kestrel");
            using var store = new OfflineStore(_storePath);
            var sent = Record(store, 400);
            var faults = new FaultHandler(new SocketsHttpHandler())
            {
                Fault = async (request, n, forward) =>
                {
                    var response = await forward();
                    return request.Method == HttpMethod.Post && n % 3 == 0 ? throw new HttpRequestException("answer lost") : response;
                },
            };
            using var client = new BatchSyncClient(store, Options(device, server.BaseUrl, "sdk-token"), faults);

            await client.SyncAsync();

            Assert.Equal(0L, store.PendingCount);
            StoredLogs.AssertExactlyOnce(data, device, sent);
            StoredLogs.AssertFilesMatchTables(data);
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    /// <summary>Records every report at once (Progress&lt;T&gt; would post them to the thread pool).</summary>
    private sealed class SyncProgressRecorder(List<SyncProgress> reports) : IProgress<SyncProgress>
    {
        public void Report(SyncProgress value)
        {
            lock (reports)
            {
                reports.Add(value);
            }
        }
    }
}
