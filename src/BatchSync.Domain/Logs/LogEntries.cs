namespace BatchSync.Domain.Logs;

/// <summary>
/// A row of a dated log table: one stored record with where it came from. <see cref="Data"/> is the
/// record's canonical JSON, the line of its dated log file; <see cref="ContentHash"/> with device and
/// timestamp identifies it, so a record sent again is stored once.
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

    public double? Speed { get; set; }

    public double? Bearing { get; set; }

    public required string Data { get; set; }
}

public sealed class LocationLogEntry : LogEntry
{
    public double Latitude { get; set; }

    public double Longitude { get; set; }

    public double? Accuracy { get; set; }

    public double? Altitude { get; set; }

    public double? BatteryLevel { get; set; }

    public string? NetworkType { get; set; }

    public string? Provider { get; set; }
}

public sealed class DrivingLogEntry : LogEntry
{
    public required string EventType { get; set; }

    public double? Latitude { get; set; }

    public double? Longitude { get; set; }

    public double? Accuracy { get; set; }
}
