#if POSTGRESQL
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using BatchSync.IntegrationTests.Infrastructure;
using BatchSync.Testing;
using Xunit.Abstractions;

namespace BatchSync.IntegrationTests;

/// <summary>
/// Several real server processes on one PostgreSQL database and one data folder, as behind a load
/// balancer: parts of a sync spread over instances, the last parts raced, instances killed mid-load,
/// the database restarted. Every test ends with each record stored once and the files equal to the tables.
/// </summary>
[Collection(nameof(MultiInstanceTests))]
[CollectionDefinition(nameof(MultiInstanceTests), DisableParallelization = true)]
public sealed class MultiInstanceTests(ITestOutputHelper output) : IDisposable
{
    private const string Token = "cluster-token";
    private static readonly string ServerDll = Path.Combine(AppContext.BaseDirectory, "BatchSync.Api.dll");
    private readonly TempFolder _data = new("cluster");
    private readonly ConcurrentQueue<string> _lines = new();

    public void Dispose() => _data.Dispose();

    [Fact]
    public async Task PartsSpreadOverThreeInstances_EveryRecordOnceInOrder_FilesAgree()
    {
        var fleet = Fleet.Create("spread", devices: 6, syncsPerDevice: 4, partsPerSync: 5, recordsPerPart: 40, seed: 11);
        using var cluster = await Cluster.StartAsync(3, Start);

        // Each phone sends its syncs' parts in turn to the next instance, several phones at once.
        await Task.WhenAll(fleet.Devices.Select((device, d) => Task.Run(async () =>
        {
            var n = d;
            foreach (var sync in fleet.Syncs.Where(s => s.DeviceId == device))
            {
                JsonElement last = default;
                foreach (var part in sync.Parts)
                {
                    using var response = await cluster.Clients[n++ % 3].PostPart(part);
                    Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
                    last = await response.Json();
                }

                Assert.True(last.GetProperty("sync_complete").GetBoolean());
            }
        })));

        AssertEveryRecordOnce(fleet);
    }

    [Fact]
    public async Task LastPartsAtTheSameInstantOnTwoInstances_ExactlyOneCompletes()
    {
        var fleet = Fleet.Create("race", devices: 4, syncsPerDevice: 6, partsPerSync: 4, recordsPerPart: 25, seed: 5);
        using var cluster = await Cluster.StartAsync(3, Start);

        foreach (var (sync, i) in fleet.Syncs.Select((s, i) => (s, i)))
        {
            foreach (var part in sync.Parts.Take(sync.Parts.Count - 2))
            {
                (await cluster.Clients[0].PostPart(part)).EnsureSuccessStatusCode();
            }

            // Even syncs: the two last parts at once; odd syncs: the same last part to both at once.
            var (first, second) = i % 2 == 0
                ? (sync.Parts[^2], sync.Parts[^1])
                : (sync.Parts[^1], sync.Parts[^1]);
            if (i % 2 == 1)
            {
                (await cluster.Clients[0].PostPart(sync.Parts[^2])).EnsureSuccessStatusCode();
            }

            var answers = await Task.WhenAll(cluster.Clients[1].PostPart(first), cluster.Clients[2].PostPart(second));
            var bodies = new List<JsonElement>();
            foreach (var answer in answers)
            {
                Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
                bodies.Add(await answer.Json());
            }

            Assert.Single(bodies, b => Flag(b, "sync_complete") && !Flag(b, "duplicate"));
            if (i % 2 == 1)
            {
                Assert.Single(bodies, b => Flag(b, "sync_complete") && Flag(b, "duplicate"));
            }
        }

        AssertEveryRecordOnce(fleet);
    }

    [Fact]
    public async Task InstancesKilledAtRandomAndRestartedWhileDevicesUpload_NothingLostNothingTwice()
    {
        var fleet = Fleet.Create("chaos", devices: 8, syncsPerDevice: 5, partsPerSync: 4, recordsPerPart: 30, seed: 17);
        using var cluster = await Cluster.StartAsync(3, Start);
        var random = new Random(23);
        using var done = new CancellationTokenSource();

        // Each phone sends the second half of its syncs only once the first kill is under way, so the
        // upload cannot end before the chaos begins, however fast the machine.
        var firstKill = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var phones = fleet.Devices.Select((device, d) => Task.Run(() => UploadWithRetriesAsync(cluster, fleet, device, d, halfway: () => firstKill.Task))).ToList();
        var kills = 0;
        var chaos = Task.Run(async () =>
        {
            while (!done.IsCancellationRequested)
            {
                await Task.Delay(random.Next(300, 1200));
                if (done.IsCancellationRequested)
                {
                    break;
                }

                var restart = cluster.RestartAsync(random.Next(3), kill: true);
                firstKill.TrySetResult();
                await restart;
                kills++;
            }
        });

        await Task.WhenAll(phones);
        done.Cancel();
        await chaos;
        output.WriteLine($"{kills} instances killed and restarted during the upload");
        Assert.True(kills > 0);

        // Files owed by an instance that died are caught up by the survivors within seconds.
        await Eventually.True(() => StoredLogs.OwedFiles(_data) == 0, TimeSpan.FromSeconds(30), "owed files caught up");
        AssertEveryRecordOnce(fleet);
    }

    [Fact]
    public async Task PostgresRestartedMidLoad_RetryableAnswersThenEverythingStoredOnce()
    {
        Assert.True(PostgresServer.IsOwned, "this test restarts the suite's own PostgreSQL server");
        var fleet = Fleet.Create("pgdown", devices: 4, syncsPerDevice: 4, partsPerSync: 4, recordsPerPart: 30, seed: 29);
        using var cluster = await Cluster.StartAsync(2, Start);
        var unavailable = 0;

        // Each phone uploads half its syncs, waits for the database to go down, then uploads the rest.
        var halfway = fleet.Devices.Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
        var down = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var phones = fleet.Devices.Select((device, d) => Task.Run(() => UploadWithRetriesAsync(
            cluster,
            fleet,
            device,
            d,
            onUnavailable: () => Interlocked.Increment(ref unavailable),
            halfway: () =>
            {
                halfway[d].SetResult();
                return down.Task;
            }))).ToList();
        await Task.WhenAll(halfway.Select(h => h.Task));
        var restart = Task.Run(() => PostgresServer.Restart(TimeSpan.FromSeconds(2), whileDown: down.SetResult));
        await Task.WhenAll(phones);
        await restart;

        output.WriteLine($"{unavailable} answers 503 while PostgreSQL was down");
        Assert.True(unavailable > 0, "some part arrived while the database was down");
        await Eventually.True(() => StoredLogs.OwedFiles(_data) == 0, TimeSpan.FromSeconds(30), "owed files caught up");
        AssertEveryRecordOnce(fleet);
    }

    [Fact]
    public async Task OneTokenOnTwoInstances_RequestRateSummedOverBothStaysNearItsLimit()
    {
        const int PerSecond = 20;
        var seconds = 3;
        using var cluster = await Cluster.StartAsync(2, () => Start(new()
        {
            ["BatchSync:Limits:RequestsPerSecondPerToken"] = $"{PerSecond}",
            ["BatchSync:Limits:RequestBurstPerToken"] = $"{PerSecond}",
        }));
        await Task.Delay(TimeSpan.FromSeconds(1.5)); // the readiness probes' requests refill away

        var accepted = 0;
        var refused = 0;
        var clock = Stopwatch.StartNew();
        var until = DateTime.UtcNow.AddSeconds(seconds);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(c => Task.Run(async () =>
        {
            while (DateTime.UtcNow < until)
            {
                using var response = await cluster.Clients[c % 2].GetAsync("/api/v1/sync-sessions/rate_probe");
                if (response.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    Assert.NotNull(response.Headers.RetryAfter);
                    Interlocked.Increment(ref refused);
                }
                else
                {
                    Interlocked.Increment(ref accepted);
                }
            }
        })));

        // One bucket for the cluster lets through its burst and its rate over the time the requests took
        // (the last ones, sent just before the end, may be answered after it); a bucket per instance, twice that.
        var elapsed = clock.Elapsed.TotalSeconds;
        var oneBucket = PerSecond + (PerSecond * seconds);
        var oneBucketAtMost = PerSecond + (int)Math.Ceiling(PerSecond * elapsed);
        output.WriteLine($"{accepted} accepted, {refused} refused in {elapsed:F2} s; one shared bucket allows about {oneBucket}");
        Assert.True(refused > 0);
        Assert.InRange(accepted, oneBucket / 2, oneBucketAtMost + (2 * (PerSecond / 10)) + 4);
    }

    private static bool Flag(JsonElement body, string name) => body.TryGetProperty(name, out var flag) && flag.GetBoolean();

    /// <summary>A phone that keeps sending each part (to the next instance) until it is acknowledged.</summary>
    private static async Task UploadWithRetriesAsync(
        Cluster cluster, Fleet fleet, string device, int offset, Action? onUnavailable = null, Func<Task>? halfway = null)
    {
        var n = offset;
        var syncs = fleet.Syncs.Where(s => s.DeviceId == device).ToList();
        foreach (var (sync, index) in syncs.Select((s, i) => (s, i)))
        {
            if (index == syncs.Count / 2 && halfway is not null)
            {
                await halfway();
            }

            foreach (var part in sync.Parts)
            {
                for (var attempt = 0; ; attempt++)
                {
                    Assert.True(attempt < 200, $"part of {sync.SyncId} never acknowledged");
                    try
                    {
                        using var response = await cluster.Clients[n++ % cluster.Clients.Count].PostPart(part);
                        if (response.StatusCode == HttpStatusCode.OK)
                        {
                            break;
                        }

                        Assert.True(
                            response.StatusCode == HttpStatusCode.ServiceUnavailable,
                            $"{response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                        var body = await response.Json();
                        Assert.True(body.GetProperty("retryable").GetBoolean());
                        Assert.NotNull(response.Headers.RetryAfter);
                        onUnavailable?.Invoke();
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        // The instance died mid-request: as a phone would, try again elsewhere.
                    }

                    await Task.Delay(100);
                }
            }
        }
    }

    private void AssertEveryRecordOnce(Fleet fleet)
    {
        foreach (var device in fleet.Devices)
        {
            StoredLogs.AssertExactlyOnce(_data, device, fleet.RecordsOf(device));
        }

        StoredLogs.AssertFilesMatchTables(_data);
    }

    private ServerProcess Start() => Start([]);

    private ServerProcess Start(Dictionary<string, string> settings) =>
        ServerProcess.Start(ServerDll, _data, new Dictionary<string, string> { ["cluster"] = Token }, settings, _lines.Enqueue);

    /// <summary>Instances on the same data folder and database, each with its client.</summary>
    private sealed class Cluster : IDisposable
    {
        private readonly Func<ServerProcess> _start;
        private readonly ServerProcess[] _servers;

        private Cluster(Func<ServerProcess> start, ServerProcess[] servers)
        {
            _start = start;
            _servers = servers;
            Clients = [.. servers.Select(ClientFor)];
        }

        public List<HttpClient> Clients { get; }

        public static async Task<Cluster> StartAsync(int instances, Func<ServerProcess> start)
        {
            // All at the same moment: the migrations must be applied once, whoever comes first.
            var servers = Enumerable.Range(0, instances).Select(_ => start()).ToArray();
            var cluster = new Cluster(start, servers);
            try
            {
                await Task.WhenAll(servers.Select((s, i) => s.WaitReadyAsync(cluster.Clients[i])));
                return cluster;
            }
            catch
            {
                cluster.Dispose();
                throw;
            }
        }

        public async Task RestartAsync(int index, bool kill)
        {
            if (kill)
            {
                _servers[index].Kill();
            }

            _servers[index].Dispose();
            var server = _start();
            var client = ClientFor(server);
            await server.WaitReadyAsync(client);
            _servers[index] = server;
            Clients[index] = client;
        }

        public void Dispose()
        {
            foreach (var server in _servers)
            {
                server.Dispose();
            }
        }

        private static HttpClient ClientFor(ServerProcess server)
        {
            var client = new HttpClient { BaseAddress = server.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            return client;
        }
    }
}
#endif
