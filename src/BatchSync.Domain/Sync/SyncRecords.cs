namespace BatchSync.Domain.Sync;

/// <summary>One recorded fact from a phone. <see cref="Timestamp"/> is Unix epoch milliseconds.</summary>
public abstract record SyncRecord(long Timestamp)
{
    public abstract RecordType Type { get; }
}

/// <summary>A GPS fix.</summary>
public sealed record LocationRecord(
    long Timestamp,
    double Latitude,
    double Longitude,
    double? Accuracy = null,
    double? Altitude = null,
    double? Speed = null,
    double? Bearing = null,
    double? BatteryLevel = null,
    string? NetworkType = null,
    string? Provider = null) : SyncRecord(Timestamp)
{
    public override RecordType Type => RecordType.Location;
}

/// <summary>A driving event (start, stop, harsh braking...), optionally where it happened.</summary>
public sealed record DrivingRecord(
    long Timestamp,
    string EventType,
    double? Latitude = null,
    double? Longitude = null,
    double? Accuracy = null,
    double? Speed = null,
    double? Bearing = null) : SyncRecord(Timestamp)
{
    public override RecordType Type => RecordType.Driving;
}
