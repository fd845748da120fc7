namespace BatchSync.Domain.Sync;

/// <summary>
/// One recorded fact from a phone, a GPS fix or a driving event. <see cref="Timestamp"/> is Unix epoch
/// milliseconds; <see cref="Values"/> holds the known fields by <see cref="RecordField.Index"/>, those
/// of other types empty.
/// </summary>
public sealed class SyncRecord(RecordType type, long timestamp, FieldValue[] values) : IEquatable<SyncRecord>
{
    public RecordType Type { get; } = type;

    public long Timestamp { get; } = timestamp;

    private readonly FieldValue[] _values = values;

    public FieldValue this[RecordField field] => _values[field.Index];

    public bool Equals(SyncRecord? other) =>
        other is not null && other.Type == Type && other.Timestamp == Timestamp && other._values.AsSpan().SequenceEqual(_values);

    public override bool Equals(object? obj) => Equals(obj as SyncRecord);

    public override int GetHashCode() => HashCode.Combine(Type, Timestamp);
}
