using System.Net;
using System.Text.Json;
using BatchSync.IntegrationTests.Infrastructure;

namespace BatchSync.IntegrationTests;

public class UploadTests(BatchSyncApp app) : IClassFixture<BatchSyncApp>
{
    private readonly HttpClient _client = app.ClientWith(BatchSyncApp.DeviceToken);

    [Fact]
    public async Task Upload_PartsInAnyOrder_CompletesOnceWhenTheLastMissingArrives()
    {
        var device = SyncData.NewId("order");
        var syncId = SyncData.NewId(device);
        var records = SyncData.Records(50, stepMs: 3_600_000); // 50 hours: spans three days
        var parts = SyncData.Parts(syncId, device, records, 10);
        int[] order = [3, 5, 1, 4, 2];

        var answers = new List<JsonElement>();
        foreach (var n in order)
        {
            var response = await _client.PostPart(parts[n - 1]);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            answers.Add(await response.Json());
        }

        Assert.All(answers[..4], a =>
        {
            Assert.Equal("Batch part received", a.GetProperty("message").GetString());
            Assert.False(a.TryGetProperty("sync_complete", out _));
        });
        var last = answers[4];
        Assert.Equal("Sync completed successfully", last.GetProperty("message").GetString());
        Assert.True(last.GetProperty("sync_complete").GetBoolean());
        Assert.Equal(2, last.GetProperty("part_number").GetInt32());
        Assert.Equal(10, last.GetProperty("records_count").GetInt32());
        var expected = records.GroupBy(r => (string)r["type"]!)
            .ToDictionary(g => g.Key, g => g.GroupBy(r => SyncData.Date((long)r["timestamp"]!)).ToDictionary(d => d.Key, d => d.Count()));
        var results = last.GetProperty("processing_results").Deserialize<Dictionary<string, Dictionary<string, int>>>()!;
        Assert.Equal(expected.Keys.Order(), results.Keys.Order());
        foreach (var (type, byDate) in expected)
        {
            Assert.Equal(byDate.OrderBy(p => p.Key), results[type].OrderBy(p => p.Key));
        }

        Assert.Equal(45, Count("location_logs", device));
        Assert.Equal(5, Count("driving_logs", device));
        Assert.Equal("Completed", Scalar<string>("SELECT status FROM sync_sessions WHERE sync_id = @p", syncId));
        Assert.Equal(0L, Scalar<long>("SELECT COUNT(*) FROM batch_parts WHERE sync_id = @p AND payload IS NOT NULL", syncId));
    }

    [Fact]
    public async Task Upload_AllPartsAtOnce_ManySyncs_EachCompletesExactlyOnce()
    {
        // Three devices with four syncs each: all open at once stays within MaxOpenSyncsPerDevice (10).
        var devices = Enumerable.Range(0, 3).Select(_ => SyncData.NewId("burst")).ToList();
        var syncs = Enumerable.Range(0, 12)
            .Select(i => (Device: devices[i % 3], Id: SyncData.NewId(devices[i % 3]), Records: SyncData.Records(40, SyncData.Start + (i * 100_000))))
            .ToList();

        var responses = await Task.WhenAll(syncs.SelectMany(s => SyncData.Parts(s.Id, s.Device, s.Records, 10))
            .Select(async body => await (await _client.PostPart(body)).Json()));

        foreach (var sync in syncs)
        {
            var mine = responses.Where(r => r.GetProperty("sync_id").GetString() == sync.Id).ToList();
            Assert.Equal(4, mine.Count);
            Assert.Single(mine, r => r.TryGetProperty("sync_complete", out _));
        }

        Assert.Equal(12 * 40, devices.Sum(d => Count("location_logs", d) + Count("driving_logs", d)));
    }

    [Fact]
    public async Task Upload_TheLastTwoPartsAtTheSameMoment_CompletesOnce()
    {
        for (var round = 0; round < 10; round++)
        {
            var device = SyncData.NewId("lasttwo");
            var syncId = SyncData.NewId(device);
            var parts = SyncData.Parts(syncId, device, SyncData.Records(30), 10);
            Assert.Equal(HttpStatusCode.OK, (await _client.PostPart(parts[1])).StatusCode);

            var both = await Task.WhenAll(_client.PostPart(parts[0]), _client.PostPart(parts[2]));

            Assert.All(both, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
            var completions = (await Task.WhenAll(both.Select(r => r.Json()))).Count(j => j.TryGetProperty("sync_complete", out _));
            Assert.Equal(1, completions);
            Assert.Equal(30, Count("location_logs", device) + Count("driving_logs", device));
        }
    }

    [Fact]
    public async Task Upload_ManyClientsAtOnce_NoErrorAndEveryRecordStored()
    {
        const int clients = 32;
        var devices = Enumerable.Range(0, clients).Select(_ => SyncData.NewId("crowd")).ToList();

        var statuses = await Task.WhenAll(devices.Select(async device =>
        {
            var codes = new List<HttpStatusCode>();
            for (var s = 0; s < 3; s++)
            {
                var syncId = SyncData.NewId(device);
                foreach (var part in SyncData.Parts(syncId, device, SyncData.Records(100, SyncData.Start + (s * 1_000_000)), 25))
                {
                    codes.Add((await _client.PostPart(part)).StatusCode);
                }
            }

            return codes;
        }));

        Assert.All(statuses.SelectMany(c => c), c => Assert.Equal(HttpStatusCode.OK, c));
        Assert.All(devices, d => Assert.Equal(300, Count("location_logs", d) + Count("driving_logs", d)));
    }

    [Fact]
    public async Task Upload_RecordsInTables_InTimestampOrderTiesInSendingOrder()
    {
        var device = SyncData.NewId("ties");
        var syncId = SyncData.NewId(device);
        // Part 2 is sent first and holds the earliest records; ties across parts keep part order.
        const long t = SyncData.Start;
        var part1 = new[] { SyncData.Location(t + 3000, 1), SyncData.Location(t + 2000, 2), SyncData.Location(t + 2000, 3) };
        var part2 = new[] { SyncData.Location(t + 1000, 4), SyncData.Location(t + 2000, 5) };
        await _client.PostPart(SyncData.Part(syncId, device, 2, 2, part2));
        await _client.PostPart(SyncData.Part(syncId, device, 1, 2, part1));

        var latitudes = Column<string>("SELECT data FROM location_logs WHERE device_id = @p ORDER BY id", device)
            .Select(data => JsonDocument.Parse(data).RootElement.GetProperty("latitude").GetDouble());

        Assert.Equal([4, 2, 3, 5, 1], latitudes);
    }

    [Fact]
    public async Task Upload_SameRecordsUnderANewSyncId_StoredOnceAndCountedInResults()
    {
        var device = SyncData.NewId("resend");
        var records = SyncData.Records(30);
        foreach (var part in SyncData.Parts(SyncData.NewId(device), device, records, 10))
        {
            await _client.PostPart(part);
        }

        JsonElement last = default;
        foreach (var part in SyncData.Parts(SyncData.NewId(device), device, records, 10))
        {
            last = await (await _client.PostPart(part)).Json();
        }

        Assert.True(last.GetProperty("sync_complete").GetBoolean());
        Assert.Equal(27, last.GetProperty("processing_results").GetProperty("location").EnumerateObject().Sum(p => p.Value.GetInt32()));
        Assert.Equal(27, Count("location_logs", device));
        Assert.Equal(3, Count("driving_logs", device));
        Assert.Equal(27, File.ReadAllLines(app.LogFile("location", SyncData.Date(SyncData.Start), device)).Length);
    }

    [Fact]
    public async Task Upload_DuplicatePart_200DuplicateAndNothingStoredTwice()
    {
        var device = SyncData.NewId("dup");
        var syncId = SyncData.NewId(device);
        var parts = SyncData.Parts(syncId, device, SyncData.Records(20), 10);
        await _client.PostPart(parts[0]);

        var again = await _client.PostPart(parts[0]);

        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        var body = await again.Json();
        Assert.True(body.GetProperty("duplicate").GetBoolean());
        Assert.Equal(1L, Scalar<long>("SELECT COUNT(*) FROM batch_parts WHERE sync_id = @p", syncId));
    }

    [Fact]
    public async Task Upload_SamePartNumberOtherRecords_409AndStoredPartUnchanged()
    {
        var device = SyncData.NewId("conflict");
        var syncId = SyncData.NewId(device);
        await _client.PostPart(SyncData.Part(syncId, device, 1, 2, SyncData.Records(5)));
        var hash = Scalar<string>("SELECT content_hash FROM batch_parts WHERE sync_id = @p", syncId);

        var response = await _client.PostPart(SyncData.Part(syncId, device, 1, 2, SyncData.Records(5, latitude: 10)));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var body = await response.Json();
        Assert.Equal("error", body.GetProperty("status").GetString());
        Assert.False(body.GetProperty("retryable").GetBoolean());
        Assert.Equal(hash, Scalar<string>("SELECT content_hash FROM batch_parts WHERE sync_id = @p", syncId));
    }

    [Theory]
    [InlineData("other_device", "john_doe", 2, "device_id")]
    [InlineData(null, "jane", 2, "user_name")]
    [InlineData(null, "john_doe", 3, "total_parts")]
    public async Task Upload_PartContradictingTheSession_409NamingTheField(string? otherDevice, string user, int total, string field)
    {
        var device = SyncData.NewId("mismatch");
        var syncId = SyncData.NewId(device);
        await _client.PostPart(SyncData.Part(syncId, device, 1, 2, SyncData.Records(5)));

        var response = await _client.PostPart(SyncData.Part(syncId, otherDevice ?? device, 2, total, SyncData.Records(5, SyncData.Start + 10_000), user));

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.True((await response.Json()).GetProperty("errors").TryGetProperty(field, out _));
        Assert.Equal(1L, Scalar<long>("SELECT COUNT(*) FROM batch_parts WHERE sync_id = @p", syncId));
    }

    [Fact]
    public async Task Upload_PartOfACompletedSyncAgain_OriginalCompletionResponse()
    {
        var device = SyncData.NewId("done");
        var syncId = SyncData.NewId(device);
        var parts = SyncData.Parts(syncId, device, SyncData.Records(20), 10);
        await _client.PostPart(parts[0]);
        var original = await (await _client.PostPart(parts[1])).Json();

        var again = await (await _client.PostPart(parts[0])).Json();

        Assert.True(again.GetProperty("duplicate").GetBoolean());
        Assert.True(again.GetProperty("sync_complete").GetBoolean());
        foreach (var field in (string[])["message", "sync_id", "part_number", "total_parts", "records_count", "processing_results"])
        {
            Assert.Equal(original.GetProperty(field).GetRawText(), again.GetProperty(field).GetRawText());
        }

        Assert.NotEqual(original.GetProperty("request_id").GetString(), again.GetProperty("request_id").GetString());
        Assert.Equal(18, Count("location_logs", device));
    }

    [Fact]
    public async Task Upload_InvalidRecords_400WithEveryFieldAndNothingStored()
    {
        var device = SyncData.NewId("invalid");
        var syncId = SyncData.NewId(device);
        var records = SyncData.Records(5);
        records[1]["latitude"] = 91;
        records[3]["longitude"] = "east";
        records[4]["type"] = "walking";

        var response = await _client.PostPart(SyncData.Part(syncId, device, 1, 1, records));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Json();
        Assert.Equal("Validation failed", body.GetProperty("message").GetString());
        var fields = body.GetProperty("errors").EnumerateObject().Select(p => p.Name).Order().ToArray();
        Assert.Equal(["records[1].latitude", "records[3].longitude", "records[4].type"], fields);
        Assert.Equal(0L, Scalar<long>("SELECT COUNT(*) FROM sync_sessions WHERE sync_id = @p", syncId));
        Assert.Equal(0, Count("location_logs", device));
    }

    [Fact]
    public async Task Upload_TooManyRecordsInAPart_413AndNothingStored()
    {
        var device = SyncData.NewId("big");
        var syncId = SyncData.NewId(device);

        var response = await _client.PostPart(SyncData.Part(syncId, device, 1, 1, SyncData.Records(101)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.True((await response.Json()).GetProperty("errors").TryGetProperty("records", out _));
        Assert.Equal(0L, Scalar<long>("SELECT COUNT(*) FROM sync_sessions WHERE sync_id = @p", syncId));
    }

    [Fact]
    public async Task Upload_TooManyParts_400NamingTotalParts()
    {
        var device = SyncData.NewId("parts");
        var response = await _client.PostPart(SyncData.Part(SyncData.NewId(device), device, 1, 51, SyncData.Records(1)));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(["must be between 1 and 50"], (await response.Json()).GetProperty("errors").GetProperty("total_parts").Deserialize<string[]>()!);
    }

    [Fact]
    public async Task Upload_CleanPath_SameHandler()
    {
        var device = SyncData.NewId("clean");
        var response = await _client.PostPart(SyncData.Part(SyncData.NewId(device), device, 1, 1, SyncData.Records(3)), "/api/v1/batch-sync");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True((await response.Json()).GetProperty("sync_complete").GetBoolean());
    }

    private int Count(string table, string device) =>
        (int)Scalar<long>($"SELECT COUNT(*) FROM {table} WHERE device_id = @p", device);

    private T Scalar<T>(string sql, string parameter) => app.Scalar<T>(sql, parameter);

    private List<T> Column<T>(string sql, string parameter) => app.Column<T>(sql, parameter);
}
