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
    ISyncWriteQueue writer,
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
        if (!command.Caller.MayAccess(command.DeviceId!))
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
    }

    private static Error ShortOfStorage(LimitsOptions limits) => Error.InsufficientStorage(
        "The server is short of storage; nothing was lost, send the part again later",
        TimeSpan.FromSeconds(limits.StorageRetryAfterSeconds));

    private async ValueTask<Result<UploadBatchPartResponse>> StoreAsync(
        UploadBatchPartCommand command,
        CancellationToken cancellationToken)
    {
        var started = time.GetTimestamp();
        var (records, contentHash) = PartPreparer.Prepare(command.Records!, command.PartNumber!.Value, calendar);
        var part = new PartSubmission(
            command.DeviceId!,
            command.UserName!,
            command.PartNumber.Value,
            command.TotalParts!.Value,
            records.Count,
            command.RecordsChecksum!,
            contentHash);

        var staged = staging.Encode(records);
        BatchSyncTracing.Step("batchsync.stage");
        var outcome = await writer.ExecuteAsync(
            store => ReceivePart(store, staging, options.Value.Limits, command.SyncId!, part, records, staged, time.GetUtcNow().UtcDateTime),
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
                await appended.FilesWritten.WaitAsync(cancellationToken);
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

    /// <summary>Runs on the writer: the session's rules decide, the store follows. A completion also returns what it appended.</summary>
    private static Result<(UploadBatchPartResponse, LogAppendResult?)> ReceivePart(
        ISyncStore store,
        IStagedPartCodec staging,
        LimitsOptions limits,
        string syncId,
        PartSubmission part,
        List<PreparedRecord> records,
        byte[] staged,
        DateTime now)
    {
        var session = store.FindSession(syncId);
        var isNew = session is null;
        if ((isNew || session!.Status == SyncStatus.Expired) && OpenSessionLimit(store, part.DeviceId, limits) is { } refused)
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
                return (Answer(session, part, "Batch part already received", duplicate: true), null);
            case PartReceipt.AlreadyCompleted:
                return (Completed(session, session.Completion!, duplicate: true), null);
        }

        if (isNew)
        {
            store.AddSession(session);
        }

        if (receipt.Value == PartReceipt.Stored)
        {
            store.AddPart(syncId, session.Parts[^1], staged);
            store.UpdateSession(session);
            return (Answer(session, part, "Batch part received", duplicate: false), null);
        }

        // The last part completes the sync in this same transaction: its records need no staging.
        store.AddPart(syncId, session.Parts[^1], null);
        var merged = new List<PreparedRecord>(records);
        foreach (var payload in store.LoadStagedParts(syncId))
        {
            staging.Decode(payload, merged);
        }

        merged.Sort(PreparedRecord.LogOrder);
        var appended = store.AppendToLogs(session, merged);
        var summary = new CompletionSummary(part.PartNumber, part.RecordCount, CountByTypeAndDate(merged));
        session.Complete(summary, now);
        store.UpdateSession(session);
        store.DropStagedRecords(syncId);
        return (Completed(session, summary, duplicate: false), appended);
    }

    /// <summary>A part that would open a sync past the server's or its device's limit; parts of open syncs always pass.</summary>
    private static Error? OpenSessionLimit(ISyncStore store, string deviceId, LimitsOptions limits)
    {
        var retryAfter = TimeSpan.FromSeconds(limits.SessionLimitRetryAfterSeconds);
        if (store.CountOpenSessions(deviceId) >= limits.MaxOpenSyncsPerDevice)
        {
            return Error.TooManyRequests(
                $"Device {deviceId} already has {limits.MaxOpenSyncsPerDevice} syncs open; finish one, or send again later", retryAfter);
        }

        if (store.CountOpenSessions() >= limits.MaxSyncSessions)
        {
            return Error.TooManyRequests("The server has as many syncs open as it takes; send again later", retryAfter);
        }

        return null;
    }

    private static UploadBatchPartResponse Answer(
        SyncSession session,
        PartSubmission part,
        string message,
        bool duplicate) =>
        new(message, session.SyncId, part.PartNumber, session.TotalParts, part.RecordCount, duplicate, false, null);

    private static UploadBatchPartResponse Completed(SyncSession session, CompletionSummary summary, bool duplicate) =>
        new(
            "Sync completed successfully",
            session.SyncId,
            summary.PartNumber,
            session.TotalParts,
            summary.RecordsCount,
            duplicate,
            true,
            summary.ProcessingResults);

    private static Dictionary<string, IReadOnlyDictionary<string, int>> CountByTypeAndDate(List<PreparedRecord> records)
    {
        var counts = new Dictionary<string, IReadOnlyDictionary<string, int>>();
        foreach (var group in records.GroupBy(r => r.Record.Type))
        {
            counts[group.Key.WireName()] = new SortedDictionary<string, int>(
                group.GroupBy(r => r.LogDate).ToDictionary(d => LogCalendar.Format(d.Key), d => d.Count()),
                StringComparer.Ordinal);
        }

        return counts;
    }
}
