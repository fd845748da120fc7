using BatchSync.Application.Behaviors;
using BatchSync.Application.Common;
using BatchSync.Application.Diagnostics;
using BatchSync.Domain.Common;
using Mediator;

namespace BatchSync.Application.Sync.UploadBatchPart;

/// <summary>One part of a sync, as read from the body by <see cref="BatchPartReader"/>.</summary>
/// <param name="ShapeErrors">Fields present with the wrong JSON type, by wire path.</param>
/// <param name="Checksum">The <c>checksum</c> field as the client sent it, if it did.</param>
/// <param name="RecordsChecksum">
/// <c>sha256:</c> of the <c>records</c> array's bytes exactly as they are in the body: what a correct
/// <see cref="Checksum"/> equals, and what the part is stored and compared under.
/// </param>
/// <param name="ContentDigest">What the <c>Content-Digest</c> header said about the whole body.</param>
public sealed record UploadBatchPartCommand(
    Caller Caller,
    string? SyncId,
    string? DeviceId,
    string? UserName,
    int? PartNumber,
    int? TotalParts,
    IReadOnlyList<IncomingRecord>? Records,
    IReadOnlyDictionary<string, string[]> ShapeErrors,
    string? Checksum = null,
    string? RecordsChecksum = null,
    DigestCheck ContentDigest = DigestCheck.Absent) : ICommand<Result<UploadBatchPartResponse>>, IValidated, ISyncMessage;

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
    int? AlreadyStored = null);
