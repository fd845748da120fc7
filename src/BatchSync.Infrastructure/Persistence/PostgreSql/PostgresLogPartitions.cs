using System.Collections.Concurrent;
using System.Globalization;
using BatchSync.Application.Abstractions;
using BatchSync.Application.Sync;
using BatchSync.Domain.Sync;
using BatchSync.Infrastructure.LogFiles;
using Npgsql;

namespace BatchSync.Infrastructure.Persistence.PostgreSql;

/// <summary>
/// One partition per log table and day, named <c>location_logs_yyyymmdd</c>. A part's days are made
/// ready before the part's transaction, so by its completion every day of a sync has its partition and
/// no completion ever changes the schema. A partition is created on its own and then attached, which
/// needs only a lock that does not stop the inserts of other days; creations are one at a time across
/// the cluster. Dropping a day's partitions is the retention of its records.
/// </summary>
internal sealed class PostgresLogPartitions(PostgresDatabase database) : ILogPartitions
{
    private readonly ConcurrentDictionary<DateOnly, byte> _ready = new();

    public static string NameOf(RecordType type, DateOnly date) =>
        $"{LogTables.Of(type)}_{date.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}";

    public ValueTask EnsureAsync(IReadOnlyList<PreparedRecord> records, CancellationToken cancellationToken)
    {
        HashSet<DateOnly>? missing = null;
        foreach (var record in records)
        {
            if (!_ready.ContainsKey(record.LogDate))
            {
                (missing ??= []).Add(record.LogDate);
            }
        }

        return missing is null ? ValueTask.CompletedTask : new ValueTask(CreateAsync(missing, cancellationToken));
    }

    /// <summary>Creates the days' partitions of both log tables where they are missing.</summary>
    public async Task CreateAsync(IEnumerable<DateOnly> dates, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = await database.DataSource.OpenConnectionAsync(cancellationToken);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
            await using (var lockSchema = new NpgsqlCommand("SELECT pg_advisory_xact_lock($1, 1)", connection, transaction))
            {
                lockSchema.Parameters.Add(new NpgsqlParameter<int> { TypedValue = AdvisoryLocks.Schema });
                await lockSchema.ExecuteNonQueryAsync(cancellationToken);
            }

            var attached = new HashSet<string>(StringComparer.Ordinal);
            await using (var list = new NpgsqlCommand(
                "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid " +
                "WHERE i.inhparent IN ('location_logs'::regclass, 'driving_logs'::regclass)", connection, transaction))
            await using (var reader = await list.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    attached.Add(reader.GetString(0));
                }
            }

            foreach (var date in dates.Distinct())
            {
                foreach (var type in Enum.GetValues<RecordType>())
                {
                    var name = NameOf(type, date);
                    if (attached.Contains(name))
                    {
                        continue;
                    }

                    var parent = LogTables.Of(type);
                    var from = date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                    var to = date.AddDays(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                    await using var create = new NpgsqlCommand(
                        $"CREATE TABLE IF NOT EXISTS {name} (LIKE {parent} INCLUDING DEFAULTS INCLUDING CONSTRAINTS); " +
                        $"ALTER TABLE {parent} ATTACH PARTITION {name} FOR VALUES FROM ('{from}') TO ('{to}');",
                        connection,
                        transaction);
                    await create.ExecuteNonQueryAsync(cancellationToken);
                }
            }

            await transaction.CommitAsync(cancellationToken);
            foreach (var date in dates)
            {
                _ready[date] = 0;
            }
        }
        catch (Exception e) when (PostgresFaults.IsUnavailable(e))
        {
            throw new StorageUnavailableException("The database cannot be reached.", e);
        }
    }
}
