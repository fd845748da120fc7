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

    [Fact]
    public void Read_NumbersInEveryForm_IdentityIsTheCanonicalJsonReadAgain()
    {
        // The identity's JSON is noted while the canonical JSON is written; it must be what reading the
        // canonical JSON back and rewriting its numbers gives, in known fields, unknown ones, nested
        // objects and arrays, and never for digits inside a string.
        var random = new Random(20261206);
        string[] forms = ["15", "15.0", "1.5e1", "150E-1", "-0", "0.0", "-0.0", "32.50", "32.5", "0.00001", "1e-5", "9007199254740993",
            "9007199254740993.0", "123456789012345678901234567890.0", "1E400", "-1e-400", "0.1000000000000000055511151231257827", "7"];
        string Number() => random.Next(3) switch
        {
            0 => forms[random.Next(forms.Length)],
            1 => (random.NextDouble() * 360 - 180).ToString("F" + random.Next(0, 9), System.Globalization.CultureInfo.InvariantCulture),
            _ => random.Next(-1000, 1000).ToString(System.Globalization.CultureInfo.InvariantCulture) + (random.Next(2) == 0 ? ".0" : ""),
        };

        IEnumerable<string> records = Enumerable.Range(0, 400).Select(i =>
            $$"""
            {"type":"location","timestamp":{{1700000000000 + i}},"latitude":{{Number()}},"longitude":{{Number()}},"accuracy":{{Number()}},"zz":[{{Number()}},{"b":{{Number()}},"a":[{{Number()}}]},"{{Number()}}"],"m":{{Number()}}}
            """);
        // Escapes before a number change its place between the body and the canonical JSON; a long record
        // makes the writer hand its bytes on before the record ends.
        var escaped = Enumerable.Range(0, 50).Select(i =>
            $$$"""
            {"type":"driving","timestamp":{{{1700000001000 + i}}},"event_type":"\u00e9\n{{{new string('x', i * 400)}}}","\u0061b":[{{{Number()}}}],"speed":{{{Number()}}},"z\u00e9":{"\u00e9":{{{Number()}}}}}
            """);
        records = records.Concat(escaped);
        var plain = Enumerable.Range(0, 50).Select(i =>
            $$"""{"type":"driving","timestamp":{{1700000000000 + i}},"event_type":"stop","location":{"latitude":32.0853,"longitude":-34.78},"speed":0,"n":[1,"2.0"]}""");
        var read = Records(string.Join(",", records.Concat(plain)));

        var rewritten = 0;
        foreach (var record in read)
        {
            var expected = RecordIdentity.Json(record.Json).ToArray();
            Assert.Equal(Encoding.UTF8.GetString(expected), Encoding.UTF8.GetString(record.IdentityJson));
            if (expected.AsSpan().SequenceEqual(record.Json))
            {
                Assert.Same(record.Json, record.IdentityJson);
            }
            else
            {
                rewritten++;
            }
        }

        Assert.InRange(rewritten, 1, read.Count - 1);
    }
}
