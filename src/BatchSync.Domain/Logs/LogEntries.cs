namespace BatchSync.Domain.Logs;

/// <summary>
/// A row of a dated log table: one stored record with where it came from. <see cref="Data"/> is the
/// record's canonical JSON, the line of its dated log file; <see cref="ContentHash"/> with device and
/// timestamp identifies it, so a record sent again is stored once. Its fields, known or not, are in
/// <see cref="Data"/> only.
/// </summary>
public abstract class LogEntry
{
    public long Id { get; set; }

    public required string DeviceId { get; set; }

    public required string UserName { get; set; }

    public required string SyncId { get; set; }

    public DateOnly LogDate { get; set; }

    public long Timestamp { get; set; }

    public long ContentHash { get; set; }

    public required string Data { get; set; }
}

/// <summary>A row of <c>location_logs</c>: a location record, its fields in <see cref="LogEntry.Data"/>.</summary>
public sealed class LocationLogEntry : LogEntry;

/// <summary>A row of <c>driving_logs</c>: a driving event, its fields in <see cref="LogEntry.Data"/>.</summary>
public sealed class DrivingLogEntry : LogEntry;
