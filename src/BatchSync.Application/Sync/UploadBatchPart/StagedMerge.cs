using System.Runtime.CompilerServices;
using BatchSync.Application.Abstractions;

namespace BatchSync.Application.Sync.UploadBatchPart;

/// <summary>
/// The completing part's records and its sync's staged parts, merged into log order as they are read:
/// each part is sorted already, so a k-way merge over the parts yields the sync in order without
/// holding it whole. The staged parts are read in batches of up to half of <see cref="DefaultReadAhead"/>
/// records, in the order of their first timestamps; a batch is opened once the merge reaches its first
/// timestamp, and the batch after it is then decoded beside the merge, on the thread pool, while the
/// records before it are written. So what is held is the parts that overlap in time and one batch ahead:
/// for a backlog uploaded in order, a batch or two, whatever the sync's size. The records are counted as
/// they go by.
/// </summary>
internal sealed class StagedMerge(ISyncTransaction store, IStagedPartCodec codec, int readAheadRecords = StagedMerge.DefaultReadAhead)
{
    /// <summary>Records of staged parts held decoded ahead of the merge: the batch being merged and the next.</summary>
    public const int DefaultReadAhead = 20_000;

    private static readonly Comparer<PreparedRecord> LogOrder = Comparer<PreparedRecord>.Create(PreparedRecord.LogOrder);

    public RecordCounts Counts { get; } = new();

    public async IAsyncEnumerable<PreparedRecord> MergeAsync(
        List<PreparedRecord> last,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var batches = Batches(await store.LoadStagedPartHeadsAsync(cancellationToken), Math.Max(1, readAheadRecords / 2));
        var cursors = new PriorityQueue<Cursor, PreparedRecord>(LogOrder);
        Open(cursors, last);
        Ahead? ahead = null;
        var next = 0;
        try
        {
            while (true)
            {
                if (next < batches.Count && (!cursors.TryPeek(out _, out var head) || batches[next].First <= head.Timestamp))
                {
                    var parts = ahead is null ? Decode(codec, await store.LoadStagedPartsAsync(batches[next].Parts, cancellationToken)) : ahead.Take();
                    ahead = null;
                    foreach (var records in parts)
                    {
                        Open(cursors, records);
                    }

                    if (++next < batches.Count)
                    {
                        var payloads = await store.LoadStagedPartsAsync(batches[next].Parts, cancellationToken);
                        ahead = Ahead.Start(codec, payloads);
                    }

                    continue;
                }

                if (!cursors.TryDequeue(out var cursor, out var record))
                {
                    yield break;
                }

                Counts.Add(record);
                yield return record;
                if (cursor.MoveNext())
                {
                    cursors.Enqueue(cursor, cursor.Current);
                }
            }
        }
        finally
        {
            // A merge given up early lets go of its batch ahead: not decoded if no thread has started it.
            ahead?.Abandon();
        }
    }

    /// <summary>The staged parts in the order the merge needs them, cut into batches of up to <paramref name="records"/>.</summary>
    private static List<Batch> Batches(IReadOnlyList<StagedPartHead> heads, int records)
    {
        var batches = new List<Batch>();
        var inBatch = 0;
        foreach (var head in heads.OrderBy(h => h.FirstTimestamp ?? long.MinValue).ThenBy(h => h.PartNumber))
        {
            if (batches.Count == 0 || inBatch + head.RecordCount > records)
            {
                // A part staged before its first timestamp was kept is read at once.
                batches.Add(new Batch(head.FirstTimestamp ?? long.MinValue, []));
                inBatch = 0;
            }

            batches[^1].Parts.Add(head.PartNumber);
            inBatch += head.RecordCount;
        }

        return batches;
    }

    private static List<List<PreparedRecord>> Decode(IStagedPartCodec codec, IReadOnlyList<byte[]> payloads)
    {
        var parts = new List<List<PreparedRecord>>(payloads.Count);
        foreach (var payload in payloads)
        {
            var records = new List<PreparedRecord>();
            codec.Decode(payload, records);
            parts.Add(records);
        }

        return parts;
    }

    private static void Open(PriorityQueue<Cursor, PreparedRecord> cursors, List<PreparedRecord> records)
    {
        if (records.Count > 0)
        {
            cursors.Enqueue(new Cursor(records), records[0]);
        }
    }

    /// <summary>
    /// A batch decoded ahead on the thread pool, taken in place: on SQLite the merge is read on the writer's
    /// own thread, whose connection must not pass to a continuation on another. Whichever comes first
    /// decodes it, so the writer never waits for a pool thread busy with requests to start it; once started
    /// there, the writer waits for it to finish. A failure is thrown where the batch is taken.
    /// </summary>
    private sealed class Ahead
    {
        private readonly IStagedPartCodec _codec;
        private readonly IReadOnlyList<byte[]> _payloads;
        private readonly TaskCompletionSource<List<List<PreparedRecord>>> _decoded = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _claimed;

        private Ahead(IStagedPartCodec codec, IReadOnlyList<byte[]> payloads) => (_codec, _payloads) = (codec, payloads);

        public static Ahead Start(IStagedPartCodec codec, IReadOnlyList<byte[]> payloads)
        {
            var ahead = new Ahead(codec, payloads);
            ThreadPool.UnsafeQueueUserWorkItem(static a => a.TryDecode(), ahead, preferLocal: false);
            return ahead;
        }

        public List<List<PreparedRecord>> Take()
        {
            TryDecode();
            return _decoded.Task.GetAwaiter().GetResult();
        }

        /// <summary>A merge given up early: the batch is not needed, and a failure of it is not news.</summary>
        public void Abandon()
        {
            if (Interlocked.Exchange(ref _claimed, 1) == 0)
            {
                _decoded.SetCanceled();
            }

            _ = _decoded.Task.Exception;
        }

        private void TryDecode()
        {
            if (Interlocked.Exchange(ref _claimed, 1) != 0)
            {
                return;
            }

            try
            {
                _decoded.SetResult(Decode(_codec, _payloads));
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _decoded.SetException(e);
            }
        }
    }

    /// <summary>Staged parts read together, and the first timestamp among them.</summary>
    private sealed record Batch(long First, List<int> Parts);

    /// <summary>A sorted part's next record.</summary>
    private sealed class Cursor(List<PreparedRecord> records)
    {
        private int _at;

        public PreparedRecord Current => records[_at];

        public bool MoveNext() => ++_at < records.Count;
    }
}
