namespace BatchSync.Domain.Sync;

/// <summary>
/// One numbered part of a sync as the session remembers it. <see cref="Checksum"/> is the SHA-256 of
/// the records' bytes as sent (what the client's own checksum is); <see cref="ContentHash"/> is that of
/// the records' canonical form, the same however a client spaced or ordered the JSON. Either tells a
/// resend from a contradiction.
/// </summary>
public sealed class BatchPart
{
    public BatchPart(int partNumber, int recordCount, string checksum, string contentHash, DateTime receivedAt)
    {
        PartNumber = partNumber;
        RecordCount = recordCount;
        Checksum = checksum;
        ContentHash = contentHash;
        ReceivedAt = receivedAt;
    }

    public string SyncId { get; private set; } = "";

    public int PartNumber { get; private set; }

    public int RecordCount { get; private set; }

    public string Checksum { get; private set; }

    public string ContentHash { get; private set; }

    /// <summary>Whether a submission carries the same records as this part.</summary>
    public bool HasSameRecords(PartSubmission part) => Checksum == part.Checksum || ContentHash == part.ContentHash;

    public DateTime ReceivedAt { get; private set; }
}
