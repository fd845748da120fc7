using BatchSync.Domain.Audit;
using BatchSync.Domain.Auth;
using BatchSync.Domain.Logs;
using BatchSync.Domain.Sync;
using Microsoft.EntityFrameworkCore;

namespace BatchSync.Application.Abstractions;

/// <summary>
/// The store through EF Core: reads, and the rare administrative writes (tokens) that
/// <see cref="SaveChangesAsync"/> commits on its own. Sync data is written only through <see cref="ISyncUnitOfWork"/>.
/// </summary>
public interface IBatchSyncDbContext
{
    DbSet<ApiToken> ApiTokens { get; }

    DbSet<AuditEvent> AuditEvents { get; }

    DbSet<SyncSession> SyncSessions { get; }

    DbSet<LocationLogEntry> LocationLogs { get; }

    DbSet<DrivingLogEntry> DrivingLogs { get; }

    Task<int> SaveChangesAsync(CancellationToken cancellationToken = default);
}
