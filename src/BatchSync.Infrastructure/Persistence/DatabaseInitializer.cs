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
        database.CreateIfMissing();
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<BatchSyncDbContext>();
            await db.Database.MigrateAsync(cancellationToken);
        }

        await using var connection = database.OpenWriteConnection();
        var owed = new List<(long Id, string Type, string Device, string Date)>();
        await using (var select = connection.CreateCommand())
        {
            select.CommandText = "SELECT id, log_type, device_id, log_date FROM log_file_outbox ORDER BY id";
            await using var rows = await select.ExecuteReaderAsync(cancellationToken);
            while (await rows.ReadAsync(cancellationToken))
            {
                owed.Add((rows.GetInt64(0), rows.GetString(1), rows.GetString(2), rows.GetString(3)));
            }
        }

        foreach (var file in owed.DistinctBy(o => (o.Type, o.Device, o.Date)))
        {
            if (!RecordTypes.TryParse(file.Type, out var type))
            {
                continue;
            }

            LogFileWriter.Rebuild(connection, database.LogFilePaths, calendar, type, file.Device, DateOnly.Parse(file.Date, System.Globalization.CultureInfo.InvariantCulture));
        }

        if (owed.Count > 0)
        {
            await using var delete = connection.CreateCommand();
            delete.CommandText = "DELETE FROM log_file_outbox WHERE id <= $last";
            delete.Parameters.AddWithValue("$last", owed[^1].Id);
            await delete.ExecuteNonQueryAsync(cancellationToken);
            logger.LogInformation("Rewrote {Count} dated log files owed from before the last stop", owed.Count);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
