using System.Data;
using BatchSync.Application.Abstractions;
using BatchSync.Application.Sync;
using BatchSync.Domain.Sync;
using BatchSync.Infrastructure.LogFiles;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace BatchSync.Infrastructure.Persistence.PostgreSql;

/// <summary>
/// The dated log files across instances. One writer per file at any moment: a session-level advisory lock
/// on the file, so an instance that dies lets go of it with its connection. The holder claims the file's
/// outbox rows (a committed attempt count, so a writer that died half-way is noticed), then, in one
/// REPEATABLE READ snapshot, either appends the claimed syncs' new rows (their earliest record comes
/// after every other row of that file, and it was the first attempt) or rewrites the file whole from
/// the snapshot into a temporary file that replaces it, and deletes the outbox rows that snapshot covers.
/// Files are ordered by (timestamp, id) in both cases; appends happen only past the file's last
/// timestamp, so the order never depends on which transaction committed first.
/// </summary>
internal sealed class PostgresDatedLogFiles(PostgresDatabase database, ILogger<PostgresDatedLogFiles> logger) : IDatedLogFiles
{
    public async Task WriteAsync(IReadOnlyList<OwedLogFile> files, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var file in files.DistinctBy(f => (f.Type, f.DeviceId, f.Date)))
            {
                await WriteFileAsync(file.Type, file.DeviceId, file.Date, wait: true, rebuild: false, cancellationToken);
            }
        }
        catch (Exception e) when (PostgresFaults.IsUnavailable(e))
        {
            throw new StorageUnavailableException("The database cannot be reached.", e);
        }
        catch (Exception e) when (StorageFaults.IsOutOfSpace(e))
        {
            throw new StorageFullException("The server's storage is full.", e);
        }
    }

    /// <summary>
    /// Rewrites every file the tables back, each under its lock, and deletes log files no row backs
    /// (and temporary files an interrupted rewrite left) that are older than this run, so a file a
    /// server creates meanwhile is left alone.
    /// </summary>
    public async Task<(int Files, int Removed)> RebuildAllAsync(CancellationToken cancellationToken)
    {
        var started = DateTime.UtcNow.AddSeconds(-1);
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var type in Enum.GetValues<RecordType>())
        {
            var files = new List<(string DeviceId, DateOnly Date)>();
            await using (var select = database.DataSource.CreateCommand(
                $"SELECT DISTINCT device_id, log_date FROM {LogTables.Of(type)} ORDER BY device_id, log_date"))
            await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    files.Add((reader.GetString(0), reader.GetFieldValue<DateOnly>(1)));
                }
            }

            foreach (var (deviceId, date) in files)
            {
                await WriteFileAsync(type, deviceId, date, wait: true, rebuild: true, cancellationToken);
                written.Add(database.LogFilePaths.Of(type, date, deviceId));
            }
        }

        var removed = 0;
        var root = Path.Combine(database.DataDirectory, "logs");
        if (Directory.Exists(root))
        {
            foreach (var file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories))
            {
                if (!written.Contains(file) && File.GetLastWriteTimeUtc(file) < started &&
                    (file.EndsWith(".jsonl", StringComparison.Ordinal) || file.EndsWith(".jsonl.tmp", StringComparison.Ordinal)))
                {
                    File.Delete(file);
                    removed++;
                }
            }
        }

        return (written.Count, removed);
    }

    /// <summary>
    /// Brings one file up to date with the tables. Without <paramref name="wait"/>, returns false at once
    /// when another writer holds the file. With <paramref name="rebuild"/>, rewrites it whatever it owes.
    /// The lock lives on a connection of its own; the work goes through the pool's prepared statements.
    /// </summary>
    public async Task<bool> WriteFileAsync(RecordType type, string deviceId, DateOnly date, bool wait, bool rebuild, CancellationToken cancellationToken)
    {
        var fileKey = $"{type.WireName()}/{LogCalendar.Format(date)}/{deviceId}";
        await using var lockConnection = await database.LockSource.OpenConnectionAsync(cancellationToken);
        if (!await LockAsync(lockConnection, fileKey, wait, cancellationToken))
        {
            return false;
        }

        try
        {
            await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
            await WriteLockedAsync(connection, type, deviceId, date, rebuild, cancellationToken);
            return true;
        }
        finally
        {
            await UnlockAsync(lockConnection, fileKey);
        }
    }

    private async Task WriteLockedAsync(NpgsqlConnection connection, RecordType type, string deviceId, DateOnly date, bool rebuild, CancellationToken cancellationToken)
    {
        var claimed = new List<(long Id, string SyncId, int Attempts, long? FirstTimestamp)>();
        await using (var claim = new NpgsqlCommand(
            "UPDATE log_file_outbox SET attempts = attempts + 1 WHERE log_type = $1 AND device_id = $2 AND log_date = $3 " +
            "RETURNING id, sync_id, attempts, first_timestamp", connection))
        {
            AddFileParameters(claim, type, deviceId, date);
            await using var reader = await claim.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                claimed.Add((reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2), reader.IsDBNull(3) ? null : reader.GetInt64(3)));
            }
        }

        if (claimed.Count == 0 && !rebuild)
        {
            return;
        }

        var path = database.LogFilePaths.Of(type, date, deviceId);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        var firstNew = claimed.TrueForAll(c => c.Attempts == 1 && c.FirstTimestamp is not null) ? claimed.Min(c => c.FirstTimestamp) : null;
        string[] syncs = [.. claimed.Select(c => c.SyncId).Distinct()];
        var appended = !rebuild && firstNew is { } first &&
                       await PostgresLogFileRows.TryAppendAsync(connection, transaction, type, deviceId, date, syncs, first, path, cancellationToken);
        if (appended)
        {
            await using var settle = new NpgsqlCommand("DELETE FROM log_file_outbox WHERE id = ANY($1)", connection, transaction);
            settle.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = [.. claimed.Select(c => c.Id)] });
            await settle.ExecuteNonQueryAsync(cancellationToken);
        }
        else
        {
            await PostgresLogFileRows.RewriteAsync(connection, transaction, type, deviceId, date, path, cancellationToken);

            // Everything this snapshot shows is in the file now, including completions committed after the claim.
            await using var settle = new NpgsqlCommand(
                "DELETE FROM log_file_outbox WHERE log_type = $1 AND device_id = $2 AND log_date = $3", connection, transaction);
            AddFileParameters(settle, type, deviceId, date);
            await settle.ExecuteNonQueryAsync(cancellationToken);
            if (claimed.Exists(c => c.Attempts > 1))
            {
                logger.LogInformation("Dated log file {Path} rewritten after an earlier attempt did not finish", path);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task<bool> LockAsync(NpgsqlConnection connection, string fileKey, bool wait, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            wait ? "SELECT pg_advisory_lock($1, hashtext($2)), true" : "SELECT pg_try_advisory_lock($1, hashtext($2))", connection);
        command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = AdvisoryLocks.LogFile });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = fileKey });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return reader.GetBoolean(wait ? 1 : 0);
    }

    private async Task UnlockAsync(NpgsqlConnection connection, string fileKey)
    {
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock($1, hashtext($2))", connection);
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = AdvisoryLocks.LogFile });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = fileKey });
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // Its return to the pool resets the session (DISCARD ALL), which releases the lock.
            logger.LogWarning("Lock on dated log file {File} not released at once ({Reason}); the pool's reset releases it", fileKey, e.Message);
        }
    }

    private static void AddFileParameters(NpgsqlCommand command, RecordType type, string deviceId, DateOnly date)
    {
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = type.WireName() });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = deviceId });
        command.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = date });
    }
}
