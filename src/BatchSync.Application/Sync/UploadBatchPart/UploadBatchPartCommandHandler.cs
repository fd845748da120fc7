using BatchSync.Application.Abstractions;
using BatchSync.Application.Common;
using BatchSync.Application.Diagnostics;
using BatchSync.Domain.Common;
using BatchSync.Domain.Sync;
using Mediator;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BatchSync.Application.Sync.UploadBatchPart;

internal sealed class UploadBatchPartCommandHandler(
    ISyncUnitOfWork unitOfWork,
    IDatedLogFiles files,
    ILogPartitions partitions,
    IStagedPartCodec staging,
    LogCalendar calendar,
    IStorageGauge storage,
    IOptions<BatchSyncOptions> options,
    TimeProvider time,
    BatchSyncMetrics metrics,
    ILogger<UploadBatchPartCommandHandler> logger)
    : ICommandHandler<UploadBatchPartCommand, Result<UploadBatchPartResponse>>
{
    public async ValueTask<Result<UploadBatchPartResponse>> Handle(
        UploadBatchPartCommand command,
        CancellationToken cancellationToken)
    {
        if (!command.Caller.MayAccess(command.DeviceId))
        {
            return Error.Forbidden($"This token may not write device {command.DeviceId}");
        }

        var limits = options.Value.Limits;
        if (limits.MinFreeDiskMb > 0 && storage.AvailableBytes() < limits.MinFreeDiskMb * 1024 * 1024)
        {
            logger.LogWarning("Part refused: less than {MinFreeDiskMb} MB free in the data folder", limits.MinFreeDiskMb);
            return ShortOfStorage(limits);
        }

        try
        {
            return await StoreAsync(command, cancellationToken);
        }
        catch (StorageFullException e)
        {
            // Whatever the write began was undone (or, for the dated files, is owed and retried).
            logger.LogWarning(e, "Part {PartNumber} of sync {SyncId} not stored: storage full", command.PartNumber, command.SyncId);
            return ShortOfStorage(limits);
        }
        catch (StorageUnavailableException e)
        {
            // The transaction was rolled back, or committed just before the connection went: a resend is
            // stored, or answered as the duplicate it is.
            logger.LogWarning("Part {PartNumber} of sync {SyncId} not answered: {Reason}", command.PartNumber, command.SyncId, e.InnerException?.Message ?? e.Message);
            return Error.Unavailable("The database cannot be reached; nothing acknowledged was lost, send the part again later", TimeSpan.FromSeconds(5));
        }
    }

    private static Error ShortOfStorage(LimitsOptions limits) => Error.InsufficientStorage(
        "The server is short of storage; nothing was lost, send the part again later",
        TimeSpan.FromSeconds(limits.StorageRetryAfterSeconds));

    private async ValueTask<Result<UploadBatchPartResponse>> StoreAsync(
        UploadBatchPartCommand command,
        CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var (records, contentHash) = PartPreparer.Prepare(command.Records, command.PartNumber, calendar);
        var part = new PartSubmission(
            command.DeviceId,
            command.UserName,
            command.PartNumber,
            command.TotalParts,
            records.Count,
            command.RecordsChecksum,
            contentHash);

        await partitions.EnsureAsync(records, cancellationToken);
        var staged = new StagedPart(part.PartNumber, staging.Encode(records), records.Count > 0 ? records[0].Timestamp : null);
        BatchSyncTracing.Step("batchsync.stage");
        var limits = options.Value.Limits;
        var now = time.GetUtcNow().UtcDateTime;
        var outcome = await unitOfWork.ExecuteAsync(
            command.SyncId,
            (store, ct) => ReceivePartAsync(store, command.SyncId, part, records, staged, limits, now, ct),
            cancellationToken);
        BatchSyncTracing.Step("batchsync.write");
        if (!outcome.IsSuccess)
        {
            return outcome.Error!;
        }

        var (response, appended) = outcome.Value;
        if (appended is not null)
        {
            // The answer waits for the dated files, so "completed" means tables and files alike. If they
            // fail, the tables hold the sync and the files are owed: the client's resend is answered
            // "completed" from the tables, and the files are rewritten from them.
            try
            {
                await files.WriteAsync(appended.Files, cancellationToken);
                BatchSyncTracing.Step("batchsync.files");
            }
            catch (Exception e) when (e is not (StorageFullException or OperationCanceledException))
            {
                logger.LogWarning(e, "Sync {SyncId} stored, but its dated log files are not written yet", response.SyncId);
                return Error.Unavailable(
                    "The sync is stored but its dated log files are not written yet; send the part again later",
                    TimeSpan.FromSeconds(5));
            }

            metrics.RecordsAppended(appended.Inserted, appended.AlreadyStored);
            logger.LogInformation(
                "Sync {SyncId} of device {DeviceId} completed: {Parts} parts, {NewRecords} new records, {KnownRecords} already stored, in {ElapsedMs:F1} ms",
                response.SyncId,
                command.DeviceId,
                response.TotalParts,
                appended.Inserted,
                appended.AlreadyStored,
                time.GetElapsedTime(started).TotalMilliseconds);
        }

        return response;
    }

    /// <summary>Inside the sync's transaction: the session's rules decide, the store follows. A completion also returns what it appended.</summary>
    private async ValueTask<Result<(UploadBatchPartResponse, LogAppendResult?)>> ReceivePartAsync(
        ISyncTransaction store,
        string syncId,
        PartSubmission part,
        List<PreparedRecord> records,
        StagedPart staged,
        LimitsOptions limits,
        DateTime now,
        CancellationToken cancellationToken)
    {
        var session = await store.LoadSessionForPartAsync(part.PartNumber, cancellationToken);
        if (SyncSession.IsOpenedBy(session) &&
            await OpenSessionLimitAsync(store, part.DeviceId, limits, cancellationToken) is { } refused)
        {
            return refused;
        }

        session ??= SyncSession.Start(syncId, part.DeviceId, part.UserName, part.TotalParts, now);
        var receipt = session.ReceivePart(part, now);
        if (!receipt.IsSuccess)
        {
            return receipt.Error!;
        }

        switch (receipt.Value)
        {
            case PartReceipt.Duplicate:
                return (UploadBatchPartResponse.Received(session, part, duplicate: true), null);
            case PartReceipt.AlreadyCompleted:
                return (UploadBatchPartResponse.Completed(session, session.Completion!, duplicate: true), null);
            case PartReceipt.Stored:
                await store.SaveSessionAsync(session, staged, cancellationToken);
                return (UploadBatchPartResponse.Received(session, part, duplicate: false), null);
        }

        // The last part completes the sync in this same transaction: its records need no staging. The
        // staged parts are merged in as they are read, never held whole.
        var merge = new StagedMerge(store, staging);
        var appended = await store.AppendToLogsAsync(session, merge.MergeAsync(records, cancellationToken), cancellationToken);
        var summary = new CompletionSummary(
            part.PartNumber, part.RecordCount, merge.Counts.ByTypeAndDate(), appended.Inserted, appended.AlreadyStored);
        session.Complete(summary, now);
        await store.SaveSessionAsync(session, null, cancellationToken);
        return (UploadBatchPartResponse.Completed(session, summary, duplicate: false), appended);
    }

    /// <summary>A part that would open a sync past the server's or its device's limit; parts of open syncs always pass.</summary>
    private static async ValueTask<Error?> OpenSessionLimitAsync(
        ISyncTransaction store,
        string deviceId,
        LimitsOptions limits,
        CancellationToken cancellationToken)
    {
        var retryAfter = TimeSpan.FromSeconds(limits.SessionLimitRetryAfterSeconds);
        if (await store.CountOpenSessionsAsync(deviceId, cancellationToken) >= limits.MaxOpenSyncsPerDevice)
        {
            return Error.TooManyRequests(
                $"Device {deviceId} already has {limits.MaxOpenSyncsPerDevice} syncs open; finish one, or send again later", retryAfter);
        }

        if (await store.CountOpenSessionsAsync(null, cancellationToken) >= limits.MaxSyncSessions)
        {
            return Error.TooManyRequests("The server has as many syncs open as it takes; send again later", retryAfter);
        }

        return null;
    }
}
