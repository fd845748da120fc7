using BatchSync.Application.Abstractions;
using BatchSync.Domain.Audit;
using Microsoft.Extensions.Logging;
using Npgsql;
using NpgsqlTypes;

namespace BatchSync.Infrastructure.Persistence.PostgreSql;

/// <summary>Audit events on PostgreSQL: a batch is one binary COPY.</summary>
internal sealed class PostgresAuditStore(PostgresDatabase database) : IAuditStore
{
    public async Task AddAsync(IReadOnlyList<AuditEvent> events, CancellationToken cancellationToken)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
        await using var importer = await connection.BeginBinaryImportAsync(
            "COPY audit_events (at, outcome, status, request_id, token_name, remote_address, method, path, device_id, user_name, " +
            "sync_id, part_number, reason) FROM STDIN (FORMAT BINARY)", cancellationToken);
        foreach (var e in events)
        {
            await importer.StartRowAsync(cancellationToken);
            await importer.WriteAsync(UnixMillisecondsConverter.ToUnixMilliseconds(e.At), NpgsqlDbType.Bigint, cancellationToken);
            await importer.WriteAsync(e.Outcome, NpgsqlDbType.Varchar, cancellationToken);
            await importer.WriteAsync(e.Status, NpgsqlDbType.Integer, cancellationToken);
            foreach (var text in (string?[])[e.RequestId, e.TokenName, e.RemoteAddress, e.Method, e.Path, e.DeviceId, e.UserName, e.SyncId])
            {
                await WriteAsync(importer, text, cancellationToken);
            }

            if (e.PartNumber is { } part)
            {
                await importer.WriteAsync(part, NpgsqlDbType.Integer, cancellationToken);
            }
            else
            {
                await importer.WriteNullAsync(cancellationToken);
            }

            await WriteAsync(importer, e.Reason, cancellationToken);
        }

        await importer.CompleteAsync(cancellationToken);
    }

    public async Task<int> PurgeAsync(DateTime before, int limit, CancellationToken cancellationToken)
    {
        await using var purge = database.DataSource.CreateCommand(
            "DELETE FROM audit_events WHERE id IN (SELECT id FROM audit_events WHERE at < $1 ORDER BY at LIMIT $2)");
        purge.Parameters.Add(new NpgsqlParameter<long> { TypedValue = UnixMillisecondsConverter.ToUnixMilliseconds(before) });
        purge.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        return await purge.ExecuteNonQueryAsync(cancellationToken);
    }

    private static Task WriteAsync(NpgsqlBinaryImporter importer, string? value, CancellationToken cancellationToken) =>
        value is null ? importer.WriteNullAsync(cancellationToken) : importer.WriteAsync(value, NpgsqlDbType.Varchar, cancellationToken);
}

/// <summary>
/// Finished sessions forgotten on PostgreSQL: one statement, parts go by the foreign key's cascade. A
/// session whose sync lock is held (a part arriving for it) is skipped this round; one purged first is
/// new to the part that waited for it.
/// </summary>
internal sealed class PostgresSessionRetention(PostgresDatabase database) : ISessionRetention
{
    public async Task<int> PurgeFinishedAsync(DateTime finishedBefore, int limit, CancellationToken cancellationToken)
    {
        await using var purge = database.DataSource.CreateCommand(
            "DELETE FROM sync_sessions WHERE sync_id IN (SELECT sync_id FROM sync_sessions WHERE status IN ('Completed', 'Expired') " +
            "AND updated_at < $1 AND pg_try_advisory_xact_lock($3, hashtext(sync_id)) ORDER BY updated_at LIMIT $2 FOR UPDATE SKIP LOCKED)");
        purge.Parameters.Add(new NpgsqlParameter<long> { TypedValue = UnixMillisecondsConverter.ToUnixMilliseconds(finishedBefore) });
        purge.Parameters.Add(new NpgsqlParameter<int> { TypedValue = limit });
        purge.Parameters.Add(new NpgsqlParameter<int> { TypedValue = AdvisoryLocks.Sync });
        return await purge.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>A token's last use on PostgreSQL, written beside the request.</summary>
internal sealed class PostgresTokenUsage(PostgresDatabase database, ILogger<PostgresTokenUsage> logger) : ITokenUsage
{
    public void RecordUse(long tokenId, DateTime at) => _ = TouchAsync(tokenId, at);

    private async Task TouchAsync(long tokenId, DateTime at)
    {
        try
        {
            await using var touch = database.DataSource.CreateCommand("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2");
            touch.Parameters.Add(new NpgsqlParameter<long> { TypedValue = UnixMillisecondsConverter.ToUnixMilliseconds(at) });
            touch.Parameters.Add(new NpgsqlParameter<long> { TypedValue = tokenId });
            await touch.ExecuteNonQueryAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException)
        {
            logger.LogWarning("Last use of token {TokenId} not recorded: {Reason}", tokenId, e.Message);
        }
    }
}

/// <summary>The cluster's token buckets, one row per token name in <c>rate_buckets</c>; a take is one round trip.</summary>
internal sealed class PostgresRateBuckets(PostgresDatabase database) : ISharedRateBuckets
{
    public async Task<int> TakeAsync(string name, int want, int perSecond, int burst, CancellationToken cancellationToken)
    {
        await using var batch = database.DataSource.CreateBatch();
        var create = new NpgsqlBatchCommand(
            "INSERT INTO rate_buckets (name, tokens, updated_at) VALUES ($1, $2, now()) ON CONFLICT (name) DO NOTHING RETURNING 0");
        create.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        create.Parameters.Add(new NpgsqlParameter<double> { TypedValue = burst });
        var take = new NpgsqlBatchCommand(
            "WITH refilled AS (SELECT LEAST($4::float8, tokens + EXTRACT(EPOCH FROM now() - updated_at)::float8 * $3) AS tokens " +
            "FROM rate_buckets WHERE name = $1 FOR UPDATE), " +
            "taken AS (SELECT tokens, GREATEST(0, LEAST($2::float8, floor(tokens))) AS granted FROM refilled) " +
            "UPDATE rate_buckets SET tokens = taken.tokens - taken.granted, updated_at = now() FROM taken WHERE name = $1 RETURNING taken.granted");
        take.Parameters.Add(new NpgsqlParameter<string> { TypedValue = name });
        take.Parameters.Add(new NpgsqlParameter<double> { TypedValue = want });
        take.Parameters.Add(new NpgsqlParameter<double> { TypedValue = perSecond });
        take.Parameters.Add(new NpgsqlParameter<double> { TypedValue = burst });
        batch.BatchCommands.Add(create);
        batch.BatchCommands.Add(take);
        // Both statements return rows (the first none or one), so the second's are the next result.
        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? (int)reader.GetDouble(0) : 0;
    }
}
