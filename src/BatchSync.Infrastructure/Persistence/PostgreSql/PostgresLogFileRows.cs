using System.Buffers;
using BatchSync.Domain.Sync;
using BatchSync.Infrastructure.LogFiles;
using Npgsql;

namespace BatchSync.Infrastructure.Persistence.PostgreSql;

/// <summary>
/// A dated log file's lines from the log table, for a writer that holds the file's lock: the append of
/// the claimed syncs' tail, or the rewrite of the whole day from one snapshot.
/// </summary>
internal static class PostgresLogFileRows
{
    /// <summary>
    /// Appends the claimed syncs' rows when they are the day's tail: the file exists exactly when rows
    /// before the first new one do, and no other sync's row lies at or after it. The tail is read once, in
    /// file order, straight into the file; a foreign row in it undoes the append (the file is cut back to
    /// its length) and the caller rewrites instead. Only the tail and one row before it are read.
    /// </summary>
    public static async Task<bool> TryAppendAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        RecordType type,
        string deviceId,
        DateOnly date,
        string[] syncs,
        long firstNew,
        string path,
        CancellationToken cancellationToken)
    {
        var table = LogTables.Of(type);
        await using (var earlier = new NpgsqlCommand(
            $"SELECT EXISTS (SELECT 1 FROM {table} WHERE device_id = $1 AND log_date = $2 AND timestamp < $3)", connection, transaction))
        {
            AddRowParameters(earlier, deviceId, date, null);
            earlier.Parameters.Add(new NpgsqlParameter<long> { TypedValue = firstNew });
            if ((bool)(await earlier.ExecuteScalarAsync(cancellationToken))! != File.Exists(path))
            {
                return false;
            }
        }

        await using var tail = new NpgsqlCommand(
            $"SELECT sync_id = ANY($3), textsend(data) FROM {table} WHERE device_id = $1 AND log_date = $2 AND timestamp >= $4 ORDER BY timestamp, id",
            connection,
            transaction);
        AddRowParameters(tail, deviceId, date, syncs);
        tail.Parameters.Add(new NpgsqlParameter<long> { TypedValue = firstNew });
        await using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 64 * 1024);
        var length = file.Length;
        using var line = new LineBuffer();
        await using (var rows = await tail.ExecuteReaderAsync(cancellationToken))
        {
            while (await rows.ReadAsync(cancellationToken))
            {
                if (!rows.GetBoolean(0))
                {
                    await file.FlushAsync(cancellationToken);
                    file.SetLength(length);
                    return false;
                }

                line.Copy(rows, 1, file);
            }
        }

        file.Flush(flushToDisk: true);
        return true;
    }

    /// <summary>The whole day from the snapshot into a temporary file that then replaces the file.</summary>
    public static async Task RewriteAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        RecordType type,
        string deviceId,
        DateOnly date,
        string path,
        CancellationToken cancellationToken)
    {
        await using var select = new NpgsqlCommand(
            $"SELECT textsend(data) FROM {LogTables.Of(type)} WHERE device_id = $1 AND log_date = $2 ORDER BY timestamp, id", connection, transaction);
        AddRowParameters(select, deviceId, date, null);
        var temporary = path + ".tmp";
        await using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024))
        {
            using var line = new LineBuffer();
            await using var rows = await select.ExecuteReaderAsync(cancellationToken);
            while (await rows.ReadAsync(cancellationToken))
            {
                line.Copy(rows, 0, file);
            }

            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>
    /// A row's line copied as the server sent it: the JSON's UTF-8 bytes (<c>textsend</c>), read from the
    /// row the reader holds into one pooled buffer and written with its newline into the file's buffer.
    /// Read as a string, each line was decoded and encoded again, and a big completion's million lines made
    /// the collector's budget, and the server's memory, jump at the end; read as a stream, each line cost
    /// a stream and two awaits.
    /// </summary>
    private sealed class LineBuffer : IDisposable
    {
        private byte[] _bytes = ArrayPool<byte>.Shared.Rent(16 * 1024);

        public void Copy(NpgsqlDataReader rows, int column, FileStream file)
        {
            var length = checked((int)rows.GetBytes(column, 0, null, 0, 0));
            if (length + 1 > _bytes.Length)
            {
                ArrayPool<byte>.Shared.Return(_bytes);
                _bytes = ArrayPool<byte>.Shared.Rent(length + 1);
            }

            rows.GetBytes(column, 0, _bytes, 0, length);
            _bytes[length] = (byte)'\n';
            file.Write(_bytes, 0, length + 1);
        }

        public void Dispose() => ArrayPool<byte>.Shared.Return(_bytes);
    }

    private static void AddRowParameters(NpgsqlCommand command, string deviceId, DateOnly date, string[]? syncs)
    {
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = deviceId });
        command.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = date });
        if (syncs is not null)
        {
            command.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = syncs });
        }
    }
}
