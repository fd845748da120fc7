using BatchSync.Application.Sync;
using BatchSync.Domain.Sync;

namespace BatchSync.UnitTests.Application;

public class StagedPartCacheTests
{
    private static readonly DateTime Now = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static List<PreparedRecord> Records(int count) =>
        [.. Enumerable.Range(0, count).Select(i => new PreparedRecord(new LocationRecord(1_700_000_000_000 + i, 1, 2), [], i, new DateOnly(2023, 11, 14), 1, i))];

    [Fact]
    public void Take_SamePartSameHash_RecordsOnce()
    {
        var cache = new StagedPartCache();
        var part = new BatchPart(1, 3, "h1", Now);
        var records = Records(3);
        cache.Remember("s", part, records);

        Assert.Same(records, cache.Take("s", part));
        Assert.Null(cache.Take("s", part));
    }

    [Fact]
    public void Take_OtherContentHash_Null()
    {
        var cache = new StagedPartCache();
        cache.Remember("s", new BatchPart(1, 3, "h1", Now), Records(3));

        Assert.Null(cache.Take("s", new BatchPart(1, 3, "h2", Now)));
    }

    [Fact]
    public void Remember_PastCapacity_NotKeptUntilSpaceIsFreed()
    {
        var cache = new StagedPartCache();
        var big = new BatchPart(1, StagedPartCache.CapacityRecords, "big", Now);
        cache.Remember("a", big, Records(StagedPartCache.CapacityRecords));
        var small = new BatchPart(1, 1, "small", Now);

        cache.Remember("b", small, Records(1));
        Assert.Null(cache.Take("b", small));

        cache.Forget("a", [big]);
        cache.Remember("b", small, Records(1));
        Assert.NotNull(cache.Take("b", small));
    }
}
