using BatchSync.Application.Abstractions;
using BatchSync.Application.Common;
using BatchSync.Application.Diagnostics;
using BatchSync.Domain.Audit;
using Mediator;
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

internal sealed class SweepSessionsCommandHandler(
    ISyncWriteQueue writer,
    IAuditLog audit,
    IOptions<BatchSyncOptions> options,
    TimeProvider time,
    BatchSyncMetrics metrics,
    ILogger<SweepSessionsCommandHandler> logger) : ICommandHandler<SweepSessionsCommand, SweepResult>
{
    /// <summary>Sessions a write handles: a sweep never holds the writer long, whatever the backlog.</summary>
    private const int Batch = 200;

    public async ValueTask<SweepResult> Handle(SweepSessionsCommand command, CancellationToken cancellationToken)
    {
        var limits = options.Value.Limits;
        var now = time.GetUtcNow().UtcDateTime;
        var staleBefore = now.AddHours(-limits.TempRetentionHours);
        var finishedBefore = now.AddDays(-limits.CompletedRetentionDays);

        var auditBefore = now.AddDays(-options.Value.Audit.RetentionDays);
        var expired = new List<ExpiredSync>();
        IReadOnlyList<ExpiredSync> batch;
        do
        {
            batch = await writer.ExecuteAsync(store => store.ExpireOpenSessions(staleBefore, now, Batch), cancellationToken);
            expired.AddRange(batch);
        }
        while (batch.Count == Batch);

        var purged = 0;
        int count;
        do
        {
            count = await writer.ExecuteAsync(store => store.PurgeFinishedSessions(finishedBefore, Batch), cancellationToken);
            purged += count;
        }
        while (count == Batch);

        var auditPurged = 0;
        do
        {
            count = await writer.ExecuteAsync(store => store.PurgeAudit(auditBefore, Batch * 5), cancellationToken);
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
}
