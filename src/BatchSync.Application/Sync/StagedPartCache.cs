using BatchSync.Domain.Sync;

namespace BatchSync.Application.Sync;

/// <summary>
/// The records of staged parts of open syncs, as they were prepared, so that completing a sync need
/// not read and decode what it staged moments ago. Only the writer uses it (no locking). Entries are
/// keyed by part and content hash, so an entry left by a rolled-back write is never taken for
/// different records. Bounded: past <see cref="CapacityRecords"/>, parts are not kept, and the
/// completion decodes them from the store as it would after a restart.
/// </summary>
public sealed class StagedPartCache
{
    public const int CapacityRecords = 50_000;

    private readonly Dictionary<(string SyncId, int Part), (string Hash, List<PreparedRecord> Records)> _parts = [];
    private int _records;

    public void Remember(string syncId, BatchPart part, List<PreparedRecord> records)
    {
        Drop((syncId, part.PartNumber));
        if (_records + records.Count <= CapacityRecords)
        {
            _parts[(syncId, part.PartNumber)] = (part.ContentHash, records);
            _records += records.Count;
        }
    }

    /// <summary>The part's records if they are kept (and removes them), else null.</summary>
    public List<PreparedRecord>? Take(string syncId, BatchPart part)
    {
        if (_parts.TryGetValue((syncId, part.PartNumber), out var kept) && kept.Hash == part.ContentHash)
        {
            Drop((syncId, part.PartNumber));
            return kept.Records;
        }

        return null;
    }

    public void Forget(string syncId, IEnumerable<BatchPart> parts)
    {
        foreach (var part in parts)
        {
            Drop((syncId, part.PartNumber));
        }
    }

    private void Drop((string, int) key)
    {
        if (_parts.Remove(key, out var kept))
        {
            _records -= kept.Records.Count;
        }
    }
}
