using BatchSync.Application.Sync;
using BatchSync.Domain.Sync;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace BatchSync.Infrastructure.Persistence.PostgreSql;

/// <summary>
/// The one writer of a dated log file across instances: a session-level advisory lock on a connection of
/// its own, so an instance that dies lets go of it with its connection. Disposing releases it.
/// </summary>
internal sealed class PostgresFileLock : IAsyncDisposable
{
    private readonly NpgsqlConnection _connection;
    private readonly string _fileKey;
    private readonly ILogger _logger;

    private PostgresFileLock(NpgsqlConnection connection, string fileKey, ILogger logger)
    {
        _connection = connection;
        _fileKey = fileKey;
        _logger = logger;
    }

    /// <summary>Takes the file's lock, waiting for it when <paramref name="wait"/>; without, null when another writer holds it.</summary>
    public static async Task<PostgresFileLock?> TakeAsync(
        PostgresDatabase database, ILogger logger, RecordType type, string deviceId, DateOnly date, bool wait, CancellationToken cancellationToken)
    {
        var fileKey = $"{type.WireName()}/{LogCalendar.Format(date)}/{deviceId}";
        var connection = await database.LockSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand(
                wait ? "SELECT pg_advisory_lock($1, hashtext($2)), true" : "SELECT pg_try_advisory_lock($1, hashtext($2))", connection);
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = AdvisoryLocks.LogFile });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = fileKey });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            if (reader.GetBoolean(wait ? 1 : 0))
            {
                return new PostgresFileLock(connection, fileKey, logger);
            }
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }

        await connection.DisposeAsync();
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock($1, hashtext($2))", _connection);
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = AdvisoryLocks.LogFile });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _fileKey });
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // Its return to the pool resets the session (DISCARD ALL), which releases the lock.
            _logger.LogWarning("Lock on dated log file {File} not released at once ({Reason}); the pool's reset releases it", _fileKey, e.Message);
        }
        finally
        {
            await _connection.DisposeAsync();
        }
    }
}
