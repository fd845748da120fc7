using System.Text;
using BatchSync.Application.Abstractions;
using BatchSync.Application.Sync;
using BatchSync.Application.Sync.UploadBatchPart;
using BatchSync.Domain.Sync;
using BatchSync.Infrastructure.Persistence.Writing;

namespace BatchSync.UnitTests.Application;

public class StagedMergeTests
{
    private static readonly StagedRecordCodec Codec = new();

    [Fact]
    public async Task Merge_PartsThatOverlapInTime_LogOrderWithTiesByPartThenPosition()
    {
        var store = new StagedParts();
        store.Stage(1, [10, 20, 20, 50]);
        store.Stage(2, [5, 20, 60]);
        store.Stage(4, [20, 21]);
        var last = Part(3, [1, 20, 70]);

        var merge = new StagedMerge(store, Codec, readAheadRecords: 2);
        var merged = await Merged(merge, last);

        var expected = store.All.Concat(last).ToList();
        expected.Sort(PreparedRecord.LogOrder);
        Assert.Equal(expected.Select(Key), merged.Select(Key));
        Assert.Equal(12, merge.Counts.Total);
    }

    [Fact]
    public async Task Merge_BacklogInOrder_ReadsEachPartOnlyOnceTheMergeReachesIt()
    {
        var store = new StagedParts();
        for (var part = 1; part <= 5; part++)
        {
            store.Stage(part, [.. Enumerable.Range(part * 100, 10)]);
        }

        var last = Part(6, [.. Enumerable.Range(600, 10)]);
        var merge = new StagedMerge(store, Codec, readAheadRecords: 15);

        var readWhenYielded = new List<int>();
        await foreach (var record in merge.MergeAsync(last, CancellationToken.None))
        {
            readWhenYielded.Add(store.Read.Count);
        }

        // Batches of one part (half of 15 records each): a part is opened when the merge reaches it, and the
        // one after it is read then to be decoded ahead, never two ahead.
        Assert.Equal(60, readWhenYielded.Count);
        Assert.All(Enumerable.Range(0, 5), part =>
            Assert.Equal(Math.Min(part + 2, 5), readWhenYielded[part * 10]));
        Assert.Equal([1, 2, 3, 4, 5], store.Read);
    }

    [Fact]
    public async Task Merge_PartDecodedAheadIsCorrupt_FailsTheMergeWithTheCodecsError()
    {
        var store = new StagedParts();
        for (var part = 1; part <= 4; part++)
        {
            store.Stage(part, [.. Enumerable.Range(part * 100, 10)]);
        }

        store.Corrupt(3);
        var merge = new StagedMerge(store, Codec, readAheadRecords: 20);

        var yielded = 0;
        await Assert.ThrowsAsync<InvalidDataException>(async () =>
        {
            await foreach (var record in merge.MergeAsync(Part(5, [900]), CancellationToken.None))
            {
                yielded++;
            }
        });

        // The two parts before it were merged; nothing of the corrupt part or after it.
        Assert.Equal(20, yielded);
    }

    [Fact]
    public async Task Merge_PartsStagedBeforeTheirFirstTimestampWasKept_ReadAtOnceAndMerged()
    {
        var store = new StagedParts();
        store.Stage(1, [30, 40], keepFirst: false);
        store.Stage(2, [10, 35]);
        var last = Part(3, [20]);

        var merged = await Merged(new StagedMerge(store, Codec), last);

        Assert.Equal([10, 20, 30, 35, 40], merged.Select(r => r.Timestamp));
    }

    private static async Task<List<PreparedRecord>> Merged(StagedMerge merge, List<PreparedRecord> last)
    {
        var merged = new List<PreparedRecord>();
        await foreach (var record in merge.MergeAsync(last, CancellationToken.None))
        {
            merged.Add(record);
        }

        return merged;
    }

    private static (long, int, int) Key(PreparedRecord r) => (r.Timestamp, r.PartNumber, r.Position);

    private static List<PreparedRecord> Part(int number, long[] timestamps)
    {
        var records = timestamps
            .Select((t, i) => new PreparedRecord(
                RecordType.Driving,
                t,
                Encoding.UTF8.GetBytes($"{{\"t\":{t}}}"),
                t * 31 + number,
                new DateOnly(2026, 1, 1),
                number,
                i))
            .ToList();
        records.Sort(PreparedRecord.LogOrder);
        return records;
    }

    /// <summary>A sync's staged parts as a transaction holds them, noting which parts were read.</summary>
    private sealed class StagedParts : ISyncTransaction
    {
        private readonly Dictionary<int, (byte[] Payload, int Count, long? First)> _parts = [];

        public List<PreparedRecord> All { get; } = [];

        public List<int> Read { get; } = [];

        public void Stage(int number, long[] timestamps, bool keepFirst = true)
        {
            var records = Part(number, timestamps);
            All.AddRange(records);
            _parts[number] = (Codec.Encode(records), records.Count, keepFirst ? records[0].Timestamp : null);
        }

        public void Corrupt(int number) => _parts[number] = _parts[number] with { Payload = _parts[number].Payload[..^3] };

        public ValueTask<IReadOnlyList<StagedPartHead>> LoadStagedPartHeadsAsync(CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<StagedPartHead>>([.. _parts.Select(p => new StagedPartHead(p.Key, p.Value.Count, p.Value.First))]);

        public ValueTask<IReadOnlyList<byte[]>> LoadStagedPartsAsync(IReadOnlyList<int> partNumbers, CancellationToken cancellationToken)
        {
            Read.AddRange(partNumbers);
            return ValueTask.FromResult<IReadOnlyList<byte[]>>([.. partNumbers.Select(n => _parts[n].Payload)]);
        }

        public ValueTask<SyncSession?> LoadSessionAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<SyncSession?> LoadSessionForPartAsync(int partNumber, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask SaveSessionAsync(SyncSession session, StagedPart? staged, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<int> CountOpenSessionsAsync(string? deviceId, CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask<LogAppendResult> AppendToLogsAsync(
            SyncSession session, IAsyncEnumerable<PreparedRecord> records, CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
