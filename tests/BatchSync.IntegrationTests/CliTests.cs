using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BatchSync.Cli;
using BatchSync.IntegrationTests.Infrastructure;
using BatchSync.Testing;

namespace BatchSync.IntegrationTests;

/// <summary>The <c>batchsync</c> tool against the server process, over TCP.</summary>
public sealed class CliTests : IDisposable
{
    private const string DeviceToken = "cli-device-token";
    private const string AdminToken = "cli-admin-token";
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "batchsync-tests", "cli-" + Guid.NewGuid().ToString("N"));
    private readonly ServerProcess _server;

    public CliTests()
    {
        Directory.CreateDirectory(_folder);
        _server = ServerProcess.Start(
            Path.Combine(AppContext.BaseDirectory, "BatchSync.Api.dll"),
            Path.Combine(_folder, "data"),
            new Dictionary<string, string> { ["cli-device"] = DeviceToken },
            new Dictionary<string, string>
            {
                ["BatchSync:Auth:Tokens:1:Name"] = "cli-admin",
                ["BatchSync:Auth:Tokens:1:Role"] = "admin",
                ["BatchSync:Auth:Tokens:1:Devices:0"] = "*",
                ["BatchSync:Auth:Tokens:1:Sha256"] = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(AdminToken))),
            },
            _ => { });
        using var probe = new HttpClient();
        _server.WaitReadyAsync(probe).GetAwaiter().GetResult();
    }

    private string Data => Path.Combine(_folder, "data");

    public void Dispose()
    {
        _server.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private static async Task<(int Code, string Output)> Run(Dictionary<string, string>? environment, params string[] args)
    {
        var output = new StringWriter();
        var console = BatchSyncCli.PlainConsole(output);
        var code = await BatchSyncCli.RunAsync(args, console, name => environment?.GetValueOrDefault(name));
        return (code, output.ToString());
    }

    [Fact]
    public async Task Send_NdjsonCsvAndGpx_Delivered_StatusShowsTheParts()
    {
        var ndjson = Path.Combine(_folder, "records.ndjson");
        var records = SyncData.Records(150);
        await File.WriteAllLinesAsync(ndjson, records.Select(r => r.ToJsonString()));
        var csv = Path.Combine(_folder, "fixes.csv");
        await File.WriteAllTextAsync(csv, $"type,timestamp,latitude,longitude,accuracy,provider\nlocation,{SyncData.Start + 500_000},32.1,34.8,5,gps\nlocation,{SyncData.Start + 501_000},32.2,34.9,,gps\n");
        var gpx = Path.Combine(_folder, "track.gpx");
        await File.WriteAllTextAsync(gpx, """
            <gpx xmlns="http://www.topografix.com/GPX/1/1" version="1.1"><trk><trkseg>
            <trkpt lat="32.3" lon="34.7"><ele>12.5</ele><time>2023-09-08T08:00:00Z</time></trkpt>
            <trkpt lat="32.31" lon="34.71"><time>2023-09-08T08:00:10Z</time></trkpt>
            </trkseg></trk></gpx>
            """);
        var environment = new Dictionary<string, string> { ["BATCHSYNC_URL"] = _server.BaseUrl.ToString(), ["BATCHSYNC_TOKEN"] = DeviceToken };
        var device = SyncData.NewId("cli");
        var store = Path.Combine(_folder, "store.db");

        var (sent, sendOutput) = await Run(environment, "send", ndjson, "--device", device, "--store", store);
        var (csvCode, _) = await Run(null, "send", csv, "--device", device, "--store", store, "--url", _server.BaseUrl.ToString(), "--token", DeviceToken);
        var (gpxCode, _) = await Run(environment, "send", gpx, "--device", device, "--store", store);

        Assert.True(sent == 0, sendOutput);
        Assert.Equal((0, 0), (csvCode, gpxCode));
        Assert.Contains("Delivered 150 records", sendOutput);
        // Each file's records as the server must store them: what the file gives, and a GPX point's provider.
        var expected = records.ToList();
        expected.Add(Parse($$"""{"type":"location","timestamp":{{SyncData.Start + 500_000}},"latitude":32.1,"longitude":34.8,"accuracy":5,"provider":"gps"}"""));
        expected.Add(Parse($$"""{"type":"location","timestamp":{{SyncData.Start + 501_000}},"latitude":32.2,"longitude":34.9,"provider":"gps"}"""));
        var gpxStart = DateTimeOffset.Parse("2023-09-08T08:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeMilliseconds();
        expected.Add(Parse($$"""{"type":"location","timestamp":{{gpxStart}},"latitude":32.3,"longitude":34.7,"altitude":12.5,"provider":"gpx"}"""));
        expected.Add(Parse($$"""{"type":"location","timestamp":{{gpxStart + 10_000}},"latitude":32.31,"longitude":34.71,"provider":"gpx"}"""));
        StoredLogs.AssertExactlyOnce(Data, device, expected);

        var syncId = System.Text.RegularExpressions.Regex.Match(sendOutput, $"{device}_\\d+_[0-9a-f]+").Value;
        var (statusCode, status) = await Run(environment, "status", syncId);
        Assert.True(statusCode == 0, status);
        Assert.Contains("completed", status);
        Assert.Contains("sha256:", status);
        Assert.Equal(1, (await Run(environment, "status", "no-such-sync")).Code);
    }

    [Fact]
    public async Task Simulate_FlakyNetworkAndOfflineGaps_EveryRecordOnce_ExitZero()
    {
        var (code, output) = await Run(null, "simulate", "--devices", "2", "--hours", "0.5", "--seed", "11", "--url", _server.BaseUrl.ToString(), "--token", AdminToken);

        Assert.True(code == 0, output);
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Count(output, "│ yes"));
    }

    [Fact]
    public async Task NothingDelivered_ExitsNonZeroWithTheServersMessage()
    {
        var file = Path.Combine(_folder, "one.ndjson");
        await File.WriteAllTextAsync(file, SyncData.Location(SyncData.Start).ToJsonString() + "\n");

        var (badToken, output) = await Run(null, "send", file, "--device", "d1", "--store", Path.Combine(_folder, "s.db"), "--url", _server.BaseUrl.ToString(), "--token", "wrong");
        var (noServer, usage) = await Run(null, "status", "x");

        Assert.Equal(1, badToken);
        Assert.Contains("Missing or unknown bearer token", output);
        Assert.Equal(2, noServer);
        Assert.Contains("BATCHSYNC_URL", usage);
    }

    [Fact]
    public async Task SendTheSameFileTwice_SecondRunSaysNothingNewAllAlreadyStored()
    {
        var file = Path.Combine(_folder, "again.ndjson");
        await File.WriteAllLinesAsync(file, SyncData.Records(104).Select(r => r.ToJsonString()));
        var device = SyncData.NewId("again");
        var server = new[] { "--url", _server.BaseUrl.ToString(), "--token", DeviceToken };

        var (first, firstOutput) = await Run(null, ["send", file, "--device", device, "--store", Path.Combine(_folder, "a.db"), .. server]);
        var (second, secondOutput) = await Run(null, ["send", file, "--device", device, "--store", Path.Combine(_folder, "b.db"), .. server]);

        Assert.Equal((0, 0), (first, second));
        Assert.Contains("Delivered 104 records in 1 syncs: 104 new, 0 already stored", firstOutput);
        Assert.Contains("Delivered 104 records in 1 syncs: 0 new, 104 already stored", secondOutput);
    }

    [Fact]
    public async Task Gpx_UntimedPointNamed_SkippedOnRequest_SpeedKept()
    {
        var gpx = Path.Combine(_folder, "untimed.gpx");
        await File.WriteAllTextAsync(gpx, """
            <gpx xmlns="http://www.topografix.com/GPX/1/0" version="1.0"><trk><trkseg>
            <trkpt lat="32.3" lon="34.7"><time>2023-09-08T08:00:00Z</time><speed>13.5</speed></trkpt>
            <trkpt lat="32.31" lon="34.71"></trkpt>
            <trkpt lat="32.32" lon="34.72"><time>2023-09-08T08:00:20Z</time></trkpt>
            </trkseg></trk></gpx>
            """);
        var device = SyncData.NewId("untimed");
        var server = new[] { "--url", _server.BaseUrl.ToString(), "--token", DeviceToken, "--device", device, "--store", Path.Combine(_folder, "g.db") };

        var (refused, refusal) = await Run(null, ["send", gpx, .. server]);
        var (sent, output) = await Run(null, ["send", gpx, "--skip-untimed", .. server]);

        Assert.Equal(1, refused);
        Assert.Contains("point 2 (<trkpt lat=\"32.31\" lon=\"34.71\">, line 3) has no <time>", refusal);
        Assert.Contains("--skip-untimed", refusal);
        Assert.True(sent == 0, output);
        Assert.Contains("Skipped point 2", output);
        Assert.Contains("Delivered 2 records", output);
        var data = StoredLogs.RecordsOf(Data, device).Select(r => r.Timestamp).ToList();
        Assert.Equal(2, data.Count);
        using var db = TestStorage.Open(Data);
        using var command = TestStorage.Command(db, "SELECT data FROM location_logs WHERE device_id = @d ORDER BY timestamp", ("@d", device));
        using var rows = command.ExecuteReader();
        var speeds = new List<double>();
        while (rows.Read())
        {
            if (JsonDocument.Parse(rows.GetString(0)).RootElement.TryGetProperty("speed", out var speed))
            {
                speeds.Add(speed.GetDouble());
            }
        }

        Assert.Equal([13.5], speeds);
    }

    [Fact]
    public async Task SimulateSameSeedTwice_EachRunChecksItsOwnRecords_FullWidthWhenPiped()
    {
        var arguments = new[] { "simulate", "--devices", "1", "--hours", "0.25", "--seed", "42", "--url", _server.BaseUrl.ToString(), "--token", AdminToken };

        var (first, firstOutput) = await Run(null, arguments);
        await Task.Delay(1100);
        var (second, secondOutput) = await Run(null, arguments);

        Assert.True(first == 0, firstOutput);
        Assert.True(second == 0, secondOutput);
        Assert.Contains("Seed 42", secondOutput);
        Assert.Contains("│ yes", secondOutput);
        Assert.DoesNotMatch(@"│\s*-\d", secondOutput);
        Assert.Contains("requests dropped", secondOutput);
        Assert.Contains("exactly once", secondOutput);
        Assert.DoesNotContain("…", secondOutput);
    }

    [Fact]
    public async Task Status_NothingMissing_SaysNone_AndHelpShowsNoRandomSeed()
    {
        var device = SyncData.NewId("status");
        var syncId = SyncData.NewId(device);
        using (var http = new HttpClient { BaseAddress = _server.BaseUrl })
        {
            http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", DeviceToken);
            (await http.PostPart(SyncData.Part(syncId, device, 1, 1, SyncData.Records(3)))).EnsureSuccessStatusCode();
        }

        var (code, status) = await Run(null, "status", syncId, "--url", _server.BaseUrl.ToString(), "--token", DeviceToken);
        var (_, help) = await Run(null, "simulate", "--help");

        Assert.True(code == 0, status);
        Assert.Contains("missing: none", status);
        Assert.Contains("--seed", help);
        Assert.DoesNotMatch(@"--seed[^\n]*\[default", help);
    }

    private static System.Text.Json.Nodes.JsonObject Parse(string json) => System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
}
