using System.Text.Json.Serialization;

namespace BatchSync.Api.ErrorHandling;

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
    string RequestId);

/// <summary>The one error envelope: <c>message</c> for people (the seed's client shows it), <c>errors</c> by field.</summary>
public sealed record ErrorResponseBody(
    string Status,
    string Message,
    IReadOnlyDictionary<string, string[]>? Errors,
    bool Retryable,
    string RequestId);

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
    string RequestId);

/// <summary>A part the server holds; <c>checksum</c> is <c>sha256:</c> of its records' bytes as they were sent.</summary>
public sealed record SyncPartBody(int PartNumber, int RecordCount, string Checksum, DateTime ReceivedAt);

/// <summary>The upload request, for the OpenAPI document; the server reads bodies itself, field by field.</summary>
public sealed record UploadPartRequestBody(
    string SyncId,
    string DeviceId,
    string UserName,
    int PartNumber,
    int TotalParts,
    IReadOnlyList<Dictionary<string, object>> Records,
    string? Checksum = null);

public sealed record HealthResponseBody(string Status, IReadOnlyDictionary<string, string> Checks);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(UtcInstantJsonConverter)])]
[JsonSerializable(typeof(UploadPartResponseBody))]
[JsonSerializable(typeof(ErrorResponseBody))]
[JsonSerializable(typeof(SyncSessionResponseBody))]
[JsonSerializable(typeof(UploadPartRequestBody))]
[JsonSerializable(typeof(HealthResponseBody))]
public sealed partial class WireJsonContext : JsonSerializerContext;
