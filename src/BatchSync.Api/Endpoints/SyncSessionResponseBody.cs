using BatchSync.Application.Sync.GetSyncSession;

namespace BatchSync.Api.Endpoints;

/// <summary>A sync session for a client that resumes: which parts arrived, which are missing.</summary>
public sealed record SyncSessionResponseBody(
    string Status,
    string SyncId,
    string DeviceId,
    string UserName,
    string SyncStatus,
    int TotalParts,
    IReadOnlyList<int> ReceivedParts,
    IReadOnlyList<int> MissingParts,
    int RecordsReceived,
    IReadOnlyList<SyncPartBody> Parts,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    DateTime? CompletedAt,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>>? ProcessingResults,
    string RequestId)
{
    internal static SyncSessionResponseBody From(SyncSessionDto s, string requestId) =>
        new(
            "success",
            s.SyncId,
            s.DeviceId,
            s.UserName,
            s.SyncStatus,
            s.TotalParts,
            s.ReceivedParts,
            s.MissingParts,
            s.RecordsReceived,
            [.. s.Parts.Select(p => new SyncPartBody(p.PartNumber, p.RecordCount, p.Checksum, p.ReceivedAt))],
            s.CreatedAt,
            s.UpdatedAt,
            s.CompletedAt,
            s.ProcessingResults,
            requestId);
}

/// <summary>A part the server holds; <c>checksum</c> is <c>sha256:</c> of its records' bytes as they were sent.</summary>
public sealed record SyncPartBody(int PartNumber, int RecordCount, string Checksum, DateTime ReceivedAt);
