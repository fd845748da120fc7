using BatchSync.Domain.Common;

namespace BatchSync.Domain.Sync;

/// <summary>
/// One upload of a device's backlog in numbered parts. The first part fixes device, user and part count;
/// the session decides what each further part means (new, duplicate, contradiction, the last one).
/// </summary>
public sealed class SyncSession
{
    private readonly List<BatchPart> _parts = [];

    // Parts held in storage but not loaded: a session restored for one part's receipt loads only that part.
    private int _partsNotLoaded;

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

    /// <summary>The parts loaded: all of them, unless the session was restored for one part's receipt.</summary>
    public IReadOnlyList<BatchPart> Parts => _parts;

    /// <summary>How many parts the sync holds, loaded or not.</summary>
    public int PartCount => _parts.Count + _partsNotLoaded;

    public bool IsComplete => PartCount == TotalParts;

    /// <summary>What a part number that is not one of 1..total_parts is told.</summary>
    public const string PartNumberBelowOne = "must be at least 1";

    /// <inheritdoc cref="PartNumberBelowOne"/>
    public const string PartNumberAboveTotal = "must not exceed total_parts";

    public static SyncSession Start(string syncId, string deviceId, string userName, int totalParts, DateTime now) =>
        new(syncId, deviceId, userName, totalParts, now);

    /// <summary>
    /// Whether a part for this sync opens it, new or expired (an expired sync starts afresh): such a part
    /// counts against the open-sync limits, while parts of an open sync always pass.
    /// </summary>
    public static bool IsOpenedBy(SyncSession? session) => session is null || session.Status == SyncStatus.Expired;

    /// <summary>
    /// A part's number is one of 1..total_parts; <paramref name="totalParts"/> is null when it is not known.
    /// Returns what is wrong with it, or null when nothing is.
    /// </summary>
    public static string[]? PartNumberProblems(int partNumber, int? totalParts) =>
        (partNumber < 1, partNumber > totalParts) switch
        {
            (false, false) => null,
            (true, false) => [PartNumberBelowOne],
            (false, true) => [PartNumberAboveTotal],
            (true, true) => [PartNumberBelowOne, PartNumberAboveTotal],
        };

    /// <summary>
    /// Rebuilds a session from storage; no rule runs. <paramref name="partCount"/> is how many parts it
    /// holds when <paramref name="parts"/> are not all of them: a part's receipt needs only the part of its
    /// number, whatever the size of the sync.
    /// </summary>
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
        IEnumerable<BatchPart> parts,
        int? partCount = null)
    {
        var session = new SyncSession(syncId, deviceId, userName, totalParts, createdAt)
        {
            Status = status,
            UpdatedAt = updatedAt,
            CompletedAt = completedAt,
            Completion = completion,
        };
        session._parts.AddRange(parts);
        session._partsNotLoaded = partCount is { } count
            ? (count >= session._parts.Count ? count - session._parts.Count : throw new ArgumentOutOfRangeException(nameof(partCount), "A sync holds at least the parts loaded."))
            : 0;
        return session;
    }

    /// <summary>The numbers of the parts still to come; only for a session loaded with all its parts.</summary>
    public IEnumerable<int> MissingParts()
    {
        if (_partsNotLoaded > 0)
        {
            throw new InvalidOperationException($"Sync {SyncId} was loaded without all its parts.");
        }

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

        if (PartNumberProblems(part.PartNumber, TotalParts) is { } problems)
        {
            return SyncErrors.PartNumberOutOfRange(problems);
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

    /// <summary>
    /// Gives up on an open sync that nothing reached since <paramref name="staleBefore"/>: its parts are
    /// forgotten. Any other sync stays as it is.
    /// </summary>
    public Result Expire(DateTime staleBefore, DateTime now)
    {
        if (Status != SyncStatus.Open || UpdatedAt >= staleBefore)
        {
            return SyncErrors.NotStale(this);
        }

        Close(SyncStatus.Expired, now);
        return Result.Success;
    }

    /// <summary>An administrator stops an open sync for good: its parts are forgotten, later parts refused.</summary>
    public Result Abort(DateTime now)
    {
        if (Status != SyncStatus.Open)
        {
            return SyncErrors.NotAbortable(this);
        }

        Close(SyncStatus.Aborted, now);
        return Result.Success;
    }

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
        _parts.Clear();
        _partsNotLoaded = 0;
        Status = status;
        UpdatedAt = now;
    }
}
