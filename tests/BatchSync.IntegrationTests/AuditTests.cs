using System.Net;
using System.Net.Http.Headers;
using BatchSync.IntegrationTests.Infrastructure;

namespace BatchSync.IntegrationTests;

public class AuditTests(BatchSyncApp app) : IClassFixture<BatchSyncApp>
{
    private List<(string Outcome, long Status, string? Token, string? Device, string? Sync, long? Part, string? Reason, string RequestId)> EventsOf(string device)
    {
        using var db = app.OpenDatabase();
        using var select = TestStorage.Command(
            db,
            "SELECT outcome, status, token_name, device_id, sync_id, part_number, reason, request_id FROM audit_events " +
            "WHERE device_id = @d OR path LIKE '%' || @d ORDER BY id",
            ("@d", device));
        using var row = select.ExecuteReader();
        var events = new List<(string, long, string?, string?, string?, long?, string?, string)>();
        while (row.Read())
        {
            events.Add((row.GetString(0), row.GetInt64(1), row.IsDBNull(2) ? null : row.GetString(2), row.IsDBNull(3) ? null : row.GetString(3),
                row.IsDBNull(4) ? null : row.GetString(4), row.IsDBNull(5) ? null : row.GetInt64(5), row.IsDBNull(6) ? null : row.GetString(6), row.GetString(7)));
        }

        return events;
    }

    [Fact]
    public async Task EveryUploadOutcomeAndRefusal_RecordedWithNamesNeverTokens()
    {
        var client = app.ClientWith(BatchSyncApp.DeviceToken);
        var device = SyncData.NewId("audited");
        var syncId = SyncData.NewId(device);
        var parts = SyncData.Parts(syncId, device, SyncData.Records(6), 3);
        var stored = await client.PostPart(parts[0]);
        await client.PostPart(parts[0]);
        await client.PostPart(parts[1]);
        await client.PostPart(SyncData.Part(SyncData.NewId(device), device, 1, 1, [SyncData.Location(SyncData.Start, latitude: 95)]));
        await client.PostPart(SyncData.Part(syncId, device, 1, 2, SyncData.Records(3, latitude: 1)));
        var stranger = app.ClientWith("not-a-token-anyone-issued");
        await stranger.PostPart(SyncData.Part(SyncData.NewId(device), device, 1, 1, SyncData.Records(1)));
        await app.ClientWith(BatchSyncApp.ScopedToken).PostPart(SyncData.Part(SyncData.NewId(device), device, 1, 1, SyncData.Records(1)));

        List<(string Outcome, long Status, string? Token, string? Device, string? Sync, long? Part, string? Reason, string RequestId)> events = [];
        await Eventually.True(() => (events = EventsOf(device)).Count >= 6, TimeSpan.FromSeconds(10), "audit events are written within moments");

        Assert.Equal(
            ["stored", "duplicate", "completed", "rejected", "conflict", "refused"],
            events.Select(e => e.Outcome).ToArray());
        Assert.Equal([200L, 200, 200, 400, 409, 403], events.Select(e => e.Status).ToArray());
        Assert.All(events, e => Assert.Equal(device, e.Device));
        Assert.Equal(stored.Headers.GetValues("X-Request-Id").Single(), events[0].RequestId);
        Assert.Equal((syncId, 1L, "test-device"), (events[0].Sync, events[0].Part, events[0].Token));
        Assert.Contains("records[0].latitude", events[3].Reason);
        Assert.Equal("test-phone-1", events[5].Token);

        using var db = app.OpenDatabase();
        using var unknown = db.CreateCommand();
        unknown.CommandText = "SELECT COUNT(*) FROM audit_events WHERE status = 401 AND token_name IS NULL";
        Assert.True((long)unknown.ExecuteScalar()! >= 1);
        using var leak = db.CreateCommand();
        leak.CommandText = "SELECT COUNT(*) FROM audit_events WHERE reason LIKE '%token%' AND (reason LIKE '%not-a-token%' OR reason LIKE '%test-device-token%')";
        Assert.Equal(0L, (long)leak.ExecuteScalar()!);
    }
}
