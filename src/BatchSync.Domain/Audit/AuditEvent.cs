namespace BatchSync.Domain.Audit;

/// <summary>What an audited request or sweep did.</summary>
public static class AuditOutcomes
{
    public const string Stored = "stored";
    public const string Duplicate = "duplicate";
    public const string Completed = "completed";
    public const string Rejected = "rejected";
    public const string Conflict = "conflict";
    public const string Refused = "refused";
    public const string Expired = "expired";
    public const string Aborted = "aborted";
}

/// <summary>
/// One line of the audit: who (token name, never the token; remote address), what (outcome, status,
/// reason), on what (device, user, sync, part), when, and the request id that ties it to the logs.
/// </summary>
public sealed class AuditEvent
{
    public long Id { get; set; }

    public DateTime At { get; set; }

    public required string Outcome { get; set; }

    public int Status { get; set; }

    public string? RequestId { get; set; }

    public string? TokenName { get; set; }

    public string? RemoteAddress { get; set; }

    public string? Method { get; set; }

    public string? Path { get; set; }

    public string? DeviceId { get; set; }

    public string? UserName { get; set; }

    public string? SyncId { get; set; }

    public int? PartNumber { get; set; }

    /// <summary>Why it was refused or rejected, at most 512 characters.</summary>
    public string? Reason { get; set; }
}
