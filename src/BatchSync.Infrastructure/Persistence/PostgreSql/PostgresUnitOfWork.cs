using System.Data;
using System.Diagnostics;
using BatchSync.Application.Abstractions;
using BatchSync.Application.Diagnostics;
using Npgsql;

namespace BatchSync.Infrastructure.Persistence.PostgreSql;

/// <summary>
/// The PostgreSQL unit of work: a connection of its own, one READ COMMITTED transaction, and first a
/// transaction-scoped advisory lock on the sync id, taken whether or not the session's row exists yet.
/// Every instance takes the same lock, so a sync's parts are decided one at a time across the cluster,
/// and the lock goes with the transaction, however it ends.
/// </summary>
internal sealed class PostgresUnitOfWork : ISyncUnitOfWork
{
    private readonly PostgresDatabase _database;
    private readonly PostgresLogRows _rows;
    private readonly BatchSyncMetrics _metrics;
    private long _inFlight;

    public PostgresUnitOfWork(PostgresDatabase database, PostgresLogRows rows, BatchSyncMetrics metrics)
    {
        _database = database;
        _rows = rows;
        _metrics = metrics;

        // No queue on PostgreSQL: the units of work under way on this instance stand for it.
        metrics.ObserveWriteQueue(() => Interlocked.Read(ref _inFlight));
    }

    public async Task<T> ExecuteAsync<T>(
        string syncId,
        Func<ISyncTransaction, CancellationToken, ValueTask<T>> work,
        CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _inFlight);
        try
        {
            return await RunAsync(syncId, work, cancellationToken);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }

    private async Task<T> RunAsync<T>(
        string syncId,
        Func<ISyncTransaction, CancellationToken, ValueTask<T>> work,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await _database.DataSource.OpenConnectionAsync(cancellationToken);
                await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.ReadCommitted, cancellationToken);
                var store = new PostgresSyncTransaction(connection, transaction, syncId, _rows, _database.StagedSource);
                var result = await work(store, cancellationToken);
                var committing = Stopwatch.GetTimestamp();
                await transaction.CommitAsync(cancellationToken);
                _metrics.CommitDone(Stopwatch.GetElapsedTime(committing));
                return result;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DeadlockDetected && attempt < 3)
            {
                // Two completions of one device inserting the same records in another order: PostgreSQL
                // undid one of them, whose work runs again from the start (it reloads the session).
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.DiskFull)
            {
                throw new StorageFullException("The database's storage is full.", e);
            }
            catch (Exception e) when (PostgresFaults.IsUnavailable(e))
            {
                throw new StorageUnavailableException("The database cannot be reached.", e);
            }
        }
    }
}

/// <summary>Locks of the cluster: advisory lock keys in namespaces of their own.</summary>
internal static class AdvisoryLocks
{
    /// <summary>A sync: its parts and its completion, one at a time.</summary>
    public const int Sync = 1;

    /// <summary>A dated log file: one writer at a time.</summary>
    public const int LogFile = 2;

    /// <summary>Opening a sync: the open-session limits counted one opening at a time.</summary>
    public const int OpenSessions = 3;

    /// <summary>Schema work: migrations and partitions.</summary>
    public const int Schema = 4;

    /// <summary>Background jobs run once across the cluster.</summary>
    public const int Job = 5;

    /// <summary>A device's log rows: one completion of that device inserts at a time (taken after <see cref="Sync"/>).</summary>
    public const int DeviceRows = 6;
}

internal static class PostgresFaults
{
    /// <summary>The database is gone or going (connection lost, server shutting down or starting): the request may be retried.</summary>
    public static bool IsUnavailable(Exception e) => e switch
    {
        StorageUnavailableException => false,
        PostgresException { SqlState: PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.DiskFull } => false,
        PostgresException pg => pg.SqlState.StartsWith("08", StringComparison.Ordinal) ||
                                pg.SqlState is "57P01" or "57P02" or "57P03" or "53300",
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is IOException or System.Net.Sockets.SocketException,
        TimeoutException => true,
        _ => e.InnerException is { } inner && IsUnavailable(inner),
    };
}
