using BatchSync.Domain.Common;

namespace BatchSync.Domain.Sync;

/// <summary>
/// One upload of a device's backlog in numbered parts. The first part fixes device, user and part count;
/// the session decides what each further part means (new, duplicate, contradiction, the last one).
/// </summary>
public sealed class SyncSession
{
    private readonly List<BatchPart> _parts = [];

    private SyncSession(string syncId, string deviceId, string userName, int totalParts, DateTime createdAt)
    {
        SyncId = syncId;
        DeviceId = deviceId;
        UserName = userName;
        TotalParts = totalParts;
        Status = SyncStatus.Open;
        CreatedAt = createdAt;
        UpdatedAt = createdAt;
    }

    public string SyncId { get; private set; }

    public string DeviceId { get; private set; }

    public string UserName { get; private set; }

    public int TotalParts { get; private set; }

    public SyncStatus Status { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public DateTime UpdatedAt { get; private set; }

    public DateTime? CompletedAt { get; private set; }

    public CompletionSummary? Completion { get; private set; }

    public IReadOnlyList<BatchPart> Parts => _parts;

    public bool IsComplete => _parts.Count == TotalParts;

    public static SyncSession Start(string syncId, string deviceId, string userName, int totalParts, DateTime now) =>
        new(syncId, deviceId, userName, totalParts, now);

    /// <summary>Rebuilds a session from storage; no rule runs.</summary>
    public static SyncSession Restore(
        string syncId,
        string deviceId,
        string userName,
        int totalParts,
        SyncStatus status,
        DateTime createdAt,
        DateTime updatedAt,
        DateTime? completedAt,
        CompletionSummary? completion,
        IEnumerable<BatchPart> parts)
    {
        var session = new SyncSession(syncId, deviceId, userName, totalParts, createdAt)
        {
            Status = status,
            UpdatedAt = updatedAt,
            CompletedAt = completedAt,
            Completion = completion,
        };
        session._parts.AddRange(parts);
        return session;
    }

    public IEnumerable<int> MissingParts()
    {
        var held = _parts.Select(p => p.PartNumber).ToHashSet();
        return Enumerable.Range(1, TotalParts).Where(n => !held.Contains(n));
    }

    public Result<PartReceipt> ReceivePart(PartSubmission part, DateTime now)
    {
        if (Status == SyncStatus.Expired && part.DeviceId == DeviceId)
        {
            // Its parts are gone: the sync starts afresh, fixed again by this first part.
            UserName = part.UserName;
            TotalParts = part.TotalParts;
            Status = SyncStatus.Open;
            CreatedAt = now;
        }

        if (Status == SyncStatus.Aborted)
        {
            return SyncErrors.Aborted(SyncId);
        }

        if (part.DeviceId != DeviceId || part.UserName != UserName || part.TotalParts != TotalParts)
        {
            return SyncErrors.SessionMismatch(this, part);
        }

        var held = _parts.Find(p => p.PartNumber == part.PartNumber);
        if (held is not null)
        {
            if (!held.HasSameRecords(part))
            {
                return SyncErrors.PartConflict(SyncId, part.PartNumber);
            }

            return Status == SyncStatus.Completed ? PartReceipt.AlreadyCompleted : PartReceipt.Duplicate;
        }

        if (Status == SyncStatus.Completed)
        {
            // Unreachable for a consistent session (a completed one holds every part), kept as a guard.
            return SyncErrors.PartConflict(SyncId, part.PartNumber);
        }

        _parts.Add(new BatchPart(part.PartNumber, part.RecordCount, part.Checksum, part.ContentHash, now));
        UpdatedAt = now;
        return IsComplete ? PartReceipt.ReadyToComplete : PartReceipt.Stored;
    }

    /// <summary>Whether the sync is open and nothing arrived for it since <paramref name="cutoff"/>.</summary>
    public bool IsUntouchedSince(DateTime cutoff) => Status == SyncStatus.Open && UpdatedAt < cutoff;

    /// <summary>Gives up on an open sync left untouched too long: its parts are forgotten.</summary>
    public void Expire(DateTime now) => Close(SyncStatus.Expired, now);

    /// <summary>An administrator stops an open sync for good: its parts are forgotten, later parts refused.</summary>
    public void Abort(DateTime now) => Close(SyncStatus.Aborted, now);

    public void Complete(CompletionSummary summary, DateTime now)
    {
        if (Status == SyncStatus.Completed)
        {
            throw new InvalidOperationException($"Sync {SyncId} is already completed.");
        }

        if (!IsComplete)
        {
            throw new InvalidOperationException($"Sync {SyncId} still misses parts.");
        }

        Status = SyncStatus.Completed;
        Completion = summary;
        CompletedAt = now;
        UpdatedAt = now;
    }

    /// <summary>Ends an open sync without completing it: its parts are forgotten.</summary>
    private void Close(SyncStatus status, DateTime now)
    {
        if (Status != SyncStatus.Open)
        {
            throw new InvalidOperationException($"Sync {SyncId} is {Status}, not open.");
        }

        _parts.Clear();
        Status = status;
        UpdatedAt = now;
    }
}
