using BatchSync.Application.Sync;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace BatchSync.Infrastructure.Persistence.PostgreSql;

/// <summary>
/// Before an instance takes a request: the migrations, applied under a cluster-wide advisory lock so
/// instances starting at the same moment apply them once, one after the other; then the partitions
/// of the days around today, ahead of need. Until the database answers, it waits and tries again.
/// </summary>
internal sealed class PostgresInitializer(
    IServiceScopeFactory scopes,
    PostgresDatabase database,
    PostgresLogPartitions partitions,
    LogCalendar calendar,
    TimeProvider time,
    ILogger<PostgresInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(database.DataDirectory);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await MigrateAsync(cancellationToken);
                break;
            }
            catch (Exception e) when (PostgresFaults.IsUnavailable(e) && attempt < 30)
            {
                logger.LogWarning("PostgreSQL not reachable yet ({Reason}); trying again", e.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), time, cancellationToken);
            }
        }

        var today = calendar.LogDate(time.GetUtcNow().ToUnixTimeMilliseconds());
        await partitions.CreateAsync(Enumerable.Range(-1, 4).Select(today.AddDays), cancellationToken);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await database.LockSource.OpenConnectionAsync(cancellationToken);
        await using (var take = new NpgsqlCommand("SELECT pg_advisory_lock($1, 0)", connection))
        {
            take.Parameters.Add(new NpgsqlParameter<int> { TypedValue = AdvisoryLocks.Schema });
            await take.ExecuteNonQueryAsync(cancellationToken);
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<BatchSyncDbContext>().Database.MigrateAsync(cancellationToken);
        }
        finally
        {
            await using var release = new NpgsqlCommand("SELECT pg_advisory_unlock($1, 0)", connection);
            release.Parameters.Add(new NpgsqlParameter<int> { TypedValue = AdvisoryLocks.Schema });
            await release.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }
}
