using BatchSync.Domain.Sync;

namespace BatchSync.Application.Sync.UploadBatchPart;

/// <summary>How a known field came: not at all (absent or JSON null), with a value, or with a value of the wrong JSON type.</summary>
public enum Arrival : byte
{
    Absent,
    Came,

    /// <summary>Of the wrong JSON type: the reader has reported it, the validator leaves it alone.</summary>
    WrongType,
}

/// <summary>
/// One record of a part as read from the body, its rules not yet checked: the known fields typed, by
/// <see cref="RecordField.Index"/> (a field came when it has a value; <paramref name="wrongTypes"/> has
/// bit <c>Index</c> set for one of the wrong JSON type), and the whole record in canonical JSON,
/// unknown fields included, with the JSON of its identity beside it.
/// </summary>
public sealed class IncomingRecord(
    RecordType? type,
    Arrival typeArrival,
    long timestamp,
    Arrival timestampArrival,
    FieldValue[] values,
    ulong wrongTypes,
    byte[] json,
    byte[] identityJson)
{
    /// <summary>The record's type; null when it did not come as one the server knows.</summary>
    public RecordType? Type { get; } = type;

    public Arrival TypeArrival { get; } = typeArrival;

    public long Timestamp { get; } = timestamp;

    public Arrival TimestampArrival { get; } = timestampArrival;

    /// <summary>Canonical JSON: <c>type</c> and <c>timestamp</c> first, then the known fields, then every other property by name.</summary>
    public byte[] Json { get; } = json;

    /// <summary>
    /// The canonical JSON with every number in its one form (<see cref="RecordIdentity"/>), which the
    /// identity hashes: the same array as <see cref="Json"/> when every number already is.
    /// </summary>
    public byte[] IdentityJson { get; } = identityJson;

    public FieldValue this[RecordField field] => values[field.Index];

    public Arrival ArrivalOf(RecordField field) =>
        (wrongTypes & (1UL << field.Index)) != 0 ? Arrival.WrongType
        : values[field.Index].HasValue ? Arrival.Came
        : Arrival.Absent;

    /// <summary>The record's type, known once it passed validation; only for a record that did.</summary>
    public RecordType ValidatedType =>
        Type is { } known && TypeArrival == Arrival.Came && TimestampArrival == Arrival.Came
            ? known
            : throw new InvalidOperationException("A record is used before it was validated.");
}
