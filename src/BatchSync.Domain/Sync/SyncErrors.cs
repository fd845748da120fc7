using BatchSync.Domain.Common;

namespace BatchSync.Domain.Sync;

public static class SyncErrors
{
    public static Error SessionMismatch(SyncSession session, PartSubmission part)
    {
        var fields = new Dictionary<string, string[]>();
        if (part.DeviceId != session.DeviceId)
        {
            fields["device_id"] = [$"sync {session.SyncId} belongs to another device_id"];
        }

        if (part.UserName != session.UserName)
        {
            fields["user_name"] = [$"sync {session.SyncId} was started with another user_name"];
        }

        if (part.TotalParts != session.TotalParts)
        {
            fields["total_parts"] = [$"sync {session.SyncId} was started with total_parts {session.TotalParts}"];
        }

        return new Error(ErrorKind.Conflict, "Part contradicts the sync session", fields);
    }

    public static Error PartConflict(string syncId, int partNumber) =>
        new(
            ErrorKind.Conflict,
            $"Part {partNumber} of sync {syncId} was already received with different records",
            new Dictionary<string, string[]> { ["records"] = ["differ from the part already received"] });

    public static Error Aborted(string syncId) =>
        new(ErrorKind.Conflict, $"Sync {syncId} was aborted by an administrator; start a new sync");

    public static Error SessionNotFound(string syncId) => Error.NotFound($"Sync session {syncId} not found");

    /// <summary>Only an open sync can be aborted.</summary>
    public static Error NotAbortable(SyncSession session) =>
        new(ErrorKind.Conflict, $"Sync {session.SyncId} is {session.Status.ToString().ToLowerInvariant()}; only an open sync can be aborted");

    /// <summary>Only an open sync left untouched since the cutoff expires.</summary>
    public static Error NotStale(SyncSession session) =>
        new(ErrorKind.Conflict, $"Sync {session.SyncId} is {session.Status.ToString().ToLowerInvariant()} and was last touched at {session.UpdatedAt:O}; it does not expire");

    /// <summary>A part whose number is not one of 1..total_parts.</summary>
    public static Error PartNumberOutOfRange(string[] problems) =>
        Error.Validation(new Dictionary<string, string[]> { ["part_number"] = problems });
}
