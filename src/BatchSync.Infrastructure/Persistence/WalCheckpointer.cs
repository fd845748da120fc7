using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BatchSync.Infrastructure.Persistence;

/// <summary>
/// Copies the write-ahead log into the database file from its own connection and thread, so that the
/// writer's thread, the server's bound, neither copies pages nor waits for the database file to sync.
/// A passive checkpoint never blocks the writer. Under load it runs every few milliseconds, so that
/// it copies everything often enough for the writer to start the log over; while nothing is written it
/// waits longer.
/// </summary>
internal sealed class WalCheckpointer(SqliteDatabase database, ILogger<WalCheckpointer> logger) : BackgroundService
{
    private static readonly TimeSpan Busy = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan Idle = TimeSpan.FromMilliseconds(250);

    // Its own thread: a checkpoint blocks while it copies, and the request threads are few.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        using var connection = new SqliteConnection(database.ConnectionString);
        connection.Open();
        using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        (long Log, long Copied) last = (-1, -1);
        var interval = Idle;
        while (!stoppingToken.WaitHandle.WaitOne(interval))
        {
            try
            {
                // One row: busy, frames in the log, frames copied. The same two counts as last time: nothing was written since.
                using var result = checkpoint.ExecuteReader();
                var now = result.Read() ? (result.GetInt64(1), result.GetInt64(2)) : last;
                interval = now == last ? Idle : Busy;
                last = now;
            }
            catch (SqliteException e)
            {
                logger.LogWarning(e, "WAL checkpoint failed; trying again shortly");
                interval = Idle;
            }
        }
    }
}
