using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BatchSync.Infrastructure.Persistence;

/// <summary>
/// Copies the write-ahead log into the database file from its own connection, a few times a second,
/// instead of letting the writer do it inside a commit. A passive checkpoint never blocks the writer;
/// once the log is copied, the writer starts it over, so it stays small. If the log still grows past
/// a bound (readers holding old snapshots), a truncating checkpoint waits for them.
/// </summary>
internal sealed class WalCheckpointer(SqliteDatabase database, ILogger<WalCheckpointer> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);
    private const long TruncateAboveBytes = 256L * 1024 * 1024;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var connection = new SqliteConnection(database.ConnectionString);
        await connection.OpenAsync(stoppingToken);
        var wal = Path.Combine(database.DataDirectory, "batchsync.db-wal");
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
        {
            try
            {
                var mode = File.Exists(wal) && new FileInfo(wal).Length > TruncateAboveBytes ? "TRUNCATE" : "PASSIVE";
                await using var checkpoint = connection.CreateCommand();
                checkpoint.CommandText = $"PRAGMA wal_checkpoint({mode})";
                await checkpoint.ExecuteNonQueryAsync(stoppingToken);
            }
            catch (SqliteException e)
            {
                logger.LogWarning(e, "WAL checkpoint failed; trying again shortly");
            }
        }
    }
}
