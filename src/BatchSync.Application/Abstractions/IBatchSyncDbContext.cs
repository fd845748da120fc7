using BatchSync.Domain.Logs;
using BatchSync.Domain.Sync;
using Microsoft.EntityFrameworkCore;

namespace BatchSync.Application.Abstractions;

/// <summary>Read access to the store through EF Core; writes go through <see cref="ISyncWriteQueue"/>.</summary>
public interface IBatchSyncDbContext
{
    DbSet<SyncSession> SyncSessions { get; }

    DbSet<LocationLogEntry> LocationLogs { get; }

    DbSet<DrivingLogEntry> DrivingLogs { get; }
}
