using Microsoft.EntityFrameworkCore;

namespace BatchSync.Infrastructure.Persistence;

/// <summary>
/// The model on PostgreSQL. Its migrations live in <c>Migrations/PostgreSql</c>; the log tables there are
/// created by hand, partitioned by day, which EF Core's model does not describe.
/// </summary>
public sealed class PostgresBatchSyncDbContext(DbContextOptions<PostgresBatchSyncDbContext> options) : BatchSyncDbContext(options);
