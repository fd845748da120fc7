using System.Runtime.CompilerServices;
using BatchSync.Application.Abstractions;

namespace BatchSync.Application.Sync.UploadBatchPart;

/// <summary>
/// The completing part's records and its sync's staged parts, merged into log order as they are read:
/// each part is sorted already, so a k-way merge over the parts yields the sync in order without
/// holding it whole. A staged part is read only once the merge reaches its first timestamp (parts read
/// ahead of need together, up to <see cref="DefaultReadAhead"/> records) and let go once passed, so what is
/// held is the parts that overlap in time: for a backlog uploaded in order, a part or two, whatever the
/// sync's size. The records are counted as they go by.
/// </summary>
internal sealed class StagedMerge(ISyncTransaction store, IStagedPartCodec codec, int readAheadRecords = StagedMerge.DefaultReadAhead)
{
    /// <summary>Parts are read in one go while the records they hold stay under this.</summary>
    public const int DefaultReadAhead = 20_000;

    private static readonly Comparer<PreparedRecord> LogOrder = Comparer<PreparedRecord>.Create(PreparedRecord.LogOrder);

    public RecordCounts Counts { get; } = new();

    public async IAsyncEnumerable<PreparedRecord> MergeAsync(
        List<PreparedRecord> last,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Parts staged before their first timestamp was kept are read at once.
        var heads = (await store.LoadStagedPartHeadsAsync(cancellationToken))
            .OrderBy(h => h.FirstTimestamp ?? long.MinValue)
            .ThenBy(h => h.PartNumber)
            .ToList();
        var cursors = new PriorityQueue<Cursor, PreparedRecord>(LogOrder);
        var held = Open(cursors, last);
        var next = 0;
        while (true)
        {
            if (next < heads.Count &&
                (!cursors.TryPeek(out _, out var head) || (heads[next].FirstTimestamp ?? long.MinValue) <= head.Record.Timestamp))
            {
                var numbers = new List<int> { heads[next].PartNumber };
                var reading = heads[next++].RecordCount;
                while (next < heads.Count && held + reading + heads[next].RecordCount <= readAheadRecords)
                {
                    numbers.Add(heads[next].PartNumber);
                    reading += heads[next++].RecordCount;
                }

                foreach (var payload in await store.LoadStagedPartsAsync(numbers, cancellationToken))
                {
                    var records = new List<PreparedRecord>();
                    codec.Decode(payload, records);
                    held += Open(cursors, records);
                }

                continue;
            }

            if (!cursors.TryDequeue(out var cursor, out var record))
            {
                yield break;
            }

            Counts.Add(record);
            held--;
            yield return record;
            if (cursor.MoveNext())
            {
                cursors.Enqueue(cursor, cursor.Current);
            }
        }
    }

    private static int Open(PriorityQueue<Cursor, PreparedRecord> cursors, List<PreparedRecord> records)
    {
        if (records.Count > 0)
        {
            cursors.Enqueue(new Cursor(records), records[0]);
        }

        return records.Count;
    }

    /// <summary>A sorted part's next record.</summary>
    private sealed class Cursor(List<PreparedRecord> records)
    {
        private int _at;

        public PreparedRecord Current => records[_at];

        public bool MoveNext() => ++_at < records.Count;
    }
}
