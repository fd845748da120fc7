using BatchSync.Application.Sync;

namespace BatchSync.Application.Abstractions;

/// <summary>
/// Makes the log tables ready for the days of some records before any transaction stores them, so a
/// completion never changes the schema (PostgreSQL creates the days' partitions; SQLite has none).
/// </summary>
public interface ILogPartitions
{
    ValueTask EnsureAsync(IReadOnlyList<PreparedRecord> records, CancellationToken cancellationToken);
}
