using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using BatchSync.IntegrationTests.Infrastructure;
using BatchSync.Testing;
using Xunit.Abstractions;

namespace BatchSync.IntegrationTests;

/// <summary>
/// The real server as a child process, killed with SIGKILL: at exact points of a write (through
/// <c>BatchSync:Testing:CrashAt</c>) and at random instants under load. After each restart, every sync
/// is either completed with all its records or open with every part it acknowledged, the files say
/// what the tables say, and the clients' retries finish every sync with each record stored once.
/// </summary>
public sealed class CrashTests(ITestOutputHelper output) : IDisposable
{
    private const string Token = "crash-test-token";
    private static readonly string ServerDll = Path.Combine(AppContext.BaseDirectory, "BatchSync.Api.dll");

    private readonly TempFolder _data = new("crash");
    private readonly ConcurrentQueue<string> _serverLines = new();

    public void Dispose()
    {
        foreach (var line in _serverLines.TakeLast(40))
        {
            output.WriteLine(line);
        }

        _data.Dispose();
    }

    [Theory]
    [InlineData("completion-inserted:3")]
    [InlineData("completion-before-commit:5")]
    [InlineData("completion-after-commit:2")]
    [InlineData("completion-after-commit:7")]
    [InlineData("file-append-half-line:25")]
    [InlineData("file-rewrite-halfway:1")]
    [InlineData("files-flushed:3")]
    public async Task KilledAtAPointOfTheWrite_RestartAndRetries_EveryRecordOnceFilesMatch(string crashAt)
    {
        var fleet = Fleet.Create("crash", devices: 3, syncsPerDevice: 4, partsPerSync: 3, recordsPerPart: 10, seed: crashAt.Length);
        var acked = new ConcurrentDictionary<(string, int), bool>();

        using (var doomed = Start(new() { ["BatchSync:Testing:CrashAt"] = crashAt }))
        using (var client = ClientFor(doomed))
        {
            await doomed.WaitReadyAsync(client);
            var died = false;
            try
            {
                // Parts out of order: 2, 3, then 1 completes the sync.
                foreach (var sync in fleet.Syncs)
                {
                    foreach (var number in (int[])[2, 3, 1])
                    {
                        using var response = await client.PostPart(sync.Parts[number - 1]);
                        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                        acked[(sync.SyncId, number)] = true;
                    }
                }
            }
            catch (HttpRequestException)
            {
                died = true;
            }
            catch (TaskCanceledException)
            {
                died = true;
            }

            Assert.True(died, $"the server was never killed at {crashAt}: the test proves nothing");
            Assert.True(await doomed.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            Assert.Equal(137, doomed.ExitCode);
        }

        using var server = Start();
        using var http = ClientFor(server);
        await server.WaitReadyAsync(http);
        await AssertConsistentAfterRestart(http, fleet, acked.Keys);

        await RetryEverything(http, fleet);
        AssertEveryRecordOnce(fleet);
    }

    [Fact]
    public async Task KilledAtRandomInstantsUnderLoad_EachRestartConsistent_RetriesDeliverEverythingOnce()
    {
        var fleet = Fleet.Create("chaos", devices: 8, syncsPerDevice: 6, partsPerSync: 4, recordsPerPart: 25, seed: 7);
        var acked = new ConcurrentDictionary<(string, int), bool>();
        var random = new Random(11);
        var next = 0;

        for (var round = 0; round < 4; round++)
        {
            using var server = Start();
            using var client = ClientFor(server);
            await server.WaitReadyAsync(client);
            await AssertConsistentAfterRestart(client, fleet, acked.Keys);

            // Eight phones at once, each going through its own syncs; the kill lands wherever they are.
            using var stop = new CancellationTokenSource();
            var phones = fleet.Devices.Select(device => Task.Run(async () =>
            {
                foreach (var sync in fleet.Syncs.Where(s => s.DeviceId == device))
                {
                    foreach (var (part, number) in sync.Parts.Select((p, i) => (p, i + 1)).Reverse())
                    {
                        if (stop.IsCancellationRequested)
                        {
                            return;
                        }

                        try
                        {
                            using var response = await client.PostPart(part);
                            if (response.StatusCode == HttpStatusCode.OK)
                            {
                                acked[(sync.SyncId, number)] = true;
                                Interlocked.Increment(ref next);
                            }
                        }
                        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                        {
                            return;
                        }
                    }
                }
            })).ToList();

            await Task.Delay(random.Next(150, 900));
            server.Kill();
            stop.Cancel();
            await Task.WhenAll(phones);
            output.WriteLine($"round {round}: {acked.Count} parts acknowledged so far");
        }

        using (var server = Start())
        using (var client = ClientFor(server))
        {
            await server.WaitReadyAsync(client);
            await AssertConsistentAfterRestart(client, fleet, acked.Keys);
            await RetryEverything(client, fleet);
        }

        AssertEveryRecordOnce(fleet);
    }

    private ServerProcess Start(Dictionary<string, string>? settings = null) =>
        ServerProcess.Start(ServerDll, _data, new Dictionary<string, string> { ["crash-tests"] = Token }, settings, _serverLines.Enqueue);

    private static HttpClient ClientFor(ServerProcess server)
    {
        var client = new HttpClient { BaseAddress = server.BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return client;
    }

    /// <summary>
    /// Right after a restart, before any retry: a sync is unknown, open with every part it acknowledged
    /// (and still missing one), or completed with all its records; the files match the tables.
    /// </summary>
    private async Task AssertConsistentAfterRestart(HttpClient client, Fleet fleet, ICollection<(string SyncId, int Part)> acked)
    {
        var ackedBySync = acked.ToLookup(a => a.SyncId, a => a.Part);
        foreach (var sync in fleet.Syncs)
        {
            using var response = await client.GetAsync($"/api/v1/sync-sessions/{sync.SyncId}");
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                Assert.Empty(ackedBySync[sync.SyncId]);
                continue;
            }

            var session = await response.Json();
            var received = session.GetProperty("received_parts").EnumerateArray().Select(p => p.GetInt32()).ToHashSet();
            Assert.Subset(received, ackedBySync[sync.SyncId].ToHashSet());
            switch (session.GetProperty("sync_status").GetString())
            {
                case "open":
                    Assert.NotEmpty(session.GetProperty("missing_parts").EnumerateArray());
                    break;
                case "completed":
                    var stored = StoredLogs.RecordsOf(_data, sync.DeviceId).ToHashSet();
                    Assert.All(sync.Records, r => Assert.Contains(((string)r["type"]!, (long)r["timestamp"]!), stored));
                    break;
                default:
                    Assert.Fail($"sync {sync.SyncId} is {session.GetProperty("sync_status")}");
                    break;
            }
        }

        StoredLogs.AssertFilesMatchTables(_data);
    }

    /// <summary>What a client does after the outage: sends every part again; each ends in 200.</summary>
    private static async Task RetryEverything(HttpClient client, Fleet fleet)
    {
        foreach (var sync in fleet.Syncs)
        {
            JsonElement last = default;
            foreach (var part in sync.Parts)
            {
                using var response = await client.PostPart(part);
                Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
                last = await response.Json();
            }

            Assert.True(last.GetProperty("sync_complete").GetBoolean(), last.ToString());
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
}
