using System.Net;
using System.Text.Json;
using BatchSync.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace BatchSync.IntegrationTests;

/// <summary>A device's latest sync on a clock the test holds still: two syncs touched in the same millisecond.</summary>
public sealed class DeviceLastSyncTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.UtcNow);
    private readonly BatchSyncApp _app;
    private readonly HttpClient _device;
    private readonly HttpClient _admin;

    public DeviceLastSyncTests()
    {
        _app = new BatchSyncApp(new(), services => services.AddSingleton<TimeProvider>(_time));
        _device = _app.ClientWith(BatchSyncApp.DeviceToken);
        _admin = _app.ClientWith(BatchSyncApp.AdminToken);
    }

    public void Dispose() => _app.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TwoSyncsTouchedInTheSameMillisecond_TheOneBegunLaterIsTheDevicesLatest(bool laterTouchedFirst)
    {
        var device = SyncData.NewId("tie");
        var (earlier, later) = (SyncData.NewId(device), SyncData.NewId(device));
        var earlierParts = SyncData.Parts(earlier, device, SyncData.Records(30), 10);
        var laterParts = SyncData.Parts(later, device, SyncData.Records(30, SyncData.Start + 3_600_000), 10);
        await _device.PostPart(earlierParts[0]).Ok();
        _time.Advance(TimeSpan.FromSeconds(1));
        await _device.PostPart(laterParts[0]).Ok();
        _time.Advance(TimeSpan.FromSeconds(1));
        var touches = laterTouchedFirst ? new[] { laterParts[1], earlierParts[1] } : new[] { earlierParts[1], laterParts[1] };
        foreach (var part in touches)
        {
            await _device.PostPart(part).Ok();
        }

        var response = await _admin.GetAsync("/api/v1/admin/devices?page_size=500");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var mine = (await response.Json()).GetProperty("data").GetProperty("items").EnumerateArray()
            .Single(d => d.GetProperty("device_id").GetString() == device);
        var last = mine.GetProperty("last_sync");
        Assert.Equal((later, "open"), (last.GetProperty("sync_id").GetString(), last.GetProperty("sync_status").GetString()));
        Assert.Equal(_time.GetUtcNow().UtcDateTime, last.GetProperty("updated_at").GetDateTime().ToUniversalTime(), TimeSpan.FromMilliseconds(1));
    }
}
