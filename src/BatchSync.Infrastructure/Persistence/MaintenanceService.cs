using BatchSync.Application.Common;
using BatchSync.Application.Sync.SweepSessions;
using Mediator;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BatchSync.Infrastructure.Persistence;

/// <summary>
/// Runs the session retention sweep at start and then every <c>SweepIntervalSeconds</c> on the
/// configured <see cref="TimeProvider"/>, so tests move the clock instead of waiting. With several
/// instances, <see cref="IJobLease"/> lets one of them run each round.
/// </summary>
internal sealed class MaintenanceService(
    IServiceScopeFactory scopes,
    IJobLease lease,
    IOptions<BatchSyncOptions> options,
    TimeProvider time,
    ILogger<MaintenanceService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.Maintenance.SweepIntervalSeconds), time);
        try
        {
            do
            {
                await SweepAsync(stoppingToken);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var run = await lease.TryAcquireAsync("session-sweep", TimeSpan.FromSeconds(options.Value.Maintenance.SweepIntervalSeconds), cancellationToken);
            if (run is null)
            {
                return;
            }

            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<ISender>().Send(new SweepSessionsCommand(), cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The next sweep tries again; a failed sweep loses nothing.
            logger.LogError(e, "Session retention sweep failed");
        }
    }
}
