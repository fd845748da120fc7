using BatchSync.Application.Sync;
using BatchSync.Domain.Sync;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace BatchSync.Infrastructure.Persistence.PostgreSql;

/// <summary>
/// A session-level advisory lock on a connection of its own (<see cref="AdvisoryLocks"/> gives the
/// spaces), so an instance that dies lets go of it with its connection. Disposing releases it. Work
/// that must happen under the lock on the same session may use <see cref="Connection"/>.
/// </summary>
internal sealed class PostgresSessionLock : IAsyncDisposable
{
    private readonly int _space;
    private readonly string _key;
    private readonly ILogger _logger;

    private PostgresSessionLock(NpgsqlConnection connection, int space, string key, ILogger logger)
    {
        Connection = connection;
        _space = space;
        _key = key;
        _logger = logger;
    }

    public NpgsqlConnection Connection { get; }

    /// <summary>The one writer of a dated log file across instances.</summary>
    public static Task<PostgresSessionLock?> TakeFileAsync(
        PostgresDatabase database, ILogger logger, RecordType type, string deviceId, DateOnly date, bool wait, CancellationToken cancellationToken) =>
        TakeAsync(database, logger, AdvisoryLocks.LogFile, $"{type.WireName()}/{LogCalendar.Format(date)}/{deviceId}", wait, cancellationToken);

    /// <summary>Takes the lock, waiting for it when <paramref name="wait"/>; without, null when another session holds it.</summary>
    public static async Task<PostgresSessionLock?> TakeAsync(
        PostgresDatabase database, ILogger logger, int space, string key, bool wait, CancellationToken cancellationToken)
    {
        var connection = await database.LockSource.OpenConnectionAsync(cancellationToken);
        try
        {
            await using var command = new NpgsqlCommand(
                wait ? "SELECT pg_advisory_lock($1, hashtext($2)), true" : "SELECT pg_try_advisory_lock($1, hashtext($2))", connection);
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = space });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            if (reader.GetBoolean(wait ? 1 : 0))
            {
                return new PostgresSessionLock(connection, space, key, logger);
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
            await using var command = new NpgsqlCommand("SELECT pg_advisory_unlock($1, hashtext($2))", Connection);
            command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = _space });
            command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _key });
            await command.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or InvalidOperationException)
        {
            // Its return to the pool resets the session (DISCARD ALL), which releases the lock.
            _logger.LogWarning("Advisory lock {Key} not released at once ({Reason}); the pool's reset releases it", _key, e.Message);
        }
        finally
        {
            await Connection.DisposeAsync();
        }
    }
}
