using System.Net;
using System.Text.RegularExpressions;
using BatchSync.IntegrationTests.Infrastructure;

namespace BatchSync.IntegrationTests;

/// <summary>
/// <c>/metrics</c> after known uploads, and the console lines an operator reads, on the server as it
/// runs in production (a process of its own, so the counts are only this test's).
/// </summary>
public sealed partial class MonitoringTests : IDisposable
{
    private MonitoredServer? _server;

    public void Dispose() => _server?.Dispose();

    [Fact]
    public async Task Metrics_AfterKnownUploads_CountEachOutcomeRecordAndSync()
    {
        _server = await MonitoredServer.StartAsync();
        var device = _server.ClientWith(MonitoredServer.DeviceToken);
        var records = SyncData.Records(20);
        var first = SyncData.Parts(SyncData.NewId("metrics"), "metrics-phone", records, perPart: 10);

        await device.PostPart(first[0]).Ok();                                    // stored
        await device.PostPart(first[0]).Ok();                                    // duplicate
        await device.PostPart(first[1]).Ok();                                    // completed: 20 new records
        var again = SyncData.Parts(SyncData.NewId("metrics"), "metrics-phone", records, perPart: 20);
        await device.PostPart(again[0]).Ok();                                    // completed: 20 already stored
        var open = SyncData.Parts(SyncData.NewId("metrics"), "metrics-phone", SyncData.Records(4, start: SyncData.Start + 10_000_000), perPart: 2);
        await device.PostPart(open[0]).Ok();                                     // stored, the sync stays open
        var contradicting = SyncData.Parts(ExtractSyncId(open[0]), "metrics-phone", SyncData.Records(2, start: SyncData.Start + 20_000_000), perPart: 2);
        Assert.Equal(HttpStatusCode.Conflict, (await device.PostPart(contradicting[0])).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await device.PostPart("""{"sync_id":"x"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await _server.ClientWith("not-a-token").PostPart(first[0])).StatusCode);

        PrometheusText scrape = new("");
        await Eventually.True(async () =>
        {
            scrape = new PrometheusText(await _server.ClientWith(null).GetStringAsync("/metrics"));
            return scrape.Value("batchsync_parts_received_total", "outcome=\"refused\"") == 1;
        }, TimeSpan.FromSeconds(15), "the refused part is counted");

        Assert.Equal(2, scrape.Value("batchsync_parts_received_total", "outcome=\"stored\""));
        Assert.Equal(1, scrape.Value("batchsync_parts_received_total", "outcome=\"duplicate\""));
        Assert.Equal(2, scrape.Value("batchsync_parts_received_total", "outcome=\"completed\""));
        Assert.Equal(1, scrape.Value("batchsync_parts_received_total", "outcome=\"conflict\""));
        Assert.Equal(1, scrape.Value("batchsync_parts_received_total", "outcome=\"rejected\""));
        Assert.Equal(1, scrape.Value("batchsync_parts_received_total", "outcome=\"refused\"", "http_response_status_code=\"401\""));
        Assert.Equal(20, scrape.Value("batchsync_records_stored_total"));
        Assert.Equal(20, scrape.Value("batchsync_records_already_stored_total"));
        Assert.Equal(2, scrape.Value("batchsync_syncs_completed_total"));
        Assert.Equal(0, scrape.Value("batchsync_syncs_expired_total"));
        Assert.Equal(2, scrape.Value("batchsync_sync_completion_duration_seconds_count"));
        Assert.Equal(8, scrape.Value("batchsync_part_duration_seconds_count"));
        Assert.Equal(1, scrape.Value("batchsync_syncs_open"));
        Assert.Equal(0, scrape.Value("batchsync_log_files_owed"));
        Assert.True(scrape.Value("batchsync_data_free_space_bytes") > 0);
        Assert.Equal(1, scrape.Value("batchsync_tokens_refused_total", "reason=\"unknown\""));

        // The single writer's queue is SQLite's alone; each of the six writes to a sync went through it.
        var waits = scrape.Value("batchsync_write_queue_wait_seconds_count");
        if (TestStorage.IsPostgreSql)
        {
            Assert.Null(waits);
        }
        else
        {
            Assert.True(waits >= 6, $"{waits} writes waited for the writer");
        }

        // ASP.NET Core's own and the runtime's, beside ours.
        Assert.NotNull(scrape.Value("http_server_request_duration_seconds_count", "http_route=\"/batch-sync.php\""));
        Assert.Contains("\ndotnet_gc_", scrape.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_WhenConfigured_AskForAnAdminToken()
    {
        _server = await MonitoredServer.StartAsync(new Dictionary<string, string> { ["BatchSync:Monitoring:MetricsRequireAdminToken"] = "true" });

        Assert.Equal(HttpStatusCode.Unauthorized, (await _server.ClientWith(null).GetAsync("/metrics")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _server.ClientWith(MonitoredServer.DeviceToken).GetAsync("/metrics")).StatusCode);
        var scrape = await _server.ClientWith(MonitoredServer.AdminToken).GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, scrape.StatusCode);
        Assert.StartsWith("text/plain", scrape.Content.Headers.ContentType?.MediaType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConsoleLogs_TimestampedWithIds_OneLinePerUnknownTokenAndRefusalWithItsReason()
    {
        _server = await MonitoredServer.StartAsync();
        var device = _server.ClientWith(MonitoredServer.DeviceToken);
        var syncId = SyncData.NewId("logs");
        var parts = SyncData.Parts(syncId, "logs-phone", SyncData.Records(4), perPart: 4);
        var answer = await device.PostPart(parts[0]).Ok();
        var requestId = answer.Headers.GetValues("X-Request-Id").Single();
        await _server.ClientWith("secret-wrong-token").PostPart(parts[0]);
        Assert.Equal(HttpStatusCode.BadRequest, (await device.PostPart(parts[0].Replace("\"part_number\":1", "\"part_number\":0", StringComparison.Ordinal))).StatusCode);

        await Eventually.True(() => _server.Lines.Any(l => l.Contains("refused with 400", StringComparison.Ordinal)), TimeSpan.FromSeconds(10));
        var lines = _server.Lines.ToList();
        Assert.All(lines, l => Assert.Matches(Timestamp(), l));
        Assert.Single(lines, l => l.Contains("BatchSync Production: data folder", StringComparison.Ordinal)
            && l.Contains(TestStorage.IsPostgreSql ? "storage PostgreSQL" : "storage Sqlite", StringComparison.Ordinal) && l.Contains("2 configured", StringComparison.Ordinal)
            && l.Contains("young generation up to 32 MB", StringComparison.Ordinal));
        var completed = Assert.Single(lines, l => l.Contains($"Sync {syncId} of device logs-phone completed", StringComparison.Ordinal));
        Assert.Contains($"request_id={requestId}", completed, StringComparison.Ordinal);
        Assert.Contains($"sync_id={syncId}", completed, StringComparison.Ordinal);
        Assert.Single(lines, l => l.Contains("Unknown bearer token refused (401)", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("was not authenticated", StringComparison.Ordinal) || l.Contains("was challenged", StringComparison.Ordinal));
        var refused = Assert.Single(lines, l => l.Contains("refused with 400", StringComparison.Ordinal));
        Assert.Contains("part_number", refused, StringComparison.Ordinal);
        Assert.Contains(syncId, refused, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, l => l.Contains("secret-wrong-token", StringComparison.Ordinal) || l.Contains(MonitoredServer.DeviceToken, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains("\"records\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Startup_InProductionWithNoToken_Warns()
    {
        _server = await MonitoredServer.StartAsync(withTokens: false);

        await Eventually.True(() => _server.Lines.Any(l => l.Contains("warn:", StringComparison.Ordinal) && l.Contains("No token is configured", StringComparison.Ordinal)),
            TimeSpan.FromSeconds(10));
    }

    private static string ExtractSyncId(string part) => System.Text.Json.JsonDocument.Parse(part).RootElement.GetProperty("sync_id").GetString()!;

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (trce|dbug|info|warn|fail|crit): ")]
    private static partial Regex Timestamp();
}
