using System.Net;
using System.Text.Json;
using BatchSync.IntegrationTests.Infrastructure;

namespace BatchSync.IntegrationTests;

public sealed class AdminTests : IDisposable
{
    private readonly BatchSyncApp _app = new();
    private readonly HttpClient _admin;
    private readonly HttpClient _device;

    public AdminTests()
    {
        _admin = _app.ClientWith(BatchSyncApp.AdminToken);
        _device = _app.ClientWith(BatchSyncApp.DeviceToken);
    }

    public void Dispose() => _app.Dispose();

    private async Task<JsonElement> Data(string path)
    {
        var response = await _admin.GetAsync(path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {await response.Content.ReadAsStringAsync()}");
        var body = await response.Json();
        Assert.Equal("success", body.GetProperty("status").GetString());
        return body.GetProperty("data");
    }

    private async Task<string> CompleteSync(string device, IReadOnlyList<System.Text.Json.Nodes.JsonObject> records, string user = "john_doe")
    {
        var syncId = SyncData.NewId(device);
        foreach (var part in SyncData.Parts(syncId, device, records, 10, user))
        {
            (await _device.PostPart(part)).EnsureSuccessStatusCode();
        }

        return syncId;
    }

    private async Task<string> OpenSync(string device, string user = "john_doe")
    {
        var syncId = SyncData.NewId(device);
        (await _device.PostPart(SyncData.Part(syncId, device, 1, 3, SyncData.Records(5), user))).EnsureSuccessStatusCode();
        return syncId;
    }

    [Theory]
    [InlineData("GET", "/api/v1/admin/sessions")]
    [InlineData("GET", "/api/v1/admin/sessions/x")]
    [InlineData("POST", "/api/v1/admin/sessions/x/abort")]
    [InlineData("GET", "/api/v1/admin/devices/d/records?type=location")]
    [InlineData("GET", "/api/v1/admin/stats/daily")]
    [InlineData("GET", "/api/v1/admin/devices")]
    [InlineData("GET", "/api/v1/admin/devices/d/records?type=location&format=csv")]
    [InlineData("GET", "/api/v1/admin/audit")]
    public async Task EveryAdminEndpoint_NoToken401_DeviceToken403(string method, string path)
    {
        var anonymous = await _app.ClientWith(null).SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        var device = await _device.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, device.StatusCode);
        Assert.Equal("error", (await device.Json()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Sessions_FilteredByStatusDeviceUserAndTime_Paged()
    {
        var device = SyncData.NewId("adm");
        var other = SyncData.NewId("adm-other");
        var done = await CompleteSync(device, SyncData.Records(20));
        var open1 = await OpenSync(device);
        var open2 = await OpenSync(device, user: "jane");
        await OpenSync(other);

        var open = await Data($"/api/v1/admin/sessions?status=open&device_id={device}");
        var completed = await Data($"/api/v1/admin/sessions?status=completed&device_id={device}");
        var jane = await Data($"/api/v1/admin/sessions?user_name=jane&device_id={device}");
        var future = await Data($"/api/v1/admin/sessions?device_id={device}&from={DateTime.UtcNow.AddHours(1):O}");
        var page2 = await Data($"/api/v1/admin/sessions?device_id={device}&page=2&page_size=2");

        Assert.Equal(new[] { open1, open2 }.Order(), open.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("sync_id").GetString()).Order());
        Assert.Equal(done, completed.GetProperty("items")[0].GetProperty("sync_id").GetString());
        Assert.Equal(2, completed.GetProperty("items")[0].GetProperty("received_parts").GetInt32());
        Assert.Equal(open2, jane.GetProperty("items").EnumerateArray().Single().GetProperty("sync_id").GetString());
        Assert.Equal(0, future.GetProperty("total").GetInt32());
        Assert.Equal((3, 1), (page2.GetProperty("total").GetInt32(), page2.GetProperty("items").GetArrayLength()));

        var bad = await _admin.GetAsync("/api/v1/admin/sessions?status=paused&page_size=0");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        var errors = (await bad.Json()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("status", out _) && errors.TryGetProperty("page_size", out _));
    }

    [Fact]
    public async Task Session_WithParts_AndAbort_PartsGoneLaterParts409_Audited()
    {
        var device = SyncData.NewId("abort");
        var syncId = await OpenSync(device);

        var session = await Data($"/api/v1/admin/sessions/{syncId}");
        Assert.StartsWith("sha256:", session.GetProperty("parts")[0].GetProperty("checksum").GetString());

        var aborted = await _admin.PostAsync($"/api/v1/admin/sessions/{syncId}/abort", null);
        Assert.Equal("aborted", (await aborted.Json()).GetProperty("data").GetProperty("sync_status").GetString());
        Assert.Equal(0L, _app.Scalar<long>("SELECT COUNT(*) FROM batch_parts WHERE sync_id = @p", syncId));

        var late = await _device.PostPart(SyncData.Part(syncId, device, 2, 3, SyncData.Records(5, SyncData.Start + 60_000)));
        Assert.Equal(HttpStatusCode.Conflict, late.StatusCode);
        Assert.Contains("aborted", (await late.Json()).GetProperty("message").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await _admin.PostAsync($"/api/v1/admin/sessions/{syncId}/abort", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await _admin.PostAsync("/api/v1/admin/sessions/nothing-here/abort", null)).StatusCode);

        await Eventually.True(
            () => _app.Scalar<long>("SELECT COUNT(*) FROM audit_events WHERE outcome = 'aborted' AND sync_id = @p", syncId) == 1,
            TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Records_InTimestampOrder_KeysetPagesJoinUpExactly_RangeAndBadInput()
    {
        var device = SyncData.NewId("rec");
        await CompleteSync(device, SyncData.Records(30, SyncData.Start + 100_000));
        await CompleteSync(device, SyncData.Records(30, SyncData.Start)); // older records, later

        var seen = new List<long>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await Data($"/api/v1/admin/devices/{device}/records?type=location&limit=7{(cursor is null ? "" : "&after=" + Uri.EscapeDataString(cursor))}");
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("timestamp").GetInt64()));
            cursor = page.GetProperty("next_cursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next_cursor").GetString();
            pages++;
        }
        while (cursor is not null);

        var stored = StoredLogs.RecordsOf(_app.DataDirectory, device).Where(r => r.Type == "location").Select(r => r.Timestamp).ToList();
        Assert.Equal(stored.Order(), seen);
        Assert.Equal(54, seen.Count);
        Assert.Equal(8, pages);

        var ranged = await Data($"/api/v1/admin/devices/{device}/records?type=driving&from={SyncData.Start}&to={SyncData.Start + 20_000}");
        Assert.All(ranged.GetProperty("items").EnumerateArray(), r =>
        {
            Assert.InRange(r.GetProperty("timestamp").GetInt64(), SyncData.Start, SyncData.Start + 19_999);
            Assert.Equal("driving", r.GetProperty("record").GetProperty("type").GetString());
        });
        Assert.Equal(2, ranged.GetProperty("items").GetArrayLength());

        Assert.Equal(HttpStatusCode.BadRequest, (await _admin.GetAsync($"/api/v1/admin/devices/{device}/records?type=weather")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await _admin.GetAsync($"/api/v1/admin/devices/{device}/records?type=location&after=bm9wZQ==")).StatusCode);
    }

    [Fact]
    public async Task DailyCounts_ByTypeAndDate_ForADeviceAndRange()
    {
        var device = SyncData.NewId("daily");
        var nextDay = SyncData.Start + 86_400_000;
        await CompleteSync(device, SyncData.Records(20));
        await CompleteSync(device, SyncData.Records(10, nextDay));

        var all = await Data($"/api/v1/admin/stats/daily?device_id={device}");
        var second = await Data($"/api/v1/admin/stats/daily?device_id={device}&type=location&from={SyncData.Date(nextDay)}&to={SyncData.Date(nextDay)}");

        var counts = all.EnumerateArray().Select(c => (c.GetProperty("date").GetString(), c.GetProperty("type").GetString(), c.GetProperty("records").GetInt32())).ToList();
        Assert.Equal(
            [(SyncData.Date(SyncData.Start), "driving", 2), (SyncData.Date(SyncData.Start), "location", 18), (SyncData.Date(nextDay), "driving", 1), (SyncData.Date(nextDay), "location", 9)],
            counts);
        Assert.Equal((9, 1), (second.EnumerateArray().Single().GetProperty("records").GetInt32(), second[0].GetProperty("devices").GetInt32()));
    }

    [Fact]
    public async Task Audit_FilteredByOutcomeDeviceToken_PagedNewestFirst()
    {
        var device = SyncData.NewId("aud");
        await CompleteSync(device, SyncData.Records(30));
        await _device.PostPart(SyncData.Part(SyncData.NewId(device), device, 1, 1, [SyncData.Location(SyncData.Start, latitude: 99)]));
        await Eventually.True(
            () => _app.Scalar<long>("SELECT COUNT(*) FROM audit_events WHERE device_id = @p", device) == 4,
            TimeSpan.FromSeconds(10));

        var rejected = await Data($"/api/v1/admin/audit?device_id={device}&outcome=rejected");
        var byToken = await Data($"/api/v1/admin/audit?device_id={device}&token_name=test-device&limit=2");
        var older = await Data($"/api/v1/admin/audit?device_id={device}&limit=2&before={byToken.GetProperty("next_before").GetInt64()}");

        var only = rejected.GetProperty("items").EnumerateArray().Single();
        Assert.Equal((400, "test-device"), (only.GetProperty("status").GetInt32(), only.GetProperty("token_name").GetString()));
        Assert.Contains("latitude", only.GetProperty("reason").GetString());
        Assert.Equal(["rejected", "completed"], byToken.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("outcome").GetString()));
        Assert.Equal(["stored", "stored"], older.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("outcome").GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, (await _admin.GetAsync("/api/v1/admin/audit?outcome=exploded")).StatusCode);
    }

    [Fact]
    public async Task Devices_LastPositionLastSyncAndRecordCounts()
    {
        var device = SyncData.NewId("dev");
        await CompleteSync(device, SyncData.Records(10));
        var open = await OpenSync(device);

        var devices = await Data("/api/v1/admin/devices?page_size=500");

        var mine = devices.GetProperty("items").EnumerateArray().Single(d => d.GetProperty("device_id").GetString() == device);
        var position = mine.GetProperty("last_position");
        Assert.Equal(SyncData.Start + 8_000, position.GetProperty("timestamp").GetInt64());
        Assert.Equal(32.0 + (8 * 1e-5), position.GetProperty("latitude").GetDouble(), 9);
        Assert.Equal((open, "open"), (mine.GetProperty("last_sync").GetProperty("sync_id").GetString(), mine.GetProperty("last_sync").GetProperty("sync_status").GetString()));
        Assert.Equal((9, 1), (mine.GetProperty("record_counts").GetProperty("location").GetInt32(), mine.GetProperty("record_counts").GetProperty("driving").GetInt32()));
    }

    [Fact]
    public async Task Records_ExportedAsCsvGeoJsonAndGpx_WholeRangeInOrder()
    {
        var device = SyncData.NewId("exp");
        await CompleteSync(device, SyncData.Records(40));

        var csv = (await (await _admin.GetAsync($"/api/v1/admin/devices/{device}/records?type=location&format=csv")).Content.ReadAsStringAsync()).TrimEnd('\n').Split('\n');
        var geo = await (await _admin.GetAsync($"/api/v1/admin/devices/{device}/records?type=driving&format=geojson")).Json();
        var gpxResponse = await _admin.GetAsync($"/api/v1/admin/devices/{device}/records?type=location&format=gpx");
        var gpx = System.Xml.Linq.XDocument.Parse(await gpxResponse.Content.ReadAsStringAsync());

        Assert.StartsWith("timestamp,time,log_date,sync_id,user_name,latitude,longitude", csv[0]);
        Assert.Equal(37, csv.Length);
        Assert.StartsWith($"{SyncData.Start},2023-09-07T21:50:56.789Z,2023-09-07,", csv[1]);
        Assert.Equal("FeatureCollection", geo.GetProperty("type").GetString());
        var feature = geo.GetProperty("features")[0];
        Assert.Equal([34.7828, 32.0863], feature.GetProperty("geometry").GetProperty("coordinates").EnumerateArray().Select(c => c.GetDouble()));
        Assert.Equal("event_9", feature.GetProperty("properties").GetProperty("event_type").GetString());
        Assert.Equal("application/gpx+xml", gpxResponse.Content.Headers.ContentType?.MediaType);
        var points = gpx.Descendants().Where(e => e.Name.LocalName == "trkpt").ToList();
        Assert.Equal(36, points.Count);
        Assert.Equal("32", points[0].Attribute("lat")!.Value);
        Assert.Equal(HttpStatusCode.BadRequest, (await _admin.GetAsync($"/api/v1/admin/devices/{device}/records?format=xlsx")).StatusCode);
    }

    [Theory]
    [InlineData("/api/v1/admin/sessions?from=1694123456789", "from")]
    [InlineData("/api/v1/admin/sessions?to=yesterday", "to")]
    [InlineData("/api/v1/admin/sessions?page=two", "page")]
    [InlineData("/api/v1/admin/sessions?cursor=nonsense", "cursor")]
    [InlineData("/api/v1/admin/devices?page_size=lots", "page_size")]
    [InlineData("/api/v1/admin/devices/d/records?type=location&from=last-week", "from")]
    [InlineData("/api/v1/admin/devices/d/records?type=location&limit=1.5", "limit")]
    [InlineData("/api/v1/admin/stats/daily?from=07/09/2023", "from")]
    [InlineData("/api/v1/admin/audit?before=abc", "before")]
    [InlineData("/api/v1/admin/audit?status=teapot", "status")]
    [InlineData("/api/v1/admin/audit?from=2023-13-45T00:00:00Z", "from")]
    public async Task QueryParameterOfTheWrongType_400WithItsFieldInTheEnvelope(string path, string field)
    {
        var response = await _admin.GetAsync(path);
        var body = await response.Json();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Validation failed", body.GetProperty("message").GetString());
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out var messages), body.ToString());
        Assert.NotEmpty(messages[0].GetString()!);
    }

    [Fact]
    public async Task Iso8601Everywhere_OldFormsStillWork_TimesAnsweredWithMillisecondsAndZ()
    {
        var device = SyncData.NewId("iso");
        await CompleteSync(device, SyncData.Records(20));
        var start = DateTimeOffset.FromUnixTimeMilliseconds(SyncData.Start).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);
        var end = DateTimeOffset.FromUnixTimeMilliseconds(SyncData.Start + 20_000).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", System.Globalization.CultureInfo.InvariantCulture);

        var byIso = await Data($"/api/v1/admin/devices/{device}/records?type=driving&from={start}&to={end}");
        var byMs = await Data($"/api/v1/admin/devices/{device}/records?type=driving&from={SyncData.Start}&to={SyncData.Start + 20_000}");
        var sessions = await Data($"/api/v1/admin/sessions?device_id={device}&from=2000-01-01T00:00:00.000Z");
        var audit = await Data($"/api/v1/admin/audit?device_id={device}&from=2000-01-01T00:00:00Z");

        Assert.Equal(2, byIso.GetProperty("items").GetArrayLength());
        Assert.Equal(byMs.GetProperty("items").ToString(), byIso.GetProperty("items").ToString());
        var session = sessions.GetProperty("items").EnumerateArray().Single();
        foreach (var at in (string[])["created_at", "updated_at", "completed_at"])
        {
            Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$", session.GetProperty(at).GetString());
        }

        Assert.All(audit.GetProperty("items").EnumerateArray(), e => Assert.Matches(@"\.\d{3}Z$", e.GetProperty("at").GetString()));
        var resume = await (await _admin.GetAsync($"/api/v1/sync-sessions/{session.GetProperty("sync_id").GetString()}")).Json();
        Assert.Matches(@"\.\d{3}Z$", resume.GetProperty("parts")[0].GetProperty("received_at").GetString());
    }

    [Fact]
    public async Task OneCursorScheme_SessionsDevicesAuditAndRecords_WalkedWithCursorAndLimit()
    {
        var device = SyncData.NewId("cursor");
        var syncs = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            syncs.Add(await CompleteSync(device, SyncData.Records(10, SyncData.Start + (i * 100_000))));
        }

        Assert.Equal(syncs.Order(), (await Walk($"/api/v1/admin/sessions?device_id={device}&limit=2", "sync_id")).Order());
        await Eventually.True(
            () => _app.Scalar<long>("SELECT COUNT(*) FROM audit_events WHERE device_id = @p", device) == 5,
            TimeSpan.FromSeconds(10));
        var events = await Walk($"/api/v1/admin/audit?device_id={device}&limit=3", "id");
        Assert.Equal(5, events.Distinct().Count());
        Assert.Equal(5, events.Count);
        Assert.Equal(45, (await Walk($"/api/v1/admin/devices/{device}/records?type=location&limit=7", "timestamp")).Count);
        var devices = await Walk("/api/v1/admin/devices?limit=1", "device_id");
        Assert.Equal(devices.Distinct().Count(), devices.Count);
        Assert.Contains(device, devices);
    }

    /// <summary>Follows <c>next_cursor</c> as <c>cursor</c> to the end; the given field of every item.</summary>
    private async Task<List<string>> Walk(string path, string field)
    {
        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var page = await Data(path + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty(field).ToString()));
            cursor = page.GetProperty("next_cursor").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next_cursor").GetString();
        }
        while (cursor is not null && seen.Count < 10_000);

        return seen;
    }

    [Fact]
    public async Task Abort_AuditedWithItsRequest_StatusRequestIdMethodAndPath()
    {
        var device = SyncData.NewId("abort-audit");
        var syncId = await OpenSync(device);

        var aborted = await _admin.PostAsync($"/api/v1/admin/sessions/{syncId}/abort", null);
        var requestId = (await aborted.Json()).GetProperty("request_id").GetString();
        await Eventually.True(
            () => _app.Scalar<long>("SELECT COUNT(*) FROM audit_events WHERE outcome = 'aborted' AND sync_id = @p", syncId) == 1,
            TimeSpan.FromSeconds(10));
        var audit = await Data($"/api/v1/admin/audit?sync_id={syncId}&outcome=aborted");

        var e = audit.GetProperty("items").EnumerateArray().Single();
        Assert.Equal(200, e.GetProperty("status").GetInt32());
        Assert.Equal(requestId, e.GetProperty("request_id").GetString());
        Assert.Equal("POST", e.GetProperty("method").GetString());
        Assert.Equal($"/api/v1/admin/sessions/{syncId}/abort", e.GetProperty("path").GetString());
        Assert.Equal(("test-admin", device), (e.GetProperty("token_name").GetString(), e.GetProperty("device_id").GetString()));
    }

    [Fact]
    public async Task Records_TypeLeftOut_TheAnswerSaysLocation()
    {
        var device = SyncData.NewId("default-type");
        await CompleteSync(device, SyncData.Records(10));

        var page = await Data($"/api/v1/admin/devices/{device}/records");

        Assert.Equal("location", page.GetProperty("type").GetString());
        Assert.All(page.GetProperty("items").EnumerateArray(), r => Assert.Equal("location", r.GetProperty("record").GetProperty("type").GetString()));
    }
}
