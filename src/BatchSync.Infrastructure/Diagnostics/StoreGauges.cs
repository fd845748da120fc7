using BatchSync.Application.Abstractions;
using BatchSync.Application.Diagnostics;
using BatchSync.Domain.Sync;
using BatchSync.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BatchSync.Infrastructure.Diagnostics;

public static class StoreGaugeRegistration
{
    /// <summary>Open syncs, dated files owed and free space, for <see cref="BatchSyncMetrics"/>.</summary>
    public static IServiceCollection AddStoreGauges(this IServiceCollection services) =>
        services.AddHostedService<StoreGauges>();
}

/// <summary>
/// Reads the store's gauges through EF Core (so on either provider), at most once a second however
/// many gauges and exporters ask: a scrape costs two indexed counts.
/// </summary>
internal sealed class StoreGauges(
    BatchSyncMetrics metrics,
    IServiceScopeFactory scopes,
    IStorageGauge storage,
    TimeProvider time,
    ILogger<StoreGauges> logger) : IHostedService
{
    private static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(1);
    private readonly Lock _lock = new();
    private StoreReading? _last;
    private long _readAt;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        metrics.ObserveStore(Read);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private StoreReading? Read()
    {
        lock (_lock)
        {
            if (_last is not null && time.GetElapsedTime(_readAt) < MaxAge)
            {
                return _last;
            }

            try
            {
                using var scope = scopes.CreateScope();
                var db = scope.ServiceProvider.GetRequiredService<BatchSyncDbContext>();
                var open = db.SyncSessions.AsNoTracking().LongCount(s => s.Status == SyncStatus.Open);
                var owed = db.LogFileOutbox.AsNoTracking().Select(f => new { f.LogType, f.DeviceId, f.LogDate }).Distinct().LongCount();
                _last = new StoreReading(open, owed, storage.AvailableBytes());
                _readAt = time.GetTimestamp();
                return _last;
            }
            catch (Exception e)
            {
                // A gauge that cannot be read is left out of this scrape; the next one tries again.
                logger.LogDebug(e, "Store gauges not read");
                return null;
            }
        }
    }
}
