using BatchSync.Application.Behaviors;
using BatchSync.Application.Common;
using BatchSync.Application.Diagnostics;
using BatchSync.Domain.Common;
using BatchSync.Domain.Sync;
using FluentValidation.Results;
using Mediator;

namespace BatchSync.Application.Sync.UploadBatchPart;

/// <summary>
/// One part of a sync, read from the body by <see cref="BatchPartReader"/>. Every field holds a value, as
/// with model binding: a field that did not come, or came with the wrong JSON type, holds its default
/// and <see cref="Reading"/> says so. Validation refuses every such part, so the handler reads exactly
/// what the client sent.
/// </summary>
/// <param name="Checksum">The <c>checksum</c> field as the client sent it; null when it sent none (it is optional).</param>
/// <param name="RecordsChecksum">
/// <c>sha256:</c> of the <c>records</c> array's bytes exactly as they are in the body: what a correct
/// <see cref="Checksum"/> equals, and what the part is stored and compared under.
/// </param>
/// <param name="ContentDigest">What the <c>Content-Digest</c> header said about the whole body.</param>
public sealed record UploadBatchPartCommand(
    Caller Caller,
    string SyncId,
    string DeviceId,
    string UserName,
    int PartNumber,
    int TotalParts,
    IReadOnlyList<IncomingRecord> Records,
    string? Checksum,
    string RecordsChecksum,
    DigestCheck ContentDigest,
    PartReading Reading) : ICommand<Result<UploadBatchPartResponse>>, IValidated, ISyncMessage
{
    /// <summary>Whether the body held <paramref name="field"/> with the right JSON type, so that its value is what was sent.</summary>
    public bool Has(PartFields field) => (Reading.Read & field) == field;

    // A part's span and log lines name the sync and device it said, and nothing it did not say.
    string? ISyncMessage.SyncId => Has(PartFields.SyncId) ? SyncId : null;

    string? ISyncMessage.DeviceId => Has(PartFields.DeviceId) ? DeviceId : null;

    /// <summary>More records in the part than a part may hold is a 413; any other failure a 400.</summary>
    static Error IValidated.Invalid(IReadOnlyDictionary<string, string[]> fields, IReadOnlyList<ValidationFailure> failures)
    {
        foreach (var failure in failures)
        {
            if (failure.ErrorCode == UploadBatchPartCommandValidator.TooLargeCode)
            {
                return new Error(ErrorKind.TooLarge, "Too many records in one part", fields);
            }
        }

        return Error.Validation(fields);
    }
}

/// <summary>What the part did: stored, duplicate, or (with <see cref="ProcessingResults"/>) completed the sync.</summary>
public sealed record UploadBatchPartResponse(
    string Message,
    string SyncId,
    int PartNumber,
    int TotalParts,
    int RecordsCount,
    bool Duplicate,
    bool SyncComplete,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>>? ProcessingResults,
    int? NewRecords = null,
    int? AlreadyStored = null)
{
    /// <summary>A part stored while others are missing, or one the session already held.</summary>
    internal static UploadBatchPartResponse Received(SyncSession session, PartSubmission part, bool duplicate) =>
        new(
            duplicate ? "Batch part already received" : "Batch part received",
            session.SyncId,
            part.PartNumber,
            session.TotalParts,
            part.RecordCount,
            duplicate,
            false,
            null);

    /// <summary>The completion, as the completing part was answered (and every later copy of a part of it).</summary>
    internal static UploadBatchPartResponse Completed(SyncSession session, CompletionSummary summary, bool duplicate) =>
        new(
            "Sync completed successfully",
            session.SyncId,
            summary.PartNumber,
            session.TotalParts,
            summary.RecordsCount,
            duplicate,
            true,
            summary.ProcessingResults,
            summary.NewRecords,
            summary.AlreadyStored);
}
