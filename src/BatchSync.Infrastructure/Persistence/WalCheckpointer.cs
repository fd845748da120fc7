using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BatchSync.Infrastructure.Persistence;

/// <summary>
/// Copies the write-ahead log into the database file from its own connection, a few times a second,
/// so that the writer's commits rarely have pages left to copy. A passive checkpoint never blocks
/// the writer.
/// </summary>
internal sealed class WalCheckpointer(SqliteDatabase database, ILogger<WalCheckpointer> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    // Its own thread: a checkpoint blocks while it copies, and the request threads are few.
    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.Factory.StartNew(() => Run(stoppingToken), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    private void Run(CancellationToken stoppingToken)
    {
        using var connection = new SqliteConnection(database.ConnectionString);
        connection.Open();
        using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
        while (!stoppingToken.WaitHandle.WaitOne(Interval))
        {
            try
            {
                checkpoint.ExecuteNonQuery();
            }
            catch (SqliteException e)
            {
                logger.LogWarning(e, "WAL checkpoint failed; trying again shortly");
            }
        }
    }
}
