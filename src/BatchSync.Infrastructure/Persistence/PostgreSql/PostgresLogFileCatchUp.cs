using BatchSync.Domain.Sync;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace BatchSync.Infrastructure.Persistence.PostgreSql;

/// <summary>
/// Writes the files that stay owed: those of an instance that died between its commit and its files,
/// and those whose write failed. Every instance looks every <see cref="Interval"/> for outbox rows older
/// than that, and writes each file nobody else is writing at that moment.
/// </summary>
internal sealed class PostgresLogFileCatchUp(
    PostgresDatabase database,
    PostgresDatedLogFiles files,
    TimeProvider time,
    ILogger<PostgresLogFileCatchUp> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await CatchUpAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task CatchUpAsync(CancellationToken cancellationToken)
    {
        try
        {
            var owed = new List<(string Type, string DeviceId, DateOnly Date)>();
            await using (var select = database.DataSource.CreateCommand(
                "SELECT log_type, device_id, log_date FROM log_file_outbox WHERE created_at < now() - $1 " +
                "GROUP BY log_type, device_id, log_date ORDER BY min(id) LIMIT 500"))
            {
                select.Parameters.Add(new NpgsqlParameter<TimeSpan> { TypedValue = Interval });
                await using var reader = await select.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    owed.Add((reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateOnly>(2)));
                }
            }

            foreach (var (type, deviceId, date) in owed)
            {
                if (RecordTypes.TryParse(type, out var recordType) &&
                    await files.WriteFileAsync(recordType, deviceId, date, wait: false, rebuild: false, cancellationToken))
                {
                    logger.LogInformation("Dated log file {Type}/{Date}/{DeviceId} caught up", type, date, deviceId);
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Owed files stay owed; the next round tries again.
            logger.LogWarning("Owed dated log files not caught up yet: {Reason}", e.Message);
        }
    }
}
