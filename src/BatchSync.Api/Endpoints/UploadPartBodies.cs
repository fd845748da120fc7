using BatchSync.Application.Sync.UploadBatchPart;

namespace BatchSync.Api.Endpoints;

/// <summary>
/// The answer to an upload: the seed's fields, in the seed's order. A completion also says how many of
/// the sync's records were <c>new_records</c> and how many the server held already (<c>already_stored</c>).
/// </summary>
public sealed record UploadPartResponseBody(
    string Status,
    string Message,
    string SyncId,
    int PartNumber,
    int TotalParts,
    int RecordsCount,
    bool? Duplicate,
    bool? SyncComplete,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>>? ProcessingResults,
    int? NewRecords,
    int? AlreadyStored,
    string RequestId)
{
    /// <summary>On the wire, <c>duplicate</c> and <c>sync_complete</c> appear only when true.</summary>
    internal static UploadPartResponseBody From(UploadBatchPartResponse r, string requestId) =>
        new(
            "success",
            r.Message,
            r.SyncId,
            r.PartNumber,
            r.TotalParts,
            r.RecordsCount,
            r.Duplicate ? true : null,
            r.SyncComplete ? true : null,
            r.ProcessingResults,
            r.NewRecords,
            r.AlreadyStored,
            requestId);
}

/// <summary>The upload request, for the OpenAPI document; the server reads bodies itself, field by field.</summary>
public sealed record UploadPartRequestBody(
    string SyncId,
    string DeviceId,
    string UserName,
    int PartNumber,
    int TotalParts,
    IReadOnlyList<Dictionary<string, object>> Records,
    string? Checksum = null);
