using BatchSync.Application.Abstractions;
using BatchSync.Application.Common;
using BatchSync.Application.Diagnostics;
using BatchSync.Domain.Audit;
using BatchSync.Domain.Sync;
using Mediator;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BatchSync.Application.Sync.SweepSessions;

/// <summary>
/// Retention of sync sessions: an open sync untouched for <c>TempRetentionHours</c> expires (its staged
/// parts are deleted), and a finished one is forgotten after <c>CompletedRetentionDays</c>. The log
/// tables keep every record; only the sessions' bookkeeping goes.
/// </summary>
public sealed record SweepSessionsCommand : ICommand<SweepResult>;

/// <param name="Expired">The open sessions expired by this sweep.</param>
/// <param name="Purged">Finished sessions forgotten.</param>
/// <param name="AuditPurged">Audit events older than their retention, deleted.</param>
public sealed record SweepResult(IReadOnlyList<ExpiredSync> Expired, int Purged, int AuditPurged);

public sealed record ExpiredSync(string SyncId, string DeviceId, string UserName);

internal sealed class SweepSessionsCommandHandler(
    IBatchSyncDbContext db,
    ISyncUnitOfWork unitOfWork,
    ISessionRetention retention,
    IAuditStore auditStore,
    IAuditLog audit,
    IOptions<BatchSyncOptions> options,
    TimeProvider time,
    BatchSyncMetrics metrics,
    ILogger<SweepSessionsCommandHandler> logger) : ICommandHandler<SweepSessionsCommand, SweepResult>
{
    /// <summary>Sessions a query or a purge handles at once: a sweep never holds the store long, whatever the backlog.</summary>
    private const int Batch = 200;

    public async ValueTask<SweepResult> Handle(SweepSessionsCommand command, CancellationToken cancellationToken)
    {
        var limits = options.Value.Limits;
        var now = time.GetUtcNow().UtcDateTime;
        var staleBefore = now.AddHours(-limits.TempRetentionHours);
        var finishedBefore = now.AddDays(-limits.CompletedRetentionDays);

        var auditBefore = now.AddDays(-options.Value.Audit.RetentionDays);
        var expired = new List<ExpiredSync>();
        List<string> stale;
        do
        {
            stale = await db.SyncSessions.AsNoTracking()
                .Where(s => s.Status == SyncStatus.Open && s.UpdatedAt < staleBefore)
                .OrderBy(s => s.UpdatedAt)
                .Select(s => s.SyncId)
                .Take(Batch)
                .ToListAsync(cancellationToken);
            foreach (var syncId in stale)
            {
                if (await ExpireAsync(syncId, staleBefore, now, cancellationToken) is { } done)
                {
                    expired.Add(done);
                }
            }
        }
        while (stale.Count == Batch);

        var purged = 0;
        int count;
        do
        {
            count = await retention.PurgeFinishedAsync(finishedBefore, Batch, cancellationToken);
            purged += count;
        }
        while (count == Batch);

        var auditPurged = 0;
        do
        {
            count = await auditStore.PurgeAsync(auditBefore, Batch * 5, cancellationToken);
            auditPurged += count;
        }
        while (count == Batch * 5);

        foreach (var (syncId, deviceId, userName) in expired)
        {
            logger.LogInformation("Sync {SyncId} expired: untouched for {Hours} hours, its parts were deleted", syncId, limits.TempRetentionHours);
            audit.Record(new AuditEvent
            {
                At = now,
                Outcome = AuditOutcomes.Expired,
                SyncId = syncId,
                DeviceId = deviceId,
                UserName = userName,
                Reason = $"untouched for {limits.TempRetentionHours} hours; its parts were deleted",
            });
        }

        metrics.SyncsExpired(expired.Count);
        if (purged > 0)
        {
            logger.LogInformation("Forgot {Count} sessions finished more than {Days} days ago", purged, limits.CompletedRetentionDays);
        }

        return new SweepResult(expired, purged, auditPurged);
    }

    /// <summary>The session decides, under its own lock: a part that arrived since the query keeps it open.</summary>
    private Task<ExpiredSync?> ExpireAsync(string syncId, DateTime staleBefore, DateTime now, CancellationToken cancellationToken) =>
        unitOfWork.ExecuteAsync<ExpiredSync?>(
            syncId,
            async (store, ct) =>
            {
                var session = await store.LoadSessionAsync(ct);
                if (session is null || !session.Expire(staleBefore, now).IsSuccess)
                {
                    return null;
                }

                await store.SaveSessionAsync(session, null, ct);
                return new ExpiredSync(session.SyncId, session.DeviceId, session.UserName);
            },
            cancellationToken);
}
