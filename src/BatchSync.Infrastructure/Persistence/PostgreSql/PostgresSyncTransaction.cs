using BatchSync.Application.Abstractions;
using BatchSync.Application.Sync;
using BatchSync.Domain.Sync;
using BatchSync.Infrastructure.Persistence.Configurations;
using Npgsql;
using NpgsqlTypes;

namespace BatchSync.Infrastructure.Persistence.PostgreSql;

/// <summary>
/// One sync's unit of work on PostgreSQL; whichever call comes first takes the sync's lock. Staged parts'
/// payloads are read through connections of their own (<paramref name="stagedSource"/>), so that a
/// completion's merge reads the next parts while its rows are being copied on the transaction's
/// connection: they were committed by the requests that brought them, before this transaction took the
/// sync's lock, and nothing changes them while it holds it.
/// </summary>
internal sealed class PostgresSyncTransaction(
    NpgsqlConnection connection,
    NpgsqlTransaction transaction,
    string syncId,
    PostgresLogRows rows,
    NpgsqlDataSource stagedSource) : ISyncTransaction
{
    private readonly SessionChanges _changes = new();
    private bool _locked;
    private bool _countsLocked;

    public ValueTask<SyncSession?> LoadSessionAsync(CancellationToken cancellationToken) => LoadAsync(null, cancellationToken);

    public ValueTask<SyncSession?> LoadSessionForPartAsync(int partNumber, CancellationToken cancellationToken) =>
        LoadAsync(partNumber, cancellationToken);

    /// <summary>The session with its parts, or with only part <paramref name="onlyPart"/> and the count of them all.</summary>
    private async ValueTask<SyncSession?> LoadAsync(int? onlyPart, CancellationToken cancellationToken)
    {
        await using var batch = new NpgsqlBatch(connection, transaction);
        if (!_locked)
        {
            batch.BatchCommands.Add(Command("SELECT pg_advisory_xact_lock($1, hashtext($2))", AdvisoryLocks.Sync, syncId));
        }

        batch.BatchCommands.Add(Command(
            "SELECT device_id, user_name, total_parts, status, created_at, updated_at, completed_at, completion " +
            "FROM sync_sessions WHERE sync_id = $1",
            syncId));
        batch.BatchCommands.Add(onlyPart is { } number
            ? Command(
                "SELECT part_number, record_count, checksum, content_hash, received_at, (SELECT count(*) FROM batch_parts WHERE sync_id = $1) " +
                "FROM (SELECT 1) one LEFT JOIN batch_parts ON sync_id = $1 AND part_number = $2",
                syncId,
                number)
            : Command("SELECT part_number, record_count, checksum, content_hash, received_at FROM batch_parts WHERE sync_id = $1", syncId));
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        if (!_locked)
        {
            await reader.NextResultAsync(cancellationToken);
            _locked = true;
        }

        if (!await reader.ReadAsync(cancellationToken))
        {
            _changes.Loaded(null);
            return null;
        }

        var deviceId = reader.GetString(0);
        var userName = reader.GetString(1);
        var totalParts = reader.GetInt32(2);
        var status = Enum.Parse<SyncStatus>(reader.GetString(3));
        var createdAt = Time(reader.GetInt64(4));
        var updatedAt = Time(reader.GetInt64(5));
        DateTime? completedAt = reader.IsDBNull(6) ? null : Time(reader.GetInt64(6));
        var completion = CompletionJson.Deserialize(reader.IsDBNull(7) ? null : reader.GetString(7));
        await reader.NextResultAsync(cancellationToken);
        var parts = new List<BatchPart>();
        int? partCount = null;
        while (await reader.ReadAsync(cancellationToken))
        {
            if (onlyPart is not null)
            {
                partCount = (int)reader.GetInt64(5);
            }

            if (!reader.IsDBNull(0))
            {
                parts.Add(new BatchPart(reader.GetInt32(0), reader.GetInt32(1), reader.GetString(2), reader.GetString(3), Time(reader.GetInt64(4))));
            }
        }

        var session = SyncSession.Restore(syncId, deviceId, userName, totalParts, status, createdAt, updatedAt, completedAt, completion, parts, partCount);
        _changes.Loaded(session);
        return session;
    }

    public async ValueTask SaveSessionAsync(SyncSession session, StagedPart? staged, CancellationToken cancellationToken)
    {
        await LockAsync(cancellationToken);
        var change = _changes.Save(session, staged);
        await using var batch = new NpgsqlBatch(connection, transaction);
        var values = new object?[]
        {
            session.SyncId, session.DeviceId, session.UserName, session.TotalParts, session.Status.ToString(),
            Millis(session.CreatedAt), Millis(session.UpdatedAt), session.CompletedAt is { } done ? Millis(done) : null,
            CompletionJson.Serialize(session.Completion),
        };
        batch.BatchCommands.Add(Command(
            change.InsertSession
                ? "INSERT INTO sync_sessions (sync_id, device_id, user_name, total_parts, status, created_at, updated_at, completed_at, completion) " +
                  "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)"
                : "UPDATE sync_sessions SET device_id = $2, user_name = $3, total_parts = $4, status = $5, created_at = $6, " +
                  "updated_at = $7, completed_at = $8, completion = $9 WHERE sync_id = $1",
            values));
        if (change.DeleteParts)
        {
            batch.BatchCommands.Add(Command("DELETE FROM batch_parts WHERE sync_id = $1", syncId));
        }

        foreach (var (part, records) in change.AddParts)
        {
            batch.BatchCommands.Add(Command(
                "INSERT INTO batch_parts (sync_id, part_number, record_count, checksum, content_hash, received_at, payload, first_timestamp) " +
                "VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                syncId, part.PartNumber, part.RecordCount, part.Checksum, part.ContentHash, Millis(part.ReceivedAt), records?.Records,
                records?.FirstTimestamp));
        }

        if (change.DropStaged)
        {
            batch.BatchCommands.Add(Command("UPDATE batch_parts SET payload = NULL WHERE sync_id = $1 AND payload IS NOT NULL", syncId));
        }

        await batch.ExecuteNonQueryAsync(cancellationToken);
    }

    public async ValueTask<int> CountOpenSessionsAsync(string? deviceId, CancellationToken cancellationToken)
    {
        await LockAsync(cancellationToken);
        // Openings are counted one at a time across the cluster, so two instances cannot both take the last place.
        if (!_countsLocked)
        {
            await using var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1, 0)", connection, transaction);
            lockCommand.Parameters.Add(new NpgsqlParameter<int> { TypedValue = AdvisoryLocks.OpenSessions });
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
            _countsLocked = true;
        }

        await using var count = deviceId is null
            ? new NpgsqlCommand("SELECT count(*) FROM sync_sessions WHERE status = 'Open'", connection, transaction)
            : new NpgsqlCommand("SELECT count(*) FROM sync_sessions WHERE device_id = $1 AND status = 'Open'", connection, transaction)
            {
                Parameters = { new NpgsqlParameter<string> { TypedValue = deviceId } },
            };
        return (int)(long)(await count.ExecuteScalarAsync(cancellationToken))!;
    }

    public async ValueTask<IReadOnlyList<StagedPartHead>> LoadStagedPartHeadsAsync(CancellationToken cancellationToken)
    {
        await LockAsync(cancellationToken);
        await using var select = new NpgsqlCommand(
            "SELECT part_number, record_count, first_timestamp FROM batch_parts WHERE sync_id = $1 AND payload IS NOT NULL",
            connection,
            transaction)
        {
            Parameters = { new NpgsqlParameter<string> { TypedValue = syncId } },
        };
        var heads = new List<StagedPartHead>();
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            heads.Add(new StagedPartHead(reader.GetInt32(0), reader.GetInt32(1), reader.IsDBNull(2) ? null : reader.GetInt64(2)));
        }

        return heads;
    }

    public async ValueTask<IReadOnlyList<byte[]>> LoadStagedPartsAsync(IReadOnlyList<int> partNumbers, CancellationToken cancellationToken)
    {
        // Read beside the transaction, maybe while its connection is busy: never on that connection.
        if (!_locked)
        {
            throw new InvalidOperationException("Staged parts are read once the sync's lock is held.");
        }

        await using var reading = await stagedSource.OpenConnectionAsync(cancellationToken);
        await using var select = new NpgsqlCommand(
            "SELECT part_number, payload FROM batch_parts WHERE sync_id = $1 AND part_number = ANY($2) AND payload IS NOT NULL",
            reading)
        {
            Parameters =
            {
                new NpgsqlParameter<string> { TypedValue = syncId },
                new NpgsqlParameter<int[]> { TypedValue = [.. partNumbers] },
            },
        };
        var byNumber = new Dictionary<int, byte[]>(partNumbers.Count);
        await using (var reader = await select.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                byNumber[reader.GetInt32(0)] = reader.GetFieldValue<byte[]>(1);
            }
        }

        return [.. partNumbers.Where(byNumber.ContainsKey).Select(n => byNumber[n])];
    }

    public async ValueTask<LogAppendResult> AppendToLogsAsync(
        SyncSession session,
        IAsyncEnumerable<PreparedRecord> records,
        CancellationToken cancellationToken)
    {
        await LockAsync(cancellationToken);
        return await rows.AppendAsync(connection, transaction, session, records, cancellationToken);
    }

    private async ValueTask LockAsync(CancellationToken cancellationToken)
    {
        if (_locked)
        {
            return;
        }

        await using var take = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1, hashtext($2))", connection, transaction);
        take.Parameters.Add(new NpgsqlParameter<int> { TypedValue = AdvisoryLocks.Sync });
        take.Parameters.Add(new NpgsqlParameter<string> { TypedValue = syncId });
        await take.ExecuteNonQueryAsync(cancellationToken);
        _locked = true;
    }

    private static NpgsqlBatchCommand Command(string sql, params object?[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(value switch
            {
                null => new NpgsqlParameter { Value = DBNull.Value },
                byte[] bytes => new NpgsqlParameter<byte[]> { TypedValue = bytes, NpgsqlDbType = NpgsqlDbType.Bytea },
                _ => new NpgsqlParameter { Value = value },
            });
        }

        return command;
    }

    private static long Millis(DateTime time) => UnixMillisecondsConverter.ToUnixMilliseconds(time);

    private static DateTime Time(long millis) => UnixMillisecondsConverter.FromUnixMilliseconds(millis);
}
