using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BatchSync.Infrastructure.Persistence;

/// <summary>
/// Copies the write-ahead log into the database file from its own connection and thread, so that the
/// writer's thread, the server's bound, seldom copies pages or waits for the database file to sync:
/// when the writer's own checkpoint comes, little is left for it. A passive checkpoint never blocks
/// the writer. While something was committed since the last one it runs every few milliseconds;
/// otherwise it waits longer.
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

        // Changes whenever another connection has committed since this one last asked.
        using var version = connection.CreateCommand();
        version.CommandText = "PRAGMA data_version";
        long? last = null;
        var interval = Idle;
        while (!stoppingToken.WaitHandle.WaitOne(interval))
        {
            try
            {
                checkpoint.ExecuteNonQuery();
                var now = (long)version.ExecuteScalar()!;
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
