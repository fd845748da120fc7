using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using BatchSync.IntegrationTests.Infrastructure;
using BatchSync.Testing;
using Xunit.Abstractions;

namespace BatchSync.IntegrationTests;

/// <summary>
/// Many phones at once against the real server over TCP, behaving as phones on bad networks do: parts
/// out of order, some sent twice at the same moment, some cut off half-way through the body, some whose
/// answer is lost after the server took them, whole syncs sent again under a new sync_id. In the end
/// the tables hold exactly the distinct records sent, each once, in order, and the files agree.
/// </summary>
public sealed class ExactlyOnceUnderLoadTests(ITestOutputHelper output) : IDisposable
{
    private const string Token = "load-test-token";
    private const string AdminToken = "load-admin-token";
    private static readonly string ServerDll = Path.Combine(AppContext.BaseDirectory, "BatchSync.Api.dll");
    private readonly TempFolder _data = new("load");

    public void Dispose()
    {
        _data.Dispose();
    }

    [Fact]
    public async Task ManyPhonesOnBadNetworks_EveryDistinctRecordStoredOnceInOrder_FilesAgree()
    {
        var fleet = Fleet.Create("load", devices: 24, syncsPerDevice: 4, partsPerSync: 5, recordsPerPart: 20, seed: 42);
        var lines = new ConcurrentQueue<string>();
        var admin = new Dictionary<string, string>
        {
            ["BatchSync:Auth:Tokens:1:Name"] = "load-admin",
            ["BatchSync:Auth:Tokens:1:Role"] = "admin",
            ["BatchSync:Auth:Tokens:1:Devices:0"] = "*",
            ["BatchSync:Auth:Tokens:1:Sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(AdminToken))),
        };
        using var server = ServerProcess.Start(ServerDll, _data, new Dictionary<string, string> { ["load"] = Token }, admin, output: lines.Enqueue);
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 64 };
        using var client = new HttpClient(handler) { BaseAddress = server.BaseUrl, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        await server.WaitReadyAsync(client);

        var counts = new ConcurrentDictionary<string, int>();
        var resentWhole = new ConcurrentBag<(string Device, JsonObject Record)>();
        var phones = fleet.Devices.Select((device, index) => Task.Run(async () =>
        {
            var random = new Random(index);
            foreach (var sync in fleet.Syncs.Where(s => s.DeviceId == device))
            {
                await SendSync(client, server.BaseUrl, sync.Parts, random, counts);
                if (random.NextDouble() < 0.25)
                {
                    // The seed's client, retrying a whole sync, makes a new sync_id for the same records.
                    var again = SyncData.NewId(device);
                    await SendSync(client, server.BaseUrl, SyncData.Parts(again, device, sync.Records, 20), random, counts);
                    counts.AddOrUpdate("whole sync resent", 1, (_, n) => n + 1);
                }
            }
        })).ToList();
        await Task.WhenAll(phones);

        output.WriteLine(string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{c.Key}: {c.Value}")));
        Assert.True(counts.GetValueOrDefault("cut off mid-body") > 0 && counts.GetValueOrDefault("answer lost") > 0 && counts.GetValueOrDefault("sent twice at once") > 0);
        foreach (var device in fleet.Devices)
        {
            StoredLogs.AssertExactlyOnce(_data, device, fleet.RecordsOf(device));
            foreach (var table in StoredLogs.RecordsOf(_data, device).GroupBy(r => r.Type))
            {
                var timestamps = table.Select(r => r.Timestamp).ToList();
                Assert.Equal(timestamps.Order(), timestamps);
            }
        }

        // A phone cut off after its completion committed leaves that completion's files owed; the
        // server writes them on its own (PostgreSQL's catch-up runs every 2 s) within a bounded time.
        await Eventually.True(() => StoredLogs.OwedFiles(_data) == 0, TimeSpan.FromSeconds(30), "owed files caught up");
        StoredLogs.AssertFilesMatchTables(_data);

        // Every part was answered 200 in the end; on the way, the server failed none of them (a failed write is a 500).
        using var monitor = new HttpClient { BaseAddress = server.BaseUrl };
        monitor.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminToken);
        var scrape = new PrometheusText(await monitor.GetStringAsync(new Uri("/metrics", UriKind.Relative)));
        Assert.True(scrape.Value("http_server_request_duration_seconds_count", "http_route=\"/api/v1/batch-sync\"", "http_response_status_code=\"200\"") > 0, "no answer was counted");
        Assert.Equal(0, scrape.Value("http_server_request_duration_seconds_count", "http_response_status_code=\"500\"") ?? 0);
    }

    /// <summary>Sends every part, in a random order, through the network's mishaps, until each one is answered 200.</summary>
    private static async Task SendSync(HttpClient client, Uri server, IReadOnlyList<string> parts, Random random, ConcurrentDictionary<string, int> counts)
    {
        foreach (var part in parts.OrderBy(_ => random.Next()).ToList())
        {
            var mishap = random.NextDouble();
            if (mishap < 0.15)
            {
                await CutOff(server, part, wholeBody: false, random);
                counts.AddOrUpdate("cut off mid-body", 1, (_, n) => n + 1);
            }
            else if (mishap < 0.30)
            {
                await CutOff(server, part, wholeBody: true, random);
                counts.AddOrUpdate("answer lost", 1, (_, n) => n + 1);
            }
            else if (mishap < 0.45)
            {
                var twin = client.PostPart(part, "/api/v1/batch-sync");
                var first = await client.PostPart(part, "/api/v1/batch-sync");
                Assert.Equal(HttpStatusCode.OK, first.StatusCode);
                Assert.Equal(HttpStatusCode.OK, (await twin).StatusCode);
                counts.AddOrUpdate("sent twice at once", 1, (_, n) => n + 1);
                continue;
            }

            var response = await client.PostPart(part, "/api/v1/batch-sync");
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        }
    }

    /// <summary>A request that never gets its answer: the connection is reset half-way through the body, or right after it.</summary>
    private static async Task CutOff(Uri server, string body, bool wholeBody, Random random)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(server.Host, server.Port);
        var stream = tcp.GetStream();
        var bytes = Encoding.UTF8.GetBytes(body);
        var head = Encoding.ASCII.GetBytes(
            $"POST /api/v1/batch-sync HTTP/1.1\r\nHost: {server.Authority}\r\nAuthorization: Bearer {Token}\r\n" +
            $"Content-Type: application/json\r\nContent-Length: {bytes.Length}\r\n\r\n");
        await stream.WriteAsync(head);
        await stream.WriteAsync(bytes.AsMemory(0, wholeBody ? bytes.Length : random.Next(1, bytes.Length)));
        await stream.FlushAsync();
        if (wholeBody)
        {
            await Task.Delay(random.Next(0, 5));
        }

        tcp.Client.LingerState = new LingerOption(true, 0); // close with a reset, as a dropped network does
    }
}
