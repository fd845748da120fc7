using System.Text;
using BatchSync.Application.Sync;
using BatchSync.Domain.Sync;
using BatchSync.Infrastructure.Persistence.Writing;

namespace BatchSync.UnitTests.Infrastructure;

public class StagedRecordCodecTests
{
    [Fact]
    public void EncodeDecode_BothKindsWithAndWithoutOptionals_RoundTrip()
    {
        List<PreparedRecord> records =
        [
            new(new LocationRecord(1694123456789, 32.0853, 34.7818, 15, 125.5, 45.2, 245.8, 85, "WiFi", "gps"),
                Encoding.UTF8.GetBytes("{\"a\":1}"), -42, new DateOnly(2023, 9, 7), 3, 0),
            new(new LocationRecord(1694123456790, -1, -2), Encoding.UTF8.GetBytes("{}"), 7, new DateOnly(2023, 9, 8), 3, 1),
            new(new DrivingRecord(1694123466789, "driving_start", 32.0863, 34.7828, 12, 0, 180),
                Encoding.UTF8.GetBytes("{\"é\":\"ü\"}"), long.MaxValue, new DateOnly(2023, 9, 7), 3, 2),
            new(new DrivingRecord(1694123466790, "stop"), [], long.MinValue, new DateOnly(2000, 1, 1), 3, 3),
        ];

        var codec = new StagedRecordCodec();
        var decoded = new List<PreparedRecord>();
        codec.Decode(codec.Encode(records), decoded);

        Assert.Equal(records.Count, decoded.Count);
        for (var i = 0; i < records.Count; i++)
        {
            Assert.Equal(records[i].Record, decoded[i].Record);
            Assert.Equal(records[i].Json, decoded[i].Json);
            Assert.Equal(records[i] with { Json = decoded[i].Json }, decoded[i]);
        }
    }

    [Fact]
    public void Decode_UnknownVersion_Throws()
    {
        Assert.Throws<InvalidDataException>(() => new StagedRecordCodec().Decode([9, 0, 0, 0, 0], []));
    }
}
