using System.Text;
using BatchSync.Application.Common;
using BatchSync.Application.Sync;
using BatchSync.Application.Sync.UploadBatchPart;

namespace BatchSync.UnitTests.Application;

public class PartPreparerTests
{
    private static readonly LogCalendar Utc = new(TimeZoneInfo.Utc);

    private static IReadOnlyList<IncomingRecord> Records(string records) =>
        BatchPartReader.Read(Encoding.UTF8.GetBytes($$"""{"records":[{{records}}]}"""), new Caller("t", CallerRole.Device, null)).Records;

    [Fact]
    public void Prepare_OutOfOrderWithTies_SortedByTimestampThenPosition()
    {
        var incoming = Records(
            """
            {"type":"location","timestamp":300,"latitude":1,"longitude":1},
            {"type":"location","timestamp":100,"latitude":2,"longitude":1},
            {"type":"driving","timestamp":300,"event_type":"stop"},
            {"type":"location","timestamp":100,"latitude":3,"longitude":1}
            """);

        var (records, _) = PartPreparer.Prepare(incoming, 4, Utc);

        Assert.Equal([1, 3, 0, 2], records.Select(r => r.Position));
        Assert.All(records, r => Assert.Equal(4, r.PartNumber));
    }

    [Fact]
    public void Prepare_SameRecordsDifferentlyWritten_SameHashes()
    {
        var (a, hashA) = PartPreparer.Prepare(Records("""{"type":"location","timestamp":1,"latitude":1,"longitude":2}"""), 1, Utc);
        var (b, hashB) = PartPreparer.Prepare(Records("""{"longitude":2, "latitude":1, "timestamp":1, "type":"location"}"""), 1, Utc);
        var (c, hashC) = PartPreparer.Prepare(Records("""{"type":"location","timestamp":1,"latitude":1,"longitude":2.5}"""), 1, Utc);

        Assert.Equal(a[0].ContentHash, b[0].ContentHash);
        Assert.Equal(hashA, hashB);
        Assert.NotEqual(a[0].ContentHash, c[0].ContentHash);
        Assert.NotEqual(hashA, hashC);
        Assert.StartsWith("sha256:", hashA, StringComparison.Ordinal);
    }
}
