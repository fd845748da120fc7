using BatchSync.Application.Sync;
using BatchSync.Domain.Sync;
using Npgsql;
using static BatchSync.Infrastructure.Persistence.PostgreSql.PostgresLogRows;

namespace BatchSync.Infrastructure.Persistence.PostgreSql;

/// <summary>
/// A large chunk of a completion into one log table by binary COPY (<see cref="PostgresCopyRows"/>). When the device has no row in the
/// chunk's time range, nothing can be skipped (the chunk's own repeats are dropped before it comes here,
/// and the device's completions insert one at a time under their lock), so the rows are copied into the
/// table itself and every one is new. Otherwise they are copied into a temporary table, from which the
/// anti-join adds those the table lacks.
/// </summary>
internal static class PostgresLogCopy
{
    public static async Task<Dictionary<DateOnly, NewRows>> InsertAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        SyncSession session,
        PostgresLogStatements statements,
        List<PreparedRecord> rows,
        CancellationToken cancellationToken)
    {
        return await AnyStoredAsync(connection, transaction, session, statements, rows, cancellationToken)
            ? await ThroughStagingAsync(connection, transaction, session, statements, rows, cancellationToken)
            : await IntoTableAsync(connection, session, statements, rows, cancellationToken);
    }

    private static async Task<bool> AnyStoredAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        SyncSession session,
        PostgresLogStatements statements,
        List<PreparedRecord> rows,
        CancellationToken cancellationToken)
    {
        await using var probe = new NpgsqlCommand(statements.AnyStoredInRange, connection, transaction);
        probe.Parameters.Add(new NpgsqlParameter<string> { TypedValue = session.DeviceId });
        probe.Parameters.Add(new NpgsqlParameter<long> { TypedValue = rows[0].Timestamp });
        probe.Parameters.Add(new NpgsqlParameter<long> { TypedValue = rows[^1].Timestamp });
        probe.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = rows[0].LogDate });
        probe.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = rows[^1].LogDate });
        return (bool)(await probe.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task<Dictionary<DateOnly, NewRows>> IntoTableAsync(
        NpgsqlConnection connection,
        SyncSession session,
        PostgresLogStatements statements,
        List<PreparedRecord> rows,
        CancellationToken cancellationToken)
    {
        var added = new Dictionary<DateOnly, NewRows>();
        var (deviceId, userName, syncId) = (PostgresCopyRows.Text(session.DeviceId), PostgresCopyRows.Text(session.UserName), PostgresCopyRows.Text(session.SyncId));
        await using (var copy = await PostgresCopyRows.BeginAsync(connection, statements.CopyToTable, cancellationToken))
        {
            foreach (var r in rows)
            {
                await copy.WriteAsync(deviceId, userName, syncId, r, cancellationToken);
                NewRows.Add(added, r.LogDate, new NewRows(1, r.Timestamp));
            }

            await copy.CompleteAsync(cancellationToken);
        }

        CrashPoints.Reach(CrashPoints.CompletionInserted);
        return added;
    }

    private static async Task<Dictionary<DateOnly, NewRows>> ThroughStagingAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        SyncSession session,
        PostgresLogStatements statements,
        List<PreparedRecord> rows,
        CancellationToken cancellationToken)
    {
        await using (var create = new NpgsqlCommand(statements.CreateStaging, connection, transaction))
        {
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        await using (var copy = await PostgresCopyRows.BeginAsync(connection, statements.CopyToStaging, cancellationToken))
        {
            for (var i = 0; i < rows.Count; i++)
            {
                await copy.WriteAsync(i, rows[i], cancellationToken);
            }

            await copy.CompleteAsync(cancellationToken);
        }

        await using var insert = new NpgsqlCommand(statements.InsertFromStaging, connection, transaction);
        AddOrigin(insert, session, rows);
        var counts = await CountNewAsync(insert, cancellationToken);

        // ON COMMIT DELETE ROWS empties it at the end; a second table of the same completion starts empty too.
        await using var clear = new NpgsqlCommand(statements.ClearStaging, connection, transaction);
        await clear.ExecuteNonQueryAsync(cancellationToken);
        return counts;
    }
}
