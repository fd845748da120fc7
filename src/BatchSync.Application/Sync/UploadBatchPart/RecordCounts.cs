using BatchSync.Domain.Sync;

namespace BatchSync.Application.Sync.UploadBatchPart;

/// <summary>
/// A completed sync's <c>processing_results</c>, counted as its records go by: by type (in the order the
/// types first appear), then by log date.
/// </summary>
internal sealed class RecordCounts
{
    private readonly Dictionary<RecordType, Dictionary<DateOnly, int>> _counts = [];

    public int Total { get; private set; }

    public void Add(PreparedRecord record)
    {
        if (!_counts.TryGetValue(record.Type, out var byDate))
        {
            byDate = [];
            _counts[record.Type] = byDate;
        }

        byDate[record.LogDate] = byDate.GetValueOrDefault(record.LogDate) + 1;
        Total++;
    }

    public Dictionary<string, IReadOnlyDictionary<string, int>> ByTypeAndDate() =>
        _counts.ToDictionary(
            t => t.Key.WireName(),
            t => (IReadOnlyDictionary<string, int>)new SortedDictionary<string, int>(
                t.Value.ToDictionary(d => LogCalendar.Format(d.Key), d => d.Value),
                StringComparer.Ordinal));
}
