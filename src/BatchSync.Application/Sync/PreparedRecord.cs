using BatchSync.Domain.Sync;

namespace BatchSync.Application.Sync;

/// <summary>
/// A validated record ready for the writer: its type and timestamp, its canonical JSON (the line of its
/// dated log file and the <c>data</c> of its row, every field in it), the hash of that JSON (its
/// identity with device and timestamp), its log date, and where it was sent (part, position) to order
/// ties. Nothing past validation reads a field's value, so none is carried.
/// </summary>
public sealed record PreparedRecord(
    RecordType Type,
    long Timestamp,
    byte[] Json,
    long ContentHash,
    DateOnly LogDate,
    int PartNumber,
    int Position)
{
    /// <summary>Log order: timestamp, then part, then position in the part.</summary>
    public static readonly Comparison<PreparedRecord> LogOrder = static (a, b) =>
    {
        var c = a.Timestamp.CompareTo(b.Timestamp);
        if (c != 0)
        {
            return c;
        }

        c = a.PartNumber.CompareTo(b.PartNumber);
        return c != 0 ? c : a.Position.CompareTo(b.Position);
    };
}
