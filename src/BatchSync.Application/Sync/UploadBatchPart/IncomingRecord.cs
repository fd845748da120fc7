namespace BatchSync.Application.Sync.UploadBatchPart;

/// <summary>The known fields of a record as they came, unchecked; <see cref="Present"/> tells present (not null) from absent or null.</summary>
[Flags]
public enum RecordFields
{
    None = 0,
    Type = 1 << 0,
    Timestamp = 1 << 1,
    Latitude = 1 << 2,
    Longitude = 1 << 3,
    EventType = 1 << 4,
    LocationLatitude = 1 << 5,
    LocationLongitude = 1 << 6,
}

/// <summary>
/// One record of a part as read from the body: known fields typed (null when absent, null or of the
/// wrong JSON type), and the whole record in canonical JSON, unknown fields included.
/// </summary>
public sealed class IncomingRecord
{
    public RecordFields Present { get; set; }

    public string? Type { get; set; }

    public long? Timestamp { get; set; }

    public double? Latitude { get; set; }

    public double? Longitude { get; set; }

    public double? Accuracy { get; set; }

    public double? Altitude { get; set; }

    public double? Speed { get; set; }

    public double? Bearing { get; set; }

    public double? BatteryLevel { get; set; }

    public string? NetworkType { get; set; }

    public string? Provider { get; set; }

    public string? EventType { get; set; }

    public double? LocationLatitude { get; set; }

    public double? LocationLongitude { get; set; }

    public double? LocationAccuracy { get; set; }

    /// <summary>Canonical JSON: <c>type</c> and <c>timestamp</c> first, then every other property by name.</summary>
    public byte[] Json { get; set; } = [];

    public bool Has(RecordFields field) => (Present & field) == field;
}
