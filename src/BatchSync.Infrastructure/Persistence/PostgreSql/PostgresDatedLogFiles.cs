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
    /// <summary>How many of one completion's files are written at once.</summary>
    private static readonly int FilesAtOnce = Math.Max(2, Environment.ProcessorCount);

    public async Task WriteAsync(IReadOnlyList<OwedLogFile> files, CancellationToken cancellationToken)
    {
        try
        {
            // Each file under its own lock, on connections of its own (the lock's pool, then the main one): a
            // completion's days are written side by side, which a big completion's dozen files of many
            // thousand lines need (one at a time, the reading and the writing waited on each other). No file
            // waits for another's lock, so two completions sharing days cannot hold each other up.
            await Parallel.ForEachAsync(
                files.DistinctBy(f => (f.Type, f.DeviceId, f.Date)),
                new ParallelOptions { MaxDegreeOfParallelism = FilesAtOnce, CancellationToken = cancellationToken },
                async (file, ct) => await WriteFileAsync(file.Type, file.DeviceId, file.Date, wait: true, rebuild: false, ct));
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
    /// Rewrites every file the tables back, each under its lock, and deletes log files no row backs (and
    /// temporary files an interrupted rewrite left). A file the first pass did not write is judged again
    /// under its own lock: if a server committed rows for it meanwhile, it is rewritten; if not, deleted.
    /// </summary>
    public async Task<(int Files, int Removed)> RebuildAllAsync(CancellationToken cancellationToken)
    {
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
        var candidates = Directory.Exists(root)
            ? Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories)
                .Where(f => f.EndsWith(".jsonl", StringComparison.Ordinal) || f.EndsWith(".jsonl.tmp", StringComparison.Ordinal))
                .ToList()
            : [];
        foreach (var file in candidates)
        {
            if (written.Contains(file) || !File.Exists(file))
            {
                continue;
            }

            if (database.LogFilePaths.Parse(file) is not { } key)
            {
                File.Delete(file);
                removed++;
                continue;
            }

            var path = database.LogFilePaths.Of(key.Type, key.Date, key.DeviceId);
            if (written.Contains(path))
            {
                // A temporary file beside a file this run rewrote: a server's rewrite under way, or one cut short.
                removed += await DeleteUnlessBackedAsync(key, file, temporaryOnly: true, cancellationToken);
                continue;
            }

            var deleted = await DeleteUnlessBackedAsync(key, file, temporaryOnly: false, cancellationToken);
            removed += deleted;
            if (deleted == 0)
            {
                written.Add(path);
            }
        }

        return (written.Count, removed);
    }

    /// <summary>
    /// Under the file's lock: deletes <paramref name="file"/> when the tables hold no row for it, or, with
    /// <paramref name="temporaryOnly"/>, whenever no writer is at work on it. A file rows back is rewritten.
    /// </summary>
    private async Task<int> DeleteUnlessBackedAsync(
        (RecordType Type, DateOnly Date, string DeviceId) key, string file, bool temporaryOnly, CancellationToken cancellationToken)
    {
        await using var fileLock = await PostgresSessionLock.TakeFileAsync(database, logger, key.Type, key.DeviceId, key.Date, wait: true, cancellationToken);
        if (!temporaryOnly)
        {
            await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
            await using var exists = new NpgsqlCommand(
                $"SELECT EXISTS (SELECT 1 FROM {LogTables.Of(key.Type)} WHERE device_id = $1 AND log_date = $2)", connection);
            exists.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.DeviceId });
            exists.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = key.Date });
            if (await exists.ExecuteScalarAsync(cancellationToken) is true)
            {
                await WriteLockedAsync(connection, key.Type, key.DeviceId, key.Date, rebuild: true, cancellationToken);
                return 0;
            }
        }

        if (!File.Exists(file))
        {
            return 0;
        }

        File.Delete(file);
        return 1;
    }

    /// <summary>
    /// Brings one file up to date with the tables. Without <paramref name="wait"/>, returns false at once
    /// when another writer holds the file. With <paramref name="rebuild"/>, rewrites it whatever it owes.
    /// The lock lives on a connection of its own; the work goes through the pool's prepared statements.
    /// </summary>
    public async Task<bool> WriteFileAsync(RecordType type, string deviceId, DateOnly date, bool wait, bool rebuild, CancellationToken cancellationToken)
    {
        await using var fileLock = await PostgresSessionLock.TakeFileAsync(database, logger, type, deviceId, date, wait, cancellationToken);
        if (fileLock is null)
        {
            return false;
        }

        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await WriteLockedAsync(connection, type, deviceId, date, rebuild, cancellationToken);
        return true;
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

    private static void AddFileParameters(NpgsqlCommand command, RecordType type, string deviceId, DateOnly date)
    {
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = type.WireName() });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = deviceId });
        command.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = date });
    }
}
