using BatchSync.Domain.Sync;

namespace BatchSync.Application.Sync.UploadBatchPart;

/// <summary>A completed sync's <c>processing_results</c>: its records counted by type, then by log date.</summary>
internal static class RecordCounts
{
    public static Dictionary<string, IReadOnlyDictionary<string, int>> ByTypeAndDate(List<PreparedRecord> records)
    {
        var counts = new Dictionary<string, IReadOnlyDictionary<string, int>>();
        foreach (var group in records.GroupBy(r => r.Record.Type))
        {
            counts[group.Key.WireName()] = new SortedDictionary<string, int>(
                group.GroupBy(r => r.LogDate).ToDictionary(d => LogCalendar.Format(d.Key), d => d.Count()),
                StringComparer.Ordinal);
        }

        return counts;
    }
}
