using BatchSync.Application.Sync;
using BatchSync.Domain.Sync;
using BatchSync.Infrastructure.LogFiles;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BatchSync.Infrastructure.Persistence;

/// <summary>
/// Before the server takes a request: create the data folder, apply migrations, and rewrite every
/// dated log file a completion changed but that was not known to be written (the process stopped
/// in between). Runs before the writer starts, so no new completion can race it.
/// </summary>
internal sealed class DatabaseInitializer(
    IServiceScopeFactory scopes,
    SqliteDatabase database,
    LogCalendar calendar,
    ILogger<DatabaseInitializer> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        database.Lock();
        database.CreateIfMissing();
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BatchSyncDbContext>();
            await db.Database.MigrateAsync(cancellationToken);
        }

        await using var connection = database.OpenWriteConnection();
        Upgrades.DataUpgrades.Run(connection, logger);
        var rewritten = LogFileCatchUp.RewriteOwed(connection, database, calendar);
        if (rewritten > 0)
        {
            logger.LogInformation("Rewrote {Count} dated log files owed from before the last stop", rewritten);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
