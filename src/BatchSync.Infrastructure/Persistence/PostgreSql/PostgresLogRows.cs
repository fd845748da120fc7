using System.Text;
using System.Threading.Channels;
using BatchSync.Application.Abstractions;
using BatchSync.Application.Sync;
using BatchSync.Domain.Sync;
using BatchSync.Infrastructure.LogFiles;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BatchSync.Infrastructure.Persistence.PostgreSql;

/// <summary>
/// A completion's records into the log tables, in log order, in one statement per table:
/// <c>INSERT ... SELECT ... WHERE NOT EXISTS (stored) ORDER BY ... RETURNING</c>, which tells exactly which
/// records are new. A device's completions insert one at a time, so the anti-join cannot miss a row
/// another transaction is adding (the primary key would refuse it, and the unit of work fail). The rows
/// reach the statement (<see cref="PostgresLogStatements"/>) as arrays for a small completion, by binary
/// COPY for a large one (<see cref="StorageOptions.CopyFromRecords"/>, <see cref="PostgresLogCopy"/>). One outbox
/// row per dated file that got new records is written in the same transaction, with the earliest
/// timestamp the completion added to it.
/// </summary>
internal sealed class PostgresLogRows(IOptions<StorageOptions> options)
{
    private static readonly PostgresLogStatements[] ByType = [.. Enum.GetValues<RecordType>().Select(PostgresLogStatements.Of)];

    /// <summary>Records are sent in chunks of this many, so a completion of any size holds one chunk.</summary>
    public const int ChunkRecords = 10_000;

    public async ValueTask<LogAppendResult> AppendAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        SyncSession session,
        IAsyncEnumerable<PreparedRecord> records,
        CancellationToken cancellationToken)
    {
        // The statements skip what is stored already (an anti-join, cheaper than ON CONFLICT's speculative
        // insertion); with the device's completions one at a time, nothing can slip in between. Rows of an
        // earlier chunk are stored already for the next one.
        await using (var serialize = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1, hashtext($2))", connection, transaction))
        {
            serialize.Parameters.Add(new NpgsqlParameter<int> { TypedValue = AdvisoryLocks.DeviceRows });
            serialize.Parameters.Add(new NpgsqlParameter<string> { TypedValue = session.DeviceId });
            await serialize.ExecuteNonQueryAsync(cancellationToken);
        }

        // The merge fills the next chunk (reading staged parts through connections of their own) while
        // this one's rows go in: one chunk waiting, so what is held stays a few chunks whatever the size.
        var added = new Dictionary<(RecordType Type, DateOnly Date), NewRows>();
        var chunks = Channel.CreateBounded<Chunk>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var merging = Task.Run(() => ChunkAsync(records, chunks.Writer, stop.Token), CancellationToken.None);
        try
        {
            await foreach (var chunk in chunks.Reader.ReadAllAsync(cancellationToken))
            {
                await InsertChunkAsync(connection, transaction, session, chunk, added, cancellationToken);
            }
        }
        catch
        {
            // A failing merge's own exception comes out of the channel; either way the merge has stopped
            // before the transaction's connection is used again, and its outcome is observed.
            await stop.CancelAsync();
            await Task.WhenAny(merging);
            _ = merging.Exception;
            throw;
        }

        var total = await merging;
        var owed = new List<OwedLogFile>();
        foreach (var ((type, date), rows) in added.OrderBy(f => f.Key.Type).ThenBy(f => f.Key.Date))
        {
            var outboxId = await AddOutboxAsync(connection, transaction, session, type, date, rows.First, cancellationToken);
            owed.Add(new OwedLogFile(type, session.DeviceId, date, outboxId));
        }

        var inserted = added.Values.Sum(r => r.Count);
        return new LogAppendResult(inserted, total - inserted, owed);
    }

    /// <summary>
    /// The records in chunks of <see cref="ChunkRecords"/>, the last one possibly shorter, each split by type
    /// here, beside the inserts; returns how many records there were.
    /// </summary>
    private static async Task<int> ChunkAsync(IAsyncEnumerable<PreparedRecord> records, ChannelWriter<Chunk> chunks, CancellationToken cancellationToken)
    {
        try
        {
            var total = 0;
            var chunk = new List<PreparedRecord>(ChunkRecords);
            await foreach (var record in records.WithCancellation(cancellationToken))
            {
                total++;
                chunk.Add(record);
                if (chunk.Count == ChunkRecords)
                {
                    await chunks.WriteAsync(Chunk.Of(chunk), cancellationToken);
                    chunk = new List<PreparedRecord>(ChunkRecords);
                }
            }

            await chunks.WriteAsync(Chunk.Of(chunk), cancellationToken);
            chunks.Complete();
            return total;
        }
        catch (Exception e)
        {
            chunks.Complete(e);
            throw;
        }
    }

    private async Task InsertChunkAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        SyncSession session,
        Chunk chunk,
        Dictionary<(RecordType Type, DateOnly Date), NewRows> added,
        CancellationToken cancellationToken)
    {
        var byType = chunk.ByType;
        var copy = chunk.Count >= options.Value.CopyFromRecords;
        for (var type = 0; type < byType.Length; type++)
        {
            var rows = byType[type];
            if (rows.Count == 0)
            {
                continue;
            }

            var newByDate = copy
                ? await PostgresLogCopy.InsertAsync(connection, transaction, session, ByType[type], rows, cancellationToken)
                : await InsertFromArraysAsync(connection, transaction, session, ByType[type], rows, cancellationToken);
            foreach (var (date, rowsOfDay) in newByDate)
            {
                NewRows.Add(added, ((RecordType)type, date), rowsOfDay);
            }
        }
    }

    private static async Task<Dictionary<DateOnly, NewRows>> InsertFromArraysAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction transaction,
        SyncSession session,
        PostgresLogStatements statements,
        List<PreparedRecord> rows,
        CancellationToken cancellationToken)
    {
        var n = rows.Count;
        var dates = new DateOnly[n];
        var timestamps = new long[n];
        var hashes = new long[n];
        var data = new string[n];
        for (var i = 0; i < n; i++)
        {
            var r = rows[i];
            dates[i] = r.LogDate;
            timestamps[i] = r.Timestamp;
            hashes[i] = r.ContentHash;
            data[i] = Encoding.UTF8.GetString(r.Json);
        }

        await using var insert = new NpgsqlCommand(statements.InsertFromArrays, connection, transaction);
        AddOrigin(insert, session, rows);
        insert.Parameters.Add(new NpgsqlParameter<DateOnly[]> { TypedValue = dates });
        insert.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = timestamps });
        insert.Parameters.Add(new NpgsqlParameter<long[]> { TypedValue = hashes });
        insert.Parameters.Add(new NpgsqlParameter<string[]> { TypedValue = data });

        return await CountNewAsync(insert, cancellationToken);
    }

    /// <summary>The sync's device, user and id, and the range of the rows' timestamps (they come in log order).</summary>
    internal static void AddOrigin(NpgsqlCommand insert, SyncSession session, List<PreparedRecord> rows)
    {
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = session.DeviceId });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = session.UserName });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = session.SyncId });
        insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = rows[0].Timestamp });
        insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = rows[^1].Timestamp });
    }

    internal static async Task<Dictionary<DateOnly, NewRows>> CountNewAsync(NpgsqlCommand insert, CancellationToken cancellationToken)
    {
        var counts = new Dictionary<DateOnly, NewRows>();
        await using var reader = await insert.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            NewRows.Add(counts, reader.GetFieldValue<DateOnly>(0), new NewRows(1, reader.GetInt64(1)));
        }

        CrashPoints.Reach(CrashPoints.CompletionInserted);
        return counts;
    }

    private static async Task<long> AddOutboxAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, SyncSession session, RecordType type, DateOnly date, long firstTimestamp,
        CancellationToken cancellationToken)
    {
        await using var insert = new NpgsqlCommand(
            "INSERT INTO log_file_outbox (log_type, device_id, log_date, sync_id, first_timestamp) VALUES ($1, $2, $3, $4, $5) RETURNING id",
            connection,
            transaction);
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = type.WireName() });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = session.DeviceId });
        insert.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = date });
        insert.Parameters.Add(new NpgsqlParameter<string> { TypedValue = session.SyncId });
        insert.Parameters.Add(new NpgsqlParameter<long> { TypedValue = firstTimestamp });
        return (long)(await insert.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <summary>A chunk's records by type, in log order, the first of records with one identity kept (the way a unique key keeps the first one inserted).</summary>
    private sealed record Chunk(List<PreparedRecord>[] ByType, int Count)
    {
        public static Chunk Of(List<PreparedRecord> records)
        {
            var byType = Enum.GetValues<RecordType>().Select(_ => new List<PreparedRecord>()).ToArray();
            var seen = new HashSet<(RecordType, long, long, DateOnly)>();
            foreach (var record in records)
            {
                if (seen.Add((record.Type, record.Timestamp, record.ContentHash, record.LogDate)))
                {
                    byType[(int)record.Type].Add(record);
                }
            }

            return new Chunk(byType, records.Count);
        }
    }

    /// <summary>How many rows of one day a statement added, and the earliest timestamp among them.</summary>
    internal readonly record struct NewRows(int Count, long First)
    {
        /// <summary>Counts <paramref name="rows"/> into what <paramref name="counts"/> holds for the key.</summary>
        public static void Add<TKey>(Dictionary<TKey, NewRows> counts, TKey key, NewRows rows)
            where TKey : notnull =>
            counts[key] = counts.TryGetValue(key, out var before) ? new NewRows(before.Count + rows.Count, Math.Min(before.First, rows.First)) : rows;
    }
}
