namespace BatchSync.Domain.Sync;

/// <summary>
/// One numbered part of a sync as the session remembers it. <see cref="ContentHash"/> identifies the
/// part's records, so a resend can be told from a contradiction.
/// </summary>
public sealed class BatchPart
{
    public BatchPart(int partNumber, int recordCount, string contentHash, DateTime receivedAt)
    {
        PartNumber = partNumber;
        RecordCount = recordCount;
        ContentHash = contentHash;
        ReceivedAt = receivedAt;
    }

    public string SyncId { get; private set; } = "";

    public int PartNumber { get; private set; }

    public int RecordCount { get; private set; }

    public string ContentHash { get; private set; }

    public DateTime ReceivedAt { get; private set; }
}
