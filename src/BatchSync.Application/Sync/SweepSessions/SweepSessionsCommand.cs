using BatchSync.Application.Abstractions;
using BatchSync.Application.Common;
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

/// <param name="Expired">Sync ids of the open sessions expired by this sweep.</param>
/// <param name="Purged">Finished sessions forgotten.</param>
public sealed record SweepResult(IReadOnlyList<string> Expired, int Purged);

internal sealed class SweepSessionsCommandHandler(
    ISyncWriteQueue writer,
    IOptions<BatchSyncOptions> options,
    TimeProvider time,
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

        var expired = new List<string>();
        IReadOnlyList<string> batch;
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

        foreach (var syncId in expired)
        {
            logger.LogInformation("Sync {SyncId} expired: untouched for {Hours} hours, its parts were deleted", syncId, limits.TempRetentionHours);
        }

        if (purged > 0)
        {
            logger.LogInformation("Forgot {Count} sessions finished more than {Days} days ago", purged, limits.CompletedRetentionDays);
        }

        return new SweepResult(expired, purged);
    }
}
