using System.Data.Common;
using System.Text;
using BatchSync.Application.Sync;
using BatchSync.Domain.Sync;
using BatchSync.Infrastructure.LogFiles;

namespace BatchSync.Infrastructure.Upgrades;

/// <summary>
/// Once per database, at start after the migrations: recomputes <c>content_hash</c> of every stored
/// record with <see cref="RecordIdentity"/> (numbers by value), so records stored before keep
/// deduplicating against new arrivals. A record that turns out to be stored twice (the same value
/// spelled two ways) keeps its first row; the other is deleted and its dated file queued for a
/// rewrite in the outbox. Plain SQL over <see cref="DbConnection"/>, no provider function, batches of
/// rows by id, each batch one transaction: a pass cut short is run again from the start next time,
/// and does nothing twice. Recorded in <c>data_upgrades</c> when done.
/// </summary>
internal static class RecordIdentityUpgrade
{
    public const string Name = "record-identity-by-value";
    private const int BatchSize = 1000;

    /// <returns>Rows whose hash changed and rows deleted as duplicates; null when it had run already.</returns>
    public static (int Rehashed, int Duplicates)? Run(DbConnection connection)
    {
        if (Scalar(connection, null, "SELECT COUNT(*) FROM data_upgrades WHERE name = @name", ("@name", Name)) > 0)
        {
            return null;
        }

        int rehashed = 0, duplicates = 0;
        foreach (var recordType in Enum.GetValues<RecordType>())
        {
            var (table, type) = (LogTables.Of(recordType), recordType.WireName());
            long last = 0;
            while (true)
            {
                using var transaction = connection.BeginTransaction();
                var rows = Batch(connection, transaction, table, last);
                if (rows.Count == 0)
                {
                    transaction.Commit();
                    break;
                }

                foreach (var row in rows)
                {
                    var hash = RecordIdentity.Hash(Encoding.UTF8.GetBytes(row.Data));
                    if (hash == row.ContentHash)
                    {
                        continue;
                    }

                    // The unique key allows one row with this identity; the earlier one is kept.
                    var twin = Scalar(connection, transaction,
                        $"SELECT COALESCE(MAX(id), 0) FROM {table} WHERE device_id = @device AND timestamp = @timestamp AND content_hash = @hash",
                        ("@device", row.DeviceId), ("@timestamp", row.Timestamp), ("@hash", hash));
                    if (twin != 0)
                    {
                        Execute(connection, transaction, $"DELETE FROM {table} WHERE id = @id", ("@id", Math.Max(twin, row.Id)));
                        Execute(connection, transaction,
                            "INSERT INTO log_file_outbox (log_type, device_id, log_date) VALUES (@type, @device, @date)",
                            ("@type", type), ("@device", row.DeviceId), ("@date", row.LogDate));
                        duplicates++;
                        if (twin > row.Id)
                        {
                            Execute(connection, transaction, $"UPDATE {table} SET content_hash = @hash WHERE id = @id", ("@hash", hash), ("@id", row.Id));
                            rehashed++;
                        }
                    }
                    else
                    {
                        Execute(connection, transaction, $"UPDATE {table} SET content_hash = @hash WHERE id = @id", ("@hash", hash), ("@id", row.Id));
                        rehashed++;
                    }
                }

                last = rows[^1].Id;
                transaction.Commit();
            }
        }

        Execute(connection, null, "INSERT INTO data_upgrades (name, applied_at) VALUES (@name, @at)",
            ("@name", Name), ("@at", DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()));
        return (rehashed, duplicates);
    }

    private sealed record Row(long Id, string DeviceId, long Timestamp, object LogDate, string Data, long ContentHash);

    private static List<Row> Batch(DbConnection connection, DbTransaction transaction, string table, long after)
    {
        using var select = Command(connection, transaction,
            $"SELECT id, device_id, timestamp, log_date, data, content_hash FROM {table} WHERE id > @after ORDER BY id LIMIT {BatchSize}",
            ("@after", after));
        using var reader = select.ExecuteReader();
        var rows = new List<Row>(BatchSize);
        while (reader.Read())
        {
            rows.Add(new Row(reader.GetInt64(0), reader.GetString(1), reader.GetInt64(2), reader.GetValue(3), reader.GetString(4), reader.GetInt64(5)));
        }

        return rows;
    }

    private static long Scalar(DbConnection connection, DbTransaction? transaction, string sql, params (string, object)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Execute(DbConnection connection, DbTransaction? transaction, string sql, params (string, object)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        command.ExecuteNonQuery();
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
