using BatchSync.Application.Abstractions;
using BatchSync.Domain.Audit;
using BatchSync.Domain.Auth;
using BatchSync.Domain.Logs;
using BatchSync.Domain.Sync;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace BatchSync.Infrastructure.Persistence;

/// <summary>
/// The store through EF Core. This type is the SQLite model and carries its migrations;
/// <see cref="PostgresBatchSyncDbContext"/> is the same model on PostgreSQL with migrations of its own.
/// </summary>
public class BatchSyncDbContext : DbContext, IBatchSyncDbContext
{
    public BatchSyncDbContext(DbContextOptions<BatchSyncDbContext> options)
        : base(options)
    {
    }

    protected BatchSyncDbContext(DbContextOptions options)
        : base(options)
    {
    }

    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    public DbSet<SyncSession> SyncSessions => Set<SyncSession>();

    public DbSet<BatchPart> BatchParts => Set<BatchPart>();

    public DbSet<LocationLogEntry> LocationLogs => Set<LocationLogEntry>();

    public DbSet<DrivingLogEntry> DrivingLogs => Set<DrivingLogEntry>();

    public DbSet<LogFileOutboxEntry> LogFileOutbox => Set<LogFileOutboxEntry>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(BatchSyncDbContext).Assembly);
        if (Database.IsSqlite())
        {
            // A log row's id is SQLite's plain rowid, the largest so far plus one: no row is ever deleted
            // while the server runs, so no id comes back, and AUTOINCREMENT read and wrote its sequence
            // row on every insert, the hottest statement of the server (ADR 004). EF Core 10.0 leaves
            // this strategy out of the model snapshot it writes: after `migrations add`, put
            // HasAnnotation("Sqlite:ValueGenerationStrategy", SqliteValueGenerationStrategy.None) back on
            // both ids there (SchemaModelTests fails until it is).
            modelBuilder.Entity<LocationLogEntry>().Property(e => e.Id).Metadata.SetValueGenerationStrategy(SqliteValueGenerationStrategy.None);
            modelBuilder.Entity<DrivingLogEntry>().Property(e => e.Id).Metadata.SetValueGenerationStrategy(SqliteValueGenerationStrategy.None);
        }
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Instants as Unix milliseconds: sortable in SQL, and what the writer's own SQL stores.
        configurationBuilder.Properties<DateTime>().HaveConversion<UnixMillisecondsConverter>();
        configurationBuilder.Properties<SyncStatus>().HaveConversion<string>();
    }
}

/// <summary>A dated log file that a completion changed and that is not yet known to be written.</summary>
public sealed class LogFileOutboxEntry
{
    public long Id { get; set; }

    public required string LogType { get; set; }

    public required string DeviceId { get; set; }

    public DateOnly LogDate { get; set; }
}
