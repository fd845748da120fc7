using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using BatchSync.Application.Sync;
using BatchSync.Domain.Sync;
using BatchSync.Infrastructure.Persistence.Writing;

namespace BatchSync.UnitTests.Infrastructure;

public class StagedRecordCodecTests
{
    private static readonly List<PreparedRecord> Records =
    [
        new(Location(1694123456789, 32.0853, 34.7818, 15, 125.5, 45.2, 245.8, 85, "WiFi", "gps"),
            Encoding.UTF8.GetBytes("{\"a\":1}"), -42, new DateOnly(2023, 9, 7), 3, 0),
        new(Location(1694123456790, -1, -2), Encoding.UTF8.GetBytes("{}"), 7, new DateOnly(2023, 9, 8), 3, 1),
        new(Driving(1694123466789, "driving_start", 32.0863, 34.7828, 12, 0, 180),
            Encoding.UTF8.GetBytes("{\"é\":\"ü\"}"), long.MaxValue, new DateOnly(2023, 9, 7), 3, 2),
        new(Driving(1694123466790, "stop"), [], long.MinValue, new DateOnly(2000, 1, 1), 3, 3),
    ];

    [Fact]
    public void EncodeDecode_BothKindsWithAndWithoutOptionals_RoundTrip()
    {
        var codec = new StagedRecordCodec();
        var decoded = new List<PreparedRecord>();
        codec.Decode(codec.Encode(Records), decoded);

        AssertSame(Records, decoded);
    }

    [Fact]
    public void Decode_PartStagedInTheFirstLayout_ReadsTheSameRecords()
    {
        var decoded = new List<PreparedRecord>();
        new StagedRecordCodec().Decode(FirstLayout(Records), decoded);

        AssertSame(Records, decoded);
    }

    [Fact]
    public void Decode_PartStagedCompressed_ReadsTheSameRecords()
    {
        var codec = new StagedRecordCodec();
        var current = codec.Encode(Records);
        var list = current.AsSpan(5);
        var packed = new byte[5 + BrotliEncoder.GetMaxCompressedLength(list.Length)];
        Assert.True(BrotliEncoder.TryCompress(list, packed.AsSpan(5), out var written, quality: 1, window: 22));
        packed[0] = 2;
        BinaryPrimitives.WriteInt32LittleEndian(packed.AsSpan(1), list.Length);

        var decoded = new List<PreparedRecord>();
        codec.Decode(packed[..(5 + written)], decoded);

        AssertSame(Records, decoded);
    }

    [Fact]
    public void EncodeDecode_PartOverTheCompressionThreshold_StoredCompressedAndReadBack()
    {
        var codec = new StagedRecordCodec();
        var many = Enumerable.Range(0, 2000).Select(i => Records[i % Records.Count] with { Position = i }).ToList();
        var payload = codec.Encode(many);
        var decoded = new List<PreparedRecord>();
        codec.Decode(payload, decoded);

        Assert.Equal(2, payload[0]);
        Assert.Equal(3, codec.Encode(Records)[0]);
        AssertSame(many, decoded);
    }

    [Fact]
    public void Decode_CutShort_ThrowsInvalidData()
    {
        var payload = new StagedRecordCodec().Encode(Records);

        Assert.Throws<InvalidDataException>(() => new StagedRecordCodec().Decode(payload[..^3], []));
    }

    [Fact]
    public void Decode_UnknownVersion_Throws()
    {
        Assert.Throws<InvalidDataException>(() => new StagedRecordCodec().Decode([9, 0, 0, 0, 0], []));
    }

    private static void AssertSame(List<PreparedRecord> expected, List<PreparedRecord> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].Record, actual[i].Record);
            Assert.Equal(expected[i].Json, actual[i].Json);
            Assert.Equal(expected[i] with { Json = actual[i].Json }, actual[i]);
        }
    }

    private static SyncRecord Location(long timestamp, double latitude, double longitude, params object?[] rest) =>
        Record(RecordType.Location, timestamp, [latitude, longitude, .. rest]);

    private static SyncRecord Driving(long timestamp, string eventType, params object?[] rest) =>
        Record(RecordType.Driving, timestamp, [eventType, .. rest]);

    /// <summary>A record of the type's fields in schema order; the values not given are absent.</summary>
    private static SyncRecord Record(RecordType type, long timestamp, object?[] given)
    {
        var values = new FieldValue[RecordSchema.Fields.Length];
        var fields = RecordSchema.Of(type);
        for (var i = 0; i < given.Length; i++)
        {
            values[fields[i].Index] = given[i] switch
            {
                string text => FieldValue.Of(text),
                null => FieldValue.None,
                var number => FieldValue.Of(Convert.ToDouble(number, System.Globalization.CultureInfo.InvariantCulture)),
            };
        }

        return new SyncRecord(type, timestamp, values);
    }

    /// <summary>The layout parts were staged in before it held a field count, written as it was then.</summary>
    private static byte[] FirstLayout(List<PreparedRecord> records)
    {
        var latitude = RecordSchema.Field("latitude");
        var longitude = RecordSchema.Field("longitude");
        var eventType = RecordSchema.Field("event_type");
        string[] location = ["accuracy", "altitude", "speed", "bearing", "battery_level", "network_type", "provider"];
        string[] driving = ["location.latitude", "location.longitude", "location.accuracy", "speed", "bearing"];
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(records.Count);
            foreach (var r in records)
            {
                w.Write((byte)r.Record.Type);
                w.Write(r.Record.Timestamp);
                w.Write(r.ContentHash);
                w.Write(r.LogDate.DayNumber);
                w.Write(r.PartNumber);
                w.Write(r.Position);
                w.Write(r.Json.Length);
                w.Write(r.Json);
                if (r.Record.Type == RecordType.Location)
                {
                    w.Write(r.Record[latitude].Number);
                    w.Write(r.Record[longitude].Number);
                }
                else
                {
                    w.Write(r.Record[eventType].Text!);
                }

                foreach (var path in r.Record.Type == RecordType.Location ? location : driving)
                {
                    var value = r.Record[RecordSchema.Field(path)];
                    w.Write(value.HasValue);
                    if (value is { HasValue: true, Text: { } text })
                    {
                        w.Write(text);
                    }
                    else if (value.HasValue)
                    {
                        w.Write(value.Number);
                    }
                }
            }
        }

        var plain = stream.ToArray();
        var packed = new byte[5 + BrotliEncoder.GetMaxCompressedLength(plain.Length)];
        packed[0] = 1;
        BinaryPrimitives.WriteInt32LittleEndian(packed.AsSpan(1), plain.Length);
        Assert.True(BrotliEncoder.TryCompress(plain, packed.AsSpan(5), out var written, quality: 1, window: 22));
        return packed[..(5 + written)];
    }
}
